// Tag history rules (image-api-behavior §2.0.2), pull-spec resolution (§2.0.3), tracking tags, ImageStreamImage
// ids and tag names; cases follow openshift-apiserver's internalimageutil/helpers_test.go.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  addTagEventToImageStream,
  collapseEmptyStatusTags,
  digestOrImageMatch,
  joinStreamTag,
  latestTaggedImage,
  parseStreamTagName,
  removeTag,
  resolveImageID,
  resolveLatestTaggedImage,
  resolveTagReference,
  setSpecTag,
  sortTags,
  specTag,
  splitImageStreamTag,
  statusTag,
  updateTrackingTags,
} from '../../src/apis/image/v1/imagestream/history.js';
import { defaultImportMode, defaultImportTarget, defaultTagReference } from '../../src/apis/image/v1/imagestream/defaults.js';
import { tagRefChanged } from '../../src/apis/image/v1/imagestream/tag-changes.js';
import type { ImageStream, NamedTagEventList, TagEvent, TagReference } from '../../src/apis/image/v1/imagestream/types.js';
import type { ImageConfig } from '../../src/apis/config/v1/image/types.js';

const DIGEST = 'sha256:3c87c572822935df60f0f5d3665bd376841a7fcfeb806b5f212de6a00e9a7b25';
const OTHER_DIGEST = 'sha256:3c87c572822935df60f0f5d3665bd376841a7fcfeb806b5f212de6a00e9a7b26';

const stream = (statusTags: NamedTagEventList[] = [], specTags: TagReference[] = [], repo = ''): ImageStream => ({
  metadata: { name: 'ruby', namespace: 'ns' },
  spec: { tags: specTags },
  status: { dockerImageRepository: repo, tags: statusTags },
});
const ev = (dockerImageReference: string, image: string, generation = 0): TagEvent => ({ created: null, dockerImageReference, image, generation });

describe('addTagEventToImageStream (§2.0.2)', () => {
  const cases: { name: string; items: TagEvent[] | null | undefined; next: TagEvent; changed: boolean; want: TagEvent[] }[] = [
    { name: 'no status tag: the event becomes the history', items: undefined, next: ev('ref', 'image'), changed: true, want: [ev('ref', 'image')] },
    { name: 'empty items: the event becomes the history', items: [], next: ev('ref', 'image'), changed: true, want: [ev('ref', 'image')] },
    { name: 'same reference, image and generation: nothing changes', items: [ev('ref', 'image', 2)], next: ev('ref', 'image', 2), changed: false, want: [ev('ref', 'image', 2)] },
    { name: 'only the generation differs: it is updated in place', items: [ev('ref', 'image', 1)], next: ev('ref', 'image', 3), changed: true, want: [ev('ref', 'image', 3)] },
    { name: 'same reference, different image: collapsed into the newest', items: [ev('ref', 'image', 1)], next: ev('ref', 'newimage', 2), changed: true, want: [ev('ref', 'newimage', 2)] },
    { name: 'same image, different reference: collapsed into the newest', items: [ev('ref', 'image', 1)], next: ev('newref', 'image', 2), changed: true, want: [ev('newref', 'image', 2)] },
    {
      name: 'both differ: the event goes on top, history is kept',
      items: [ev('ref', 'image'), ev('older', 'old')],
      next: ev('newref', 'newimage'),
      changed: true,
      want: [ev('newref', 'newimage'), ev('ref', 'image'), ev('older', 'old')],
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const is = stream(c.items === undefined ? [] : [{ tag: 'latest', items: c.items }]);
      assert.equal(addTagEventToImageStream(is, 'latest', c.next), c.changed);
      assert.deepEqual(statusTag(is, 'latest')?.items, c.want);
    });
  }

  test('any change clears the conditions; no change keeps them', () => {
    const condition = { type: 'ImportSuccess', status: 'False', generation: 1 };
    const is = stream([{ tag: 'latest', items: [ev('ref', 'image', 1)], conditions: [condition] }]);
    assert.equal(addTagEventToImageStream(is, 'latest', ev('ref', 'image', 1)), false);
    assert.deepEqual(statusTag(is, 'latest')?.conditions, [condition]);
    assert.equal(addTagEventToImageStream(is, 'latest', ev('ref', 'image', 2)), true);
    assert.equal(statusTag(is, 'latest')?.conditions, undefined);
  });

  test('a new status tag is inserted in name order', () => {
    const is = stream([{ tag: 'a', items: [ev('x', '')] }, { tag: 'c', items: [ev('y', '')] }]);
    addTagEventToImageStream(is, 'b', ev('z', ''));
    assert.deepEqual(is.status?.tags?.map((t) => t.tag), ['a', 'b', 'c']);
  });

  test('empty status tags are collapsed', () => {
    const is = stream([{ tag: 'a', items: [] }, { tag: 'b', items: null, conditions: [{ type: 'ImportSuccess', status: 'False', generation: 1 }] }, { tag: 'c', items: [ev('x', '')] }]);
    collapseEmptyStatusTags(is);
    assert.deepEqual(is.status?.tags?.map((t) => t.tag), ['b', 'c']);
  });
});

