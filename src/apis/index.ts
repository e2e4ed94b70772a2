// Every served kind, in one list: adding a kind is one folder plus one line here.
import { imageConfigDefinition } from './config/v1/image/index.js';
import { imageDefinition } from './image/v1/image/index.js';
import { imageStreamDefinition } from './image/v1/imagestream/index.js';
import { imageSignatureDefinition } from './image/v1/imagesignature/index.js';
import { imageStreamImageDefinition } from './image/v1/imagestreamimage/index.js';
import type { ResourceDefinition } from '../registry/resource.js';

export const resourceDefinitions: ResourceDefinition[] = [
  imageConfigDefinition as unknown as ResourceDefinition,
  imageDefinition as unknown as ResourceDefinition,
  imageStreamDefinition as unknown as ResourceDefinition,
  imageSignatureDefinition as unknown as ResourceDefinition,
  imageStreamImageDefinition as unknown as ResourceDefinition,
];
