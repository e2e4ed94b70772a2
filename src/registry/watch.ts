// WATCH: initial state, replay from a resourceVersion, selector transitions, bookmarks (apiserver-semantics §8).
import { StatusError } from '../machinery/errors.js';
import type { KubeObject } from '../machinery/object.js';
import { StorageError, type StorageEvent, type Watcher } from '../storage/storage.js';
import { objectFilter } from './filter.js';
import type { RegistryListOptions } from './list-options.js';
import type { Store } from './store.js';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export interface WatchSink {
  /** Writes one event; the sink serializes it. */
  send(type: WatchEventType, object: unknown): void;
  /** Ends the stream (after an ERROR, on timeout, or when storage stops). */
  end(): void;
}

export interface WatchHandle {
  stop(): void;
}

const BOOKMARK_INTERVAL_MS = 60_000;

/**
 * Starts a watch. Errors detected before streaming (none here beyond option parsing) throw;
 * a too-old resourceVersion becomes an ERROR event followed by the end of the stream, as kube does.
 */
export async function startWatch(
  store: Store,
  namespace: string | undefined,
  opts: RegistryListOptions,
  sink: WatchSink,
  timers: { setInterval: typeof setInterval; clearInterval: typeof clearInterval } = { setInterval, clearInterval },
): Promise<WatchHandle> {
  const prefix = store.prefix(namespace);
  const filter = objectFilter(store, opts);
  const matches = (obj: unknown) => !filter || filter(obj as KubeObject);
  let lastRevision = 0;
  let stopped = false;
  let watcher: Watcher | undefined;
  let bookmarkTimer: ReturnType<typeof setInterval> | undefined;

  const stop = () => {
    if (stopped) return;
    stopped = true;
    watcher?.stop();
    if (bookmarkTimer) timers.clearInterval(bookmarkTimer);
  };
  const fail = (status: StatusError) => {
    sink.send('ERROR', status.status);
    stop();
    sink.end();
  };
  const bookmark = (revision: number, initialEventsEnd = false) => {
    const metadata: Record<string, unknown> = { resourceVersion: String(revision) };
    if (initialEventsEnd) metadata.annotations = { 'k8s.io/initial-events-end': 'true' };
    sink.send('BOOKMARK', { kind: store.def.kind, apiVersion: store.apiVersion, metadata });
  };

  const rv = opts.resourceVersion ?? '';
  const initialEvents = opts.sendInitialEvents ?? (rv === '' || rv === '0');
  let fromRevision: number;
  if (initialEvents) {
    const snapshot = await store.storage.list(prefix, { filter });
    for (const item of snapshot.items) sink.send('ADDED', store.present(item.object));
    fromRevision = snapshot.revision;
    lastRevision = snapshot.revision;
    if (opts.sendInitialEvents && opts.allowWatchBookmarks) bookmark(snapshot.revision, true);
  } else {
    fromRevision = rv === '' || rv === '0' ? await store.storage.currentRevision() : Number(rv);
    lastRevision = fromRevision;
  }

  const onEvent = (ev: StorageEvent) => {
    if (stopped) return;
    const now = matches(ev.object);
    const before = ev.prevObject !== undefined && matches(ev.prevObject);
    lastRevision = ev.revision;
    if (ev.type === 'DELETED') {
      if (before || (ev.prevObject === undefined && now)) sink.send('DELETED', store.present(ev.object));
      return;
    }
    if (now && before) sink.send('MODIFIED', store.present(ev.object));
    else if (now) sink.send('ADDED', store.present(ev.object));
    else if (before) {
      // Leaving the selector is a deletion for this watcher: previous state, at this change's revision.
      const last = structuredClone(ev.prevObject!) as KubeObject;
      last.metadata.resourceVersion = String(ev.revision);
      sink.send('DELETED', store.present(last));
    }
  };

  try {
    watcher = await store.storage.watch(prefix, {
      fromRevision,
      onEvent,
      onError: (err) => fail(new StatusError(410, 'Expired', err.message)),
    });
  } catch (err) {
    if (err instanceof StorageError && err.code === 'TooOld') {
      fail(new StatusError(410, 'Expired', `too old resource version: ${fromRevision} (${err.revision})`));
      return { stop };
    }
    throw err;
  }

  if (opts.allowWatchBookmarks) {
    bookmarkTimer = timers.setInterval(() => {
      void store.storage.currentRevision().then((rev) => {
        if (!stopped) bookmark(Math.max(rev, lastRevision));
      });
    }, BOOKMARK_INTERVAL_MS);
    bookmarkTimer.unref?.();
  }
  return { stop };
}
