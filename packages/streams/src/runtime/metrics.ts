/**
 * Metrics with Kafka Streams' names and groups (e.g. `dropped-records-total` in `stream-task-metrics`).
 * Counters are plain numbers bumped on the hot path; `snapshot()` and the rxjs feed read them off it.
 */

export type MetricTags = Readonly<{ [tag: string]: string }>;

/** One metric value with its identity. */
export interface MetricValue {
  readonly group: string;
  readonly name: string;
  readonly tags: MetricTags;
  readonly value: number;
}

/** A counter and its rate-less total; `record(v)` also keeps avg and max for latency-like sensors. */
export class Sensor {
  total = 0;
  count = 0;
  max = Number.NEGATIVE_INFINITY;
  constructor(
    readonly group: string,
    readonly name: string,
    readonly tags: MetricTags,
  ) {}
  increment(by = 1): void {
    this.total += by;
    this.count++;
  }
  record(value: number): void {
    this.total += value;
    this.count++;
    if (value > this.max) this.max = value;
  }
}

function key(group: string, name: string, tags: MetricTags): string {
  return `${group}|${name}|${Object.entries(tags)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join(',')}`;
}

/** All sensors of one KafkaStreams instance or test driver. */
export class StreamsMetrics {
  readonly #sensors = new Map<string, Sensor>();

  sensor(group: string, name: string, tags: MetricTags): Sensor {
    const k = key(group, name, tags);
    let s = this.#sensors.get(k);
    if (!s) {
      s = new Sensor(group, name, tags);
      this.#sensors.set(k, s);
    }
    return s;
  }

  /** Current values: `<name>-total` for counters, plus `-avg`/`-max` for recorded sensors. */
  snapshot(): MetricValue[] {
    const out: MetricValue[] = [];
    for (const s of this.#sensors.values()) {
      out.push({ group: s.group, name: `${s.name}-total`, tags: s.tags, value: s.total });
      if (s.max !== Number.NEGATIVE_INFINITY) {
        out.push({ group: s.group, name: `${s.name}-avg`, tags: s.tags, value: s.count === 0 ? 0 : s.total / s.count });
        out.push({ group: s.group, name: `${s.name}-max`, tags: s.tags, value: s.max });
      }
    }
    return out;
  }

  /** The value of one metric by name (and optional tags subset), or `undefined`. */
  value(name: string, tags: MetricTags = {}): number | undefined {
    return this.snapshot().find((m) => m.name === name && Object.entries(tags).every(([k, v]) => m.tags[k] === v))?.value;
  }
}
