// Which of a stream's images an imagestreamimages id names: the id may be a full image name, a prefix of
// one, or a prefix of a digest's hex part.

const DIGEST_HEX_LENGTH: ReadonlyMap<string, number> = new Map([
  ['sha256', 64],
  ['sha384', 96],
  ['sha512', 128],
]);

/** The hex part of a digest go-digest accepts (known algorithm, lower-case hex of its length). */
function digestHex(name: string): string | undefined {
  const colon = name.indexOf(':');
  if (colon <= 0) return undefined;
  const hex = name.slice(colon + 1);
  const length = DIGEST_HEX_LENGTH.get(name.slice(0, colon));
  return length !== undefined && hex.length === length && /^[a-f0-9]+$/.test(hex) ? hex : undefined;
}

export function imageMatchesID(imageName: string, id: string): boolean {
  return imageName.startsWith(id) || (digestHex(imageName)?.startsWith(id) ?? false);
}

/**
 * The matching image name; undefined when none matches. Several matches are not reported: upstream
 * walks a map and keeps the last match, so which one wins is unspecified there (here: the last in order).
 */
export function resolveImageID(imageNames: Iterable<string>, id: string): string | undefined {
  let found: string | undefined;
  for (const name of imageNames) if (imageMatchesID(name, id)) found = name;
  return found;
}
