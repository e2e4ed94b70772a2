// The metrics a k8s.io/apiserver-based server exposes on /metrics, with kube-apiserver's names, labels,
// buckets and help texts (component-base prefixes the help with the stability level), plus Node's process
// metrics. One registry per server, so several servers in one process keep their own counts.
import { collectDefaultMetrics, Counter, Gauge, Registry, type Metric } from 'prom-client';
import type { RequestLabels } from './request-labels.js';
import { RequestStats } from './request-stats.js';

/** What apiserver_storage_objects reports: one stored resource (`<resource>.<group>`) and how to count it. */
export interface StoredResourceCount {
  resource: string;
  count(): Promise<number>;
}

export interface ServerMetricsSources {
  /** Peaks of the last second, by request kind (readOnly, mutating). */
  inflight(): { readOnly: number; mutating: number };
  storedResources: readonly StoredResourceCount[];
}

export interface WatchedKind {
  group: string;
  version: string;
  kind: string;
}

const COMPONENT = 'apiserver';
const LONG_RUNNING_LABELS = ['verb', 'group', 'version', 'resource', 'subresource', 'scope', 'component'] as const;

export class ServerMetrics {
  readonly registry = new Registry();
  private readonly requests = new RequestStats(COMPONENT);
  private readonly terminations: Counter<(typeof LONG_RUNNING_LABELS)[number] | 'code'>;
  private readonly longRunning: Gauge<(typeof LONG_RUNNING_LABELS)[number]>;
  private readonly watchers: Gauge<'group' | 'version' | 'kind'>;

  constructor(sources: ServerMetricsSources) {
    const registers = [this.registry];
    // The registry reads metrics by duck typing; these two are kept by RequestStats for speed.
    const register = (m: object) => this.registry.registerMetric(m as Metric);
    register(
      this.requests.totalMetric(
        'apiserver_request_total',
        '[STABLE] Counter of apiserver requests broken out for each verb, dry run value, group, version, resource, scope, component, and HTTP response code.',
      ),
    );
    register(
      this.requests.durationMetric(
        'apiserver_request_duration_seconds',
        '[STABLE] Response latency distribution in seconds for each verb, dry run value, group, version, resource, subresource, scope and component.',
      ),
    );
    this.terminations = new Counter({
      name: 'apiserver_request_terminations_total',
      help: '[ALPHA] Number of requests which apiserver terminated in self-defense.',
      labelNames: [...LONG_RUNNING_LABELS, 'code'],
      registers,
    });
    this.longRunning = new Gauge({
      name: 'apiserver_longrunning_requests',
      help: '[STABLE] Gauge of all active long-running apiserver requests broken out by verb, group, version, resource, scope and component. Not all requests are tracked this way.',
      labelNames: [...LONG_RUNNING_LABELS],
      registers,
    });
    this.watchers = new Gauge({
      name: 'apiserver_registered_watchers',
      help: '[ALPHA] Number of currently registered watchers for a given resources',
      labelNames: ['group', 'version', 'kind'],
      registers,
    });
    new Gauge({
      name: 'apiserver_current_inflight_requests',
      help: '[STABLE] Maximal number of currently used inflight request limit of this apiserver per request kind in last second.',
      labelNames: ['request_kind'],
      registers,
      collect() {
        const { readOnly, mutating } = sources.inflight();
        this.set({ request_kind: 'readOnly' }, readOnly);
        this.set({ request_kind: 'mutating' }, mutating);
      },
    });
    new Gauge({
      name: 'apiserver_storage_objects',
      help: '[STABLE] Number of stored objects at the time of last check split by kind. In case of a fetching error, the value will be -1.',
      labelNames: ['resource'],
      registers,
      async collect() {
        const counts = await Promise.all(sources.storedResources.map((r) => r.count().catch(() => -1)));
        sources.storedResources.forEach((r, i) => this.set({ resource: r.resource }, counts[i]));
      },
    });
    collectDefaultMetrics({ register: this.registry });
  }

  /** One finished request (MonitorRequest). */
  observeRequest(labels: RequestLabels, code: number, seconds: number): void {
    this.requests.observe(labels, code, seconds);
  }

  /** A request the server turned away to protect itself (429 from the in-flight limit). */
  observeTermination(labels: RequestLabels, code: number): void {
    const { dry_run: _dryRun, ...rest } = labels;
    this.terminations.inc({ ...rest, component: COMPONENT, code: String(code) });
  }

  /** Counts a long-running request until the returned function is called. */
  trackLongRunning(labels: RequestLabels): () => void {
    const { dry_run: _dryRun, ...rest } = labels;
    const gauge = { ...rest, component: COMPONENT };
    this.longRunning.inc(gauge);
    return () => this.longRunning.dec(gauge);
  }

  /** Counts a watch until the returned function is called. */
  trackWatcher(kind: WatchedKind): () => void {
    const labels = { group: kind.group, version: kind.version, kind: kind.kind };
    this.watchers.inc(labels);
    return () => this.watchers.dec(labels);
  }

  /** The Prometheus text exposition and its Content-Type. */
  async exposition(): Promise<{ contentType: string; text: string }> {
    return { contentType: this.registry.contentType, text: await this.registry.metrics() };
  }
}
