// apiserver_request_total and apiserver_request_duration_seconds, counted on every request. prom-client
// hashes and validates a label set on each observation (about 10 µs for these two); here a request costs one
// string key and a map lookup, and the values are handed to the registry as metric objects at scrape time.
import type { RequestLabels } from './request-labels.js';

export const DURATION_BUCKETS = [0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1, 1.25, 1.5, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 45, 60];

interface Cell {
  labels: Record<string, string>;
  /** Requests by response code. */
  codes: Map<number, number>;
  /** Observations per bucket (not cumulative); the last slot is +Inf. */
  buckets: number[];
  sum: number;
  count: number;
}

/** What prom-client's Registry reads from a metric: its name, help, type and values. */
export interface RegistryMetric {
  name: string;
  help: string;
  type: 'counter' | 'histogram';
  aggregator: 'sum';
  get(): { name: string; help: string; type: string; aggregator: 'sum'; values: { metricName?: string; labels: Record<string, string | number>; value: number }[] };
  reset(): void;
}

export class RequestStats {
  private readonly cells = new Map<string, Cell>();

  constructor(private readonly component: string) {}

  observe(labels: RequestLabels, code: number, seconds: number): void {
    const key = `${labels.verb}\u0000${labels.dry_run}\u0000${labels.group}\u0000${labels.version}\u0000${labels.resource}\u0000${labels.subresource}\u0000${labels.scope}`;
    let cell = this.cells.get(key);
    if (!cell) {
      cell = { labels: { ...labels, component: this.component }, codes: new Map(), buckets: new Array(DURATION_BUCKETS.length + 1).fill(0), sum: 0, count: 0 };
      this.cells.set(key, cell);
    }
    cell.codes.set(code, (cell.codes.get(code) ?? 0) + 1);
    let i = 0;
    while (i < DURATION_BUCKETS.length && seconds > DURATION_BUCKETS[i]) i++;
    cell.buckets[i]++;
    cell.sum += seconds;
    cell.count++;
  }

  /** apiserver_request_total{verb,dry_run,group,version,resource,subresource,scope,component,code}. */
  totalMetric(name: string, help: string): RegistryMetric {
    const values = () =>
      [...this.cells.values()].flatMap((cell) => [...cell.codes].map(([code, n]) => ({ labels: { ...cell.labels, code: String(code) }, value: n })));
    return this.metric(name, help, 'counter', values);
  }

  /** apiserver_request_duration_seconds, with the bound last in the labels as Go's client writes it. */
  durationMetric(name: string, help: string): RegistryMetric {
    const values = () =>
      [...this.cells.values()].flatMap((cell) => {
        let cumulative = 0;
        const buckets = DURATION_BUCKETS.map((bound, i) => {
          cumulative += cell.buckets[i];
          return { metricName: `${name}_bucket`, labels: { ...cell.labels, le: String(bound) }, value: cumulative };
        });
        return [
          ...buckets,
          { metricName: `${name}_bucket`, labels: { ...cell.labels, le: '+Inf' }, value: cell.count },
          { metricName: `${name}_sum`, labels: cell.labels, value: cell.sum },
          { metricName: `${name}_count`, labels: cell.labels, value: cell.count },
        ];
      });
    return this.metric(name, help, 'histogram', values);
  }

  private metric(name: string, help: string, type: 'counter' | 'histogram', values: () => ReturnType<RegistryMetric['get']>['values']): RegistryMetric {
    return {
      name,
      help,
      type,
      aggregator: 'sum',
      get: () => ({ name, help, type, aggregator: 'sum', values: values() }),
      reset: () => this.cells.clear(),
    };
  }
}
