// core/v1 ObjectReference as image.openshift.io uses it (`from` of spec tags and imports).
// Descriptions are k8s.io/api core/v1 wording, as the served OpenAPI shows them.
import { Type, type Static } from '@sinclair/typebox';
import { OPENAPI_DEFINITION } from '../../meta/v1/object-meta.js';

const str = (description: string) => Type.Optional(Type.String({ description }));

export const ObjectReferenceSchema = Type.Object(
  {
    apiVersion: str('API version of the referent.'),
    fieldPath: str(
      'If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2]. For example, if the object reference is to a container within a pod, this would take on a value like: "spec.containers{name}" (where "name" refers to the name of the container that triggered the event) or if no container name is specified "spec.containers[2]" (container with index 2 in this pod). This syntax is chosen only to have some well-defined way of referencing a part of an object.',
    ),
    kind: str('Kind of the referent. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds'),
    name: str('Name of the referent. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#names'),
    namespace: str('Namespace of the referent. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/'),
    resourceVersion: str(
      'Specific resourceVersion to which this reference is made, if any. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#concurrency-control-and-consistency',
    ),
    uid: str('UID of the referent. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#uids'),
  },
  {
    additionalProperties: false,
    description: 'ObjectReference contains enough information to let you inspect or modify the referred object.',
    // core/v1 marks it +structType=atomic: server-side apply replaces the reference as a whole.
    'x-kubernetes-map-type': 'atomic',
    [OPENAPI_DEFINITION]: 'io.k8s.api.core.v1.ObjectReference',
  },
);

export type ObjectReference = Static<typeof ObjectReferenceSchema>;
