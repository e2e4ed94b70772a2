// Label and field selectors as k8s.io/apimachinery parses and matches them (pkg/labels, pkg/fields).
// A bad selector must fail with kube-apiserver's exact text, so the lexer, the parser and the
// validation messages are ports, quirks included (labels/selector.go, fields/selector.go,
// util/validation/validation.go as of Kubernetes 1.32).
import { isQualifiedName, isValidLabelValue } from './names.js';
import { badRequest } from './errors.js';

// ---------------------------------------------------------------------------------------------
// Go's %q (strconv.Quote), which every upstream message here uses to print a value.

const GO_PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;
const GO_SHORT_ESCAPES: Readonly<Record<number, string>> = {
  0x07: '\\a',
  0x08: '\\b',
  0x0c: '\\f',
  0x0a: '\\n',
  0x0d: '\\r',
  0x09: '\\t',
  0x0b: '\\v',
};

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');

function goEscapeRune(cp: number): string {
  const short = GO_SHORT_ESCAPES[cp];
  if (short) return short;
  if (cp < 0x20 || cp === 0x7f) return `\\x${hex(cp, 2)}`;
  // A lone surrogate cannot be valid UTF-8; Go prints such runes as U+FFFD.
  if (cp >= 0xd800 && cp <= 0xdfff) return '\\ufffd';
  return cp < 0x10000 ? `\\u${hex(cp, 4)}` : `\\U${hex(cp, 8)}`;
}

