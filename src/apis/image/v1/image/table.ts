// `oc get images` columns (openshift-apiserver pkg/image/printers/internalversion: printImage).
import { column, NAME_COLUMN, type TableConvertor } from '../../../../machinery/table.js';
import { ImageSchema, type Image } from './types.js';

export const imageTable: TableConvertor = {
  columns: [NAME_COLUMN, column('Image Reference', ImageSchema.properties.dockerImageReference.description ?? '')],
  cells: (obj) => {
    const image = obj as Image;
    return [image.metadata.name ?? '', image.dockerImageReference ?? ''];
  },
};
