// The spec-tag import controller (openshift-controller-manager ImageStreamController, Appendix A.1): every
// stream added or changed is queued by `namespace/name`; a worker reads the stream as it is now and, when a
// spec tag's generation is newer than its status observed, imports it through the ImageStreamImport path.
// Failures are retried with the controller rate limiter's back-off; a stream that is gone is dropped.
import type { Logger } from 'pino';
import type { ImageStream } from '../apis/image/v1/imagestream/types.js';
import type { ImageStreamHandlers } from './image-stream-events.js';
import { splitStreamKey, streamKey } from './image-stream-events.js';
import { needsImport } from './import-decisions.js';
import { defaultControllerRateLimiter, type ItemRateLimiter } from './rate-limiter.js';
import { isNotImportable } from './stream-import.js';
import { RateLimitingQueue } from './work-queue.js';

export interface ImageImportControllerDeps {
  /** The stream as stored now; undefined when it does not exist. */
  getStream(namespace: string, name: string): Promise<ImageStream | undefined>;
  /** Imports what the stream needs (importStream). */
  importStream(stream: ImageStream): Promise<unknown>;
  /** Told before a stream is imported (the scheduled controller then pushes its next turn back). */
  onImporting?(stream: ImageStream): void;
  logger: Logger;
}

export interface ImageImportControllerOptions {
  /** Streams imported at once (upstream runs 5 workers). */
  workers?: number;
  rateLimiter?: ItemRateLimiter;
}

export class ImageImportController {
  readonly handlers: ImageStreamHandlers;
  private readonly queue: RateLimitingQueue;
  private readonly workerCount: number;
  private workers: Promise<void>[] = [];

  constructor(
    private readonly deps: ImageImportControllerDeps,
    opts: ImageImportControllerOptions = {},
  ) {
    this.queue = new RateLimitingQueue(opts.rateLimiter ?? defaultControllerRateLimiter());
    this.workerCount = opts.workers ?? 5;
    // Every watch event is a new resourceVersion, so every one is worth a look (updateImageStream's check).
    const enqueue = (stream: ImageStream) => this.queue.add(streamKey(stream));
    this.handlers = { added: enqueue, modified: enqueue };
  }

  run(): void {
    for (let i = 0; i < this.workerCount; i++) this.workers.push(this.work());
  }

  /** Stops handing out streams; resolves when the imports under way have finished. */
  async stop(): Promise<void> {
    this.queue.shutDown();
    await Promise.all(this.workers.splice(0));
  }

  /** Processes one key as a worker does: import, then forget it or queue it again with back-off. */
  async sync(key: string): Promise<void> {
    try {
      await this.syncStream(key);
      this.queue.forget(key);
    } catch (err) {
      if (isNotImportable(err)) {
        this.queue.forget(key);
        return;
      }
      this.deps.logger.warn({ err, stream: key, retries: this.queue.retries(key) }, 'error syncing image stream');
      this.queue.addRateLimited(key);
    }
  }

  private async work(): Promise<void> {
    for (;;) {
      const key = await this.queue.get();
      if (key === undefined) return;
      try {
        await this.sync(key);
      } finally {
        this.queue.done(key);
      }
    }
  }

  private async syncStream(key: string): Promise<void> {
    const { namespace, name } = splitStreamKey(key);
    const stream = await this.deps.getStream(namespace, name);
    if (!stream || !needsImport(stream).needed) return;
    this.deps.logger.debug({ stream: key }, 'importing image stream');
    this.deps.onImporting?.(stream);
    await this.deps.importStream(stream);
  }
}
