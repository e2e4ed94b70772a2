// imagestreamimports: create only (openshift-apiserver registry/imagestreamimport/rest.go). The request is
// decoded, defaulted and validated like a stored kind's, users who may not create images are held to the
// registry allow-list, and importImageStream does the rest. Nothing is stored under this resource; dryRun
// is not honoured (as upstream).
import { randomUUID } from 'node:crypto';
import { badRequest, invalid } from '../../../../machinery/errors.js';
import { updateManagedFields, type FieldSchema } from '../../../../machinery/managed-fields.js';
import { prepareCreateMeta } from '../../../../machinery/meta.js';
import { timestamp, type KubeObject } from '../../../../machinery/object.js';
import type { WriteOptions, WriteResult } from '../../../../registry/rest.js';
import { ViewREST } from '../../../../registry/view-rest.js';
import type { RequestContext } from '../../../../registry/strategy.js';
import { defaultImportMode } from '../imagestream/defaults.js';
import { registryHostnamesFrom } from '../registry-hostnames.js';
import { imagePolicyWhitelist } from '../registry-whitelist.js';
import { optionalClusterConfig } from './cluster-config.js';
import { defaultImageStreamImportSpec } from './defaults.js';
import { importImageStream } from './import-image-stream.js';
import type { ImageImportOptions, ImageImportRegistryOptions } from './options.js';
import type { ImageStreamImport } from './types.js';
import { validateAllowedRegistries, validateImageStreamImport } from './validation.js';
import { internalError } from '../../../../machinery/errors.js';

export class ImageStreamImportREST extends ViewREST {
  /** Layer sizes learnt from registries (upstream keeps a server-wide cache too). */
  private readonly layerSizes = new Map<string, number>();

  private options(): ImageImportOptions {
    return (this.registry.options as ImageImportRegistryOptions).imageImport ?? {};
  }

  async create(namespace: string | undefined, body: KubeObject, opts: WriteOptions): Promise<WriteResult> {
    const expected = { resourceVersion: body.metadata?.resourceVersion, uid: body.metadata?.uid };
    const isi = await this.prepare(namespace, body, opts);
    const options = this.options();
    const result = await importImageStream(this.registry, namespace ?? '', isi, {
      ctx: opts.ctx,
      fieldManager: opts.fieldManager ?? 'unknown',
      options,
      layerSizes: this.layerSizes,
      now: this.now,
      expected,
    });
    return { object: result, warnings: [], created: true };
  }

  /**
   * Decoding, managedFields, system fields, PrepareForCreate (status cleared), defaults, validation, and
   * the allow-list for users allowed neither `create images` nor `create imagestreammapping`.
   */
  private async prepare(namespace: string | undefined, body: KubeObject, opts: WriteOptions): Promise<ImageStreamImport> {
    const isi = structuredClone(body) as ImageStreamImport;
    isi.apiVersion = this.apiVersion;
    isi.kind = this.def.kind;
    isi.metadata ??= {};
    const { decodeError } = this.schema.validator.validate(isi);
    if (decodeError) throw badRequest(`${this.def.kind} in version "${this.def.version}" cannot be handled as a ${this.def.kind}: ${decodeError}`);

    const now = this.now();
    const managedFields = updateManagedFields({
      obj: isi as KubeObject,
      manager: opts.fieldManager ?? 'unknown',
      apiVersion: this.apiVersion,
      time: timestamp(now),
      schema: this.schema.json as FieldSchema,
    });
    if (managedFields === undefined) delete isi.metadata.managedFields;
    else isi.metadata.managedFields = managedFields;
    prepareCreateMeta(isi.metadata, { now, uid: randomUUID() });
    if (namespace) isi.metadata.namespace = namespace;

    const config = await optionalClusterConfig(this.registry);
    isi.spec = defaultImageStreamImportSpec(isi.spec, defaultImportMode(config));
    isi.status = {};
    const errs = validateImageStreamImport(isi);
    if (errs.length) throw invalid(this.def.group, this.def.kind, isi.metadata.name ?? '', errs);

    if (!(await this.mayCreateImages(opts.ctx))) {
      const flags = this.registry.options.imagePolicy ?? {};
      const hostnames = registryHostnamesFrom({ internal: flags.internalRegistryHostname ?? '', external: flags.externalRegistryHostname ?? '' }, config);
      let whitelist;
      try {
        whitelist = imagePolicyWhitelist(config?.spec?.allowedRegistriesForImport, hostnames.internal);
      } catch (err) {
        throw internalError(err);
      }
      const denied = validateAllowedRegistries(isi, whitelist);
      if (denied.length) throw invalid(this.def.group, this.def.kind, isi.metadata.name ?? '', denied);
    }
    return isi;
  }

  /** The two SubjectAccessReviews: `create images` or `create imagestreammapping` (cluster-wide). */
  private async mayCreateImages(ctx: RequestContext): Promise<boolean> {
    const authorizer = this.options().authorizer;
    if (!authorizer) return true;
    const images = await authorizer.allowed({ user: ctx.user, groups: ctx.groups, resource: 'images' });
    const mappings = await authorizer.allowed({ user: ctx.user, groups: ctx.groups, resource: 'imagestreammapping' });
    return images || mappings;
  }
}