describe('latestTaggedImage and resolveLatestTaggedImage (§2.0.3)', () => {
  const history = [ev('latest-ref', DIGEST), ev('older', '')];
  test('a missing tag or a tag without history has no image', () => {
    assert.equal(latestTaggedImage(stream(), 'foo'), undefined);
    assert.equal(latestTaggedImage(stream([{ tag: 'latest', items: history }]), 'foo'), undefined);
    assert.equal(latestTaggedImage(stream([{ tag: 'foo', items: [] }]), 'foo'), undefined);
    assert.equal(resolveLatestTaggedImage(stream(), 'foo'), undefined);
    assert.equal(resolveTagReference(stream(), 'foo', undefined), undefined);
  });
  test('the empty tag means latest', () => {
    assert.equal(latestTaggedImage(stream([{ tag: 'latest', items: history }]), '')?.dockerImageReference, 'latest-ref');
    assert.equal(resolveLatestTaggedImage(stream([{ tag: 'latest', items: history }]), ''), 'latest-ref');
  });
  const cases: { name: string; policy?: string; repo?: string; items: TagEvent[]; want: string }[] = [
    { name: 'no spec tag: the event reference', items: history, want: 'latest-ref' },
    { name: 'Source: the event reference', policy: 'Source', repo: 'test.server/a/b', items: history, want: 'latest-ref' },
    { name: 'Local without a local repository: the event reference', policy: 'Local', items: history, want: 'latest-ref' },
    { name: 'Local without an image id: the event reference', policy: 'Local', repo: 'test.server/a/b', items: [ev('latest-ref', '')], want: 'latest-ref' },
    { name: 'Local with an unparseable repository: the event reference', policy: 'Local', repo: 'Not A Ref', items: history, want: 'latest-ref' },
    { name: 'Local: a pull-through spec on the local repository', policy: 'Local', repo: 'test.server/a/b', items: history, want: `test.server/a/b@${DIGEST}` },
    { name: 'Local drops the tag of the local repository', policy: 'Local', repo: 'test.server/a/b:tag', items: history, want: `test.server/a/b@${DIGEST}` },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const spec: TagReference[] = c.policy ? [{ name: 'latest', referencePolicy: { type: c.policy } }] : [];
      const is = stream([{ tag: 'latest', items: c.items }], spec, c.repo);
      assert.equal(resolveLatestTaggedImage(is, 'latest'), c.want);
      assert.equal(resolveTagReference(is, 'latest', c.items[0]), c.want);
    });
  }
});

describe('resolveImageID', () => {
  const NOW = '2024-01-02T03:04:05Z';
  test('a hex prefix and a whole-name prefix match', () => {
    const is = stream([{ tag: 'tag1', items: [ev(`repo@${DIGEST}`, DIGEST)] }]);
    assert.deepEqual(resolveImageID(is, DIGEST.slice(7, 20), NOW), { created: NOW, dockerImageReference: `repo@${DIGEST}`, image: DIGEST, generation: 0 });
    assert.equal(resolveImageID(is, 'sha256:3c87', NOW).image, DIGEST);
    const plain = stream([{ tag: 'tag1', items: [ev('repo:mytag', 'mytag')] }]);
    assert.equal(resolveImageID(plain, 'mytag', NOW).dockerImageReference, 'repo:mytag');
  });
  test('no match is NotFound on imagestreamimage', () => {
    const is = stream([{ tag: 'tag1', items: [ev(`repo@${DIGEST}`, DIGEST)] }]);
    assert.throws(() => resolveImageID(is, 'ffff', NOW), (err: any) => err.code === 404 && err.status.message === 'imagestreamimage.image.openshift.io "ffff" not found');
    assert.throws(() => resolveImageID(stream(), 'ffff', NOW), (err: any) => err.code === 404);
  });
  test('several images is a Conflict listing them sorted', () => {
    const is = stream([{ tag: 'b', items: [ev('r2', OTHER_DIGEST)] }, { tag: 'a', items: [ev('r1', DIGEST)] }]);
    assert.throws(
      () => resolveImageID(is, '3c87', NOW),
      (err: any) =>
        err.code === 409 &&
        err.status.message ===
          `Operation cannot be fulfilled on imagestreamimage.image.openshift.io "3c87": multiple images match the prefix "3c87": ${DIGEST}, ${OTHER_DIGEST}`,
    );
  });
  test('the same image under several tags is one match', () => {
    const is = stream([{ tag: 'a', items: [ev('r1', DIGEST)] }, { tag: 'b', items: [ev('r1', 'x'), ev('r1', DIGEST)] }]);
    assert.equal(resolveImageID(is, '3c87', NOW).image, DIGEST);
  });
  test('digestOrImageMatch', () => {
    assert.equal(digestOrImageMatch(DIGEST, '3c87'), true);
    assert.equal(digestOrImageMatch(DIGEST, 'sha256:3c'), true);
    assert.equal(digestOrImageMatch(DIGEST, 'sha512'), false);
    assert.equal(digestOrImageMatch('notadigest', 'not'), true);
  });
});

