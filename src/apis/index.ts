// Every served kind, in one list: adding a kind is one folder plus one line here.
import { imageConfigDefinition } from './config/v1/image/index.js';
import { imageDefinition } from './image/v1/image/index.js';
import { imageStreamDefinition } from './image/v1/imagestream/index.js';
import { imageSignatureDefinition } from './image/v1/imagesignature/index.js';
import { imageStreamImageDefinition } from './image/v1/imagestreamimage/index.js';
import type { ResourceDefinition } from '../registry/resource.js';
import { imageStreamImportDefinition } from './image/v1/imagestreamimport/index.js';
import { imageStreamTagDefinition } from './image/v1/imagestreamtag/index.js';
import { imageTagDefinition } from './image/v1/imagetag/index.js';
import { imageStreamMappingDefinition } from './image/v1/imagestreammapping/index.js';

export const resourceDefinitions: ResourceDefinition[] = [
  imageStreamTagDefinition as unknown as ResourceDefinition,
  imageTagDefinition as unknown as ResourceDefinition,
  imageStreamMappingDefinition as unknown as ResourceDefinition,
  imageConfigDefinition as unknown as ResourceDefinition,
  imageDefinition as unknown as ResourceDefinition,
  imageStreamDefinition as unknown as ResourceDefinition,
  imageSignatureDefinition as unknown as ResourceDefinition,
  imageStreamImageDefinition as unknown as ResourceDefinition,
  imageStreamImportDefinition as unknown as ResourceDefinition,
];
