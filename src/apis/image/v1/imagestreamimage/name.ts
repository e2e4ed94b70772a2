// `<stream>@<id>` names of imagestreamimages (library-go imageutil.ParseImageStreamImageName).

/** Exactly one `@`, both sides non-empty; undefined otherwise. */
export function parseImageStreamImageName(name: string): { stream: string; id: string } | undefined {
  const parts = name.split('@');
  if (parts.length !== 2 || !parts[0] || !parts[1]) return undefined;
  return { stream: parts[0], id: parts[1] };
}
