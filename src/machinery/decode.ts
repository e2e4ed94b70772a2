// Request body decoding as kube-apiserver does it: JSON through sigs.k8s.io/json (case-sensitive, ints
// preserved, duplicate keys reported as strict errors) and YAML through sigs.k8s.io/yaml (go-yaml v2
// scalar rules, duplicate keys reported by line, then converted to JSON with sorted keys).
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseAllDocuments } from 'yaml';
import type { Alias, Document, Node as YAMLNode, Scalar, YAMLMap } from 'yaml';

/** A decoded body and the duplicate keys it contained (kube paths for JSON, go-yaml line messages for YAML). */
export interface Decoded {
  value: unknown;
  duplicates: string[];
}

/**
 * `syntax`: the body is not well-formed (upstream: a syntax or YAML error).
 * `value`: well-formed, but holds a value this server cannot represent without loss (an integer beyond 2^53,
 * a float beyond float64, NaN/Inf from YAML).
 */
export type DecodeErrorKind = 'syntax' | 'value';

export class DecodeError extends Error {
  constructor(
    message: string,
    readonly kind: DecodeErrorKind,
  ) {
    super(message);
    this.name = 'DecodeError';
  }
}

export type BodyMediaType = 'application/json' | 'application/yaml';

export function decodeBody(text: string, mediaType: BodyMediaType): Decoded {
  return mediaType === 'application/yaml' ? decodeYAML(text) : decodeJSON(text);
}

// ---------------------------------------------------------------------------------------------------------
// Shared helpers

/** Stores `key` as an own data property even when it is `__proto__` (plain assignment would set the prototype). */
function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
  } else {
    obj[key] = value;
  }
}

const joinKey = (path: string, key: string) => (path ? `${path}.${key}` : key);

const NON_PRINTABLE = /[\p{C}\p{Z}]/u;

/** Go's strconv.Quote: printable runes kept, the rest escaped Go-style. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (cp === 0x20 || !NON_PRINTABLE.test(ch)) out += ch;
    else out += goEscape(cp);
  }
  return `${out}"`;
}

function goEscape(cp: number): string {
  switch (cp) {
    case 0x07:
      return '\\a';
    case 0x08:
      return '\\b';
    case 0x0c:
      return '\\f';
    case 0x0a:
      return '\\n';
    case 0x0d:
      return '\\r';
    case 0x09:
      return '\\t';
    case 0x0b:
      return '\\v';
  }
  const hex = cp.toString(16);
  if (cp < 0x20 || cp === 0x7f) return `\\x${hex.padStart(2, '0')}`;
  if (cp < 0x10000) return `\\u${hex.padStart(4, '0')}`;
  return `\\U${hex.padStart(8, '0')}`;
}

/**
 * encoding/json's quoteChar. Go scans bytes, so a non-ASCII character is reported by the first byte of its
 * UTF-8 encoding read as a Latin-1 rune (`é` → `'Ã'`).
 */
function quoteChar(codePoint: number): string {
  if (codePoint === 0x27) return "'\\''";
  if (codePoint === 0x22) return "'\"'";
  const cp = codePoint >= 0xd800 && codePoint <= 0xdfff ? 0xfffd : codePoint;
  const firstByte = cp < 0x80 ? cp : cp < 0x800 ? 0xc0 | (cp >> 6) : cp < 0x10000 ? 0xe0 | (cp >> 12) : 0xf0 | (cp >> 18);
  return `'${goQuote(String.fromCharCode(firstByte)).slice(1, -1)}'`;
}

/** The error Go's decoder gives for a number it cannot store; we cannot store integers beyond 2^53 exactly. */
const unrepresentableNumber = (literal: string, goType: 'int64' | 'float64') =>
  new DecodeError(`json: cannot unmarshal number ${literal} into Go value of type ${goType}`, 'value');

// ---------------------------------------------------------------------------------------------------------
// JSON

/** encoding/json's scanner limit on nested arrays/objects. */
const MAX_NESTING_DEPTH = 10000;

interface ObjectFrame {
  array: false;
  value: Record<string, unknown>;
  path: string;
  key: string;
}
interface ArrayFrame {
  array: true;
  value: unknown[];
  path: string;
}
type Frame = ObjectFrame | ArrayFrame;

