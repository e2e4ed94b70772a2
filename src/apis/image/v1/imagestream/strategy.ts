// ImageStream as a plain stored kind: only the name rules of openshift-apiserver's ValidateImageStream
// (pkg/image/apis/image/validation/validation.go). Tag semantics come with a later strategy.
import { FieldPath, invalid, type ErrorList } from '../../../../machinery/field.js';
import type { ObjectMeta } from '../../../../machinery/object.js';
import type { Strategy } from '../../../../registry/strategy.js';
import type { ImageStream } from './types.js';

/** docker/distribution's repository path component (RepositoryNameComponentRegexp). */
export const REPOSITORY_NAME_COMPONENT = '[a-z0-9]+(?:[._-][a-z0-9]+)*';
const repositoryNameComponentAnchored = new RegExp(`^${REPOSITORY_NAME_COMPONENT}$`);

/** reference.NameTotalLengthMax: `<namespace>/<name>` must fit in a registry repository name. */
export const NAME_TOTAL_LENGTH_MAX = 255;

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
      invalid(
        FieldPath.root('metadata').child('name'),
        name,
        `'namespace/name' cannot be longer than ${NAME_TOTAL_LENGTH_MAX} characters`,
      ),
    );
  }
  return errs;
}

export const imageStreamStrategy: Strategy<ImageStream> = {
  allowCreateOnUpdate: false,
  allowUnconditionalUpdate: false,
  generation: 'spec',
  nameRule: 'path-segment',
  validate: (obj) => validateImageStreamName(obj.metadata),
  // ValidateImageStreamUpdate re-runs ValidateImageStream on the new object.
  validateUpdate: (obj) => validateImageStreamName(obj.metadata),
};
