// The controllers' view of image streams: a watch of every namespace that starts with the stored streams
// (ADDED for each) and then follows every change, like a client-go informer over the storage's event log.
// When the watch ends (its history expired, the storage hiccuped) it is started again after a pause, which
// lists the streams again: controllers decide from the objects, so seeing a stream twice is harmless.
import type { Logger } from 'pino';
import type { WatchEventType, WatchHandle, WatchSink } from '../registry/watch.js';
import type { ImageStream } from '../apis/image/v1/imagestream/types.js';

export interface ImageStreamHandlers {
  added?(stream: ImageStream): void;
  modified?(stream: ImageStream): void;
  deleted?(stream: ImageStream): void;
}

/** Starts a watch of all image streams with their current state first (REST.watch with initial events). */
export type WatchImageStreams = (sink: WatchSink) => Promise<WatchHandle>;

export interface ImageStreamEventsOptions {
  /** Pause before the watch is started again after it ended or failed to start (default 1 s). */
  restartDelayMs?: number;
}

export class ImageStreamEvents {
  private handle: WatchHandle | undefined;
  private restartTimer: NodeJS.Timeout | undefined;
  private stopped = true;
  private readonly restartDelayMs: number;

  constructor(
    private readonly watch: WatchImageStreams,
    private readonly handlers: readonly ImageStreamHandlers[],
    private readonly logger: Logger,
    opts: ImageStreamEventsOptions = {},
  ) {
    this.restartDelayMs = opts.restartDelayMs ?? 1000;
  }

  /** Resolves once the streams stored now have been handed to the handlers (or the first attempt failed). */
  async start(): Promise<void> {
    this.stopped = false;
    await this.connect();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.restartTimer);
    this.handle?.stop();
    this.handle = undefined;
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    let ended = false;
    const sink: WatchSink = {
      send: (type, object) => {
        if (!this.stopped) this.dispatch(type, object);
      },
      end: () => {
        if (ended) return;
        ended = true;
        this.handle = undefined;
        this.scheduleRestart();
      },
    };
    try {
      const handle = await this.watch(sink);
      if (this.stopped || ended) handle.stop();
      else this.handle = handle;
    } catch (err) {
      this.logger.warn({ err }, 'image stream watch failed to start; retrying');
      this.scheduleRestart();
    }
  }

  private scheduleRestart(): void {
    if (this.stopped) return;
    clearTimeout(this.restartTimer);
    this.restartTimer = setTimeout(() => void this.connect(), this.restartDelayMs);
  }

  private dispatch(type: WatchEventType, object: unknown): void {
    if (type === 'ERROR') return void this.logger.info({ status: object }, 'image stream watch ended; starting it again');
    const stream = object as ImageStream;
    for (const h of this.handlers) {
      if (type === 'ADDED') h.added?.(stream);
      else if (type === 'MODIFIED') h.modified?.(stream);
      else if (type === 'DELETED') h.deleted?.(stream);
    }
  }
}

/** The work-queue key of a stream: `namespace/name`, as client-go's MetaNamespaceKeyFunc. */
export function streamKey(stream: ImageStream): string {
  return `${stream.metadata.namespace ?? ''}/${stream.metadata.name ?? ''}`;
}

export function splitStreamKey(key: string): { namespace: string; name: string } {
  const slash = key.indexOf('/');
  return { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}
