// ValidateImageStreamImport (openshift-apiserver pkg/image/apis/image/validation/validation.go) and the
// allow-list check applied to users who may not create images (the ImageStreamImport strategy's
// ValidateAllowedRegistries).
import { FieldPath, forbidden, invalid, required, type ErrorList } from '../../../../machinery/field.js';
import { validateObjectMeta } from '../../../../machinery/meta.js';
import { validateImportPolicy } from '../imagestream/validation.js';
import { validateImageStreamName } from '../imagestream/strategy.js';
import { registryHostPort, tryParseImageReference, type DockerImageReference } from '../reference.js';
import { admitHostname, type RegistryWhitelist } from '../registry-whitelist.js';
import type { ImageStreamImport } from './types.js';

export function validateImageStreamImport(isi: ImageStreamImport): ErrorList {
  const errs: ErrorList = [];
  const imagesPath = FieldPath.root('spec').child('images');
  const repoPath = FieldPath.root('spec').child('repository');

  (isi.spec?.images ?? []).forEach((spec, i) => {
    const path = imagesPath.index(i);
    const from = spec.from ?? {};
    if (from.kind !== 'DockerImage') {
      errs.push(invalid(path.child('from', 'kind'), from.kind ?? '', 'only DockerImage is supported'));
    } else {
      if (spec.to && !spec.to.name) errs.push(invalid(path.child('to', 'name'), spec.to.name ?? '', 'the name of the target tag must be specified'));
      const name = from.name ?? '';
      if (!name) errs.push(required(path.child('from', 'name'), ''));
      else if (name !== '*') {
        // The literal `*` is a legacy way old clients looked streams up.
        const parsed = tryParseImageReference(name);
        if (!parsed.ref) errs.push(invalid(path.child('from', 'name'), name, parsed.error));
      }
    }
    errs.push(...validateImportPolicy(spec.importPolicy, path.child('importPolicy')));
  });

  const repository = isi.spec?.repository;
  if (repository) {
    const from = repository.from ?? {};
    if (from.kind !== 'DockerImage') {
      errs.push(invalid(repoPath.child('from', 'kind'), from.kind ?? '', 'only DockerImage is supported'));
    } else {
      const name = from.name ?? '';
      if (!name) errs.push(required(repoPath.child('from', 'name'), 'container image references require a name'));
      else {
        const parsed = tryParseImageReference(name);
        if (!parsed.ref) errs.push(invalid(repoPath.child('from', 'name'), name, parsed.error));
        else if (parsed.ref.id || parsed.ref.tag) errs.push(invalid(repoPath.child('from', 'name'), name, 'you must specify an image repository, not a tag or ID'));
      }
    }
    errs.push(...validateImportPolicy(repository.importPolicy, repoPath.child('importPolicy')));
  }
  if (!isi.spec?.images?.length && !repository) {
    errs.push(invalid(imagesPath, null, 'you must specify at least one image or a repository import'));
  }

  errs.push(...validateObjectMeta(isi.metadata, { namespaced: true, nameRule: 'path-segment' }));
  errs.push(...validateImageStreamName(isi.metadata));
  return errs;
}

/**
 * ValidateAllowedRegistries: each DockerImage source's registry (`host:port`, Docker Hub as its API host,
 * port 443, or 80 when insecure without one) checked against the allow-list over TLS.
 */
export function validateAllowedRegistries(isi: ImageStreamImport, whitelist: RegistryWhitelist): ErrorList {
  const errs: ErrorList = [];
  const check = (path: FieldPath, name: string, insecure: boolean) => {
    const parsed = tryParseImageReference(name);
    const ref: DockerImageReference = parsed.ref ?? { registry: '', namespace: '', name: '', tag: '', id: '' };
    const { host, port } = registryHostPort(ref, insecure);
    const hostname = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
    const denied = admitHostname(whitelist, hostname, 'secure');
    if (denied) errs.push(forbidden(path.child('from', 'name'), `importing images from registry ${JSON.stringify(hostname)} is forbidden: ${denied}`));
  };
  const repository = isi.spec?.repository;
  if (repository && repository.from?.kind === 'DockerImage') {
    check(FieldPath.root('spec').child('repository'), repository.from.name ?? '', !!repository.importPolicy?.insecure);
  }
  (isi.spec?.images ?? []).forEach((image, i) => {
    check(FieldPath.root('spec').child('images').index(i), image.from?.name ?? '', !!image.importPolicy?.insecure);
  });
  return errs;
}