/**
 * Parses JSON with sigs.k8s.io/json semantics: syntax errors worded like encoding/json's scanner, duplicate
 * keys reported (once per path) as `metadata.name` / `spec.tags[0].name` with the last value kept,
 * `__proto__` kept as an ordinary key. Integers beyond 2^53 are rejected instead of being rounded.
 */
export function decodeJSON(text: string): Decoded {
  return new JSONDecoder(text).decode();
}

class JSONDecoder {
  private pos = 0;
  private readonly stack: Frame[] = [];
  private readonly duplicates: string[] = [];
  private readonly reported = new Set<string>();
  // Go validates the whole document before decoding, so a syntax error anywhere wins over a value error.
  private valueError: DecodeError | undefined;

  constructor(private readonly text: string) {}

  decode(): Decoded {
    const value = this.parse();
    this.skipSpace();
    if (this.pos < this.text.length) throw this.invalidChar('after top-level value');
    if (this.valueError) throw this.valueError;
    return { value, duplicates: this.duplicates };
  }

  private parse(): unknown {
    const t = this.text;
    for (;;) {
      // A value starts here: a scalar completes at once, a non-empty container pushes a frame.
      this.skipSpace();
      if (this.pos >= t.length) throw this.endOfInput();
      let value: unknown;
      const c = t.charCodeAt(this.pos);
      if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
        if (this.stack.length >= MAX_NESTING_DEPTH) throw this.invalidChar('exceeded max depth');
        const path = this.childPath();
        this.pos++;
        this.skipSpace();
        if (this.pos >= t.length) throw this.endOfInput();
        const next = t.charCodeAt(this.pos);
        if (c === 0x7b) {
          if (next === 0x7d /* } */) {
            this.pos++;
            value = {};
          } else {
            this.stack.push({ array: false, value: {}, path, key: this.readKey() });
            continue;
          }
        } else if (next === 0x5d /* ] */) {
          this.pos++;
          value = [];
        } else {
          this.stack.push({ array: true, value: [], path });
          continue;
        }
      } else {
        value = this.readScalar(c);
      }

      // Attach the completed value to its container, closing containers that end here.
      for (;;) {
        const top = this.stack[this.stack.length - 1];
        if (!top) return value;
        if (top.array) top.value.push(value);
        else this.setMember(top, value);
        this.skipSpace();
        if (this.pos >= t.length) throw this.endOfInput();
        const sep = t.charCodeAt(this.pos);
        if (sep === 0x2c /* , */) {
          this.pos++;
          if (!top.array) {
            this.skipSpace();
            top.key = this.readKey();
          }
          break;
        }
        if (sep === (top.array ? 0x5d : 0x7d)) {
          this.pos++;
          this.stack.pop();
          value = top.value;
          continue;
        }
        throw this.invalidChar(top.array ? 'after array element' : 'after object key:value pair');
      }
    }
  }

  private childPath(): string {
    const top = this.stack[this.stack.length - 1];
    if (!top) return '';
    return top.array ? `${top.path}[${top.value.length}]` : joinKey(top.path, top.key);
  }

  private setMember(frame: ObjectFrame, value: unknown): void {
    if (Object.hasOwn(frame.value, frame.key)) {
      const path = joinKey(frame.path, frame.key);
      // sigs.k8s.io/json reports each distinct strict error once.
      if (!this.reported.has(path)) {
        this.reported.add(path);
        this.duplicates.push(path);
      }
    }
    setOwn(frame.value, frame.key, value);
  }

  /** Reads `"key"` and the `:` after it. */
  private readKey(): string {
    const t = this.text;
    if (this.pos >= t.length) throw this.endOfInput();
    if (t.charCodeAt(this.pos) !== 0x22) throw this.invalidChar('looking for beginning of object key string');
    const key = this.readString();
    this.skipSpace();
    if (this.pos >= t.length) throw this.endOfInput();
    if (t.charCodeAt(this.pos) !== 0x3a /* : */) throw this.invalidChar('after object key');
    this.pos++;
    return key;
  }

  private readScalar(c: number): unknown {
    if (c === 0x22) return this.readString();
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return this.readNumber();
    if (c === 0x74) return this.readLiteral('true', true);
    if (c === 0x66) return this.readLiteral('false', false);
    if (c === 0x6e) return this.readLiteral('null', null);
    throw this.invalidChar('looking for beginning of value');
  }

  private readString(): string {
    const t = this.text;
    let i = this.pos + 1;
    let start = i;
    let out = '';
    for (;;) {
      if (i >= t.length) {
        this.pos = i;
        throw this.endOfInput();
      }
      const c = t.charCodeAt(i);
      if (c === 0x22) {
        this.pos = i + 1;
        return out + t.slice(start, i);
      }
      if (c < 0x20) {
        this.pos = i;
        throw this.invalidChar('in string literal');
      }
      if (c !== 0x5c) {
        i++;
        continue;
      }
      out += t.slice(start, i);
      i++;
      const e = i < t.length ? t.charCodeAt(i) : -1;
      const simple = SIMPLE_ESCAPES.get(e);
      if (simple !== undefined) {
        out += simple;
        i++;
      } else if (e === 0x75 /* u */) {
        const unit = this.hex4(i + 1);
        i += 5;
        if (unit >= 0xd800 && unit < 0xdc00 && t.charCodeAt(i) === 0x5c && t.charCodeAt(i + 1) === 0x75) {
          const low = this.hex4(i + 2);
          if (low >= 0xdc00 && low < 0xe000) {
            out += String.fromCharCode(unit, low);
            i += 6;
            start = i;
            continue;
          }
        }
        // Go's unquote turns an unpaired surrogate into U+FFFD.
        out += unit >= 0xd800 && unit < 0xe000 ? '\ufffd' : String.fromCharCode(unit);
      } else {
        this.pos = i;
        throw this.invalidChar('in string escape code');
      }
      start = i;
    }
  }

  private hex4(at: number): number {
    let v = 0;
    for (let k = at; k < at + 4; k++) {
      const d = k < this.text.length ? hexDigit(this.text.charCodeAt(k)) : -1;
      if (d < 0) {
        this.pos = k;
        throw this.invalidChar('in \\u hexadecimal character escape');
      }
      v = v * 16 + d;
    }
    return v;
  }

  private readNumber(): number {
    const t = this.text;
    const start = this.pos;
    let i = start;
    const fail = (at: number, context: string) => {
      this.pos = at;
      return this.invalidChar(context);
    };
    if (t.charCodeAt(i) === 0x2d) {
      i++;
      if (!isDigit(t.charCodeAt(i))) throw fail(i, 'in numeric literal');
    }
    if (t.charCodeAt(i) === 0x30) i++;
    else while (isDigit(t.charCodeAt(i))) i++;
    let integer = true;
    if (t.charCodeAt(i) === 0x2e /* . */) {
      integer = false;
      i++;
      if (!isDigit(t.charCodeAt(i))) throw fail(i, 'after decimal point in numeric literal');
      while (isDigit(t.charCodeAt(i))) i++;
    }
    const e = t.charCodeAt(i);
    if (e === 0x65 || e === 0x45) {
      integer = false;
      i++;
      const sign = t.charCodeAt(i);
      if (sign === 0x2b || sign === 0x2d) i++;
      if (!isDigit(t.charCodeAt(i))) throw fail(i, 'in exponent of numeric literal');
      while (isDigit(t.charCodeAt(i))) i++;
    }
    this.pos = i;
    const literal = t.slice(start, i);
    const n = Number(literal);
    if (integer) {
      if (Number.isSafeInteger(n)) return n === 0 ? 0 : n; // -0 decodes as int64 0
      this.valueError ??= unrepresentableNumber(literal, 'int64');
    } else if (!Number.isFinite(n)) {
      this.valueError ??= unrepresentableNumber(literal, 'float64');
    }
    return n;
  }

  private readLiteral<T>(word: string, value: T): T {
    for (let k = 1; k < word.length; k++) {
      if (this.text.charCodeAt(this.pos + k) !== word.charCodeAt(k)) {
        this.pos += k;
        throw this.invalidChar(`in literal ${word} (expecting '${word[k]}')`);
      }
    }
    this.pos += word.length;
    return value;
  }

  private skipSpace(): void {
    const t = this.text;
    let i = this.pos;
    for (; i < t.length; i++) {
      const c = t.charCodeAt(i);
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
    }
    this.pos = i;
  }

  /** Go's scanner treats end of input as a space, so an unfinished token reports `' '`. */
  private invalidChar(context: string): DecodeError {
    const cp = this.pos < this.text.length ? (this.text.codePointAt(this.pos) ?? 0x20) : 0x20;
    return new DecodeError(`invalid character ${quoteChar(cp)} ${context}`, 'syntax');
  }

  private endOfInput(): DecodeError {
    return new DecodeError('unexpected end of JSON input', 'syntax');
  }
}