/** Go's strconv.Quote / fmt `%q` for a string. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0) as number;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (cp >= 0x20 && cp < 0x7f) out += ch;
    else if (cp >= 0x80 && !(cp >= 0xd800 && cp <= 0xdfff) && GO_PRINTABLE.test(ch)) out += ch;
    else out += goEscapeRune(cp);
  }
  return `${out}"`;
}

/** Go compares strings byte-wise (UTF-8); JS `<` compares UTF-16 units, which differs above U+FFFF. */
function compareBytewise(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

// ---------------------------------------------------------------------------------------------
// Label keys and values are checked with the shared validators of names.ts.

/** field.Invalid(...).Error(): `<path>: Invalid value: "<v>": <detail>`. */
const invalidValue = (path: string, value: string, detail: string) => `${path}: Invalid value: ${goQuote(value)}: ${detail}`;

/** utilerrors.NewAggregate(...).Error(): one message bare, several deduplicated in brackets. */
function aggregate(messages: string[]): string {
  const unique = [...new Set(messages)];
  return unique.length === 1 ? unique[0] : `[${unique.join(', ')}]`;
}

/** strconv.ParseInt(s, 10, 64), without the error text (callers only need "is it an int64"). */
function int64Of(s: string): bigint | undefined {
  if (!/^[+-]?[0-9]+$/.test(s)) return undefined;
  const n = BigInt(s);
  return n >= -(2n ** 63n) && n < 2n ** 63n ? n : undefined;
}

// ---------------------------------------------------------------------------------------------
// Label selector lexer (labels.Lexer). Works on characters; every special symbol and separator
// is ASCII, so this tokenizes exactly like the byte-wise Go lexer. '\0' doubles as end of input,
// as Go's read() returns 0 at the end and a NUL in the input therefore ends a token too.

type TokenKind =
  | 'error'
  | 'eos'
  | 'closedPar'
  | 'comma'
  | 'doesNotExist'
  | 'doubleEquals'
  | 'equals'
  | 'greaterThan'
  | 'identifier'
  | 'in'
  | 'lessThan'
  | 'notEquals'
  | 'notIn'
  | 'openPar';

interface Token {
  kind: TokenKind;
  literal: string;
}

const LITERAL_TOKENS: ReadonlyMap<string, TokenKind> = new Map([
  [')', 'closedPar'],
  [',', 'comma'],
  ['!', 'doesNotExist'],
  ['==', 'doubleEquals'],
  ['=', 'equals'],
  ['>', 'greaterThan'],
  ['in', 'in'],
  ['<', 'lessThan'],
  ['!=', 'notEquals'],
  ['notin', 'notIn'],
  ['(', 'openPar'],
]);

const isWhitespace = (ch: string) => ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n';
const isSpecialSymbol = (ch: string) => '=!(),><'.includes(ch) && ch !== '';

function tokenize(s: string): Token[] {
  let pos = 0;
  const read = () => (pos < s.length ? s[pos++] : '\0');
  const unread = () => {
    pos--;
  };

  const scanIdOrKeyword = (): Token => {
    let buffer = '';
    for (;;) {
      const ch = read();
      if (ch === '\0') break;
      if (isSpecialSymbol(ch) || isWhitespace(ch)) {
        unread();
        break;
      }
      buffer += ch;
    }
    return { kind: LITERAL_TOKENS.get(buffer) ?? 'identifier', literal: buffer };
  };

  // Longest run of special symbols that still forms a token: "!=" not "!" "=".
  const scanSpecialSymbol = (): Token => {
    let buffer = '';
    let last: Token | undefined;
    for (;;) {
      const ch = read();
      if (ch === '\0') break;
      if (!isSpecialSymbol(ch)) {
        unread();
        break;
      }
      buffer += ch;
      const kind = LITERAL_TOKENS.get(buffer);
      if (kind) {
        last = { kind, literal: buffer };
      } else if (last) {
        unread();
        break;
      }
    }
    return last ?? { kind: 'error', literal: `error expected: keyword found '${buffer}'` };
  };

  const lex = (): Token => {
    let ch = read();
    while (isWhitespace(ch)) ch = read();
    if (ch === '\0') return { kind: 'eos', literal: '' };
    unread();
    return isSpecialSymbol(ch) ? scanSpecialSymbol() : scanIdOrKeyword();
  };

  const items: Token[] = [];
  for (;;) {
    const t = lex();
    items.push(t);
    if (t.kind === 'eos') return items;
  }
}

// ---------------------------------------------------------------------------------------------
// Label selector parser (labels.Parser) and requirements.

/** selection.Operator values, as upstream spells them. */
type LabelOperator = 'in' | 'notin' | '=' | '==' | '!=' | 'gt' | 'lt' | 'exists' | '!';

interface LabelRequirement {
  key: string;
  operator: LabelOperator;
  /** Sorted and de-duplicated, as sets.String.List() hands them over. */
  values: string[];
}

const BINARY_OPERATORS = 'in, notin, =, ==, !=, gt, lt';

class LabelParseError extends Error {}

/** In a value position the keywords `in` / `notin` are plain identifiers (`x in (in)`). */
type ParserContext = 'keyAndOperator' | 'values';

function parseRequirements(text: string): LabelRequirement[] {
  const items = tokenize(text);
  let position = 0;
  const kindIn = (t: Token, ctx: ParserContext): TokenKind =>
    ctx === 'values' && (t.kind === 'in' || t.kind === 'notIn') ? 'identifier' : t.kind;
  const lookahead = (ctx: ParserContext): Token => ({ ...items[position], kind: kindIn(items[position], ctx) });
  const consume = (ctx: ParserContext): Token => {
    const t = items[position++];
    return { ...t, kind: kindIn(t, ctx) };
  };
  const fail = (msg: string): never => {
    throw new LabelParseError(msg);
  };

  const parseKeyAndInferOperator = (): { key: string; operator?: LabelOperator } => {
    let operator: LabelOperator | undefined;
    let t = consume('values');
    if (t.kind === 'doesNotExist') {
      operator = '!';
      t = consume('values');
    }
    if (t.kind !== 'identifier') fail(`found '${t.literal}', expected: identifier`);
    const keyErrs = isQualifiedName(t.literal);
    // The parser's own field path is nil, which field.Path renders as "<nil>".
    if (keyErrs.length) fail(invalidValue('<nil>', t.literal, keyErrs.join('; ')));
    const next = lookahead('values').kind;
    if ((next === 'eos' || next === 'comma') && operator !== '!') operator = 'exists';
    return { key: t.literal, operator };
  };

  const parseOperator = (): LabelOperator => {
    const t = consume('keyAndOperator');
    const ops: Partial<Record<TokenKind, LabelOperator>> = {
      in: 'in',
      equals: '=',
      doubleEquals: '==',
      greaterThan: 'gt',
      lessThan: 'lt',
      notIn: 'notin',
      notEquals: '!=',
    };
    return ops[t.kind] ?? fail(`found '${t.literal}', expected: ${BINARY_OPERATORS}`);
  };

  const parseIdentifiersList = (): Set<string> => {
    const s = new Set<string>();
    for (;;) {
      const t = consume('values');
      if (t.kind === 'identifier') {
        s.add(t.literal);
        const next = lookahead('values');
        if (next.kind === 'comma') continue;
        if (next.kind === 'closedPar') return s;
        fail(`found '${next.literal}', expected: ',' or ')'`);
      } else if (t.kind === 'comma') {
        if (s.size === 0) s.add(''); // "(," holds an empty value
        const next = lookahead('values').kind;
        if (next === 'closedPar') {
          s.add(''); // ",)"
          return s;
        }
        if (next === 'comma') {
          consume('values');
          s.add(''); // ",,"
        }
      } else {
        fail(`found '${t.literal}', expected: ',', or identifier`);
      }
    }
  };

  const parseValues = (): Set<string> => {
    const open = consume('values');
    if (open.kind !== 'openPar') fail(`found '${open.literal}' expected: '('`);
    const first = lookahead('values');
    if (first.kind === 'identifier' || first.kind === 'comma') {
      const s = parseIdentifiersList();
      // Upstream reports the token seen after "(" here, not the offending one.
      if (consume('values').kind !== 'closedPar') fail(`found '${first.literal}', expected: ')'`);
      return s;
    }
    if (first.kind === 'closedPar') {
      consume('values');
      return new Set(['']);
    }
    return fail(`found '${first.literal}', expected: ',', ')' or identifier`);
  };

  const parseExactValue = (): Set<string> => {
    const next = lookahead('values').kind;
    if (next === 'eos' || next === 'comma') return new Set(['']);
    const t = consume('values');
    if (t.kind === 'identifier') return new Set([t.literal]);
    return fail(`found '${t.literal}', expected: identifier`);
  };

  const parseRequirement = (): LabelRequirement => {
    const { key, operator: inferred } = parseKeyAndInferOperator();
    if (inferred === 'exists' || inferred === '!') return { key, operator: inferred, values: [] };
    const operator = parseOperator();
    const values = operator === 'in' || operator === 'notin' ? parseValues() : parseExactValue();
    return newRequirement(key, operator, [...values].sort(compareBytewise));
  };

  const requirements: LabelRequirement[] = [];
  for (;;) {
    const t = lookahead('values');
    if (t.kind === 'identifier' || t.kind === 'doesNotExist') {
      try {
        requirements.push(parseRequirement());
      } catch (e) {
        if (e instanceof LabelParseError) throw new LabelParseError(`unable to parse requirement: ${e.message}`);
        throw e;
      }
      const after = consume('values');
      if (after.kind === 'eos') return requirements;
      if (after.kind === 'comma') {
        const next = lookahead('values');
        if (next.kind !== 'identifier' && next.kind !== 'doesNotExist') {
          fail(`found '${next.literal}', expected: identifier after ','`);
        }
      } else {
        fail(`found '${after.literal}', expected: ',' or 'end of string'`);
      }
    } else if (t.kind === 'eos') {
      return requirements;
    } else {
      fail(`found '${t.literal}', expected: !, identifier, or 'end of string'`);
    }
  }
}

/**
 * labels.NewRequirement for what the parser can produce: the key is already validated and the
 * value count always fits the operator, so only integer and label-value checks can fail.
 */
function newRequirement(key: string, operator: LabelOperator, values: string[]): LabelRequirement {
  const errs: string[] = [];
  if (operator === 'gt' || operator === 'lt') {
    values.forEach((v, i) => {
      if (int64Of(v) === undefined) {
        errs.push(invalidValue(`values[${i}]`, v, "for 'Gt', 'Lt' operators, the value must be an integer"));
      }
    });
  }
  values.forEach((v, i) => {
    const valueErrs = isValidLabelValue(v);
    if (valueErrs.length) errs.push(invalidValue(`values[${i}][${key}]`, v, valueErrs.join('; ')));
  });
  if (errs.length) throw new LabelParseError(aggregate(errs));
  return { key, operator, values };
}

function requirementMatches(r: LabelRequirement, labels: Record<string, string>): boolean {
  const has = Object.hasOwn(labels, r.key);
  switch (r.operator) {
    case 'in':
    case '=':
    case '==':
      return has && r.values.includes(labels[r.key]);
    case 'notin':
    case '!=':
      return !has || !r.values.includes(labels[r.key]);
    case 'exists':
      return has;
    case '!':
      return !has;
    case 'gt':
    case 'lt': {
      if (!has || r.values.length !== 1) return false;
      const actual = int64Of(labels[r.key]);
      const bound = int64Of(r.values[0]);
      if (actual === undefined || bound === undefined) return false;
      return r.operator === 'gt' ? actual > bound : actual < bound;
    }
  }
}

function requirementString(r: LabelRequirement): string {
  const symbol: Record<LabelOperator, string> = {
    '=': '=',
    '==': '==',
    '!=': '!=',
    in: ' in ',
    notin: ' notin ',
    gt: '>',
    lt: '<',
    exists: '',
    '!': '',
  };
  if (r.operator === 'exists') return r.key;
  if (r.operator === '!') return `!${r.key}`;
  const values = r.values.join(',');
  const set = r.operator === 'in' || r.operator === 'notin';
  return `${r.key}${symbol[r.operator]}${set ? `(${values})` : values}`;
}

export interface LabelSelector {
  /** True when the selector does not restrict anything (empty text). */
  readonly empty: boolean;
  matches(labels: Record<string, string> | undefined): boolean;
  /** Canonical form: requirements sorted by key, `in` sets sorted, whitespace dropped. */
  toString(): string;
  /** The single value an `=`, `==` or one-element `in` requirement on `key` demands, if any. */
  requiresExactMatch(key: string): string | undefined;
}

/**
 * Parses a labelSelector as labels.Parse does. Throws 400 BadRequest with the parser's message,
 * which is what the list handler returns for an unparsable labelSelector.
 */
export function parseLabelSelector(text: string): LabelSelector {
  let requirements: LabelRequirement[];
  try {
    requirements = parseRequirements(text);
  } catch (e) {
    if (e instanceof LabelParseError) throw badRequest(e.message);
    throw e;
  }
  // Sorted by key for a deterministic String(); JS's stable sort keeps same-key requirements in order.
  requirements.sort((a, b) => compareBytewise(a.key, b.key));
  return {
    empty: requirements.length === 0,
    matches: (labels) => requirements.every((r) => requirementMatches(r, labels ?? {})),
    toString: () => requirements.map(requirementString).join(','),
    requiresExactMatch: (key) => {
      const r = requirements.find((req) => req.key === key);
      if (!r || r.values.length !== 1) return undefined;
      return r.operator === '=' || r.operator === '==' || r.operator === 'in' ? r.values[0] : undefined;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Field selectors (fields.ParseSelector).

export interface FieldRequirement {
  field: string;
  /** `==` is folded into `=`, as upstream's hasTerm does. */
  operator: '=' | '!=';
  value: string;
}

export interface FieldSelector {
  /** True when the selector does not restrict anything (empty text or only empty terms). */
  readonly empty: boolean;
  /** Terms in upstream's evaluation order (sorted by their raw text). */
  readonly requirements: readonly FieldRequirement[];
  /** A missing field counts as the empty string, as fields.Set.Get does. */
  matches(fields: Record<string, string>): boolean;
  /** The value of the first `=` term on `field`, if any. */
  exactMatch(field: string): string | undefined;
  toString(): string;
}

/** Splits on commas not escaped by a backslash; the escapes stay in the terms. */
function splitTerms(text: string): string[] {
  if (text.length === 0) return [];
  const terms: string[] = [];
  let start = 0;
  let inSlash = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inSlash) inSlash = false;
    else if (c === '\\') inSlash = true;
    else if (c === ',') {
      terms.push(text.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(text.slice(start));
  return terms;
}

/** The first operator occurrence splits the term; `!=` and `==` win over `=` at the same spot. */
function splitTerm(term: string): { lhs: string; op: '!=' | '==' | '='; rhs: string } | undefined {
  for (let i = 0; i < term.length; i++) {
    for (const op of ['!=', '==', '='] as const) {
      if (term.startsWith(op, i)) return { lhs: term.slice(0, i), op, rhs: term.slice(i + op.length) };
    }
  }
  return undefined;
}

function unescapeValue(s: string): string {
  if (!/[\\,=]/.test(s)) return s;
  let out = '';
  let inSlash = false;
  for (const c of s) {
    if (inSlash) {
      if (c !== '\\' && c !== ',' && c !== '=') {
        throw badRequest(`invalid field selector: invalid escape sequence: \\${c}`);
      }
      out += c;
      inSlash = false;
    } else if (c === '\\') {
      inSlash = true;
    } else if (c === ',' || c === '=') {
      // Go prints the rune with %v, i.e. as its code point number.
      throw badRequest(`invalid field selector: unescaped character in value: ${c.codePointAt(0)}`);
    } else {
      out += c;
    }
  }
  if (inSlash) throw badRequest('invalid field selector: invalid escape sequence: \\');
  return out;
}

const escapeValue = (s: string) => s.replace(/[\\,=]/g, (c) => `\\${c}`);

/** Parses a fieldSelector as fields.ParseSelector does; errors are 400 BadRequest with its text. */
export function parseFieldSelector(text: string): FieldSelector {
  const requirements: FieldRequirement[] = [];
  for (const part of splitTerms(text).sort(compareBytewise)) {
    if (part === '') continue;
    const term = splitTerm(part);
    if (!term) throw badRequest(`invalid selector: '${text}'; can't understand '${part}'`);
    requirements.push({ field: term.lhs, operator: term.op === '!=' ? '!=' : '=', value: unescapeValue(term.rhs) });
  }
  const get = (fields: Record<string, string>, f: string) => (Object.hasOwn(fields, f) ? fields[f] : '');
  return {
    empty: requirements.length === 0,
    requirements,
    matches: (fields) =>
      requirements.every((r) => (r.operator === '=' ? get(fields, r.field) === r.value : get(fields, r.field) !== r.value)),
    exactMatch: (field) => requirements.find((r) => r.operator === '=' && r.field === field)?.value,
    toString: () => requirements.map((r) => `${r.field}${r.operator}${escapeValue(r.value)}`).join(','),
  };
}

export interface FieldSelectorPolicy {
  /**
   * CustomResourceDefinitions answer with apiextensions' converter (`field label not supported: f`,
   * metadata.namespace only when namespaced); built-in types with DefaultMetaV1FieldSelectorConversion.
   */
  crd?: boolean;
  /** Only consulted for CRDs: cluster-scoped CRDs reject metadata.namespace. */
  namespaced?: boolean;
}

/**
 * Rejects terms on fields the resource cannot select on, as the list handler's field-label
 * conversion does. `allowed` lists the fields beyond metadata.name / metadata.namespace.
 * Throws 400 BadRequest on the first unknown field in evaluation order.
 */
export function checkFieldSelectorFields(sel: FieldSelector, allowed: readonly string[], policy: FieldSelectorPolicy = {}): void {
  const known = new Set(allowed);
  known.add('metadata.name');
  if (!policy.crd || policy.namespaced) known.add('metadata.namespace');
  for (const r of sel.requirements) {
    if (known.has(r.field)) continue;
    if (policy.crd) throw badRequest(`field label not supported: ${r.field}`);
    throw badRequest(
      `${goQuote(r.field)} is not a known field selector: only ${goQuote('metadata.name')}, ${goQuote('metadata.namespace')}`,
    );
  }
}
