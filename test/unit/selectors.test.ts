import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isStatusError } from '../../src/machinery/errors.js';
import {
  checkFieldSelectorFields,
  goQuote,
  parseFieldSelector,
  parseLabelSelector,
} from '../../src/machinery/selectors.js';

/** Asserts that fn throws a 400 BadRequest with exactly this message. */
function assertBadRequest(fn: () => unknown, message: string) {
  assert.throws(fn, (e: unknown) => {
    assert.ok(isStatusError(e), `expected a StatusError, got ${String(e)}`);
    assert.equal(e.code, 400);
    assert.equal(e.reason, 'BadRequest');
    assert.equal(e.message, message);
    return true;
  });
}

const LABEL_VALUE_RULE =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const NAME_RULE =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const SUBDOMAIN_RULE =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

test('label selector: upstream TestSelectorParse good strings re-stringify without spaces', () => {
  for (const s of ['x=a,y=b,z=c', '', 'x!=a,y=b', 'x=', 'x= ', 'x=,z= ', 'x= ,z= ', '!x', 'x>1', 'x>1,z<5']) {
    assert.equal(parseLabelSelector(s).toString(), s.replaceAll(' ', ''), s);
  }
});

test('label selector: canonical form sorts requirements and set values', () => {
  const cases: [string, string][] = [
    ['x=a,a=x', 'a=x,x=a'],
    ['a=x,x=a', 'a=x,x=a'],
    ['x notin (abc,def),bar,z in (),w', 'bar,w,x notin (abc,def),z in ()'],
    ['x in (def, abc, abc)', 'x in (abc,def)'],
    ['x in (abc,)', 'x in (,abc)'],
    ['x in (,,a)', 'x in (,a)'],
    ['foo  in\t (abc)', 'foo in (abc)'],
    ['x notin\n (abc)', 'x notin (abc)'],
    ['\rx', 'x'],
    ['in in (in),notin==notin', 'in in (in),notin==notin'],
    ['this-is-a-dns.domain.com/key-with-dash', 'this-is-a-dns.domain.com/key-with-dash'],
    ['0.1.2.domain/99 notin (10.10.100.1, tick.tack.clock)', '0.1.2.domain/99 notin (10.10.100.1,tick.tack.clock)'],
  ];
  for (const [input, want] of cases) assert.equal(parseLabelSelector(input).toString(), want, input);
});

test('label selector: empty', () => {
  assert.equal(parseLabelSelector('').empty, true);
  assert.equal(parseLabelSelector('  ').empty, true);
  assert.equal(parseLabelSelector('x').empty, false);
});

test('label selector: matching (upstream TestSelectorMatches and requirement matching)', () => {
  const cases: [string, Record<string, string> | undefined, boolean][] = [
    ['', { x: 'y' }, true],
    ['', undefined, true],
    ['x=y', { x: 'y' }, true],
    ['x==y', { x: 'y' }, true],
    ['x=y,z=w', { x: 'y', z: 'w' }, true],
    ['x!=y,z!=w', { x: 'z', z: 'a' }, true],
    ['notin=in', { notin: 'in' }, true],
    ['x', { x: 'z' }, true],
    ['x', { x: '' }, true],
    ['!x', { y: 'z' }, true],
    ['x>1', { x: '2' }, true],
    ['x<1', { x: '0' }, true],
    ['x=z', {}, false],
    ['x=z', undefined, false],
    ['x=y', { x: 'z' }, false],
    ['x=y,z=w', { x: 'w', z: 'w' }, false],
    ['x!=y,z!=w', { x: 'z', z: 'w' }, false],
    ['x', { y: 'z' }, false],
    ['!x', { x: 'z' }, false],
    ['x>1', { x: '0' }, false],
    ['x<1', { x: '2' }, false],
    ['x>1', {}, false],
    ['z>1', { z: 'v2' }, false],
    ['x!=y', {}, true],
    ['x=', { x: '' }, true],
    ['x=', {}, false],
    ['x in (foo),y notin (alpha)', { x: 'foo', y: 'baz' }, true],
    ['x in (foo),y in (alpha)', { x: 'foo', y: 'baz' }, false],
    ['x notin (),y', { y: '' }, true],
    ['!x,y', { y: '' }, true],
    ['x notin (),!y', { y: '' }, false],
    ['x in ()', { y: 'baz' }, false],
    ['x in ()', { x: '' }, true],
    ['x notin (a,b)', { x: 'c' }, true],
    ['x notin (a,b)', { x: 'b' }, false],
    ['foo=bar,foobar=bar,baz=blah', { foo: 'bar', baz: 'blah' }, false],
    // An inherited property is not a label.
    ['constructor', {}, false],
    ['!constructor', {}, true],
  ];
  for (const [sel, labels, want] of cases) {
    assert.equal(parseLabelSelector(sel).matches(labels), want, `${sel} vs ${JSON.stringify(labels)}`);
  }
});