const SIMPLE_ESCAPES: ReadonlyMap<number, string> = new Map([
  [0x22, '"'],
  [0x5c, '\\'],
  [0x2f, '/'],
  [0x62, '\b'],
  [0x66, '\f'],
  [0x6e, '\n'],
  [0x72, '\r'],
  [0x74, '\t'],
]);

const isDigit = (c: number) => c >= 0x30 && c <= 0x39;

function hexDigit(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  return -1;
}

// ---------------------------------------------------------------------------------------------------------
// YAML

/**
 * Decodes the first YAML document the way sigs.k8s.io/yaml does (go-yaml v2): YAML 1.1 booleans
 * (`yes`/`on`/`y`…), `0777` octal and `0x1F` hex integers, `_` digit separators, no sexagesimal numbers,
 * timestamps kept as strings, `<<` merge keys, and keys sorted as the YAML→JSON conversion leaves them.
 * Duplicate keys are reported like go-yaml's strict mode: `line 5: key "reference" already set in map`
 * (the line of the repeated key's value); the last value wins. Errors carry sigs.k8s.io/yaml's
 * `error converting YAML to JSON: ` prefix. Note `0777` is octal (511) in go-yaml v2, unlike yaml@2's 1.2 core.
 */
export function decodeYAML(text: string): Decoded {
  const lineCounter = new LineCounter();
  // The failsafe schema leaves every scalar a string so the go-yaml resolution rules below decide types.
  const docs = parseAllDocuments(text, {
    version: '1.1',
    schema: 'failsafe',
    merge: false,
    uniqueKeys: false,
    prettyErrors: false,
    lineCounter,
  });
  const doc = docs[0];
  if (!doc) return { value: null, duplicates: [] };
  const [error] = doc.errors;
  if (error) {
    const message = error.message.charAt(0).toLowerCase() + error.message.slice(1);
    throw yamlError(`line ${lineCounter.linePos(error.pos[0]).line}: ${message}`);
  }
  return new YAMLDecoder(doc, lineCounter).decode();
}

