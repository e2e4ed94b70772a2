// Go's time.ParseDuration, for the `timeout` query parameter (client-go sends e.g. `timeout=32s`).
// Kube echoes Go's error text to the client, so the grammar, the overflow rules and the messages
// are ported as they are, computing in int64 nanoseconds like Go does.

const UNIT_NANOS: ReadonlyMap<string, bigint> = new Map([
  ['ns', 1n],
  ['us', 1_000n],
  ['µs', 1_000n], // U+00B5 micro sign
  ['μs', 1_000n], // U+03BC Greek small letter mu
  ['ms', 1_000_000n],
  ['s', 1_000_000_000n],
  ['m', 60_000_000_000n],
  ['h', 3_600_000_000_000n],
]);

const TWO_63 = 1n << 63n;

/**
 * time's own quote(): unlike strconv.Quote it escapes every non-ASCII or control byte as \xNN
 * (so "1µx" prints as "1\xc2\xb5x").
 */
function timeQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0) as number;
    if (cp >= 0x80 || cp < 0x20) {
      for (const b of Buffer.from(ch, 'utf8')) out += `\\x${b.toString(16).padStart(2, '0')}`;
    } else {
      out += ch === '"' || ch === '\\' ? `\\${ch}` : ch;
    }
  }
  return `${out}"`;
}

const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';

/** Go's leadingInt: the leading [0-9]*, failing (undefined) past 2^63. */
function leadingInt(s: string): { value: bigint; rest: string } | undefined {
  let i = 0;
  let x = 0n;
  for (; i < s.length && isDigit(s[i]); i++) {
    if (x > TWO_63 / 10n) return undefined;
    x = x * 10n + BigInt(s.charCodeAt(i) - 48);
    if (x > TWO_63) return undefined;
  }
  return { value: x, rest: s.slice(i) };
}

/** Go's leadingFraction: digits after the point; stops gaining precision instead of overflowing. */
function leadingFraction(s: string): { value: bigint; scale: number; rest: string } {
  let i = 0;
  let x = 0n;
  let scale = 1;
  let overflow = false;
  for (; i < s.length && isDigit(s[i]); i++) {
    if (overflow) continue;
    if (x > (TWO_63 - 1n) / 10n) {
      overflow = true;
      continue;
    }
    const y = x * 10n + BigInt(s.charCodeAt(i) - 48);
    if (y > TWO_63) {
      overflow = true;
      continue;
    }
    x = y;
    scale *= 10;
  }
  return { value: x, scale, rest: s.slice(i) };
}

/** Parses a Go duration (`32s`, `1m0s`, `1.5h`, `300ms`, `-1s`, `0`) to nanoseconds. */
export function parseGoDurationNanos(text: string): bigint {
  const invalid = () => new Error(`time: invalid duration ${timeQuote(text)}`);
  let s = text;
  let neg = false;
  if (s !== '' && (s[0] === '-' || s[0] === '+')) {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return 0n;
  if (s === '') throw invalid();
  let d = 0n;
  while (s !== '') {
    if (!(s[0] === '.' || isDigit(s[0]))) throw invalid();
    const before = s.length;
    const int = leadingInt(s);
    if (!int) throw invalid();
    let v = int.value;
    s = int.rest;
    const pre = before !== s.length;
    let fraction = 0n;
    let scale = 1;
    let post = false;
    if (s[0] === '.') {
      s = s.slice(1);
      const len = s.length;
      const frac = leadingFraction(s);
      fraction = frac.value;
      scale = frac.scale;
      s = frac.rest;
      post = len !== s.length;
    }
    if (!pre && !post) throw invalid(); // no digits, e.g. ".s"
    let i = 0;
    while (i < s.length && s[i] !== '.' && !isDigit(s[i])) i++;
    if (i === 0) throw new Error(`time: missing unit in duration ${timeQuote(text)}`);
    const unitText = s.slice(0, i);
    s = s.slice(i);
    const unit = UNIT_NANOS.get(unitText);
    if (unit === undefined) throw new Error(`time: unknown unit ${timeQuote(unitText)} in duration ${timeQuote(text)}`);
    if (v > TWO_63 / unit) throw invalid();
    v *= unit;
    if (fraction > 0n) {
      // Go goes through float64 here too; it is nanosecond-exact up to hours.
      v += BigInt(Math.trunc(Number(fraction) * (Number(unit) / scale)));
      if (v > TWO_63) throw invalid();
    }
    d += v;
    if (d > TWO_63) throw invalid();
  }
  if (neg) return -d;
  if (d > TWO_63 - 1n) throw invalid();
  return d;
}

/**
 * Parses a Go duration to milliseconds (fractional below 1ms, e.g. `1us` → 0.001).
 * Throws an Error whose message is Go's, e.g. `time: invalid duration "abc"`.
 */
export function parseGoDuration(text: string): number {
  return Number(parseGoDurationNanos(text)) / 1e6;
}
