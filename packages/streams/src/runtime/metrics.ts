/**
 * Metrics with Kafka Streams' names, groups and tags: thread (`stream-thread-metrics`: process-rate/-total,
 * commit-rate/-total, commit-latency-avg/-max), task (`stream-task-metrics`: process-, dropped-records-,
 * restore- rate/total, restore-remaining-records-total, record-lateness-avg/-max), processor node
 * (`stream-processor-node-metrics`: process-rate/-total, suppression-emit-rate/-total) and store
 * (`stream-state-metrics`, tag `<type>-state-id`: put/get/range/… -rate and -latency-avg/-max in ns, estimate-num-keys).
 * The hot path only bumps plain numbers (sensors, per-node counters); rates and the node, task and store
 * metrics are computed when a snapshot is taken.
 */

export type MetricTags = Readonly<{ [tag: string]: string }>;

/** One metric value with its identity. */
export interface MetricValue {
  readonly group: string;
  readonly name: string;
  readonly tags: MetricTags;
  readonly value: number;
}

/** The window over which `-rate` metrics are measured (Kafka's default: 2 samples × 30 s). */
const RATE_WINDOW_MS = 30_000;

/** Per-second rate of a growing total, from the totals seen at earlier snapshots (no clock on the hot path). */
class RateTracker {
  readonly #samples: Array<[number, number]> = [];
  constructor(readonly created: number) {}
  rate(total: number, now: number): number {
    const s = this.#samples;
    s.push([now, total]);
    // keep one sample older than the window, so the rate covers the whole window
    while (s.length > 2 && s[1]![0] <= now - RATE_WINDOW_MS) s.shift();
    const [t0, v0] = s.length > 1 ? s[0]! : [this.created, 0];
    const dt = now - t0;
    return dt <= 0 ? 0 : ((total - v0) * 1000) / dt;
  }
}

/**
 * A counter (`increment`: `<name>-total`, `<name>-rate`) or a latency-like sensor (`record(v)`: `<name>-avg`,
 * `<name>-max`; a sensor named `x-latency` also gives `x-rate` and `x-total`, as Kafka's commit sensor does).
 */