/** sigs.k8s.io/yaml wraps every error of its YAML→JSON conversion in this prefix. */
const YAML_TO_JSON = 'error converting YAML to JSON: ';

const yamlError = (message: string) => new DecodeError(`${YAML_TO_JSON}yaml: ${message}`, 'syntax');

/**
 * The strict-decoding error kube-apiserver builds from YAML duplicates (fieldValidation=Strict); with
 * fieldValidation=Warn it sends each duplicate line as its own warning instead.
 */
export function yamlDuplicatesMessage(duplicates: string[]): string {
  return `${YAML_TO_JSON}yaml: unmarshal errors:\n  ${duplicates.join('\n  ')}`;
}

/** go-yaml v2 decoder.go limits on alias expansion ("billion laughs"). */
const ALIAS_RATIO_RANGE_LOW = 400000;
const ALIAS_RATIO_RANGE_HIGH = 4000000;

function allowedAliasRatio(decodeCount: number): number {
  if (decodeCount <= ALIAS_RATIO_RANGE_LOW) return 0.99;
  if (decodeCount >= ALIAS_RATIO_RANGE_HIGH) return 0.1;
  return 0.99 - 0.89 * ((decodeCount - ALIAS_RATIO_RANGE_LOW) / (ALIAS_RATIO_RANGE_HIGH - ALIAS_RATIO_RANGE_LOW));
}

/** A map key as go-yaml holds it: `identity` compares keys like Go interface values do. */
interface YAMLKey {
  identity: string;
  json: string;
  display: string;
}

type Entries = Map<string, { json: string; value: unknown }>;

class YAMLDecoder {
  private readonly duplicates: string[] = [];
  private decodeCount = 0;
  private aliasCount = 0;
  private aliasDepth = 0;
  private readonly expanding = new Set<YAMLNode>();
  // yaml@2's Alias.resolve searches the whole document per call; one pass resolves every alias.
  private readonly aliasTargets: Map<Alias, YAMLNode | undefined>;
  // YAMLToJSON fails on NaN/Inf only after the whole document decoded, so YAML errors win.
  private valueError: DecodeError | undefined;

  constructor(
    private readonly doc: Document.Parsed,
    private readonly lines: LineCounter,
  ) {
    this.aliasTargets = resolveAliases(doc.contents);
  }

