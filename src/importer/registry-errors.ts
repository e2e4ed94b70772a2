// The errors the registry client produces, worded as distribution's client and Go's net/http word theirs,
// because import statuses carry these texts (`Internal error occurred: <ref>: <error>`) and the status
// mapping recognises some of them (UNAUTHORIZED, MANIFEST_UNKNOWN, `no basic auth credentials`, ...).

/** errcode descriptors the client knows: value → default message. Unknown values decode as UNKNOWN. */
const ERROR_CODE_MESSAGES: Record<string, string> = {
  UNKNOWN: 'unknown error',
  UNSUPPORTED: 'The operation is unsupported.',
  UNAUTHORIZED: 'authentication required',
  DENIED: 'requested access to the resource is denied',
  UNAVAILABLE: 'service unavailable',
  TOOMANYREQUESTS: 'too many requests',
  DIGEST_INVALID: 'provided digest did not match uploaded content',
  SIZE_INVALID: 'provided length did not match content length',
  NAME_INVALID: 'invalid repository name',
  TAG_INVALID: 'manifest tag did not match URI',
  NAME_UNKNOWN: 'repository name not known to registry',
  MANIFEST_UNKNOWN: 'manifest unknown',
  MANIFEST_INVALID: 'manifest invalid',
  MANIFEST_UNVERIFIED: 'manifest failed signature verification',
  MANIFEST_BLOB_UNKNOWN: 'blob unknown to registry',
  BLOB_UNKNOWN: 'blob unknown to registry',
  BLOB_UPLOAD_UNKNOWN: 'blob upload unknown to registry',
  BLOB_UPLOAD_INVALID: 'blob upload invalid',
  PAGINATION_NUMBER_INVALID: 'invalid number of results requested',
  RANGE_INVALID: 'invalid content range',
};

export interface RegistryErrorEntry {
  code: string;
  message: string;
  /** Whether the entry carried its own message or detail (an errcode.Error rather than a bare ErrorCode). */
  full: boolean;
}

const codeText = (code: string) => code.toLowerCase().replaceAll('_', ' ');

/** errcode.Errors: what a registry's JSON error body decodes to. */
export class RegistryErrors extends Error {
  constructor(readonly entries: RegistryErrorEntry[]) {
    const texts = entries.map((e) => (e.full ? `${codeText(e.code)}: ${e.message}` : codeText(e.code)));
    super(texts.length === 1 ? texts[0] : `errors:\n${texts.map((t) => `${t}\n`).join('')}`);
  }

  has(code: string): boolean {
    return this.entries.some((e) => e.code === code);
  }

  /** One errcode.Error with a message of its own (ErrorCode.WithMessage / WithDetail). */
  static single(code: string, message = ERROR_CODE_MESSAGES[code] ?? ''): RegistryErrors {
    return new RegistryErrors([{ code, message, full: true }]);
  }
}

/** A registry answered outside the protocol (UnexpectedHTTPStatusError / UnexpectedHTTPResponseError). */
export class UnexpectedResponseError extends Error {}

/** A request that never produced a response, worded as Go's url.Error: `Get "<url>": <cause>`. */
export class TransportError extends Error {
  constructor(
    readonly method: string,
    readonly url: string,
    readonly cause: string,
    /** Network failures and timeouts are worth a retry; refusals by policy are not. */
    readonly temporary: boolean,
  ) {
    super(`${method.charAt(0)}${method.slice(1).toLowerCase()} ${JSON.stringify(url)}: ${cause}`);
  }
}

/** The registry does not speak the v2 API (distribution's ping check). */
export class NotV2RegistryError extends Error {
  constructor(url: string, status: string) {
    super(`endpoint ${JSON.stringify(url)} does not support v2 API (got ${status})`);
  }
}

/** Whether `err` is (or contains) the registry error code `code` (isDockerError). */
export function isRegistryError(err: unknown, code: string): boolean {
  return err instanceof RegistryErrors && err.has(code);
}

/** An HTTP status line as Go prints resp.Status: `404 Not Found`. */
export function statusLine(status: number, statusText: string): string {
  return `${status} ${statusText || HTTP_STATUS_TEXT[status] || ''}`.trimEnd();
}

const HTTP_STATUS_TEXT: Record<number, string> = {
  200: 'OK',
  301: 'Moved Permanently',
  302: 'Found',
  307: 'Temporary Redirect',
  308: 'Permanent Redirect',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** distribution's HandleErrorResponse over a response's status, headers and body. */
export function errorFromResponse(status: number, statusText: string, body: Buffer, bearerError?: { error: string; description: string }): Error {
  if (status < 400 || status >= 500) return new UnexpectedResponseError(`received unexpected HTTP status: ${statusLine(status, statusText)}`);
  const parsed = parseErrorBody(status, body);
  if (bearerError && (bearerError.error === 'invalid_token' || bearerError.error === 'insufficient_scope')) {
    const code = bearerError.error === 'invalid_token' ? 'UNAUTHORIZED' : 'DENIED';
    const first: RegistryErrorEntry = { code, message: bearerError.description || ERROR_CODE_MESSAGES[code], full: true };
    return new RegistryErrors([first, ...(parsed instanceof RegistryErrors ? parsed.entries : [])]);
  }
  if (parsed instanceof UnexpectedResponseError && status === 401) return RegistryErrors.single('UNAUTHORIZED');
  return parsed;
}

function parseErrorBody(status: number, body: Buffer): Error {
  const text = body.toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return new UnexpectedResponseError(`error parsing HTTP ${status} response body: ${(err as Error).message}: ${JSON.stringify(text)}`);
  }
  // Old registries (and Docker Hub's token server) answer {"details": "..."}.
  const details = (json as { details?: unknown } | null)?.details;
  if (typeof details === 'string' && details) {
    const code = status === 401 ? 'UNAUTHORIZED' : status === 429 ? 'TOOMANYREQUESTS' : 'UNKNOWN';
    return RegistryErrors.single(code, details);
  }
  const errors = (json as { errors?: unknown } | null)?.errors;
  if (!Array.isArray(errors) || errors.length === 0) {
    return new UnexpectedResponseError(`error parsing HTTP ${status} response body: no error details found in HTTP response body: ${JSON.stringify(text)}`);
  }
  return new RegistryErrors(
    errors.map((e: { code?: unknown; message?: unknown; detail?: unknown }) => {
      const value = typeof e?.code === 'string' ? e.code.toUpperCase() : '';
      const code = Object.hasOwn(ERROR_CODE_MESSAGES, value) ? value : 'UNKNOWN';
      const message = typeof e?.message === 'string' ? e.message : '';
      const full = (e?.detail !== undefined && e?.detail !== null) || (message !== '' && message !== ERROR_CODE_MESSAGES[code]);
      return { code, message: message || ERROR_CODE_MESSAGES[code], full };
    }),
  );
}
