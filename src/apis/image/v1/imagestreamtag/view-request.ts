// What the generic handlers and rest.BeforeCreate / rest.BeforeUpdate do to a request object before a view's own REST
// code runs, for the kinds served without a Store (imagestreamtags, imagetags, imagestreammappings).
import { randomUUID } from 'node:crypto';
import { badRequest, internalError } from '../../../../machinery/errors.js';
import { prepareCreateMeta } from '../../../../machinery/meta.js';
import type { KubeObject, ObjectMeta } from '../../../../machinery/object.js';
import type { SchemaValidator } from '../../../../machinery/schema-validation.js';
import type { ResourceDefinition } from '../../../../registry/resource.js';

/**
 * The request object typed as the kind: apiVersion/kind set, metadata present, and a JSON type the Go decoder
 * could not take answered with its 400. Returns a copy.
 */
export function decodeViewObject<T extends KubeObject>(body: KubeObject, def: ResourceDefinition, apiVersion: string, validator: SchemaValidator): T {
  const obj = structuredClone(body) as T;
  obj.apiVersion = apiVersion;
  obj.kind = def.kind;
  obj.metadata ??= {};
  const { decodeError } = validator.validate(obj);
  if (decodeError) throw badRequest(`${def.kind} in version "${def.version}" cannot be handled as a ${def.kind}: ${decodeError}`);
  return obj;
}

/** FillObjectMetaSystemFields: a fresh uid and creationTimestamp (and no selfLink or deletion facts). */
export function fillSystemFields(meta: ObjectMeta, now: Date): void {
  prepareCreateMeta(meta, { now, uid: randomUUID() });
}

/** Only stored kinds generate names: a view asked for one fails in rest.BeforeCreate. */
export function checkNameGenerated(meta: ObjectMeta): void {
  if (meta.generateName && !meta.name) throw internalError(new Error('metadata.name was not generated'));
}

/** EnsureObjectNamespaceMatchesRequestNamespace: an empty namespace becomes the request's, another one is a 400. */
export function checkNamespace(meta: ObjectMeta, namespace: string | undefined): void {
  if (meta.namespace && meta.namespace !== namespace) {
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  if (namespace) meta.namespace = namespace;
}

/** The update handler's checkName: a body naming another object is a 400; a body without a name gets the URL's. */
export function checkNameMatchesURL(meta: ObjectMeta, name: string): void {
  if (meta.name && meta.name !== name) {
    throw badRequest(`the name of the object (${meta.name}) does not match the name on the URL (${name})`);
  }
  meta.name = name;
}
