// Go's url.PathUnescape, which both the request path (URL.Path) and the X-Remote-Extra- keys go through.

/** %XX sequences decoded as UTF-8 bytes, '+' kept; a malformed escape leaves the whole text as it was. */
export function pathUnescape(s: string): string {
  if (!s.includes('%') || /%(?![0-9A-Fa-f]{2})/.test(s)) return s;
  return s.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => Buffer.from(run.replace(/%/g, ''), 'hex').toString('utf8'));
}