  decode(): Decoded {
    const value = this.value(this.doc.contents);
    if (this.valueError) throw this.valueError;
    return { value, duplicates: this.duplicates };
  }

  private value(node: unknown): unknown {
    this.countDecode();
    if (node === null || node === undefined) return null;
    if (isAlias(node)) return this.throughAlias(node, (target) => this.value(target));
    if (isScalar(node)) return this.scalar(node);
    if (isMap(node)) {
      const entries: Entries = new Map();
      this.fillMapping(node, entries);
      return sortedObject(entries);
    }
    if (isSeq(node)) return node.items.map((item) => this.value(item));
    throw yamlError('unsupported node');
  }

  private countDecode(): void {
    this.decodeCount++;
    if (this.aliasDepth > 0) this.aliasCount++;
    if (
      this.aliasCount > 100 &&
      this.decodeCount > 1000 &&
      this.aliasCount / this.decodeCount > allowedAliasRatio(this.decodeCount)
    ) {
      throw yamlError('document contains excessive aliasing');
    }
  }

  private throughAlias<T>(alias: Alias, use: (target: YAMLNode) => T): T {
    const target = this.aliasTargets.get(alias);
    if (!target) throw yamlError(`unknown anchor '${alias.source}' referenced`);
    if (this.expanding.has(target)) {
      throw yamlError(`anchor '${alias.source}' value contains itself`);
    }
    this.expanding.add(target);
    this.aliasDepth++;
    try {
      return use(target);
    } finally {
      this.aliasDepth--;
      this.expanding.delete(target);
    }
  }

  /** go-yaml v2 `mapping`: merges apply in place, every key set twice is a strict error. */
  private fillMapping(node: YAMLMap, entries: Entries): void {
    for (const pair of node.items) {
      const keyNode = pair.key as YAMLNode | null;
      const valueNode = pair.value as YAMLNode | null;
      if (isMergeKey(keyNode)) {
        this.merge(valueNode, entries);
        continue;
      }
      const key = this.key(keyNode);
      const value = this.value(valueNode);
      if (entries.has(key.identity)) {
        const line = this.lineOf(valueNode ?? keyNode ?? node);
        this.duplicates.push(`line ${line}: key ${key.display} already set in map`);
      }
      entries.set(key.identity, { json: key.json, value });
    }
  }

  private merge(node: YAMLNode | null, entries: Entries): void {
    const fill = (candidate: unknown) => {
      if (isAlias(candidate)) {
        this.throughAlias(candidate, (target) => {
          if (!isMap(target)) throw wantMap();
          this.countDecode();
          this.fillMapping(target, entries);
        });
      } else if (isMap(candidate)) {
        this.countDecode();
        this.fillMapping(candidate, entries);
      } else {
        throw wantMap();
      }
    };
    if (isSeq(node)) {
      // Earlier maps take precedence, so they are applied last.
      for (let i = node.items.length - 1; i >= 0; i--) fill(node.items[i]);
    } else {
      fill(node);
    }
  }

  private key(node: YAMLNode | null): YAMLKey {
    if (isAlias(node)) {
      this.countDecode();
      return this.throughAlias(node, (target) => this.key(target));
    }
    if (!isScalar(node)) {
      const value = this.value(node);
      if (value === null) return { identity: 'null', json: 'null', display: '<nil>' };
      throw yamlError(`invalid map key: ${JSON.stringify(value)}`);
    }
    this.countDecode();
    const { tag, value } = resolveNode(node);
    switch (tag) {
      case '!!int': {
        const text = (value as bigint).toString();
        return { identity: `i:${text}`, json: text, display: text };
      }
      case '!!float': {
        const n = value as number;
        return { identity: `f:${n}`, json: floatKey(n), display: String(n) };
      }
      case '!!bool':
        return { identity: `b:${value}`, json: String(value), display: String(value) };
      case '!!null':
        return { identity: 'null', json: 'null', display: '<nil>' };
    }
    const text = String(value);
    return { identity: `s:${text}`, json: text, display: goQuote(text) };
  }

  private scalar(node: Scalar): unknown {
    const { tag, value } = resolveNode(node);
    if (tag === '!!int') {
      const n = value as bigint;
      if (n > MAX_SAFE || n < MIN_SAFE) this.valueError ??= unrepresentableNumber(n.toString(), 'int64');
      return Number(n);
    }
    if (tag === '!!float' && !Number.isFinite(value)) {
      this.valueError ??= new DecodeError(`${YAML_TO_JSON}json: unsupported value: ${goFloat(value as number)}`, 'value');
    }
    return value;
  }