export class Sensor {
  total = 0;
  count = 0;
  max = Number.NEGATIVE_INFINITY;
  /** A gauge-like total that goes up and down (`restore-remaining-records-total`): no rate. */
  totalOnly = false;
  readonly #rate: RateTracker;
  constructor(
    readonly group: string,
    readonly name: string,
    readonly tags: MetricTags,
    now = Date.now(),
  ) {
    this.#rate = new RateTracker(now);
  }
  increment(by = 1): void {
    this.total += by;
    this.count++;
  }
  record(value: number): void {
    this.total += value;
    this.count++;
    if (value > this.max) this.max = value;
  }
  /** @internal */
  values(now: number): MetricValue[] {
    const { group, tags } = this;
    if (this.totalOnly) return [{ group, name: `${this.name}-total`, tags, value: this.total }];
    if (this.max === Number.NEGATIVE_INFINITY) {
      return [
        { group, name: `${this.name}-total`, tags, value: this.total },
        { group, name: `${this.name}-rate`, tags, value: this.#rate.rate(this.total, now) },
      ];
    }
    const out: MetricValue[] = [
      { group, name: `${this.name}-avg`, tags, value: this.count === 0 ? 0 : this.total / this.count },
      { group, name: `${this.name}-max`, tags, value: this.max },
    ];
    if (this.name.endsWith('-latency')) {
      const base = this.name.slice(0, -'-latency'.length);
      out.push({ group, name: `${base}-total`, tags, value: this.count }, { group, name: `${base}-rate`, tags, value: this.#rate.rate(this.count, now) });
    }
    return out;
  }
}

function key(group: string, name: string, tags: MetricTags): string {
  return `${group}|${name}|${Object.entries(tags)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join(',')}`;
}

/** What the metrics read from a running task (a `StreamTask`) at snapshot time. */
export interface MeteredTask {
  readonly taskId: string;
  /** Processor nodes with their process counters; a suppression node also tells how many records it emitted. */
  metricNodes(): ReadonlyArray<{ readonly name: string; readonly processed: number; readonly source: boolean; readonly suppressionEmitted: number | null }>;
  /** Stores with their type scope (e.g. `rocksdb`, `in-memory-window`), operation stats and size when known. */
  metricStores(): ReadonlyArray<{
    readonly name: string;
    readonly scope: string;
    readonly operations: { readonly [op: string]: { readonly count: number; readonly totalTimeMs: number; readonly maxTimeMs?: number } };
    readonly size: number | null;
  }>;
}

/** All sensors of one KafkaStreams instance or test driver. */
export class StreamsMetrics {
  readonly #sensors = new Map<string, Sensor>();
  readonly #tasks = new Map<string, MeteredTask>();
  readonly #rates = new Map<string, RateTracker>();
  /** The stream thread's name, Kafka's `thread-id` tag (`<clientId>-StreamThread-<n>`; `main` in the test driver). */
  threadId = 'main';

  sensor(group: string, name: string, tags: MetricTags): Sensor {
    const k = key(group, name, tags);
    let s = this.#sensors.get(k);
    if (!s) {
      s = new Sensor(group, name, tags);
      this.#sensors.set(k, s);
    }
    return s;
  }

  /** A sensor whose `-total` goes up and down (no `-rate`). */
  gauge(group: string, name: string, tags: MetricTags): Sensor {
    const s = this.sensor(group, name, tags);
    s.totalOnly = true;
    return s;
  }

  /** A task's sensor in `stream-task-metrics`, tagged with the thread and task. */
  taskSensor(taskId: string, name: string): Sensor {
    return this.sensor('stream-task-metrics', name, { 'thread-id': this.threadId, 'task-id': taskId });
  }

  /** Starts reading a task's node, store and process counts into snapshots (until `removeTask`). */
  addTask(task: MeteredTask): void {
    this.#tasks.set(task.taskId, task);
  }

  removeTask(task: MeteredTask): void {
    if (this.#tasks.get(task.taskId) === task) this.#tasks.delete(task.taskId);
  }

  #rate(k: string, total: number, now: number): number {
    let r = this.#rates.get(k);
    if (!r) {
      r = new RateTracker(now);
      this.#rates.set(k, r);
    }
    return r.rate(total, now);
  }

  #counter(out: MetricValue[], group: string, name: string, tags: MetricTags, total: number, now: number): void {
    out.push({ group, name: `${name}-total`, tags, value: total }, { group, name: `${name}-rate`, tags, value: this.#rate(key(group, name, tags), total, now) });
  }

  /** Current values of every metric. */
  snapshot(now = Date.now()): MetricValue[] {
    const out: MetricValue[] = [];
    for (const s of this.#sensors.values()) out.push(...s.values(now));
    for (const task of this.#tasks.values()) {
      const taskTags = { 'thread-id': this.threadId, 'task-id': task.taskId };
      let taskProcessed = 0;
      for (const n of task.metricNodes()) {
        const tags = { ...taskTags, 'processor-node-id': n.name };
        this.#counter(out, 'stream-processor-node-metrics', 'process', tags, n.processed, now);
        if (n.suppressionEmitted !== null) this.#counter(out, 'stream-processor-node-metrics', 'suppression-emit', tags, n.suppressionEmitted, now);
        if (n.source) taskProcessed += n.processed;
      }
      this.#counter(out, 'stream-task-metrics', 'process', taskTags, taskProcessed, now);
      for (const s of task.metricStores()) {
        const tags = { ...taskTags, [`${s.scope}-state-id`]: s.name };
        for (const [op, st] of Object.entries(s.operations)) {
          out.push({ group: 'stream-state-metrics', name: `${op}-rate`, tags, value: this.#rate(key('stream-state-metrics', op, tags), st.count, now) });
          if (st.totalTimeMs > 0) {
            out.push({ group: 'stream-state-metrics', name: `${op}-latency-avg`, tags, value: st.count === 0 ? 0 : (st.totalTimeMs * 1e6) / st.count });
            out.push({ group: 'stream-state-metrics', name: `${op}-latency-max`, tags, value: (st.maxTimeMs ?? 0) * 1e6 });
          }
        }
        if (s.size !== null) out.push({ group: 'stream-state-metrics', name: 'estimate-num-keys', tags, value: s.size });
      }
    }
    return out;
  }

  /** The value of one metric by name (and optional tags subset), or `undefined`. */
  value(name: string, tags: MetricTags = {}): number | undefined {
    return this.snapshot().find((m) => m.name === name && Object.entries(tags).every(([k, v]) => m.tags[k] === v))?.value;
  }
}
