// Content digests as opencontainers/go-digest computes and checks them: always over the exact bytes received.
import { createHash } from 'node:crypto';

const HEX_LENGTH: Record<string, number> = { sha256: 64, sha384: 96, sha512: 128 };

/** `sha256:<hex>` of the bytes (godigest.FromBytes). */
export function digestOf(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/** The algorithm and hex of a well-formed digest, or undefined (godigest.Parse). */
export function parseDigest(digest: string): { algorithm: string; hex: string } | undefined {
  const colon = digest.indexOf(':');
  if (colon <= 0) return undefined;
  const algorithm = digest.slice(0, colon);
  const hex = digest.slice(colon + 1);
  if (HEX_LENGTH[algorithm] === undefined || hex.length !== HEX_LENGTH[algorithm] || !/^[a-f0-9]+$/.test(hex)) return undefined;
  return { algorithm, hex };
}

/** Whether the bytes hash to `digest` with the digest's own algorithm. */
export function digestMatches(digest: string, bytes: Uint8Array): boolean {
  const parsed = parseDigest(digest);
  return !!parsed && createHash(parsed.algorithm).update(bytes).digest('hex') === parsed.hex;
}
