// Runs the controllers --controllers selects, in process, over one image stream watch, while this replica
// leads (a single replica always does). start() in src/start.ts calls startControllers; closing the server
// stops them before the storage closes.
import type { Logger } from 'pino';
import { isStatusError } from '../machinery/errors.js';
import type { APIRegistry } from '../registry/registry.js';
import type { ImageImportRegistryOptions } from '../apis/image/v1/imagestreamimport/options.js';
import { imageStreamREST } from '../apis/image/v1/imagestream/rest.js';
import type { ImageStream } from '../apis/image/v1/imagestream/types.js';
import { IMAGE_IMPORT_CONTROLLER, isControllerEnabled, SCHEDULED_IMAGE_IMPORT_CONTROLLER } from './controller-selection.js';
import { ImageImportController } from './image-import-controller.js';
import { ImageStreamEvents, type ImageStreamHandlers } from './image-stream-events.js';
import { singleReplicaLeaderElector, type LeaderElector } from './leader-election.js';
import { ScheduledImageImportController } from './scheduled-import-controller.js';
import { importStream } from './stream-import.js';

export interface ControllerManagerOptions {
  /** The --controllers selection (`*`, `name`, `-name`). */
  controllers: readonly string[];
  /** --scheduled-image-import-interval (default 15 minutes). */
  scheduledImageImportIntervalMs?: number;
  /** Default: a single replica, always the leader. */
  leaderElector?: LeaderElector;
  /** Spec-tag import workers (default 5). */
  workers?: number;
  /** How long closing waits for imports under way before the storage goes (default 5 s). */
  stopGraceMs?: number;
}

export interface RunningControllers {
  /** Names of the controllers that run on this replica while it leads. */
  readonly enabled: readonly string[];
  stop(): Promise<void>;
}

const DEFAULT_STOP_GRACE_MS = 5_000;

export async function startControllers(registry: APIRegistry, logger: Logger, opts: ControllerManagerOptions): Promise<RunningControllers> {
  const enabled = [IMAGE_IMPORT_CONTROLLER, SCHEDULED_IMAGE_IMPORT_CONTROLLER].filter((name) => isControllerEnabled(name, opts.controllers));
  if (!enabled.length) return { enabled, stop: async () => undefined };

  const elector = opts.leaderElector ?? singleReplicaLeaderElector();
  let stopLeading: (() => Promise<void>) | undefined;
  await elector.run({
    onStartedLeading: async () => {
      stopLeading = await runControllers(registry, logger, enabled, opts);
      logger.info({ controllers: enabled }, 'controllers started');
    },
    onStoppedLeading: async () => {
      const stop = stopLeading;
      stopLeading = undefined;
      await stop?.();
    },
  });
  return { enabled, stop: () => elector.stop() };
}

/** Starts the controllers and their shared watch; returns how to stop them. */
async function runControllers(registry: APIRegistry, logger: Logger, enabled: readonly string[], opts: ControllerManagerOptions): Promise<() => Promise<void>> {
  const streams = imageStreamREST(registry);
  const getStream = async (namespace: string, name: string): Promise<ImageStream | undefined> => {
    try {
      return await streams.get(namespace, name);
    } catch (err) {
      if (isStatusError(err) && err.code === 404) return undefined;
      throw err;
    }
  };
  const deps = { registry, options: (registry.options as ImageImportRegistryOptions).imageImport ?? {}, layerSizes: new Map<string, number>() };
  const runImport = (stream: ImageStream) => importStream(deps, stream);

  const scheduled = enabled.includes(SCHEDULED_IMAGE_IMPORT_CONTROLLER)
    ? new ScheduledImageImportController(
        { getStream, importStream: runImport, logger: logger.child({ controller: SCHEDULED_IMAGE_IMPORT_CONTROLLER }) },
        { intervalMs: opts.scheduledImageImportIntervalMs },
      )
    : undefined;
  const specTags = enabled.includes(IMAGE_IMPORT_CONTROLLER)
    ? new ImageImportController(
        {
          getStream,
          importStream: runImport,
          ...(scheduled ? { onImporting: (stream: ImageStream) => scheduled.importing(stream) } : {}),
          logger: logger.child({ controller: IMAGE_IMPORT_CONTROLLER }),
        },
        { workers: opts.workers },
      )
    : undefined;

  const handlers: ImageStreamHandlers[] = [specTags?.handlers, scheduled?.handlers].filter((h) => h !== undefined);
  const events = new ImageStreamEvents((sink) => streams.watch(undefined, {}, sink), handlers, logger);
  specTags?.run();
  scheduled?.run();
  await events.start();

  return async () => {
    events.stop();
    const stopped = Promise.all([specTags?.stop(), scheduled?.stop()]);
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, opts.stopGraceMs ?? DEFAULT_STOP_GRACE_MS);
    });
    await Promise.race([stopped, grace]);
    clearTimeout(timer);
  };
}
