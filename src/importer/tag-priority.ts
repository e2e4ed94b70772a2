// The order in which a repository import picks tags (library-go image/imageutil PrioritizeTags): `latest`,
// then minor versions (`5.1`, `v5.1`, `5.1-rc1`) newest first, then full semantic versions newest first,
// then everything else in byte order. Only the first N tags of that order are imported.

interface SemVer {
  major: bigint;
  minor: bigint;
  patch: bigint;
  pre: string[];
}

const enum Priority {
  Latest = 0,
  Minor = 1,
  Full = 2,
  Other = 3,
}

interface PrioritizedTag {
  tag: string;
  priority: Priority;
  version?: SemVer;
  prefix: string;
}

const NUMERIC = /^(0|[1-9][0-9]*)$/;
const IDENTIFIER = /^[0-9A-Za-z-]+$/;
const MINOR = /^\d+\.\d+$/;
const MINOR_WITH_SUFFIX = /^(\d+\.\d+)-\w+$/;

/** blang/semver Parse: `X.Y.Z[-pre][+build]`, no leading zeros in numbers; undefined where it errors. */
export function parseSemVer(text: string): SemVer | undefined {
  const plus = text.indexOf('+');
  const core = plus < 0 ? text : text.slice(0, plus);
  if (plus >= 0 && !text.slice(plus + 1).split('.').every((b) => IDENTIFIER.test(b))) return undefined;
  const dash = core.indexOf('-');
  const numbers = (dash < 0 ? core : core.slice(0, dash)).split('.');
  if (numbers.length !== 3 || !numbers.every((n) => NUMERIC.test(n))) return undefined;
  const pre = dash < 0 ? [] : core.slice(dash + 1).split('.');
  for (const p of pre) {
    if (!IDENTIFIER.test(p)) return undefined;
    if (/^[0-9]+$/.test(p) && !NUMERIC.test(p)) return undefined;
  }
  return { major: BigInt(numbers[0]), minor: BigInt(numbers[1]), patch: BigInt(numbers[2]), pre };
}

const cmp = (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0);

/** blang/semver Compare: numbers, then a release beats any pre-release, then pre-release parts. */
export function compareSemVer(a: SemVer, b: SemVer): number {
  const core = cmp(a.major, b.major) || cmp(a.minor, b.minor) || cmp(a.patch, b.patch);
  if (core !== 0) return core;
  if (a.pre.length === 0 && b.pre.length === 0) return 0;
  if (a.pre.length === 0) return 1;
  if (b.pre.length === 0) return -1;
  for (let i = 0; i < Math.min(a.pre.length, b.pre.length); i++) {
    const x = a.pre[i];
    const y = b.pre[i];
    const xNum = /^[0-9]+$/.test(x);
    const yNum = /^[0-9]+$/.test(y);
    let c: number;
    if (xNum && yNum) c = cmp(BigInt(x), BigInt(y));
    else if (xNum) c = -1;
    else if (yNum) c = 1;
    else c = x < y ? -1 : x > y ? 1 : 0;
    if (c !== 0) return c;
  }
  return a.pre.length === b.pre.length ? 0 : a.pre.length < b.pre.length ? -1 : 1;
}

function prioritize(tag: string): PrioritizedTag {
  if (tag === 'latest') return { tag, priority: Priority.Latest, prefix: '' };
  const prefix = tag.startsWith('v') ? 'v' : '';
  const short = prefix ? tag.slice(1) : tag;
  const full = parseSemVer(short);
  if (full) return { tag, priority: Priority.Full, version: full, prefix };
  if (MINOR.test(short)) {
    const v = parseSemVer(`${short}.0`);
    if (v) return { tag, priority: Priority.Minor, version: v, prefix };
  }
  const match = MINOR_WITH_SUFFIX.exec(short);
  if (match) {
    const v = parseSemVer(short.replace(match[1], `${match[1]}.0`));
    if (v) return { tag, priority: Priority.Minor, version: v, prefix };
  }
  return { tag, priority: Priority.Other, prefix };
}

const byteCompare = (a: string, b: string) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

function compare(a: PrioritizedTag, b: PrioritizedTag): number {
  if (a.priority !== b.priority) return a.priority - b.priority;
  if (a.priority === Priority.Other) return byteCompare(a.tag, b.tag);
  if (a.priority === Priority.Latest) return 0;
  const c = compareSemVer(a.version!, b.version!);
  if (c !== 0) return -c;
  return byteCompare(a.prefix, b.prefix);
}

/** The tags in import priority order (a new array). */
export function prioritizeTags(tags: readonly string[]): string[] {
  return tags.map(prioritize).sort(compare).map((t) => t.tag);
}
