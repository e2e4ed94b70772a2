// The field rules of ImageStreams and tag references (openshift-apiserver
// pkg/image/apis/image/validation/validation.go: ValidateImageStreamWithWhitelister,
// ValidateImageStreamUpdateWithWhitelister, ValidateImageStreamStatusUpdateWithWhitelister,
// ValidateImageStreamTagReference, ValidateImportPolicy). The generic ObjectMeta rules are the Store's.
import { FieldPath, forbidden, invalid, required, type ErrorList } from '../../../../machinery/field.js';
import type { ObjectMeta } from '../../../../machinery/object.js';
import { tryParseImageReference, type DockerImageReference } from '../reference.js';
import { admitReference, transportFor, withRepositories, type RegistryWhitelist } from '../registry-whitelist.js';
import { specTag } from './history.js';
import {
  INSECURE_REPOSITORY_ANNOTATION,
  LOCAL_TAG_REFERENCE_POLICY,
  SOURCE_TAG_REFERENCE_POLICY,
  type ImageStream,
  type TagImportPolicy,
  type TagReference,
} from './types.js';

/** docker/distribution's repository path component (RepositoryNameComponentRegexp). */
export const REPOSITORY_NAME_COMPONENT = '[a-z0-9]+(?:[._-][a-z0-9]+)*';
const repositoryNameComponentAnchored = new RegExp(`^${REPOSITORY_NAME_COMPONENT}$`);

/** reference.NameTotalLengthMax: `<namespace>/<name>` must fit in a registry repository name. */
export const NAME_TOTAL_LENGTH_MAX = 255;

const EMPTY_REFERENCE: DockerImageReference = { registry: '', namespace: '', name: '', tag: '', id: '' };

/**
 * Whether apimachinery's path-segment check (ValidatePathSegmentName) accepts the value. The Store
 * reports its failures; upstream's name function stops there, so the pattern is only checked after it.
 */
function isPathSegment(value: string, prefix: boolean): boolean {
  if (!prefix && (value === '.' || value === '..')) return false;
  return !value.includes('/') && !value.includes('%');
}

/** The part of ValidateImageStreamName that goes beyond the path-segment rule. */
function repositoryComponentErrors(path: string, value: string, prefix: boolean): ErrorList {
  if (!isPathSegment(value, prefix) || repositoryNameComponentAnchored.test(value)) return [];
  return [invalid(FieldPath.root('metadata').child(path), value, `must match "${REPOSITORY_NAME_COMPONENT}"`)];
}

/**
 * ImageStream name rules on top of the ObjectMeta rules the Store applies. As upstream's
 * ValidateObjectMeta runs the name function on generateName too (as a prefix), a generateName
 * such as `web-` is refused: the pattern may not end in a separator.
 */
export function validateImageStreamName(meta: ObjectMeta): ErrorList {
  const errs: ErrorList = [];
  const name = meta.name ?? '';
  if (meta.generateName) errs.push(...repositoryComponentErrors('generateName', meta.generateName, true));
  if (name) errs.push(...repositoryComponentErrors('name', name, false));
  // Go's len() counts bytes.
  if (Buffer.byteLength(`${meta.namespace ?? ''}/${name}`, 'utf8') > NAME_TOTAL_LENGTH_MAX) {
    errs.push(
      invalid(FieldPath.root('metadata').child('name'), name, `'namespace/name' cannot be longer than ${NAME_TOTAL_LENGTH_MAX} characters`),
    );
  }
  return errs;
}

/** The `openshift.io/image.insecureRepository: "true"` annotation. */
export function isRepositoryInsecure(meta: ObjectMeta): boolean {
  return meta.annotations?.[INSECURE_REPOSITORY_ANNOTATION] === 'true';
}

/** ValidateImageStreamWithWhitelister without the generic ObjectMeta rules. */
export function validateImageStream(stream: ImageStream, whitelist: RegistryWhitelist): ErrorList {
  const errs = validateImageStreamName(stream.metadata);
  const insecureRepository = isRepositoryInsecure(stream.metadata);

  const repository = stream.spec?.dockerImageRepository ?? '';
  if (repository) {
    const path = FieldPath.root('spec').child('dockerImageRepository');
    const parsed = tryParseImageReference(repository);
    let valid = true;
    if (!parsed.ref) {
      errs.push(invalid(path, repository, parsed.error));
      valid = false;
    } else {
      if (parsed.ref.tag) {
        errs.push(invalid(path, repository, 'the repository name may not contain a tag'));
        valid = false;
      }
      if (parsed.ref.id) {
        errs.push(invalid(path, repository, 'the repository name may not contain an ID'));
        valid = false;
      }
    }
    if (valid && parsed.ref) {
      const denied = admitReference(whitelist, parsed.ref, transportFor(insecureRepository));
      if (denied) errs.push(forbidden(path, denied));
    }
  }

  for (const ref of stream.spec?.tags ?? []) {
    errs.push(...validateTagReference(ref, FieldPath.root('spec').child('tags').key(ref.name ?? ''), whitelist, insecureRepository));
  }

  for (const list of stream.status?.tags ?? []) {
    const tag = list.tag ?? '';
    (list.items ?? []).forEach((item, i) => {
      const path = FieldPath.root('status').child('tags').key(tag).child('items').index(i).child('dockerImageReference');
      const pullSpec = item.dockerImageReference ?? '';
      if (!pullSpec) {
        errs.push(required(path, ''));
        return;
      }
      const parsed = tryParseImageReference(pullSpec);
      if (!parsed.ref) {
        errs.push(invalid(path, pullSpec, parsed.error));
        return;
      }
      const insecure = insecureRepository || !!specTag(stream, tag)?.importPolicy?.insecure;
      const denied = admitReference(whitelist, parsed.ref, transportFor(insecure));
      if (denied) errs.push(forbidden(path, denied));
    });
  }
  return errs;
}

