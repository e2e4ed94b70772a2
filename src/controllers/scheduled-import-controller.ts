// The scheduled import controller (openshift-controller-manager ScheduledImageStreamController, Appendix A.2):
// streams with a tag whose `importPolicy.scheduled` is true sit on a bucket scheduler that brings each of them
// up about once per --scheduled-image-import-interval; then their scheduled tags are imported again through
// the ImageStreamImport path (a new image under the same tag moves it, an unchanged one writes nothing).
// Imports are rate limited cluster-wide (60 a minute, as upstream's default); a stream the spec-tag
// controller just imported waits a full turn.
import type { Logger } from 'pino';
import type { ImageStream } from '../apis/image/v1/imagestream/types.js';
import { BucketScheduler } from './bucket-scheduler.js';
import { streamKey, splitStreamKey, type ImageStreamHandlers } from './image-stream-events.js';
import { needsScheduling, withScheduledTagsReset } from './import-decisions.js';
import { isNotImportable } from './stream-import.js';
import { monotonicClock, TokenBucket, type Clock } from '../machinery/token-bucket.js';

/** The platform default of ScheduledImageImportMinimumIntervalSeconds: 15 minutes. */
export const DEFAULT_SCHEDULED_IMAGE_IMPORT_INTERVAL_MS = 15 * 60 * 1000;
/** The default of MaxScheduledImageImportsPerMinute. */
export const DEFAULT_MAX_SCHEDULED_IMAGE_IMPORTS_PER_MINUTE = 60;
const DEFAULT_BUCKET_SIZE = 4;

export interface ScheduledImportControllerDeps {
  getStream(namespace: string, name: string): Promise<ImageStream | undefined>;
  importStream(stream: ImageStream): Promise<unknown>;
  logger: Logger;
}

export interface ScheduledImportControllerOptions {
  intervalMs?: number;
  /** 0 or less: no limit. */
  maxImportsPerMinute?: number;
  clock?: Clock;
}

/** What a scheduled entry remembers of the stream it was added for. */
interface ScheduledStream {
  uid: string;
  resourceVersion: string;
}

/** Buckets for an interval: twice the default above an hour, half below ten minutes. */
export function scheduledImportBuckets(intervalMs: number, defaultSize = DEFAULT_BUCKET_SIZE): number {
  if (intervalMs > 60 * 60 * 1000) return defaultSize * 2;
  if (intervalMs < 10 * 60 * 1000) return Math.floor(defaultSize / 2);
  return defaultSize;
}

export class ScheduledImageImportController {
  readonly handlers: ImageStreamHandlers;
  readonly scheduler: BucketScheduler<ScheduledStream>;
  private readonly importLimiter: { tryAccept(): boolean };
  private abort: AbortController | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly deps: ScheduledImportControllerDeps,
    opts: ScheduledImportControllerOptions = {},
  ) {
    const intervalMs = opts.intervalMs ?? DEFAULT_SCHEDULED_IMAGE_IMPORT_INTERVAL_MS;
    if (!(intervalMs > 0)) throw new Error(`the scheduled import interval must be positive (got ${intervalMs} ms)`);
    const clock = opts.clock ?? monotonicClock;
    const buckets = scheduledImportBuckets(intervalMs);
    // One bucket per interval/buckets: each stream comes up once per interval.
    const bucketLimiter = new TokenBucket(buckets / (intervalMs / 1000), 1, clock);
    const perMinute = opts.maxImportsPerMinute ?? DEFAULT_MAX_SCHEDULED_IMAGE_IMPORTS_PER_MINUTE;
    this.importLimiter = perMinute > 0 ? new TokenBucket(perMinute / 60, perMinute * 2, clock) : { tryAccept: () => true };
    this.scheduler = new BucketScheduler<ScheduledStream>(
      buckets,
      bucketLimiter,
      (key, value) => this.syncTimed(key, value),
      (a, b) => a.uid === b.uid && a.resourceVersion === b.resourceVersion,
    );
    const enqueue = (stream: ImageStream) => this.enqueue(stream);
    this.handlers = { added: enqueue, modified: enqueue, deleted: (stream) => void this.scheduler.remove(streamKey(stream)) };
  }

  run(): void {
    if (this.abort) return;
    this.abort = new AbortController();
    this.running = this.scheduler.run(this.abort.signal);
  }

  /** Stops the schedule; resolves once an import under way has finished. */
  async stop(): Promise<void> {
    this.abort?.abort();
    await this.running;
  }

  /** The spec-tag controller is importing the stream: its scheduled turn moves a full round away. */
  importing(stream: ImageStream): void {
    this.scheduler.delay(streamKey(stream));
  }

  enqueue(stream: ImageStream): void {
    if (!needsScheduling(stream)) return;
    this.scheduler.add(streamKey(stream), { uid: stream.metadata.uid ?? '', resourceVersion: stream.metadata.resourceVersion ?? '' });
  }

  /** A stream's turn: import its scheduled tags, or drop it when there is nothing (left) to schedule. */
  async syncTimed(key: string, value: ScheduledStream): Promise<void> {
    // Over the limit: the stream just waits for its next turn.
    if (!this.importLimiter.tryAccept()) return;
    try {
      if ((await this.syncTimedByName(key)) === 'not-importable') this.scheduler.remove(key, value);
    } catch (err) {
      // Only the version that was scheduled goes: a newer one was added for a reason.
      if (isNotImportable(err)) this.scheduler.remove(key, value);
      else this.deps.logger.warn({ err, stream: key }, 'scheduled import of image stream failed');
    }
  }

  private async syncTimedByName(key: string): Promise<'not-importable' | undefined> {
    const { namespace, name } = splitStreamKey(key);
    const stream = await this.deps.getStream(namespace, name);
    if (!stream || !needsScheduling(stream)) return 'not-importable';
    this.deps.logger.debug({ stream: key }, 'scheduled import of image stream');
    await this.deps.importStream(withScheduledTagsReset(stream));
    return undefined;
  }
}
