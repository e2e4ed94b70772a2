// Schemas of the kinds that only a subresource returns (imagestreams/layers, imagestreams/secrets), by kind,
// for the OpenAPI documents: no ResourceDefinition carries them.
import type { TSchema } from '@sinclair/typebox';
import { ImageStreamLayersSchema } from './image/v1/imagestreamlayers/types.js';
import { SecretListSchema } from './image/v1/imagestreamsecrets/types.js';

export const subresourceSchemas: Record<string, TSchema> = {
  ImageStreamLayers: ImageStreamLayersSchema,
  SecretList: SecretListSchema,
};
