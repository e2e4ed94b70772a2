// `oc get istag` columns (openshift-apiserver `pkg/image/printers/internalversion/printer.go`). The server fills the
// wide (priority 1) cell too; clients hide it.
import { column, NAME_COLUMN, timeAgo, type TableConvertor } from '../../../../machinery/table.js';
import { ImageSchema } from '../image/types.js';
import type { ImageStreamTag } from './types.js';

export const imageStreamTagTable: TableConvertor<ImageStreamTag> = {
  columns: [
    NAME_COLUMN,
    column('Image Reference', ImageSchema.properties.dockerImageReference.description ?? ''),
    column('Updated', 'Last update time.'),
    column('Image Name', 'image associated with the ImageStream and tag.', { priority: 1 }),
  ],
  // Updated is the creation time of the tag's newest history entry.
  cells: (obj, now) => [obj.metadata.name ?? '', obj.image?.dockerImageReference ?? '', timeAgo(obj.metadata.creationTimestamp, now), obj.image?.metadata?.name ?? ''],
};
