/**
 * Restoration progress, per store: Kafka's task-level restore metrics (`restore-total`, `restore-rate`,
 * `restore-remaining-records-total`), and for people a progress bar on a TTY or, elsewhere, log lines on the
 * `kstreams.restore` logger (level `info` unless configured) — each with records/s and the time left.
 */
import { getLogger } from '../logger';
import type { StreamsMetrics } from './metrics';
import type { StateRestoreListener, TopicPartition } from './state-restore-listener';

const log = getLogger('kstreams.restore');

/** Where the progress bar goes (stderr by default). */
export interface ProgressOutput {
  readonly isTTY?: boolean;
  write(text: string): unknown;
}

interface StoreProgress {
  readonly taskId: string;
  readonly store: string;
  readonly total: number;
  restored: number;
  readonly startedAt: number;
  lastLogAt: number;
}

function duration(ms: number): string {
  if (!Number.isFinite(ms)) return '?';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s}s` : s < 3600 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** Restored records per second so far, and the estimated time to restore the rest. */
export function restoreRate(restored: number, total: number, elapsedMs: number): { recordsPerSecond: number; etaMs: number } {
  const recordsPerSecond = elapsedMs > 0 ? (restored * 1000) / elapsedMs : 0;
  const etaMs = restored >= total ? 0 : recordsPerSecond > 0 ? ((total - restored) * 1000) / recordsPerSecond : Number.POSITIVE_INFINITY;
  return { recordsPerSecond, etaMs };
}

/** One line of progress: `store (task 0_1) [#####-----] 50% 500/1000 records, 250 rec/s, 2s left`. */
export function progressLine(p: { store: string; taskId: string; restored: number; total: number }, elapsedMs: number, width = 20): string {
  const fraction = p.total === 0 ? 1 : Math.min(1, p.restored / p.total);
  const filled = Math.round(fraction * width);
  const { recordsPerSecond, etaMs } = restoreRate(p.restored, p.total, elapsedMs);
  return (
    `restoring ${p.store} (task ${p.taskId}) [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${Math.floor(fraction * 100)}% ` +
    `${p.restored}/${p.total} records, ${Math.round(recordsPerSecond)} rec/s, ${duration(etaMs)} left`
  );
}

export class RestoreProgress {
  readonly #stores = new Map<string, StoreProgress>();

  constructor(
    private readonly metrics: StreamsMetrics,
    /** The task a store's changelog partition belongs to. */
    private readonly taskIdOf: (storeName: string, partition: number) => string,
    private readonly output: ProgressOutput = process.stderr,
    private readonly now: () => number = Date.now,
    /** Minimum time between two log lines of one store (the TTY bar redraws on every batch). */
    private readonly logEveryMs = 1000,
  ) {}

  /** A listener reporting progress that also calls the application's listener, if any. */
  listener(user: StateRestoreListener | null): StateRestoreListener {
    return {
      onRestoreStart: (tp, store, start, end) => {
        this.#start(tp, store, start, end);
        user?.onRestoreStart?.(tp, store, start, end);
      },
      onBatchRestored: (tp, store, batchEnd, n) => {
        this.#batch(tp, store, n);
        user?.onBatchRestored?.(tp, store, batchEnd, n);
      },
      onRestoreEnd: (tp, store, total) => {
        this.#end(tp, store, total, 'restored');
        user?.onRestoreEnd?.(tp, store, total);
      },
      onRestoreSuspended: (tp, store, total) => {
        this.#end(tp, store, total, 'suspended');
        user?.onRestoreSuspended?.(tp, store, total);
      },
    };
  }

  #key(tp: TopicPartition, store: string): string {
    return `${store}|${tp.topic}|${tp.partition}`;
  }

  #remaining(taskId: string, delta: number): void {
    this.metrics.gauge('stream-task-metrics', 'restore-remaining-records', { 'thread-id': this.metrics.threadId, 'task-id': taskId }).increment(delta);
  }

  #start(tp: TopicPartition, store: string, start: number, end: number): void {
    const taskId = this.taskIdOf(store, tp.partition);
    const p: StoreProgress = { taskId, store, total: Math.max(0, end - start), restored: 0, startedAt: this.now(), lastLogAt: this.now() };
    this.#stores.set(this.#key(tp, store), p);
    this.#remaining(taskId, p.total);
    if (this.output.isTTY) this.output.write(`\r\x1b[K${progressLine(p, 0)}`);
    else log.info(`Restoring store ${store} (task ${taskId}) from ${tp.topic}-${tp.partition}: ${p.total} records`);
  }

  #batch(tp: TopicPartition, store: string, n: number): void {
    const p = this.#stores.get(this.#key(tp, store));
    if (!p) return;
    p.restored += n;
    this.metrics.taskSensor(p.taskId, 'restore').increment(n);
    this.#remaining(p.taskId, -n);
    const now = this.now();
    if (this.output.isTTY) {
      this.output.write(`\r\x1b[K${progressLine(p, now - p.startedAt)}`);
    } else if (now - p.lastLogAt >= this.logEveryMs) {
      p.lastLogAt = now;
      log.info(progressLine(p, now - p.startedAt));
    }
  }

  #end(tp: TopicPartition, store: string, total: number, how: 'restored' | 'suspended'): void {
    const key = this.#key(tp, store);
    const p = this.#stores.get(key);
    if (!p) return;
    this.#stores.delete(key);
    // what was not restored (suspended, or the end offset was an estimate) is no longer remaining
    this.#remaining(p.taskId, -(p.total - p.restored));
    const elapsed = this.now() - p.startedAt;
    const { recordsPerSecond } = restoreRate(total, total, elapsed);
    const line = `${how === 'restored' ? 'Restored' : 'Suspended restoring'} store ${store} (task ${p.taskId}): ${total} records in ${duration(elapsed)}, ${Math.round(recordsPerSecond)} rec/s`;
    if (this.output.isTTY) this.output.write(`\r\x1b[K${line}\n`);
    else log.info(line);
  }
}
