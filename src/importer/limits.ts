// The bounds of one import: what a slow or hostile registry can cost the server.

export interface ImportLimits {
  /** The whole import (every registry request of one ImageStreamImport). */
  totalTimeoutMs: number;
  /** One HTTP request, headers and body. */
  requestTimeoutMs: number;
  /** The `/v2/` probe (distribution's 15 s ping timeout). */
  pingTimeoutMs: number;
  maxManifestBytes: number;
  maxConfigBytes: number;
  maxTokenBytes: number;
  maxTagListBytes: number;
  /** Error bodies and anything else read only for diagnostics. */
  maxOtherBytes: number;
  /** Pages of a tag list followed through `Link: rel="next"`. */
  maxTagPages: number;
  maxRedirects: number;
  /** Requests per second per repository (and burst), as upstream's per-repository limiter. */
  repositoryQPS: number;
  repositoryBurst: number;
  /** Manifest fetches per second per import (and burst). */
  manifestQPS: number;
  manifestBurst: number;
  /** Temporary failures are retried this many times; waits are multiplied by retryDelayScale. */
  retries: number;
  retryDelayScale: number;
}

export const DEFAULT_IMPORT_LIMITS: ImportLimits = {
  // Below the API server's 60 s request deadline, so the import's own statuses reach the client.
  totalTimeoutMs: 50_000,
  requestTimeoutMs: 30_000,
  pingTimeoutMs: 15_000,
  // distribution refuses manifests over 4 MiB; containers/image bounds configs and JSON bodies alike.
  maxManifestBytes: 4 * 1024 * 1024,
  maxConfigBytes: 4 * 1024 * 1024,
  maxTokenBytes: 1024 * 1024,
  maxTagListBytes: 4 * 1024 * 1024,
  maxOtherBytes: 64 * 1024,
  maxTagPages: 100,
  maxRedirects: 5,
  repositoryQPS: 5,
  repositoryBurst: 5,
  manifestQPS: 2,
  manifestBurst: 3,
  retries: 2,
  retryDelayScale: 1,
};