describe('updateTrackingTags', () => {
  const tracking = (name: string, fromName = '2.0', extra: Partial<TagReference['from']> = {}): TagReference => ({
    name,
    from: { kind: 'ImageStreamTag', name: fromName, ...extra },
  });
  const cases: { name: string; spec: TagReference[]; updated: string[] }[] = [
    { name: 'nil from', spec: [{ name: 'latest' }], updated: [] },
    { name: 'from kind not ImageStreamTag', spec: [{ name: 'latest', from: { kind: 'ImageStreamImage', name: '2.0' } }], updated: [] },
    { name: 'from namespace different', spec: [tracking('latest', '2.0', { namespace: 'other' })], updated: [] },
    { name: 'from namespace equal to the stream namespace', spec: [tracking('latest', '2.0', { namespace: 'ns' })], updated: ['latest'] },
    { name: 'other stream in from name', spec: [tracking('latest', 'otherstream:2.0')], updated: [] },
    { name: 'stream name in from name', spec: [tracking('latest', 'ruby:2.0')], updated: ['latest'] },
    { name: 'one tracking, one not', spec: [tracking('latest'), { name: 'other' }], updated: ['latest'] },
    { name: 'several tracking', spec: [tracking('latest1'), tracking('latest2'), tracking('x', '3.0')], updated: ['latest1', 'latest2'] },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const is = stream([{ tag: '2.0', items: [ev('ns/ruby@id', 'id')] }], c.spec);
      const next = ev('ns/ruby@newid', 'newid');
      assert.equal(updateTrackingTags(is, '2.0', next), c.updated.length);
      for (const tag of c.updated) assert.deepEqual(latestTaggedImage(is, tag), next);
    });
  }
  test('no change to an already tracked image counts nothing', () => {
    const is = stream([{ tag: '2.0', items: [ev('ns/ruby@id', 'id')] }, { tag: 'latest', items: [ev('ns/ruby@id', 'id')] }], [tracking('latest')]);
    assert.equal(updateTrackingTags(is, '2.0', ev('ns/ruby@id', 'id')), 0);
  });
});

describe('tag lists and names', () => {
  test('setSpecTag replaces or inserts in name order; specTag finds the last duplicate', () => {
    const is = stream([], [{ name: 'b' }, { name: 'd' }]);
    setSpecTag(is, { name: 'c', reference: true });
    setSpecTag(is, { name: 'b', reference: true });
    assert.deepEqual(is.spec?.tags, [{ name: 'b', reference: true }, { name: 'c', reference: true }, { name: 'd' }]);
    const dup = stream([], [{ name: 'x', reference: false }, { name: 'x', reference: true }]);
    assert.equal(specTag(dup, 'x')?.reference, true);
  });
  test('sortTags keeps the last of duplicates and sorts by byte order', () => {
    const is = stream([{ tag: 'b', items: [] }, { tag: 'B', items: [] }], [{ name: 'z', generation: 1 }, { name: 'a' }, { name: 'z', generation: 2 }]);
    sortTags(is);
    assert.deepEqual(is.spec?.tags, [{ name: 'a' }, { name: 'z', generation: 2 }]);
    assert.deepEqual(is.status?.tags?.map((t) => t.tag), ['B', 'b']);
  });
  test('removeTag drops spec and status of a tag', () => {
    const is = stream([{ tag: 'a', items: [ev('x', '')] }, { tag: 'b', items: [ev('y', '')] }], [{ name: 'a' }]);
    assert.equal(removeTag(is, 'a'), true);
    assert.equal(is.spec?.tags, undefined);
    assert.deepEqual(is.status?.tags?.map((t) => t.tag), ['b']);
    assert.equal(removeTag(is, 'missing'), false);
  });
  test('parseStreamTagName: exactly one colon, both parts, no @', () => {
    assert.deepEqual(parseStreamTagName('ruby:2.0'), { stream: 'ruby', tag: '2.0' });
    for (const bad of ['ruby', 'ruby:', ':2.0', 'a:b:c', 'ruby@sha256:abc', '']) assert.equal(parseStreamTagName(bad), undefined, bad);
  });
  test('joinStreamTag and splitImageStreamTag default the tag to latest', () => {
    assert.equal(joinStreamTag('ruby', ''), 'ruby:latest');
    assert.equal(joinStreamTag('ruby', '2.0'), 'ruby:2.0');
    assert.deepEqual(splitImageStreamTag('ruby'), { name: 'ruby', tag: 'latest', ok: false });
    assert.deepEqual(splitImageStreamTag('ruby:'), { name: 'ruby', tag: 'latest', ok: true });
    assert.deepEqual(splitImageStreamTag('ruby:2:0'), { name: 'ruby', tag: '2:0', ok: true });
  });
});

