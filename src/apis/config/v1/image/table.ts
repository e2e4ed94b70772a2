// images.config.openshift.io is a CRD without additionalPrinterColumns: kube-apiserver prints Name and Age.
import { crdDefaultTableConvertor, type TableConvertor } from '../../../../machinery/table.js';

export const imageConfigTable: TableConvertor = crdDefaultTableConvertor;
