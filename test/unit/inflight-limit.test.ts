import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InflightCounter, isMutatingVerb } from '../../src/server/inflight-limit.js';

test('a counter admits up to its limit and frees seats on leave', () => {
  const c = new InflightCounter(2);
  assert.equal(c.tryEnter(), true);
  assert.equal(c.tryEnter(), true);
  assert.equal(c.tryEnter(), false);
  assert.equal(c.inFlight(), 2);
  c.leave();
  assert.equal(c.tryEnter(), true);
  assert.equal(c.tryEnter(), false);
});

test('limit 0 admits everything and still counts', () => {
  const c = new InflightCounter(0);
  for (let i = 0; i < 1000; i++) assert.equal(c.tryEnter(), true);
  assert.equal(c.inFlight(), 1000);
});

test('the watermark is the peak of the last second, then the current count', () => {
  let now = 0;
  const c = new InflightCounter(10, () => now);
  c.tryEnter();
  c.tryEnter();
  c.tryEnter();
  c.leave();
  c.leave();
  assert.equal(c.inFlight(), 1);
  assert.equal(c.watermark(), 3);
  now = 999;
  assert.equal(c.watermark(), 3);
  now = 1000;
  assert.equal(c.watermark(), 1);
  c.tryEnter();
  assert.equal(c.watermark(), 2);
});

test('get, list and watch are read-only; everything else, empty and non-resource verbs included, is mutating', () => {
  assert.deepEqual(
    ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection', 'post', 'head', ''].map(isMutatingVerb),
    [false, false, false, true, true, true, true, true, true, true, true],
  );
});