describe('defaults (§1.5, §3.6)', () => {
  const config = (spec?: string, status?: string) => ({ metadata: { name: 'cluster' }, spec: { imageStreamImportMode: spec }, status: { imageStreamImportMode: status } }) as ImageConfig;
  test('import mode: config status, then spec, else Legacy', () => {
    assert.equal(defaultImportMode(undefined), 'Legacy');
    assert.equal(defaultImportMode(config()), 'Legacy');
    assert.equal(defaultImportMode(config('PreserveOriginal')), 'PreserveOriginal');
    assert.equal(defaultImportMode(config('Legacy', 'PreserveOriginal')), 'PreserveOriginal');
    assert.equal(defaultImportMode(config('PreserveOriginal', '')), 'PreserveOriginal');
  });
  test('a tag reference gets Source and the default import mode; set values stay', () => {
    assert.deepEqual(defaultTagReference({ name: 'a' }, 'Legacy'), { name: 'a', importPolicy: { importMode: 'Legacy' }, referencePolicy: { type: 'Source' } });
    assert.deepEqual(
      defaultTagReference({ name: 'a', importPolicy: { insecure: true, importMode: 'PreserveOriginal' }, referencePolicy: { type: 'Local' } }, 'Legacy'),
      { name: 'a', importPolicy: { insecure: true, importMode: 'PreserveOriginal' }, referencePolicy: { type: 'Local' } },
    );
    assert.deepEqual(defaultTagReference({ name: 'a', importPolicy: { importMode: '' }, referencePolicy: { type: '' } }, 'PreserveOriginal').importPolicy, {
      importMode: 'PreserveOriginal',
    });
  });
  test('an image import without `to` imports into the tag of its source', () => {
    assert.deepEqual(defaultImportTarget({ kind: 'DockerImage', name: 'quay.io/a/b:v1' }, undefined), { name: 'v1' });
    assert.equal(defaultImportTarget({ kind: 'DockerImage', name: 'quay.io/a/b' }, undefined), undefined);
    assert.equal(defaultImportTarget({ kind: 'DockerImage', name: `quay.io/a/b@${DIGEST}` }, null), undefined);
    assert.deepEqual(defaultImportTarget({ kind: 'DockerImage', name: 'quay.io/a/b:v1' }, { name: 'x' }), { name: 'x' });
  });
});

describe('tagRefChanged (§2.3.4)', () => {
  const base: TagReference = { name: 't', from: { kind: 'ImageStreamTag', name: 'a:b' }, generation: 2, importPolicy: { importMode: 'Legacy' } };
  const cases: { name: string; next: TagReference; changed: boolean }[] = [
    { name: 'identical', next: base, changed: false },
    { name: 'namespace defaults to the stream namespace', next: { ...base, from: { ...base.from, namespace: 'ns' } }, changed: false },
    { name: 'another namespace', next: { ...base, from: { ...base.from, namespace: 'other' } }, changed: true },
    { name: 'another name', next: { ...base, from: { kind: 'ImageStreamTag', name: 'a:c' } }, changed: true },
    { name: 'only the kind', next: { ...base, from: { kind: 'DockerImage', name: 'a:b' } }, changed: false },
    { name: 'reference', next: { ...base, reference: true }, changed: true },
    { name: 'import mode', next: { ...base, importPolicy: { importMode: 'PreserveOriginal' } }, changed: true },
    { name: 'insecure only', next: { ...base, importPolicy: { importMode: 'Legacy', insecure: true } }, changed: false },
    { name: 'generation reset to 0', next: { ...base, generation: 0 }, changed: true },
    { name: 'generation changed to non-zero', next: { ...base, generation: 5 }, changed: false },
    { name: 'generation null', next: { ...base, generation: null }, changed: false },
    { name: 'no from', next: { name: 't' }, changed: false },
    { name: 'empty from', next: { name: 't', from: {} }, changed: false },
  ];
  for (const c of cases) test(c.name, () => assert.equal(tagRefChanged(base, c.next, 'ns'), c.changed));
});
