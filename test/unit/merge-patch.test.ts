import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyMergePatch } from '../../src/machinery/patch/merge-patch.js';

// RFC 7386 Appendix A, verbatim.
const APPENDIX_A: [string, string, string][] = [
  ['{"a":"b"}', '{"a":"c"}', '{"a":"c"}'],
  ['{"a":"b"}', '{"b":"c"}', '{"a":"b","b":"c"}'],
  ['{"a":"b"}', '{"a":null}', '{}'],
  ['{"a":"b","b":"c"}', '{"a":null}', '{"b":"c"}'],
  ['{"a":["b"]}', '{"a":"c"}', '{"a":"c"}'],
  ['{"a":"c"}', '{"a":["b"]}', '{"a":["b"]}'],
  ['{"a":{"b":"c"}}', '{"a":{"b":"d","c":null}}', '{"a":{"b":"d"}}'],
  ['{"a":[{"b":"c"}]}', '{"a":[1]}', '{"a":[1]}'],
  ['["a","b"]', '["c","d"]', '["c","d"]'],
  ['{"a":"b"}', '["c"]', '["c"]'],
  ['{"a":"foo"}', 'null', 'null'],
  ['{"a":"foo"}', '"bar"', '"bar"'],
  ['{"e":null}', '{"a":1}', '{"e":null,"a":1}'],
  ['[1,2]', '{"a":"b","c":null}', '{"a":"b"}'],
  ['{}', '{"a":{"bb":{"ccc":null}}}', '{"a":{"bb":{}}}'],
];

test('applyMergePatch reproduces every RFC 7386 Appendix A example', () => {
  for (const [original, patch, result] of APPENDIX_A) {
    assert.deepEqual(applyMergePatch(JSON.parse(original), JSON.parse(patch)), JSON.parse(result), `${original} + ${patch}`);
  }
});

test('applyMergePatch keeps label keys named constructor, prototype and __proto__', () => {
  const target = JSON.parse('{"metadata":{"labels":{"old":"1"}}}');
  const patch = JSON.parse('{"metadata":{"labels":{"constructor":"x","prototype":"p","__proto__":"q","zzz":"y"}}}');
  const result = applyMergePatch(target, patch) as { metadata: { labels: Record<string, unknown> } };
  const labels = result.metadata.labels;
  assert.deepEqual(Object.keys(labels), ['old', 'constructor', 'prototype', '__proto__', 'zzz']);
  assert.equal(labels.constructor, 'x');
  assert.equal(Object.getOwnPropertyDescriptor(labels, '__proto__')?.value, 'q');
  assert.equal(Object.getPrototypeOf(labels), Object.prototype);

  const removed = applyMergePatch(result, JSON.parse('{"metadata":{"labels":{"constructor":null,"__proto__":null}}}'));
  assert.deepEqual(Object.keys((removed as typeof result).metadata.labels), ['old', 'prototype', 'zzz']);
});

test('applyMergePatch does not treat inherited properties as present', () => {
  // "toString" is inherited by every object; deleting it from a target that lacks it must be a no-op.
  assert.deepEqual(applyMergePatch({ a: 1 }, { toString: null, hasOwnProperty: 'x' }), { a: 1, hasOwnProperty: 'x' });
});

test('applyMergePatch leaves its inputs untouched and shares no structure with them', () => {
  const target = { metadata: { labels: { a: '1' }, finalizers: ['f'] }, spec: { x: { y: 1 } } };
  const patch = { metadata: { labels: { b: '2' } }, spec: { z: { w: [{ n: 1 }] } } };
  const before = structuredClone({ target, patch });
  const result = applyMergePatch(target, patch) as {
    metadata: { finalizers: string[] };
    spec: { x: object; z: { w: object[] } };
  };
  assert.deepEqual({ target, patch }, before);
  assert.deepEqual(result, {
    metadata: { labels: { a: '1', b: '2' }, finalizers: ['f'] },
    spec: { x: { y: 1 }, z: { w: [{ n: 1 }] } },
  });
  assert.notEqual(result.metadata.finalizers, target.metadata.finalizers);
  assert.notEqual(result.spec.x, target.spec.x);
  assert.notEqual(result.spec.z.w, patch.spec.z.w);
});

test('applyMergePatch keeps arrays from the patch as they are, nulls included', () => {
  assert.deepEqual(applyMergePatch({ a: [1, 2] }, { a: [null, { b: null }] }), { a: [null, { b: null }] });
  assert.deepEqual(applyMergePatch({ a: 1 }, {}), { a: 1 });
  assert.deepEqual(applyMergePatch(undefined, { a: { b: null, c: 1 } }), { a: { c: 1 } });
});
