// `oc get isimage` columns (openshift-apiserver `pkg/image/printers/internalversion/printer.go`). The server
// fills the wide (priority 1) cells too; clients hide them.
import { column, NAME_COLUMN, timeAgo, type TableConvertor } from '../../../../machinery/table.js';
import type { ImageStreamImage } from './types.js';

export const imageStreamImageTable: TableConvertor<ImageStreamImage> = {
  columns: [
    NAME_COLUMN,
    column('Updated', 'Last update time.'),
    column('Image Reference', 'dockerImageReference is the string that can be used to pull this image.', { priority: 1 }),
    column('Image Name', 'Image associated with the ImageStream and image name.', { priority: 1 }),
  ],
  // Updated is the image's creation time.
  cells: (obj, now) => [obj.metadata.name ?? '', timeAgo(obj.metadata.creationTimestamp, now), obj.image.dockerImageReference ?? '', obj.image.metadata?.name ?? ''],
};
