import { captureLogs } from '@kstreams/test-utils';
import { StreamsMetrics } from '../../src/runtime/metrics';
import { RestoreProgress, progressLine, restoreRate } from '../../src/runtime/restore-progress';
import type { StateRestoreListener } from '../../src/runtime/state-restore-listener';

const tp = { topic: 'app-store-changelog', partition: 1 };

function setup(isTTY: boolean) {
  let now = 1_000_000;
  const written: string[] = [];
  const metrics = new StreamsMetrics();
  metrics.threadId = 'app-StreamThread-1';
  const progress = new RestoreProgress(metrics, (_store, partition) => `0_${partition}`, { isTTY, write: (t: string) => void written.push(t) }, () => now, 1000);
  const calls: string[] = [];
  const user: StateRestoreListener = {
    onRestoreStart: (_tp, store, start, end) => void calls.push(`start ${store} ${start}-${end}`),
    onBatchRestored: (_tp, store, _end, n) => void calls.push(`batch ${store} ${n}`),
    onRestoreEnd: (_tp, store, total) => void calls.push(`end ${store} ${total}`),
  };
  return { listener: progress.listener(user), metrics, written, calls, advance: (ms: number) => (now += ms) };
}

const metric = (m: StreamsMetrics, name: string): number | undefined => m.value(name, { 'task-id': '0_1', 'thread-id': 'app-StreamThread-1' });

describe('restoration progress', () => {
  it('records/s and time left', () => {
    expect(restoreRate(500, 1000, 2000)).toEqual({ recordsPerSecond: 250, etaMs: 2000 });
    expect(restoreRate(1000, 1000, 2000).etaMs).toBe(0);
    expect(restoreRate(0, 1000, 0).etaMs).toBe(Number.POSITIVE_INFINITY);
    expect(progressLine({ store: 's', taskId: '0_1', restored: 500, total: 1000 }, 2000, 10)).toBe('restoring s (task 0_1) [#####-----] 50% 500/1000 records, 250 rec/s, 2s left');
  });

  it('on a TTY draws a bar per batch, with Kafka’s task restore metrics, and calls the application’s listener', () => {
    const { listener, metrics, written, calls, advance } = setup(true);
    listener.onRestoreStart!(tp, 'store', 100, 1100);
    expect(metric(metrics, 'restore-remaining-records-total')).toBe(1000);
    advance(1000);
    listener.onBatchRestored!(tp, 'store', 499, 400);
    advance(1000);
    listener.onBatchRestored!(tp, 'store', 1099, 600);
    listener.onRestoreEnd!(tp, 'store', 1000);
    expect(written).toEqual([
      '\r\x1b[Krestoring store (task 0_1) [--------------------] 0% 0/1000 records, 0 rec/s, ? left',
      '\r\x1b[Krestoring store (task 0_1) [########------------] 40% 400/1000 records, 400 rec/s, 2s left',
      '\r\x1b[Krestoring store (task 0_1) [####################] 100% 1000/1000 records, 500 rec/s, 0ms left',
      '\r\x1b[KRestored store store (task 0_1): 1000 records in 2s, 500 rec/s\n',
    ]);
    expect(metric(metrics, 'restore-total')).toBe(1000);
    expect(metric(metrics, 'restore-remaining-records-total')).toBe(0);
    expect(calls).toEqual(['start store 100-1100', 'batch store 400', 'batch store 600', 'end store 1000']);
  });

  it('elsewhere logs lines on kstreams.restore (info by default), at most one a second per store', () => {
    const { listener, written } = setup(false);
    const logs = captureLogs();
    try {
      listener.onRestoreStart!(tp, 'store', 0, 300);
      listener.onBatchRestored!(tp, 'store', 99, 100); // within a second of the start: no line
      listener.onRestoreEnd!(tp, 'store', 100);
    } finally {
      logs.stop();
    }
    expect(written).toEqual([]);
    expect(logs.records.map((r) => [r.logger, r.level, r.message])).toEqual([
      ['kstreams.restore', 'info', 'Restoring store store (task 0_1) from app-store-changelog-1: 300 records'],
      ['kstreams.restore', 'info', 'Restored store store (task 0_1): 100 records in 0ms, 0 rec/s'],
    ]);
  });
});
