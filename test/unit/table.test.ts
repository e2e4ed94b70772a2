// Table rendering: the two human duration formats, the per-kind cells, includeObject, and the Accept negotiation
// of conversions.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { imageConfigTable } from '../../src/apis/config/v1/image/table.js';
import { imageTable } from '../../src/apis/image/v1/image/table.js';
import type { Image } from '../../src/apis/image/v1/image/types.js';
import { imageStreamTable, printTagsUpToWidth, sortStatusTags } from '../../src/apis/image/v1/imagestream/table.js';
import type { ImageStream, NamedTagEventList } from '../../src/apis/image/v1/imagestream/types.js';
import { isStatusError, StatusError } from '../../src/machinery/errors.js';
import type { KubeObject } from '../../src/machinery/object.js';
import {
  buildTable,
  convertForOutput,
  defaultTableConvertor,
  dockerHumanDuration,
  humanAge,
  humanDuration,
  parseIncludeObject,
  timeAgo,
  type ConversionContext,
} from '../../src/machinery/table.js';
import { negotiateOutput } from '../../src/server/negotiation.js';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

test('humanDuration: k8s.io/apimachinery duration.HumanDuration', () => {
  const cases: [number, string][] = [
    [-3 * S, '<invalid>'],
    [-2 * S, '<invalid>'],
    [-1.5 * S, '0s'],
    [-0.5 * S, '0s'],
    [0, '0s'],
    [S, '1s'],
    [45 * S, '45s'],
    [70 * S, '70s'],
    [119 * S, '119s'],
    [120 * S, '2m'],
    [190 * S, '3m10s'],
    [5 * M + 12 * S, '5m12s'],
    [10 * M + 30 * S, '10m'],
    [17 * M, '17m'],
    [70 * M, '70m'],
    [179 * M, '179m'],
    [3 * H + 5 * M, '3h5m'],
    [4 * H, '4h'],
    [7 * H + 59 * M, '7h59m'],
    [8 * H + 30 * M, '8h'],
    [47 * H, '47h'],
    [49 * H, '2d1h'],
    [2 * D + 4 * H, '2d4h'],
    [3 * D, '3d'],
    [8 * D + 2 * H, '8d'],
    [367 * D, '367d'],
    [400 * D, '400d'],
    [365 * 2 * D + 25 * H, '2y1d'],
    [365 * 2 * D + 10 * D, '2y10d'],
    [365 * 3 * D, '3y'],
    [365 * 8 * D + 2 * H, '8y'],
    [365 * 20 * D, '20y'],
  ];
  for (const [ms, want] of cases) assert.equal(humanDuration(ms), want, `${ms} ms`);
});

test('dockerHumanDuration: github.com/docker/go-units HumanDuration', () => {
  const week = 7 * D;
  const month = 30 * D;
  const year = 365 * D;
  const cases: [number, string][] = [
    [-5 * S, 'Less than a second'],
    [450, 'Less than a second'],
    [S, '1 second'],
    [45 * S, '45 seconds'],
    [59 * S, '59 seconds'],
    [60 * S, 'About a minute'],
    [M + 59 * S, 'About a minute'],
    [3 * M, '3 minutes'],
    [35 * M + 40 * S, '35 minutes'],
    [59 * M, '59 minutes'],
    [H, 'About an hour'],
    [H + 29 * M, 'About an hour'],
    [H + 31 * M, '2 hours'],
    [3 * H + 29 * M, '3 hours'],
    [3 * H + 31 * M, '4 hours'],
    [24 * H, '24 hours'],
    [D + 12 * H, '36 hours'],
    [2 * D, '2 days'],
    [13 * D + 5 * H, '13 days'],
    [2 * week, '2 weeks'],
    [2 * week + 4 * D, '2 weeks'],
    [month, '4 weeks'],
    [month + 2 * week, '6 weeks'],
    [2 * month, '2 months'],
    [5 * month + 2 * week, '5 months'],
    [24 * month, '24 months'],
    [24 * month + 2 * week, '2 years'],
    [3 * year + 2 * month, '3 years'],
  ];
  for (const [ms, want] of cases) assert.equal(dockerHumanDuration(ms), want, `${ms} ms`);
});

