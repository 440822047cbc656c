/**
 * A counter and a histogram whose hot path is plain arithmetic. prom-client builds, validates and
 * hashes a label object on every inc/observe; for metrics touched on every request (a cached
 * read is answered in well under 100 µs) that was a measurable share of the request. Here the
 * caller names a series by a key it already has (e.g. the label values joined) and gives the
 * label object only the first time; the registry renders these exactly as prom-client's
 * Counter and Histogram would (test/unit/observability/tallied-metrics.test.ts compares them).
 */
import type { Registry } from 'prom-client';

type Labels = Record<string, string>;

interface MetricValue {
  labels: Labels;
  value: number;
  metricName?: string;
}

interface Rendered {
  name: string;
  help: string;
  type: 'counter' | 'histogram';
  values: MetricValue[];
  aggregator: 'sum';
}

abstract class Tallied<S> {
  protected readonly series = new Map<string, S>();
  readonly aggregator = 'sum' as const;

  constructor(
    readonly name: string,
    readonly help: string,
    registry: Registry,
  ) {
    // The registry only asks a metric for name, get() and reset(): see prom-client's Registry.
    registry.registerMetric(this as never);
  }

  abstract get(): Rendered;

  reset(): void {
    this.series.clear();
  }
}

export class TalliedCounter extends Tallied<{ labels: Labels; value: number }> {
  readonly type = 'counter' as const;

  /** `labels()` is called once per new key. */
  inc(key: string, labels: () => Labels, by = 1): void {
    const s = this.series.get(key);
    if (s) s.value += by;
    else this.series.set(key, { labels: labels(), value: by });
  }

  get(): Rendered {
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values: [...this.series.values()].map((s) => ({ labels: s.labels, value: s.value })) };
  }
}

interface HistogramSeries {
  labels: Labels;
  /** Observations per bucket (not cumulative), one per upper bound. */
  buckets: Float64Array;
  sum: number;
  count: number;
}

export class TalliedHistogram extends Tallied<HistogramSeries> {
  readonly type = 'histogram' as const;

  constructor(name: string, help: string, registry: Registry, private readonly bounds: readonly number[]) {
    super(name, help, registry);
  }

  observe(key: string, labels: () => Labels, value: number): void {
    let s = this.series.get(key);
    if (!s) this.series.set(key, (s = { labels: labels(), buckets: new Float64Array(this.bounds.length), sum: 0, count: 0 }));
    for (let i = 0; i < this.bounds.length; i++) {
      if (value <= this.bounds[i]) {
        s.buckets[i] += 1;
        break;
      }
    }
    s.sum += value;
    s.count += 1;
  }

  get(): Rendered {
    const values: MetricValue[] = [];
    for (const s of this.series.values()) {
      let cumulative = 0;
      for (let i = 0; i < this.bounds.length; i++) {
        cumulative += s.buckets[i];
        values.push({ labels: { le: String(this.bounds[i]), ...s.labels }, value: cumulative, metricName: `${this.name}_bucket` });
      }
      values.push({ labels: { le: '+Inf', ...s.labels }, value: s.count, metricName: `${this.name}_bucket` });
      values.push({ labels: s.labels, value: s.sum, metricName: `${this.name}_sum` });
      values.push({ labels: s.labels, value: s.count, metricName: `${this.name}_count` });
    }
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }
}
