// Query options of write requests (CreateOptions / UpdateOptions / PatchOptions / DeleteOptions).
import { invalidOptions } from '../../machinery/errors.js';
import type { ErrorList } from '../../machinery/field.js';
import { defaultFieldManager, validateDryRun, validateFieldManager, validateFieldValidation } from '../../machinery/meta.js';
import { allValues, firstValue } from '../../machinery/query.js';
import type { FieldValidation } from '../body.js';

export type Query = Record<string, string | string[] | undefined>;

export interface WriteQuery {
  dryRun: boolean;
  fieldManager: string;
  fieldValidation: FieldValidation;
}

export function parseWriteQuery(query: Query, optionsKind: 'CreateOptions' | 'UpdateOptions' | 'PatchOptions', userAgent: string | undefined): WriteQuery {
  const dryRunValues = allValues(query, 'dryRun');
  const manager = firstValue(query, 'fieldManager');
  const validation = firstValue(query, 'fieldValidation') ?? '';
  const errs: ErrorList = [
    ...validateDryRun(dryRunValues),
    ...(manager !== undefined ? validateFieldManager(manager) : []),
    ...validateFieldValidation(validation),
  ];
  if (errs.length) throw invalidOptions(optionsKind, errs);
  return {
    dryRun: dryRunValues.length > 0,
    fieldManager: manager || defaultFieldManager(userAgent),
    fieldValidation: (validation || 'Warn') as FieldValidation,
  };
}
