// LIST with kube's resourceVersion, pagination and selector semantics (apiserver-semantics §7).
import { decodeContinue, encodeContinue } from '../machinery/continue.js';
import { gone, tooLargeResourceVersion } from '../machinery/errors.js';
import type { KubeObject, ListMeta } from '../machinery/object.js';
import { StorageError, type Storage, type StoredValue } from '../storage/storage.js';
import type { RegistryListOptions } from './list-options.js';
import { objectFilter } from './filter.js';
import type { Store } from './store.js';

export interface ObjectList {
  kind: string;
  apiVersion: string;
  metadata: ListMeta;
  items: KubeObject[];
}

const CONTINUE_TOO_OLD =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.';

/** How long a read waits for a resourceVersion newer than the store before 504 (kube: ~3 s). */
const TOO_LARGE_WAIT_MS = 3000;

export async function listObjects(store: Store, namespace: string | undefined, opts: RegistryListOptions): Promise<ObjectList> {
  const prefix = store.prefix(namespace);
  const filter = objectFilter(store, opts);
  let revision: number | undefined;
  let startKey: string | undefined;

  if (opts.continue) {
    const token = decodeContinue(opts.continue, prefix);
    startKey = token.startKey;
    revision = token.rv > 0 ? token.rv : undefined;
  } else if (opts.resourceVersion && opts.resourceVersion !== '0') {
    const requested = Number(opts.resourceVersion);
    const exact = opts.resourceVersionMatch === 'Exact' || (!opts.resourceVersionMatch && (opts.limit ?? 0) > 0);
    await waitForRevision(store.storage, requested);
    if (exact) revision = requested;
  }

  try {
    const res = await store.storage.list(prefix, { revision, startKey, limit: opts.limit, filter });
    const metadata: ListMeta = { resourceVersion: String(res.revision) };
    if (res.more && res.lastKey !== undefined) {
      metadata.continue = encodeContinue(res.revision, res.lastKey + '\u0000', prefix);
      // kube reports the count only for unfiltered lists.
      const filtered = !!(opts.labelSelector && !opts.labelSelector.empty) || !!(opts.fieldSelector && !opts.fieldSelector.empty);
      if (!filtered && res.remaining !== undefined) metadata.remainingItemCount = res.remaining;
    }
    return {
      kind: store.def.listKind,
      apiVersion: store.apiVersion,
      metadata,
      items: res.items.map((i) => store.present(i.object)),
    };
  } catch (err) {
    if (err instanceof StorageError && err.code === 'TooOld') {
      if (opts.continue && startKey !== undefined) {
        throw gone(CONTINUE_TOO_OLD, { metadata: { continue: encodeContinue(-1, startKey, prefix) } });
      }
      throw gone('The resourceVersion for the provided list is too old.');
    }
    if (err instanceof StorageError && err.code === 'TooLarge') {
      throw tooLargeResourceVersion(revision ?? 0, err.revision);
    }
    throw err;
  }
}

/** A read at resourceVersion N waits briefly for the store to reach N, then answers 504 as kube does. */
export async function waitForRevision(storage: Storage, requested: number): Promise<void> {
  const deadline = Date.now() + TOO_LARGE_WAIT_MS;
  for (;;) {
    const current = await storage.currentRevision();
    if (requested <= current) return;
    if (Date.now() >= deadline) throw tooLargeResourceVersion(requested, current);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export type { StoredValue };
