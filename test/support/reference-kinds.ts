// What discovery must say about every kind, as upstream serves it (../shared/reference/image-api-types.md §0):
// the expectations tests hold each registered kind to. A kind the server registers but this table lacks is
// a test failure, so new kinds are checked as soon as they are served.
import { resourceDefinitions } from '../../src/apis/index.js';

export interface ReferenceKind {
  group: string;
  kind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  /** In the order discovery lists them (sorted for typed kinds, apiextensions' order for the CRD). */
  verbs: string[];
  /** Subresource name -> [kind it returns, verbs]. */
  subresources: Record<string, [string, string[]]>;
}

const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const VIEW_VERBS = ['create', 'delete', 'get', 'list', 'patch', 'update'];

const image = (kind: string, plural: string, rest: Partial<ReferenceKind>): ReferenceKind => ({
  group: 'image.openshift.io',
  kind,
  plural,
  singular: plural.replace(/s$/, ''),
  namespaced: true,
  shortNames: [],
  categories: [],
  verbs: [],
  subresources: {},
  ...rest,
});

export const REFERENCE_KINDS: ReferenceKind[] = [
  {
    group: 'config.openshift.io',
    kind: 'Image',
    plural: 'images',
    singular: 'image',
    namespaced: false,
    shortNames: [],
    categories: [],
    verbs: ['delete', 'deletecollection', 'get', 'list', 'patch', 'create', 'update', 'watch'],
    subresources: { status: ['Image', ['get', 'patch', 'update']] },
  },
  image('Image', 'images', { namespaced: false, verbs: ALL_VERBS }),
  image('ImageSignature', 'imagesignatures', { namespaced: false, verbs: ['create', 'delete'] }),
  image('ImageStream', 'imagestreams', {
    shortNames: ['is'],
    categories: ['all'],
    verbs: ALL_VERBS,
    subresources: {
      status: ['ImageStream', ['get', 'patch', 'update']],
      layers: ['ImageStreamLayers', ['get']],
      secrets: ['SecretList', ['get']],
    },
  }),
  image('ImageStreamMapping', 'imagestreammappings', { verbs: ['create'] }),
  image('ImageStreamTag', 'imagestreamtags', { shortNames: ['istag'], verbs: VIEW_VERBS }),
  image('ImageTag', 'imagetags', { shortNames: ['itag'], verbs: VIEW_VERBS }),
  image('ImageStreamImage', 'imagestreamimages', { shortNames: ['isimage'], verbs: ['get'] }),
  image('ImageStreamImport', 'imagestreamimports', { verbs: ['create'] }),
];

/** The reference entry of every kind the server registers (throws for a kind the reference does not know). */
export function servedReferenceKinds(): ReferenceKind[] {
  return resourceDefinitions.map((def) => {
    const ref = REFERENCE_KINDS.find((k) => k.group === def.group && k.kind === def.kind);
    if (!ref) throw new Error(`${def.group} ${def.kind} is served but has no reference discovery entry`);
    return ref;
  });
}

/** Whether the server registers `kind` of `group` (per-kind tests cover kinds as they get registered). */
export function isServed(group: string, kind: string): boolean {
  return resourceDefinitions.some((d) => d.group === group && d.kind === kind);
}
