import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseGoDuration, parseGoDurationNanos } from '../../src/machinery/duration.js';

test('parseGoDuration: valid durations (Go time_test.go parseDurationTests)', () => {
  const cases: [string, number][] = [
    ['0', 0],
    ['+0', 0],
    ['-0', 0],
    ['5s', 5000],
    ['30s', 30000],
    ['32s', 32000],
    ['1478s', 1478000],
    ['-5s', -5000],
    ['+5s', 5000],
    ['-0s', 0],
    ['+0s', 0],
    ['5.0s', 5000],
    ['5.6s', 5600],
    ['5.s', 5000],
    ['.5s', 500],
    ['1.0s', 1000],
    ['1.00s', 1000],
    ['1.004s', 1004],
    ['1.0040s', 1004],
    ['100.00100s', 100001],
    ['10ns', 0.00001],
    ['11us', 0.011],
    ['12µs', 0.012],
    ['12μs', 0.012],
    ['13ms', 13],
    ['14s', 14000],
    ['15m', 900000],
    ['16h', 57600000],
    ['3h30m', 12600000],
    ['10.5s4m', 250500],
    ['-2m3.4s', -123400],
    ['1h2m3s4ms5us6ns', 3723004.005006],
    ['39h9m14.425s', 140954425],
    ['1m0s', 60000],
    ['1.5h', 5400000],
    ['300ms', 300],
    ['2h45m', 9900000],
    ['1us', 0.001],
    ['1µs', 0.001],
    ['-1s', -1000],
    ['52763797000ns', 52763.797],
  ];
  for (const [text, ms] of cases) assert.equal(parseGoDuration(text), ms, text);
});

test('parseGoDurationNanos: exact int64 nanoseconds at the edges', () => {
  const cases: [string, bigint][] = [
    ['9223372036854775807ns', 9223372036854775807n],
    ['-9223372036854775808ns', -9223372036854775808n],
    ['9223372036s854ms775us807ns', 9223372036854775807n],
    ['0.3333333333333333333h', 1200000000000n],
    ['0.100000000000000000000h', 360000000000n],
    ['0.9223372036854775807h', 3320413933267n],
    ['1.0000000000000000000001s', 1000000000n],
    ['.000000001s', 1n],
    ['.0000000001s', 0n],
  ];
  for (const [text, ns] of cases) assert.equal(parseGoDurationNanos(text), ns, text);
});

test('parseGoDuration: errors carry Go messages', () => {
  const cases: [string, string][] = [
    ['', 'time: invalid duration ""'],
    ['3', 'time: missing unit in duration "3"'],
    ['1', 'time: missing unit in duration "1"'],
    ['00', 'time: missing unit in duration "00"'],
    ['-', 'time: invalid duration "-"'],
    ['s', 'time: invalid duration "s"'],
    ['.', 'time: invalid duration "."'],
    ['-.', 'time: invalid duration "-."'],
    ['.s', 'time: invalid duration ".s"'],
    ['+.s', 'time: invalid duration "+.s"'],
    ['abc', 'time: invalid duration "abc"'],
    ['1x', 'time: unknown unit "x" in duration "1x"'],
    ['1d', 'time: unknown unit "d" in duration "1d"'],
    ['1s2d', 'time: unknown unit "d" in duration "1s2d"'],
    ['1µx', 'time: unknown unit "\\xc2\\xb5x" in duration "1\\xc2\\xb5x"'],
    ['1"s', 'time: unknown unit "\\"s" in duration "1\\"s"'],
    ['9223372036854775808ns', 'time: invalid duration "9223372036854775808ns"'],
    ['9223372036854775.808us', 'time: invalid duration "9223372036854775.808us"'],
    ['9223372036854ms775us808ns', 'time: invalid duration "9223372036854ms775us808ns"'],
    ['-9223372036854775809ns', 'time: invalid duration "-9223372036854775809ns"'],
    ['3000000h', 'time: invalid duration "3000000h"'],
  ];
  for (const [text, message] of cases) {
    assert.throws(() => parseGoDuration(text), { message }, text);
  }
});