test('humanAge and timeAgo measure from now; missing and bad timestamps', () => {
  const now = new Date('2025-06-01T12:00:00Z');
  assert.equal(humanAge('2025-06-01T11:54:48Z', now), '5m12s');
  assert.equal(humanAge(undefined, now), '<unknown>');
  assert.equal(humanAge(null, now), '<unknown>');
  assert.equal(humanAge('yesterday', now), '<unknown>');
  assert.equal(timeAgo('2025-05-30T12:00:00Z', now), '2 days ago');
  assert.equal(timeAgo('2025-06-01T11:59:59.700Z', now), 'Less than a second ago');
  // Go's zero time is centuries ago, and time.Duration saturates at about 292 years.
  assert.equal(timeAgo(undefined, now), '292 years ago');
});

// ---- per-kind cells ------------------------------------------------------------------------------------------

const NOW = new Date('2025-06-01T12:00:00Z');
const ago = (ms: number) => new Date(NOW.getTime() - ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const tag = (name: string, created?: string): NamedTagEventList => ({
  tag: name,
  items: created === undefined ? null : [{ created, dockerImageReference: `r/x:${name}`, image: `sha256:${name}`, generation: 1 }],
});

test('images: Name and Image Reference', () => {
  assert.deepEqual(imageTable.columns.map((c) => [c.name, c.type, c.format, c.priority]), [
    ['Name', 'string', 'name', 0],
    ['Image Reference', 'string', '', 0],
  ]);
  assert.equal(imageTable.columns[1].description, 'dockerImageReference is the string that can be used to pull this image.');
  const image: Image = { metadata: { name: 'sha256:abc' }, dockerImageReference: 'quay.io/a/b@sha256:abc' };
  assert.deepEqual(imageTable.cells(image, NOW), ['sha256:abc', 'quay.io/a/b@sha256:abc']);
  assert.deepEqual(imageTable.cells({ metadata: { name: 'bare' } }, NOW), ['bare', '']);
});

test('imagestreams: columns and the Image Repository precedence', () => {
  assert.deepEqual(imageStreamTable.columns.map((c) => `${c.name}/${c.type}/${c.format}/${c.priority}/${c.description}`), [
    `Name/string/name/0/${imageStreamTable.columns[0].description}`,
    'Image Repository/string//0/dockerImageRepository represents the effective location this stream may be accessed at. May be empty until the server determines where the repository is located',
    'Tags/string//0/Human readable list of tags.',
    'Updated/string//0/Last update time.',
  ]);
  const cases: [ImageStream['spec'], ImageStream['status'], string][] = [
    [{ dockerImageRepository: 'spec/repo' }, { dockerImageRepository: 'status/repo', publicDockerImageRepository: 'public/repo' }, 'public/repo'],
    [{ dockerImageRepository: 'spec/repo' }, { dockerImageRepository: 'status/repo' }, 'spec/repo'],
    [{}, { dockerImageRepository: 'status/repo', publicDockerImageRepository: '' }, 'status/repo'],
    [undefined, undefined, ''],
  ];
  for (const [spec, status, want] of cases) {
    const stream: ImageStream = { metadata: { name: 's' }, spec, status };
    assert.equal(imageStreamTable.cells(stream, NOW)[1], want, JSON.stringify({ spec, status }));
  }
});

test('imagestreams: Tags and Updated come from status tags only', () => {
  const stream: ImageStream = {
    metadata: { name: 'app' },
    spec: { tags: [{ name: 'spec-only' }] },
    status: {
      dockerImageRepository: '',
      tags: [tag('v1', ago(3 * D)), tag('latest', ago(2 * H)), tag('pending'), tag('v2', ago(2 * D))],
    },
  };
  assert.deepEqual(imageStreamTable.cells(stream, NOW), ['app', '', 'latest,v2,v1,pending', '2 hours ago']);
  const empty: ImageStream = { metadata: { name: 'empty' }, status: { dockerImageRepository: '', tags: [tag('pending')] } };
  assert.deepEqual(imageStreamTable.cells(empty, NOW), ['empty', '', 'pending', '']);
  assert.deepEqual(imageStreamTable.cells({ metadata: { name: 'new' } }, NOW), ['new', '', '', '']);
});

test('imagestreams: status tags sort newest first (to the second), then by name', () => {
  const tags = [
    tag('b', '2025-01-01T00:00:00Z'),
    tag('a', '2025-01-01T00:00:00.400Z'),
    tag('z'),
    tag('y'),
    tag('newest', '2025-02-01T00:00:00Z'),
  ];
  assert.deepEqual(sortStatusTags(tags), ['newest', 'a', 'b', 'y', 'z']);
});

test('imagestreams: printTagsUpToWidth keeps 40 characters, a 25% overflow, and at least one tag', () => {
  // Oldest last: the i-th tag is i days old.
  const named = (...names: string[]) => names.map((n, i) => tag(n, ago((i + 1) * D)));
  const nine = (i: number) => `tag-0000${i}`;
  const cases: [string, NamedTagEventList[], string][] = [
    ['all fit', named('latest', 'v2', 'v1'), 'latest,v2,v1'],
    ['exactly 40', named(nine(1), nine(2), nine(3), nine(4)), 'tag-00001,tag-00002,tag-00003,tag-00004'],
    ['cut before the 5th', named(...[1, 2, 3, 4, 5, 6].map(nine)), 'tag-00001,tag-00002,tag-00003,tag-00004 + 2 more...'],
    ['first tag alone overflows', named('x'.repeat(50), 'short'), `${'x'.repeat(50)} + 1 more...`],
    ['within the margin', named('a'.repeat(25), 'b'.repeat(20), 'c'), `${'a'.repeat(25)},${'b'.repeat(20)} + 1 more...`],
    ['beyond the margin', named('a'.repeat(25), 'b'.repeat(26)), `${'a'.repeat(25)} + 1 more...`],
    ['none', [], ''],
  ];
  for (const [name, tags, want] of cases) assert.equal(printTagsUpToWidth(tags, 40), want, name);
});

test('config images: a CRD without printer columns prints Name and Age', () => {
  assert.deepEqual(imageConfigTable.columns.map((c) => [c.name, c.type, c.format, c.priority]), [
    ['Name', 'string', 'name', 0],
    ['Age', 'date', '', 0],
  ]);
  assert.match(imageConfigTable.columns[1].description, /^CreationTimestamp is a timestamp representing the server time/);
  const cfg = (creationTimestamp?: string | null): KubeObject => ({ metadata: { name: 'cluster', creationTimestamp } });
  assert.deepEqual(imageConfigTable.cells(cfg(ago(5 * M + 12 * S)), NOW), ['cluster', '5m12s']);
  assert.deepEqual(imageConfigTable.cells(cfg(ago(400 * D)), NOW), ['cluster', '400d']);
  assert.deepEqual(imageConfigTable.cells(cfg(undefined), NOW), ['cluster', null]);
  assert.deepEqual(imageConfigTable.cells(cfg('not a time'), NOW), ['cluster', '<invalid>']);
});

test('default convertor: Name and Created At as RFC 3339', () => {
  assert.deepEqual(defaultTableConvertor.columns.map((c) => [c.name, c.type, c.format]), [
    ['Name', 'string', 'name'],
    ['Created At', 'date', ''],
  ]);
  assert.deepEqual(defaultTableConvertor.cells({ metadata: { name: 'x', creationTimestamp: '2025-01-02T03:04:05Z' } }, NOW), ['x', '2025-01-02T03:04:05Z']);
  assert.deepEqual(defaultTableConvertor.cells({ metadata: { name: 'x' } }, NOW), ['x', '0001-01-01T00:00:00Z']);
});

// ---- Table shape and conversions --------------------------------------------------------------------------------

const obj = (name: string): KubeObject => ({
  kind: 'Image',
  apiVersion: 'image.openshift.io/v1',
  metadata: { name, uid: `uid-${name}`, resourceVersion: '7', creationTimestamp: '2025-01-02T03:04:05Z', labels: { a: 'b' }, annotations: { n: 'v' } },
  dockerImageReference: `r/${name}`,
});

test('buildTable: rows per includeObject, list metadata carried over, headers only when asked', () => {
  const list = [obj('one'), obj('two')];
  const meta = { resourceVersion: '9', continue: 'tok', remainingItemCount: 3 };
  const base = { noHeaders: false, version: 'v1' as const, now: NOW };
  const withMeta = buildTable(list, meta, imageTable, { ...base, includeObject: 'Metadata' });
  assert.equal(withMeta.kind, 'Table');
  assert.equal(withMeta.apiVersion, 'meta.k8s.io/v1');
  assert.deepEqual(withMeta.metadata, meta);
  assert.deepEqual(withMeta.columnDefinitions?.map((c) => c.name), ['Name', 'Image Reference']);
  assert.deepEqual(withMeta.rows[0], {
    cells: ['one', 'r/one'],
    object: {
      kind: 'PartialObjectMetadata',
      apiVersion: 'meta.k8s.io/v1',
      metadata: { name: 'one', uid: 'uid-one', resourceVersion: '7', creationTimestamp: '2025-01-02T03:04:05Z', labels: { a: 'b' }, annotations: { n: 'v' } },
    },
  });
  assert.deepEqual(buildTable(list, meta, imageTable, { ...base, includeObject: 'Object' }).rows[1].object, list[1]);
  assert.equal(buildTable(list, meta, imageTable, { ...base, includeObject: 'None' }).rows[0].object, null);
  const beta = buildTable(list, {}, imageTable, { ...base, version: 'v1beta1', includeObject: 'Metadata', noHeaders: true });
  assert.equal(beta.apiVersion, 'meta.k8s.io/v1beta1');
  assert.equal((beta.rows[0].object as KubeObject).apiVersion, 'meta.k8s.io/v1beta1');
  assert.equal(beta.columnDefinitions, null);
  assert.deepEqual(beta.metadata, {});
  assert.deepEqual(buildTable([], { resourceVersion: '1' }, imageTable, { ...base, includeObject: 'None' }).rows, []);
  // Wide columns go out like the others (kubectl hides priority > 0 unless -o wide), with every cell filled.
  const wide = buildTable(list, {}, { columns: [...imageTable.columns, { ...imageTable.columns[1], name: 'Extra', priority: 1 }], cells: (o) => [o.metadata.name, 'r', 'x'] }, { ...base, includeObject: 'None' });
  assert.deepEqual(wide.columnDefinitions?.map((c) => [c.name, c.priority]), [['Name', 0], ['Image Reference', 0], ['Extra', 1]]);
  assert.deepEqual(wide.rows[0].cells, ['one', 'r', 'x']);
});

test('parseIncludeObject: the three values, empty, and a 400 for anything else', () => {
  assert.equal(parseIncludeObject(undefined), 'Metadata');
  assert.equal(parseIncludeObject(''), 'Metadata');
  assert.equal(parseIncludeObject('None'), 'None');
  assert.equal(parseIncludeObject('Object'), 'Object');
  assert.throws(
    () => parseIncludeObject('object'),
    (e: unknown) =>
      isStatusError(e) &&
      e.code === 400 &&
      e.reason === 'BadRequest' &&
      e.message === `Unable to convert to Table as requested: includeObject: Invalid value: "object": must be 'Metadata', 'Object', 'None', or empty`,
  );
});

test('convertForOutput: objects, lists, Status, and the 406 shapes', () => {
  const ctx: ConversionContext = { convertor: imageTable, unstructured: false, includeObject: 'Metadata', noHeaders: false, now: NOW };
  const list = { kind: 'ImageList', apiVersion: 'image.openshift.io/v1', metadata: { resourceVersion: '12' }, items: [obj('one')] };

  const single = convertForOutput(obj('one'), { kind: 'Table', version: 'v1' }, ctx) as { metadata: unknown; rows: unknown[] };
  assert.deepEqual(single.metadata, { resourceVersion: '7' });
  assert.equal(single.rows.length, 1);
  const fallback = convertForOutput(obj('one'), { kind: 'Table', version: 'v1' }, { ...ctx, convertor: undefined }) as { columnDefinitions: { name: string }[] };
  assert.deepEqual(fallback.columnDefinitions.map((c) => c.name), ['Name', 'Created At']);

  const status = new StatusError(410, 'Expired', 'too old').status;
  assert.equal(convertForOutput(status, { kind: 'Table', version: 'v1' }, ctx), status);
  assert.equal(convertForOutput(status, { kind: 'PartialObjectMetadata', version: 'v1' }, ctx), status);

  assert.deepEqual(convertForOutput(list, { kind: 'PartialObjectMetadataList', version: 'v1beta1' }, ctx), {
    kind: 'PartialObjectMetadataList',
    apiVersion: 'meta.k8s.io/v1beta1',
    metadata: { resourceVersion: '12' },
    items: [{ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1beta1', metadata: (buildTable([obj('one')], {}, imageTable, { includeObject: 'Metadata', noHeaders: true, version: 'v1beta1', now: NOW }).rows[0].object as KubeObject).metadata }],
  });
  // A bookmark-like object without a creation time: Go prints the zero time as null.
  assert.deepEqual(convertForOutput({ kind: 'Image', apiVersion: 'image.openshift.io/v1', metadata: { resourceVersion: '5' } }, { kind: 'PartialObjectMetadata', version: 'v1' }, ctx), {
    kind: 'PartialObjectMetadata',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion: '5', creationTimestamp: null },
  });

  const notAcceptable = (f: () => unknown, message: string) =>
    assert.throws(f, (e: unknown) => isStatusError(e) && e.code === 406 && e.reason === 'NotAcceptable' && e.message === message);
  notAcceptable(
    () => convertForOutput(list, { kind: 'PartialObjectMetadata', version: 'v1' }, ctx),
    'you requested PartialObjectMetadata, but the requested object is a list (*image.ImageList)',
  );
  notAcceptable(
    () => convertForOutput(obj('one'), { kind: 'PartialObjectMetadataList', version: 'v1' }, ctx),
    'you requested PartialObjectMetadataList, but the requested object is not a list (*image.Image)',
  );
  notAcceptable(
    () => convertForOutput(list, { kind: 'PartialObjectMetadata', version: 'v1' }, { ...ctx, unstructured: true }),
    'you requested PartialObjectMetadata, but the requested object is a list (*unstructured.UnstructuredList)',
  );
  notAcceptable(
    () => convertForOutput({ kind: 'SecretList', apiVersion: 'v1', metadata: {}, items: [] }, { kind: 'PartialObjectMetadata', version: 'v1' }, ctx),
    'you requested PartialObjectMetadata, but the requested object is a list (*core.SecretList)',
  );
});

test('negotiateOutput: conversions per clause, in goautoneg order', () => {
  const table = { prettyQuery: false, conversions: { table: true } };
  const kubectl = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';
  const cases: [string, typeof table | { prettyQuery: boolean; conversions?: { table: boolean } }, unknown][] = [
    [kubectl, table, { format: 'json', pretty: false, convert: { kind: 'Table', version: 'v1' } }],
    ['application/json;as=Table;v=v1beta1;g=meta.k8s.io', table, { format: 'json', pretty: false, convert: { kind: 'Table', version: 'v1beta1' } }],
    ['application/yaml;as=Table;v=v1;g=meta.k8s.io', table, { format: 'yaml', pretty: false, convert: { kind: 'Table', version: 'v1' } }],
    ['*/*;as=Table;v=v1;g=meta.k8s.io', table, { format: 'json', pretty: false, convert: { kind: 'Table', version: 'v1' } }],
    // No table convertor, no conversions at all, or a wrong group/version: the clause is skipped.
    [kubectl, { prettyQuery: false, conversions: { table: false } }, { format: 'json', pretty: false }],
    [kubectl, { prettyQuery: false }, { format: 'json', pretty: false }],
    ['application/json;as=Table;v=v2;g=meta.k8s.io,application/yaml', table, { format: 'yaml', pretty: false }],
    ['application/json;as=Table;v=v1,application/yaml', table, { format: 'yaml', pretty: false }],
    ['application/json;g=meta.k8s.io;v=v1,application/yaml', table, { format: 'yaml', pretty: false }],
    ['application/json;as=Table;v=v1;g=meta.k8s.io', { prettyQuery: false, conversions: { table: false } }, undefined],
    // The metadata client: protobuf is skipped, JSON conversion wins, even without a table convertor.
    [
      'application/vnd.kubernetes.protobuf;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json',
      { prettyQuery: false, conversions: { table: false } },
      { format: 'json', pretty: false, convert: { kind: 'PartialObjectMetadataList', version: 'v1' } },
    ],
    ['application/yaml;as=PartialObjectMetadata;g=meta.k8s.io;v=v1beta1', table, { format: 'yaml', pretty: false, convert: { kind: 'PartialObjectMetadata', version: 'v1beta1' } }],
    // q-values order the clauses; a plain clause listed first wins.
    ['application/json;as=Table;v=v1;g=meta.k8s.io;q=0.5,application/json', table, { format: 'json', pretty: false }],
    ['application/json,application/json;as=Table;v=v1;g=meta.k8s.io', table, { format: 'json', pretty: false }],
    // pretty=1 on the clause; unknown parameters are tolerated; stream=watch only where a stream form exists.
    ['application/json;as=Table;v=v1;g=meta.k8s.io;pretty=1', table, { format: 'json', pretty: true, convert: { kind: 'Table', version: 'v1' } }],
    ['application/json;charset=utf-8', table, { format: 'json', pretty: false }],
    ['application/json;stream=watch', table, { format: 'json', pretty: false }],
    ['application/yaml;stream=watch', table, undefined],
    ['text/html', table, undefined],
  ];
  for (const [accept, opts, want] of cases) assert.deepEqual(negotiateOutput(accept, opts), want, accept);
  assert.deepEqual(negotiateOutput(undefined, table), { format: 'json', pretty: false });
  assert.deepEqual(negotiateOutput('', { prettyQuery: true }), { format: 'json', pretty: true });
});
