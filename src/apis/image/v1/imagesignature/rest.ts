// imagesignatures: create and delete only, as edits of `Image.signatures` of the image named before the
// `@` (openshift-apiserver `pkg/image/apiserver/registry/imagesignature/rest.go`). Nothing is stored on
// its own. Upstream reads the image and updates it through a loopback client; here the Image Store's
// read-modify-write loop does both, so a concurrent image write is retried instead of surfacing as 409.
import { randomUUID } from 'node:crypto';
import {
  alreadyExists,
  badRequest,
  internalError,
  invalid,
  notFound,
  type GroupResource,
  type Status,
} from '../../../../machinery/errors.js';
import type { FieldSchema } from '../../../../machinery/managed-fields.js';
import { updateManagedFields } from '../../../../machinery/managed-fields.js';
import { prepareCreateMeta } from '../../../../machinery/meta.js';
import { timestamp, type KubeObject } from '../../../../machinery/object.js';
import type { DeleteOptions, DeleteResult, REST, WriteOptions, WriteResult } from '../../../../registry/rest.js';
import { ViewREST } from '../../../../registry/view-rest.js';
import type { RequestContext } from '../../../../registry/strategy.js';
import type { Store } from '../../../../registry/store.js';
import type { Image } from '../image/types.js';
import { splitImageSignatureName, type ImageSignature } from '../signature.js';
import { indexOfSignatureByContent, indexOfSignatureByName, withoutSignatureAt } from './image-signatures.js';
import type { ImageSignatureObject } from './strategy.js';

/** Upstream's NotFound / AlreadyExists errors spell the resource this way. */
const SIGNATURES_GR: GroupResource = { group: 'image.openshift.io', resource: 'imageSignatures' };

/**
 * The field manager of the image write: upstream updates the image through its loopback client, whose
 * user agent (`openshift-apiserver/<version> ...`) names the manager.
 */

const SUCCESS: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success' };

export class ImageSignatureREST extends ViewREST {
  /**
   * dryRun persists nothing (here and on delete): the image write runs as a dry run. Upstream's loopback image
   * update never passes the option on and stores the signature anyway.
   */
  async create(_namespace: string | undefined, body: KubeObject, opts: WriteOptions): Promise<WriteResult> {
    const signature = await this.prepare(body, opts);
    const name = signature.metadata.name!;
    const { imageName } = splitImageSignatureName(name)!;
    const embedded = withoutTypeMeta(signature);

    const result = await this.images().update(
      undefined,
      imageName,
      (current) => {
        const image = current as Image;
        const signatures = image.signatures ?? [];
        if (indexOfSignatureByName(signatures, name) >= 0 || indexOfSignatureByContent(signatures, signature.type ?? '', signature.content) >= 0) {
          throw alreadyExists(SIGNATURES_GR, name);
        }
        return { ...image, signatures: [...signatures, structuredClone(embedded)] };
      },
      this.imageWriteOptions(opts.dryRun, opts.ctx),
      { subresource: '', isPatch: true },
    );

    const stored = (result.object as Image).signatures ?? [];
    const index = indexOfSignatureByName(stored, name);
    if (index < 0) throw internalError(new Error('failed to store given signature'));
    return { object: { apiVersion: this.apiVersion, kind: this.def.kind, ...stored[index] } as KubeObject, warnings: [], created: true };
  }

  async delete(_namespace: string | undefined, name: string, _options: DeleteOptions, dryRun: boolean, ctx: RequestContext): Promise<DeleteResult> {
    const parts = splitImageSignatureName(name);
    if (!parts) throw badRequest('ImageSignatures must be accessed with <imageName>@<signatureName>');
    await this.images().update(
      undefined,
      parts.imageName,
      (current) => {
        const image = current as Image;
        const signatures = image.signatures ?? [];
        const index = indexOfSignatureByName(signatures, name);
        if (index < 0) throw notFound(SIGNATURES_GR, name);
        return { ...image, signatures: withoutSignatureAt(signatures, index) };
      },
      this.imageWriteOptions(dryRun, ctx),
      { subresource: '', isPatch: true },
    );
    return { kind: 'status', status: structuredClone(SUCCESS) };
  }

  /**
   * What the create handler and rest.BeforeCreate do before the REST code runs: decoding, managedFields
   * (computed on the object as sent), system fields, scope, then the strategy's preparation and validation.
   */
  private async prepare(body: KubeObject, opts: WriteOptions): Promise<ImageSignatureObject> {
    const signature = structuredClone(body) as ImageSignatureObject;
    signature.apiVersion = this.apiVersion;
    signature.kind = this.def.kind;
    signature.metadata ??= {};
    const { decodeError } = this.schema.validator.validate(signature);
    if (decodeError) throw badRequest(`${this.def.kind} in version "${this.def.version}" cannot be handled as a ${this.def.kind}: ${decodeError}`);

    const now = this.now();
    const managedFields = updateManagedFields({
      obj: signature as KubeObject,
      manager: opts.fieldManager ?? 'unknown',
      apiVersion: this.apiVersion,
      time: timestamp(now),
      schema: this.schema.json as FieldSchema,
    });
    if (managedFields === undefined) delete signature.metadata.managedFields;
    else signature.metadata.managedFields = managedFields;

    const meta = signature.metadata;
    prepareCreateMeta(meta, { now, uid: randomUUID() });
    // Only stored kinds generate names.
    if (meta.generateName && !meta.name) throw internalError(new Error('metadata.name was not generated'));
    // A cluster-scoped object's namespace is cleared, not refused.
    delete meta.namespace;

    const strategy = this.def.strategy;
    await strategy.prepareForCreate?.(signature as KubeObject, opts.ctx);
    // The strategy's validation includes the generic metadata rules BeforeCreate would check afterwards.
    const errs = (await strategy.validate?.(signature as KubeObject, opts.ctx)) ?? [];
    if (errs.length) throw invalid(this.def.group, this.def.kind, meta.name ?? '', errs);
    return signature;
  }

  private imageWriteOptions(dryRun: boolean, ctx: RequestContext): WriteOptions {
    return { dryRun, fieldManager: undefined, ctx: { ...ctx, dryRun } };
  }

  /** Looked up per request: the view does not hold on to another kind's storage. */
  private images(): Store {
    const store = this.registry.store('image.openshift.io', 'v1', 'images');
    if (!store) throw internalError(new Error('the images storage is not registered'));
    return store;
  }
}

/** The signature as Image.signatures holds it: conversion to the embedded v1 type drops kind/apiVersion. */
function withoutTypeMeta(signature: ImageSignatureObject): ImageSignature {
  const { apiVersion: _a, kind: _k, ...rest } = signature;
  return rest;
}