/**
 * ValidateImageStreamTagReference: a spec tag (or ImageStreamTag.tag, ImageTag.spec) at `path`. An empty
 * DockerImage name is only Required, yet still checked against the allow-list as an empty reference.
 */
export function validateTagReference(ref: TagReference, path: FieldPath, whitelist: RegistryWhitelist | undefined, insecureRepository: boolean): ErrorList {
  const errs: ErrorList = [];
  const from = ref.from;
  if (from) {
    const name = from.name ?? '';
    if (!name) errs.push(required(path.child('from', 'name'), ''));
    switch (from.kind) {
      case 'DockerImage': {
        const parsed = tryParseImageReference(name);
        if (!parsed.ref && name) {
          errs.push(invalid(path.child('from', 'name'), name, parsed.error));
        } else if (whitelist) {
          const denied = admitReference(whitelist, parsed.ref ?? EMPTY_REFERENCE, transportFor(!!ref.importPolicy?.insecure || insecureRepository));
          if (denied) errs.push(forbidden(path.child('from', 'name'), denied));
        }
        break;
      }
      case 'ImageStreamImage':
      case 'ImageStreamTag':
        if (ref.importPolicy?.scheduled) {
          errs.push(
            invalid(path.child('importPolicy', 'scheduled'), true, 'only tags pointing to Docker repositories may be scheduled for background import'),
          );
        }
        break;
      default:
        errs.push(required(path.child('from', 'kind'), "valid values are 'DockerImage', 'ImageStreamImage', 'ImageStreamTag'"));
    }
  }
  const type = ref.referencePolicy?.type ?? '';
  if (type !== SOURCE_TAG_REFERENCE_POLICY && type !== LOCAL_TAG_REFERENCE_POLICY) {
    errs.push(invalid(path.child('referencePolicy', 'type'), type, `valid values are "${SOURCE_TAG_REFERENCE_POLICY}", "${LOCAL_TAG_REFERENCE_POLICY}"`));
  }
  errs.push(...validateImportPolicy(ref.importPolicy, path.child('importPolicy')));
  return errs;
}

/** ValidateImportPolicy. */
export function validateImportPolicy(policy: TagImportPolicy | undefined, path: FieldPath): ErrorList {
  const mode = policy?.importMode ?? '';
  if (mode && mode !== 'Legacy' && mode !== 'PreserveOriginal') {
    return [invalid(path.child('importMode'), mode, "invalid import mode, valid modes are '', 'Legacy', 'PreserveOriginal'")];
  }
  return [];
}

/**
 * ValidateImageStreamUpdateWithWhitelister: the new stream's rules, with every repository the old stream
 * referenced (spec and status) allowed again, so a changed allow-list does not lock existing streams.
 */
export function validateImageStreamUpdate(stream: ImageStream, old: ImageStream, whitelist: RegistryWhitelist): ErrorList {
  const grandfathered = withRepositories(withRepositories(whitelist, specReferences(old)), statusReferences(old).keys());
  return validateImageStream(stream, grandfathered);
}

/**
 * ValidateImageStreamStatusUpdateWithWhitelister: only references new to the status are checked; each
 * problem is reported at every place the reference appears.
 */
export function validateImageStreamStatusUpdate(stream: ImageStream, old: ImageStream, whitelist: RegistryWhitelist): ErrorList {
  const errs: ErrorList = [];
  const insecureRepository = isRepositoryInsecure(stream.metadata);
  const oldRefs = statusReferences(old);
  for (const [pullSpec, places] of statusReferences(stream)) {
    if (oldRefs.has(pullSpec)) continue;
    const parsed = tryParseImageReference(pullSpec);
    if (!parsed.ref) {
      for (const place of places) errs.push(invalid(place.path, pullSpec, parsed.error));
      continue;
    }
    const insecure = insecureRepository || places.some((p) => p.insecure);
    const denied = admitReference(whitelist, parsed.ref, transportFor(insecure));
    if (denied) for (const place of places) errs.push(forbidden(place.path, denied));
  }
  return errs;
}

/** spec.dockerImageRepository and DockerImage spec tag sources (collectImageStreamSpecImageReferences). */
function specReferences(stream: ImageStream): Set<string> {
  const refs = new Set<string>();
  if (stream.spec?.dockerImageRepository) refs.add(stream.spec.dockerImageRepository);
  for (const ref of stream.spec?.tags ?? []) {
    if (ref.from?.kind === 'DockerImage') refs.add(ref.from.name ?? '');
  }
  return refs;
}

/** Every status reference with where it appears (collectImageStreamStatusImageReferences). */
function statusReferences(stream: ImageStream): Map<string, { path: FieldPath; insecure: boolean }[]> {
  const refs = new Map<string, { path: FieldPath; insecure: boolean }[]>();
  const insecureRepository = isRepositoryInsecure(stream.metadata);
  for (const list of stream.status?.tags ?? []) {
    const tag = list.tag ?? '';
    const insecure = insecureRepository || !!specTag(stream, tag)?.importPolicy?.insecure;
    (list.items ?? []).forEach((item, i) => {
      const pullSpec = item.dockerImageReference ?? '';
      const places = refs.get(pullSpec) ?? [];
      places.push({ path: FieldPath.root('status').child('tags').key(tag).child('items').index(i).child('dockerImageReference'), insecure });
      refs.set(pullSpec, places);
    });
  }
  return refs;
}