  private lineOf(node: YAMLNode): number {
    const offset = node.range?.[0] ?? 0;
    return this.lines.linePos(offset).line;
  }
}

/**
 * Maps each alias to the node its anchor names: the latest node with that anchor that starts before the
 * alias in document order (an anchor is visible inside its own node, which makes the "contains itself" case).
 */
function resolveAliases(root: YAMLNode | null): Map<Alias, YAMLNode | undefined> {
  const targets = new Map<Alias, YAMLNode | undefined>();
  const anchors = new Map<string, YAMLNode>();
  const pending: unknown[] = [root];
  while (pending.length > 0) {
    const node = pending.pop();
    if (isAlias(node)) {
      targets.set(node, anchors.get(node.source));
      continue;
    }
    if (!isScalar(node) && !isMap(node) && !isSeq(node)) continue;
    if (node.anchor) anchors.set(node.anchor, node);
    if (isMap(node)) {
      for (let i = node.items.length - 1; i >= 0; i--) pending.push(node.items[i].value, node.items[i].key);
    } else if (isSeq(node)) {
      for (let i = node.items.length - 1; i >= 0; i--) pending.push(node.items[i]);
    }
  }
  return targets;
}

const wantMap = () => yamlError('map merge requires map or sequence of maps as the value');

function isMergeKey(node: YAMLNode | null): boolean {
  if (!isScalar(node) || node.value !== '<<') return false;
  return (node.type === 'PLAIN' && !node.tag) || node.tag === 'tag:yaml.org,2002:merge';
}

