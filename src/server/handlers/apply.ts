// PATCH with application/apply-patch+yaml: server-side apply through the resource's REST
// (k8s.io/apiserver pkg/endpoints/handlers/patch.go applyPatcher, ValidatePatchOptions).
import { applyConfiguration } from '../../machinery/apply.js';
import { isPlainObject } from '../../machinery/apply-schema.js';
import { decodeYAML, yamlDuplicatesMessage } from '../../machinery/decode.js';
import { badRequest, invalidOptions } from '../../machinery/errors.js';
import { required, type ErrorList } from '../../machinery/field.js';
import type { FieldsV1 } from '../../machinery/managed-fields.js';
import { validateDryRun, validateFieldManager, validateFieldValidation } from '../../machinery/meta.js';
import { timestamp, type KubeObject } from '../../machinery/object.js';
import { allValues, firstValue, queryBool } from '../../machinery/query.js';
import { hasStatus, type ResourceDefinition } from '../../registry/resource.js';
import type { FieldValidation } from '../body.js';
import type { OutputTarget } from '../negotiation.js';
import { addWarnings, sendObject } from '../responses.js';
import type { HandlerContext } from './context.js';
import type { Query } from './options.js';

interface ApplyOptions {
  dryRun: boolean;
  fieldManager: string;
  fieldValidation: FieldValidation;
  force: boolean;
}

/** PatchOptions of an apply: a field manager must be named; `force` is allowed. */
function parseApplyOptions(query: Query): ApplyOptions {
  const manager = firstValue(query, 'fieldManager') ?? '';
  const dryRun = allValues(query, 'dryRun');
  const validation = firstValue(query, 'fieldValidation') ?? '';
  const errs: ErrorList = [
    ...(manager === '' ? [required('fieldManager', 'is required for apply patch')] : []),
    ...validateFieldManager(manager),
    ...validateDryRun(dryRun),
    ...validateFieldValidation(validation),
  ];
  if (errs.length) throw invalidOptions('PatchOptions', errs);
  return {
    dryRun: dryRun.length > 0,
    fieldManager: manager,
    fieldValidation: (validation || 'Warn') as FieldValidation,
    force: queryBool(firstValue(query, 'force')) ?? false,
  };
}

/** The body as sigs.k8s.io/yaml decodes it into a map (JSON is YAML); duplicate keys are kept for fieldValidation. */
function decodeApplyBody(raw: Buffer | undefined): { config: Record<string, unknown>; duplicates: string[] } {
  let decoded: { value: unknown; duplicates: string[] };
  try {
    decoded = decodeYAML((raw ?? Buffer.alloc(0)).toString('utf8'));
  } catch (err) {
    throw badRequest(`error decoding YAML: ${(err as Error).message}`);
  }
  const { value, duplicates } = decoded;
  // A null document leaves the map empty; the type check then names it `/, Kind=`.
  if (value === null || value === undefined) return { config: {}, duplicates };
  if (!isPlainObject(value)) {
    throw badRequest(`error decoding YAML: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${goJSONKind(value)} into Go value of type map[string]interface {}`);
  }
  return { config: value, duplicates };
}

function goJSONKind(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'boolean') return 'bool';
  return typeof v;
}

/** Duplicate keys are checked after the apply itself (its errors come first): Strict fails, Warn warns per line. */
function strictDecodingWarnings(duplicates: string[], validation: FieldValidation): string[] {
  if (duplicates.length === 0 || validation === 'Ignore') return [];
  if (validation === 'Strict') throw badRequest(`error strict decoding YAML: ${yamlDuplicatesMessage(duplicates)}`);
  return duplicates;
}

/** What the endpoint's strategy resets: status on a main resource that has a status subresource. */
function resetFieldsOf(def: ResourceDefinition, subresource: string): FieldsV1 | undefined {
  if (subresource === 'status') return { 'f:spec': {} };
  return subresource === '' && hasStatus(def) ? { 'f:status': {} } : undefined;
}

export async function handleApply(ctx: HandlerContext, target: OutputTarget): Promise<void> {
  const options = parseApplyOptions(ctx.query);
  const { config, duplicates } = decodeApplyBody(ctx.req.body as Buffer | undefined);
  const { rest } = ctx;
  const name = ctx.info.name!;
  const subresource = ctx.info.subresource ?? '';
  let warnings: string[] = [];
  const result = await rest.update!(
    ctx.info.namespace,
    name,
    (current: KubeObject | undefined) => {
      const { object } = applyConfiguration({
        live: current,
        applied: config,
        manager: options.fieldManager,
        force: options.force,
        apiVersion: rest.apiVersion,
        kind: rest.def.kind,
        subresource,
        time: timestamp(),
        schema: rest.schemaForPruning(),
        resetFields: resetFieldsOf(rest.def, subresource),
      });
      warnings = strictDecodingWarnings(duplicates, options.fieldValidation);
      // patch.go checkName: a body without a name creates nothing under the URL's name.
      if (!object.metadata.name) throw badRequest(`the name of the object () does not match the name on the URL (${name})`);
      return object;
    },
    { dryRun: options.dryRun, fieldManager: options.fieldManager, ctx: ctx.requestContext(options.dryRun) },
    { subresource, isPatch: true, apply: true },
  );
  addWarnings(ctx.reply, [...warnings, ...result.warnings]);
  sendObject(ctx.reply, result.created ? 201 : 200, result.object, target);
}