test('label selector: requiresExactMatch', () => {
  const sel = parseLabelSelector('a=1,b==2,c in (3),d in (4,5),e!=6,f');
  assert.equal(sel.requiresExactMatch('a'), '1');
  assert.equal(sel.requiresExactMatch('b'), '2');
  assert.equal(sel.requiresExactMatch('c'), '3');
  assert.equal(sel.requiresExactMatch('d'), undefined);
  assert.equal(sel.requiresExactMatch('e'), undefined);
  assert.equal(sel.requiresExactMatch('f'), undefined);
  assert.equal(sel.requiresExactMatch('zzz'), undefined);
});

test('label selector: parser errors carry upstream text and are 400 BadRequest', () => {
  const cases: [string, string][] = [
    ['a b', "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt"],
    [',x', "found ',', expected: !, identifier, or 'end of string'"],
    ['=x', "found '=', expected: !, identifier, or 'end of string'"],
    ['x,', "found '', expected: identifier after ','"],
    ['x=a,,y=b', "found ',', expected: identifier after ','"],
    ['x==a==b', "found '==', expected: ',' or 'end of string'"],
    ['!x=a', "found '=', expected: ',' or 'end of string'"],
    ['x=(', "unable to parse requirement: found '(', expected: identifier"],
    ['!', "unable to parse requirement: found '', expected: identifier"],
    ['! =', "unable to parse requirement: found '=', expected: identifier"],
    ['x in (', "unable to parse requirement: found '', expected: ',', ')' or identifier"],
    ['x in a', "unable to parse requirement: found 'a' expected: '('"],
    ['x in (a b)', "unable to parse requirement: found 'b', expected: ',' or ')'"],
    ['x in (a,=)', "unable to parse requirement: found '=', expected: ',', or identifier"],
    ['x in (=)', "unable to parse requirement: found '=', expected: ',', ')' or identifier"],
    ['x<a', "unable to parse requirement: values[0]: Invalid value: \"a\": for 'Gt', 'Lt' operators, the value must be an integer"],
    ['x>1.5', "unable to parse requirement: values[0]: Invalid value: \"1.5\": for 'Gt', 'Lt' operators, the value must be an integer"],
    ['app=-x', `unable to parse requirement: values[0][app]: Invalid value: "-x": ${LABEL_VALUE_RULE}`],
    ['x>-1', `unable to parse requirement: values[0][x]: Invalid value: "-1": ${LABEL_VALUE_RULE}`],
    // Values are sorted before validation, so the index refers to the sorted set.
    ['x in (b,-a)', `unable to parse requirement: values[0][x]: Invalid value: "-a": ${LABEL_VALUE_RULE}`],
    [
      'x in (-b,-a)',
      `unable to parse requirement: [values[0][x]: Invalid value: "-a": ${LABEL_VALUE_RULE}, values[1][x]: Invalid value: "-b": ${LABEL_VALUE_RULE}]`,
    ],
    [
      'x<-a',
      `unable to parse requirement: [values[0]: Invalid value: "-a": for 'Gt', 'Lt' operators, the value must be an integer, values[0][x]: Invalid value: "-a": ${LABEL_VALUE_RULE}]`,
    ],
    [`x=${'a'.repeat(64)}`, `unable to parse requirement: values[0][x]: Invalid value: "${'a'.repeat(64)}": must be no more than 63 characters`],
    ['x=a||y=b', `unable to parse requirement: values[0][x]: Invalid value: "a||y": ${LABEL_VALUE_RULE}`],
    // Key errors come from the parser, whose field path is nil.
    ['-x', `unable to parse requirement: <nil>: Invalid value: "-x": name part ${NAME_RULE}`],
    ['/x', 'unable to parse requirement: <nil>: Invalid value: "/x": prefix part must be non-empty'],
    ['Example.com/x', `unable to parse requirement: <nil>: Invalid value: "Example.com/x": prefix part ${SUBDOMAIN_RULE}`],
    ['a/', `unable to parse requirement: <nil>: Invalid value: "a/": name part must be non-empty; name part ${NAME_RULE}`],
    [
      `${'k'.repeat(64)}=v`,
      `unable to parse requirement: <nil>: Invalid value: "${'k'.repeat(64)}": name part must be no more than 63 characters`,
    ],
    [
      'a/b/c',
      `unable to parse requirement: <nil>: Invalid value: "a/b/c": a valid label key ${NAME_RULE} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ],
    ['ké=v', `unable to parse requirement: <nil>: Invalid value: "ké": name part ${NAME_RULE}`],
    ['k\u0001=v', `unable to parse requirement: <nil>: Invalid value: "k\\x01": name part ${NAME_RULE}`],
  ];
  for (const [sel, message] of cases) assertBadRequest(() => parseLabelSelector(sel), message);
});

test('label selector: a NUL ends the input, as Go reads it as end of string', () => {
  assert.equal(parseLabelSelector('a=b \u0000garbage').toString(), 'a=b');
  assertBadRequest(() => parseLabelSelector('a\u0000b'), "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt");
});

test('goQuote renders like Go %q', () => {
  const cases: [string, string][] = [
    ['abc', '"abc"'],
    ['a"b\\c', '"a\\"b\\\\c"'],
    ['\n\t\r\u0007\u0008\u000b\u000c', '"\\n\\t\\r\\a\\b\\v\\f"'],
    ['\u0000\u001f\u007f', '"\\x00\\x1f\\x7f"'],
    ['héllo 世界', '"héllo 世界"'],
    ['\u00a0\u00ad\u2028', '"\\u00a0\\u00ad\\u2028"'],
    ['😀', '"😀"'],
    ['\u{e0001}', '"\\U000e0001"'],
  ];
  for (const [input, want] of cases) assert.equal(goQuote(input), want, JSON.stringify(input));
});

test('field selector: parsing, canonical form and matching', () => {
  const cases: [string, string, Record<string, string>, boolean][] = [
    ['', '', { a: 'b' }, true],
    [',', '', {}, true],
    ['metadata.name=foo', 'metadata.name=foo', { 'metadata.name': 'foo' }, true],
    ['metadata.name==foo', 'metadata.name=foo', { 'metadata.name': 'foo' }, true],
    ['metadata.name!=foo', 'metadata.name!=foo', { 'metadata.name': 'foo' }, false],
    ['metadata.name!=foo', 'metadata.name!=foo', {}, true],
    ['x=', 'x=', {}, true],
    ['x=a', 'x=a', {}, false],
    ['b=2,a=1', 'a=1,b=2', { a: '1', b: '2' }, true],
    ['b=2,a=1', 'a=1,b=2', { a: '1', b: '3' }, false],
    ['a=x\\,y', 'a=x\\,y', { a: 'x,y' }, true],
    ['a=x\\=y', 'a=x\\=y', { a: 'x=y' }, true],
    ['a=x\\\\y', 'a=x\\\\y', { a: 'x\\y' }, true],
    ['a\\=b', 'a\\=b', { 'a\\': 'b' }, true],
    ['a=b c', 'a=b c', { a: 'b c' }, true],
  ];
  for (const [input, canonical, fields, match] of cases) {
    const sel = parseFieldSelector(input);
    assert.equal(sel.toString(), canonical, input);
    assert.equal(sel.matches(fields), match, `${input} vs ${JSON.stringify(fields)}`);
    assert.equal(sel.empty, canonical === '', input);
  }
  // `!=` splits first, leaving an unescaped `=` in the value.
  assertBadRequest(() => parseFieldSelector('spec.x!==y'), 'invalid field selector: unescaped character in value: 61');
});

test('field selector: requirements and exactMatch', () => {
  const sel = parseFieldSelector('metadata.namespace!=kube-system,metadata.name==foo,spec.x=1,spec.x=2');
  assert.deepEqual(sel.requirements, [
    { field: 'metadata.name', operator: '=', value: 'foo' },
    { field: 'metadata.namespace', operator: '!=', value: 'kube-system' },
    { field: 'spec.x', operator: '=', value: '1' },
    { field: 'spec.x', operator: '=', value: '2' },
  ]);
  assert.equal(sel.exactMatch('metadata.name'), 'foo');
  assert.equal(sel.exactMatch('metadata.namespace'), undefined);
  assert.equal(sel.exactMatch('spec.x'), '1');
  assert.equal(sel.exactMatch('nope'), undefined);
});

test('field selector: errors are 400 with upstream text', () => {
  const cases: [string, string][] = [
    ['foo', "invalid selector: 'foo'; can't understand 'foo'"],
    ['x=a,bad', "invalid selector: 'x=a,bad'; can't understand 'bad'"],
    // Terms are checked in sorted order, so the lexically first bad term is reported.
    ['z=1,yyy,xxx', "invalid selector: 'z=1,yyy,xxx'; can't understand 'xxx'"],
    ['a=b\\x', 'invalid field selector: invalid escape sequence: \\x'],
    ['a=b\\😀', 'invalid field selector: invalid escape sequence: \\😀'],
    ['a=\\', 'invalid field selector: invalid escape sequence: \\'],
    ['a=b=c', 'invalid field selector: unescaped character in value: 61'],
    ['a==b=c', 'invalid field selector: unescaped character in value: 61'],
  ];
  for (const [sel, message] of cases) assertBadRequest(() => parseFieldSelector(sel), message);
});

test('checkFieldSelectorFields: built-in types use DefaultMetaV1FieldSelectorConversion', () => {
  checkFieldSelectorFields(parseFieldSelector('metadata.name=a,metadata.namespace=b'), []);
  checkFieldSelectorFields(parseFieldSelector('spec.dockerImageRepository=x'), ['spec.dockerImageRepository']);
  checkFieldSelectorFields(parseFieldSelector(''), []);
  assertBadRequest(
    () => checkFieldSelectorFields(parseFieldSelector('spec.foo=x'), []),
    '"spec.foo" is not a known field selector: only "metadata.name", "metadata.namespace"',
  );
  // Extra fields a resource declares do not show up in the message, as upstream.
  assertBadRequest(
    () => checkFieldSelectorFields(parseFieldSelector('metadata.name=a,status.x=1,spec.foo=x'), ['status.phase']),
    '"spec.foo" is not a known field selector: only "metadata.name", "metadata.namespace"',
  );
});

test('checkFieldSelectorFields: CRDs use apiextensions wording and scope', () => {
  checkFieldSelectorFields(parseFieldSelector('metadata.name=a,metadata.namespace=b'), [], { crd: true, namespaced: true });
  checkFieldSelectorFields(parseFieldSelector('spec.x=1'), ['spec.x'], { crd: true });
  assertBadRequest(
    () => checkFieldSelectorFields(parseFieldSelector('metadata.namespace=b'), [], { crd: true, namespaced: false }),
    'field label not supported: metadata.namespace',
  );
  assertBadRequest(
    () => checkFieldSelectorFields(parseFieldSelector('spec.foo=x'), [], { crd: true, namespaced: true }),
    'field label not supported: spec.foo',
  );
});