/** Object with keys in the order Go's json.Marshal writes a map: sorted. */
function sortedObject(entries: Entries): Record<string, unknown> {
  const byKey = new Map<string, unknown>();
  for (const { json, value } of entries.values()) byKey.set(json, value);
  const out: Record<string, unknown> = {};
  for (const key of [...byKey.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) setOwn(out, key, byKey.get(key));
  return out;
}

/** sigs.k8s.io/yaml writes float keys as go-yaml does, with `.inf`/`.nan` spellings. */
function floatKey(n: number): string {
  if (Number.isNaN(n)) return '.nan';
  if (n === Infinity) return '.inf';
  if (n === -Infinity) return '-.inf';
  return String(n);
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);

/**
 * A scalar node as go-yaml v2 decodes it into interface{}: quoted and block scalars without a tag are
 * strings, plain ones are resolved; integers come back as bigint, timestamps and `<<` as their text.
 */
function resolveNode(node: Scalar): Resolved {
  const text = String(node.value ?? '');
  const tag = shortTag(node.tag);
  if (tag === '' && node.type !== 'PLAIN') return { tag: '!!str', value: text };
  const resolved = resolveScalar(tag, text);
  switch (resolved.tag) {
    case '!!binary':
      return { tag: '!!str', value: decodeBinary(text) };
    case '!!timestamp':
    case '!!merge':
      return { tag: '!!str', value: text };
    case '!!str':
    case '!!int':
    case '!!float':
    case '!!bool':
    case '!!null':
      return resolved;
    default:
      return { tag: '!!str', value: text }; // unknown tags (`!foo`) keep the text
  }
}

const goFloat = (n: number) => (Number.isNaN(n) ? 'NaN' : n > 0 ? '+Inf' : '-Inf');

const LONG_TAG_PREFIX = 'tag:yaml.org,2002:';

function shortTag(tag: string | undefined): string {
  if (!tag) return '';
  return tag.startsWith(LONG_TAG_PREFIX) ? `!!${tag.slice(LONG_TAG_PREFIX.length)}` : tag;
}

interface Resolved {
  tag: string;
  value: unknown;
}

const RESOLVABLE_TAGS = new Set(['', '!!str', '!!bool', '!!int', '!!float', '!!null', '!!timestamp']);

const resolvedAs = (tag: string, value: unknown, spellings: string[]): [string, Resolved][] =>
  spellings.map((s) => [s, { tag, value }]);

/** go-yaml v2 resolve.go resolveMap. */
const RESOLVE_MAP: ReadonlyMap<string, Resolved> = new Map([
  ...resolvedAs('!!bool', true, ['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON']),
  ...resolvedAs('!!bool', false, ['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF']),
  ...resolvedAs('!!null', null, ['', '~', 'null', 'Null', 'NULL']),
  ...resolvedAs('!!float', NaN, ['.nan', '.NaN', '.NAN']),
  ...resolvedAs('!!float', Infinity, ['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF']),
  ...resolvedAs('!!float', -Infinity, ['-.inf', '-.Inf', '-.INF']),
  ...resolvedAs('!!merge', '<<', ['<<']),
]);

const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const DOT_FLOAT = /^\.[0-9]+([eE][-+]?[0-9]+)?$/;

function resolveHint(first: string): string {
  if (first === '+' || first === '-') return 'S';
  if (first >= '0' && first <= '9') return 'D';
  if ('yYnNtTfFoO~'.includes(first)) return 'M';
  if (first === '.') return '.';
  return '';
}

/** go-yaml v2 `resolve`, including its check that an explicit tag matches what the text resolves to. */
function resolveScalar(tag: string, text: string): Resolved {
  if (!RESOLVABLE_TAGS.has(tag)) return { tag, value: text };
  const resolved = resolveUntyped(tag, text);
  if (tag === '' || tag === resolved.tag || tag === '!!str') return resolved;
  if (tag === '!!float' && resolved.tag === '!!int') return { tag: '!!float', value: Number(resolved.value) };
  throw yamlError(`cannot decode ${resolved.tag} \`${text}\` as a ${tag}`);
}

function resolveUntyped(tag: string, text: string): Resolved {
  const hint = text === '' ? 'N' : resolveHint(text[0]);
  if (!hint || tag === '!!str') return { tag: '!!str', value: text };
  const known = RESOLVE_MAP.get(text);
  if (known) return known;
  if (hint === '.') {
    const f = Number(text);
    if (DOT_FLOAT.test(text) && Number.isFinite(f)) return { tag: '!!float', value: f };
  } else if (hint === 'D' || hint === 'S') {
    if ((tag === '' || tag === '!!timestamp') && isTimestamp(text)) return { tag: '!!timestamp', value: text };
    const plain = text.replaceAll('_', '');
    const int = parseGoInteger(plain);
    if (int !== undefined) return { tag: '!!int', value: int };
    if (YAML_STYLE_FLOAT.test(plain)) {
      const f = Number(plain);
      // Go's ParseFloat fails on overflow, and go-yaml then keeps the text as a string.
      if (Number.isFinite(f)) return { tag: '!!float', value: f };
    }
  }
  return { tag: '!!str', value: text };
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;
const GO_INTEGER = /^([+-]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/;

/** strconv.ParseInt(s, 0, 64), falling back to ParseUint(s, 0, 64) as go-yaml does. */
function parseGoInteger(s: string): bigint | undefined {
  const m = GO_INTEGER.exec(s);
  if (!m) return undefined;
  const [, sign, body] = m;
  const prefix = body.slice(0, 2).toLowerCase();
  let magnitude: bigint;
  if (prefix === '0x' || prefix === '0o' || prefix === '0b') magnitude = BigInt(`0${prefix[1]}${body.slice(2)}`);
  else if (body.length > 1 && body[0] === '0') magnitude = BigInt(`0o${body.slice(1)}`);
  else magnitude = BigInt(body);
  const n = sign === '-' ? -magnitude : magnitude;
  if (n >= INT64_MIN && n <= INT64_MAX) return n;
  if (sign === '' && n <= UINT64_MAX) return n;
  return undefined;
}

// The layouts go-yaml v2 tries with time.Parse ("2006-1-2T15:4:5.999999999Z07:00", "2006-1-2 15:4:5.999999999",
// "2006-1-2"); they only matter for an explicit !!timestamp tag since the value stays a string.
const TIMESTAMP = /^\d{4}-\d{1,2}-\d{1,2}(?:(?:[Tt]\d{1,2}:\d{1,2}:\d{1,2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2}))|(?: \d{1,2}:\d{1,2}:\d{1,2}(?:\.\d+)?))?$/;

function isTimestamp(s: string): boolean {
  return TIMESTAMP.test(s);
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** !!binary: Go's StdEncoding skips CR/LF; the bytes become a string with invalid UTF-8 replaced. */
function decodeBinary(text: string): string {
  const compact = text.replace(/[\r\n]/g, '');
  if (!BASE64.test(compact)) throw yamlError('!!binary value contains invalid base64 data');
  return Buffer.from(compact, 'base64').toString('utf8');
}
