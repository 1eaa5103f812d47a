/**
 * The persistent (RocksDB, segmented) window and session stores against the in-memory ones: the same random
 * writes go to both, and every read must answer the same. Then what only a persistent store does: data survives
 * close and reopen, restoration from changelog records, and expired segments are deleted from disk.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { InMemorySessionStore } from '../../src/state/session/in-memory-session-store';
import type { SessionBytesStore } from '../../src/state/session/session-store';
import { InMemoryWindowStore } from '../../src/state/window/in-memory-window-store';
import type { WindowBytesStore } from '../../src/state/window/window-store';
import { sessionStoreKey, windowStoreKey } from '../../src/state/window/window-key-schema';
import { RocksDBSessionStore } from '../../src/state/rocksdb/rocksdb-session-store';
import { RocksDBWindowStore } from '../../src/state/rocksdb/rocksdb-window-store';
import type { KeyValueIterator } from '../../src/state/state-store';
import type { Windowed } from '../../src/dsl/windows/windowed';
import { FakeStateStoreContext, tempDir } from './fake-state-store-context';
import { Serdes } from '../../src/serde/serdes';
import { Stores } from '../../src/state/stores';
import { ThreadCache } from '../../src/state/thread-cache';
import { ValueAndTimestamp } from '../../src/state/value-and-timestamp';
import { captureLogs, type LogCapture } from '@kstreams/test-utils';

const b = (s: string) => Buffer.from(s, 'utf8');

/** Deterministic pseudo-random numbers (LCG), so a failure is reproducible. */
function random(seed: number): (n: number) => number {
  let state = seed >>> 0;
  return (n) => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state % n;
  };
}

let nonEmptyReads = 0;
function drain<K, V>(it: KeyValueIterator<K, V>, show: (k: K) => string): string[] {
  const out: string[] = [];
  for (const kv of it) out.push(`${show(kv.key)}=${(kv.value as unknown as Buffer).toString()}`);
  it.close();
  if (out.length > 0) nonEmptyReads++;
  return out;
}

/** The warnings `write` logged. */
function warningsOf(logs: LogCapture, write: () => void): string[] {
  const before = logs.records.length;
  write();
  return logs.records.slice(before).filter((r) => r.level === 'warn').map((r) => r.message);
}

const windowed = (w: Windowed<Buffer>): string => `${w.key().toString()}@${w.window().start()}/${w.window().end()}`;

/**
 * A multi-key read of the in-memory store (by window start, then key) put into Kafka's RocksDB order: segment by
 * segment, then by stored bytes (`key ‖ start`, so key first); backward is the exact reverse.
 */
function drainSessionsInRocksOrder(it: KeyValueIterator<Windowed<Buffer>, Buffer>, segmentIntervalMs: number, backward: boolean): string[] {
  const rows = [...it];
  it.close();
  const segment = (w: Windowed<Buffer>): number => Math.floor(w.window().end() / segmentIntervalMs);
  const bytes = (w: Windowed<Buffer>): Buffer => sessionStoreKey(w.key(), w.window().start(), w.window().end());
  rows.sort((x, y) => segment(x.key) - segment(y.key) || Buffer.compare(bytes(x.key), bytes(y.key)));
  if (backward) rows.reverse();
  return rows.map((kv) => `${windowed(kv.key)}=${kv.value.toString()}`);
}

function drainInRocksOrder(it: KeyValueIterator<Windowed<Buffer>, Buffer>, segmentIntervalMs: number, backward: boolean): string[] {
  const rows = [...it];
  it.close();
  const segment = (w: Windowed<Buffer>): number => Math.floor(w.window().start() / segmentIntervalMs);
  rows.sort((x, y) => segment(x.key) - segment(y.key) || Buffer.compare(windowStoreKey(x.key.key(), x.key.window().start(), 0), windowStoreKey(y.key.key(), y.key.window().start(), 0)));
  if (backward) rows.reverse();
  return rows.map((kv) => `${windowed(kv.key)}=${kv.value.toString()}`);
}

describe('RocksDB window store', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => (dir = tempDir('kstreams-window-')));
  afterEach(() => dir.cleanup());

  function open(retention = 60_000, size = 10_000, duplicates = false): { rocks: RocksDBWindowStore; ctx: FakeStateStoreContext } {
    const ctx = new FakeStateStoreContext({ stateDir: dir.path });
    const rocks = new RocksDBWindowStore('windows', retention, size, duplicates, 60_000);
    rocks.init(ctx, rocks);
    return { rocks, ctx };
  }

  it('answers every read exactly as the in-memory store after the same random writes', () => {
    nonEmptyReads = 0;
    const { rocks } = open(200_000, 10_000);
    const mem: WindowBytesStore = new InMemoryWindowStore('windows', 200_000, 10_000, false);
    mem.init(new FakeStateStoreContext(), mem);
    const next = random(7);
    const keys = ['a', 'ab', 'b', 'ba', 'c', 'zz'];
    const logs = captureLogs();
    const dropped = { rocks: 0, mem: 0 };
    for (let i = 0; i < 600; i++) {
      const key = b(keys[next(keys.length)]!);
      const start = next(60) * 10_000; // up to 600 s: several segments expire along the way
      const value = next(5) === 0 ? null : b(`v${i}`);
      const rocksWarned = warningsOf(logs, () => rocks.put(key, value, start));
      const memWarned = warningsOf(logs, () => mem.put(key, value, start));
      // both stores drop exactly the same writes, each with Kafka's warning
      expect(rocksWarned).toEqual(memWarned);
      for (const w of rocksWarned) expect(w).toBe('Skipping record for expired segment.');
      dropped.rocks += rocksWarned.length;
      dropped.mem += memWarned.length;
      if (i % 50 === 49) {
        const from = next(600) * 1000;
        const to = from + next(300_000);
        for (const k of keys) {
          expect(drain(rocks.fetchKey(b(k), from, to, false), String)).toEqual(drain(mem.fetchKey(b(k), from, to, false), String));
          expect(drain(rocks.fetchKey(b(k), from, to, true), String)).toEqual(drain(mem.fetchKey(b(k), from, to, true), String));
          expect(rocks.fetchWindow(b(k), start)?.toString()).toEqual(mem.fetchWindow(b(k), start)?.toString());
        }
        // the same windows; the order is Kafka's RocksDB one (segment by segment, key first), not the in-memory one
        expect(drain(rocks.fetchKeyRange(b('ab'), b('b'), from, to, false), windowed)).toEqual(drainInRocksOrder(mem.fetchKeyRange(b('ab'), b('b'), from, to, false), 60_000, false));
        expect(drain(rocks.fetchKeyRange(null, b('ba'), from, to, true), windowed)).toEqual(drainInRocksOrder(mem.fetchKeyRange(null, b('ba'), from, to, true), 60_000, true));
        expect(drain(rocks.fetchAllWindows(0, Number.MAX_SAFE_INTEGER, false), windowed)).toEqual(drainInRocksOrder(mem.fetchAllWindows(0, Number.MAX_SAFE_INTEGER, false), 60_000, false));
      }
    }
    logs.stop();
    // the comparison means something only if reads found data and some writes were behind retention
    expect(nonEmptyReads).toBeGreaterThan(30);
    expect(dropped.rocks).toBeGreaterThan(50);
    rocks.close();
  });

  it('iterates all()/fetchAll()/key ranges segment by segment, key first inside a segment (Kafka\'s RocksDBWindowStore order)', () => {
    const { rocks } = open(200_000, 10_000); // segments of 60 s
    for (const start of [0, 10_000, 70_000, 80_000]) for (const k of ['b', 'a', 'ab']) rocks.put(b(k), b(`${k}${start / 1000}`), start);
    const all = drain(rocks.fetchAllWindows(0, Number.MAX_SAFE_INTEGER, false), windowed);
    expect(all).toEqual([
      // segment 0: 'a' ‖ start sorts before 'ab' ‖ start (the start's first byte, 0x00, is below 'b')
      'a@0/10000=a0', 'a@10000/20000=a10', 'ab@0/10000=ab0', 'ab@10000/20000=ab10', 'b@0/10000=b0', 'b@10000/20000=b10',
      'a@70000/80000=a70', 'a@80000/90000=a80', 'ab@70000/80000=ab70', 'ab@80000/90000=ab80', 'b@70000/80000=b70', 'b@80000/90000=b80',
    ]);
    expect(drain(rocks.fetchAllWindows(0, Number.MAX_SAFE_INTEGER, true), windowed)).toEqual([...all].reverse());
    expect(drain(rocks.fetchKeyRange(b('a'), b('ab'), 10_000, 70_000, false), windowed)).toEqual(['a@10000/20000=a10', 'ab@10000/20000=ab10', 'a@70000/80000=a70', 'ab@70000/80000=ab70']);
    rocks.close();
  });

  it('keeps duplicates in insertion order when asked to (stream-stream join buffers)', () => {
    const { rocks } = open(60_000, 1000, true);
    rocks.put(b('k'), b('1'), 5000);
    rocks.put(b('k'), b('2'), 5000);
    rocks.put(b('k'), null, 5000); // ignored: duplicates are never deleted one by one
    expect(drain(rocks.fetchKey(b('k'), 0, 10_000, false), String)).toEqual(['5000=1', '5000=2']);
    expect(rocks.fetchWindow(b('k'), 5000)?.toString()).toBe('1');
    rocks.close();
  });

  it('survives close and reopen, and restores from changelog records', () => {
    const first = open();
    first.rocks.put(b('k'), b('v1'), 10_000);
    first.rocks.put(b('k'), b('v2'), 70_000);
    first.rocks.flush();
    first.rocks.close();
    const second = open();
    expect(second.rocks.fetchWindow(b('k'), 10_000)?.toString()).toBe('v1');
    second.ctx.registered.get('windows')!.restore([{ key: windowStoreKey(b('r'), 80_000, 0), value: b('restored'), timestamp: 80_000 }]);
    expect(drain(second.rocks.fetchKey(b('r'), 0, 100_000, false), String)).toEqual(['80000=restored']);
    second.rocks.close();
  });

  it('drops writes to expired windows and deletes expired segments from disk', () => {
    const { rocks } = open(60_000, 10_000);
    rocks.put(b('k'), b('old'), 0);
    const storeDir = join(dir.path, 'windows');
    expect(readdirSync(storeDir)).toEqual(['windows.0']);
    rocks.put(b('k'), b('new'), 200_000); // stream time 200 s: everything before 140 s expires
    expect(readdirSync(storeDir)).toEqual(['windows.180000']);
    const logs = captureLogs();
    rocks.put(b('k'), b('late'), 100_000); // behind retention: dropped
    logs.stop();
    expect(logs.warnings).toEqual(['Skipping record for expired segment.']);
    expect(drain(rocks.fetchKey(b('k'), 0, 300_000, false), String)).toEqual(['200000=new']);
    expect(existsSync(join(storeDir, 'windows.0'))).toBe(false);
    rocks.close();
  });

  it('refuses use after close, naming the store', () => {
    const { rocks } = open();
    rocks.close();
    expect(() => rocks.put(b('k'), b('v'), 0)).toThrow(/windows/);
  });
});

describe('RocksDB session store', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => (dir = tempDir('kstreams-session-')));
  afterEach(() => dir.cleanup());

  function open(retention = 100_000): { rocks: RocksDBSessionStore; ctx: FakeStateStoreContext } {
    const ctx = new FakeStateStoreContext({ stateDir: dir.path });
    const rocks = new RocksDBSessionStore('sessions', retention, 60_000);
    rocks.init(ctx, rocks);
    return { rocks, ctx };
  }

  it('answers every read exactly as the in-memory store after the same random writes', () => {
    nonEmptyReads = 0;
    const { rocks } = open(300_000);
    const mem: SessionBytesStore = new InMemorySessionStore('sessions', 300_000);
    mem.init(new FakeStateStoreContext(), mem);
    const next = random(11);
    const keys = ['a', 'ab', 'b', 'c'];
    const logs = captureLogs();
    let dropped = 0;
    for (let i = 0; i < 500; i++) {
      const key = b(keys[next(keys.length)]!);
      const start = next(800) * 1000;
      const end = start + next(20) * 1000;
      const value = next(6) === 0 ? null : b(`s${i}`);
      const rocksWarned = warningsOf(logs, () => rocks.put(key, start, end, value));
      const memWarned = warningsOf(logs, () => mem.put(key, start, end, value));
      expect(rocksWarned).toEqual(memWarned);
      for (const w of rocksWarned) expect(w).toBe('Skipping record for expired segment.');
      dropped += rocksWarned.length;
      if (i % 50 === 49) {
        const earliestEnd = next(800) * 1000;
        const latestStart = earliestEnd + next(100_000);
        for (const k of keys) {
          expect(drain(rocks.findSessions(b(k), b(k), earliestEnd, latestStart, false), windowed)).toEqual(
            drain(mem.findSessions(b(k), b(k), earliestEnd, latestStart, false), windowed),
          );
          expect(rocks.fetchSession(b(k), start, end)?.toString()).toEqual(mem.fetchSession(b(k), start, end)?.toString());
        }
        // multi-key reads: the same sessions, in Kafka's RocksDB order (segment by end, then key first)
        const seg = rocks.segmentIntervalMs;
        expect(drain(rocks.findSessions(null, null, earliestEnd, latestStart, true), windowed)).toEqual(drainSessionsInRocksOrder(mem.findSessions(null, null, earliestEnd, latestStart, true), seg, true));
        expect(drain(rocks.findSessions(b('ab'), b('b'), 0, Number.MAX_SAFE_INTEGER, false), windowed)).toEqual(
          drainSessionsInRocksOrder(mem.findSessions(b('ab'), b('b'), 0, Number.MAX_SAFE_INTEGER, false), seg, false),
        );
        expect(drain(rocks.findSessionsByEndTime(earliestEnd, latestStart), windowed)).toEqual(drain(mem.findSessionsByEndTime(earliestEnd, latestStart), windowed));
      }
    }
    logs.stop();
    expect(nonEmptyReads).toBeGreaterThan(30);
    expect(dropped).toBeGreaterThan(50);
    rocks.close();
  });

  it('survives close and reopen, and restores from changelog records', () => {
    const first = open();
    first.rocks.put(b('k'), 1000, 5000, b('agg'));
    first.rocks.close();
    const second = open();
    expect(second.rocks.fetchSession(b('k'), 1000, 5000)?.toString()).toBe('agg');
    second.ctx.registered.get('sessions')!.restore([
      { key: sessionStoreKey(b('k'), 1000, 5000), value: null, timestamp: 0 },
      { key: sessionStoreKey(b('k'), 6000, 9000), value: b('merged'), timestamp: 0 },
    ]);
    expect(drain(second.rocks.findSessions(b('k'), b('k'), 0, Number.MAX_SAFE_INTEGER, false), windowed)).toEqual(['k@6000/9000=merged']);
    second.rocks.close();
  });
});

describe('persistent window and session stores through Stores and their builders', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => (dir = tempDir('kstreams-built-')));
  afterEach(() => dir.cleanup());

  it('a timestamped window store builder over Stores.persistentTimestampedWindowStore logs, caches and reads typed values', () => {
    const S = Serdes.String();
    const store = Stores.timestampedWindowStoreBuilder(Stores.persistentTimestampedWindowStore('w', 60_000, 10_000, false), S, S)
      .withCachingEnabled()
      .build();
    const ctx = new FakeStateStoreContext({ stateDir: dir.path, cache: new ThreadCache(1024 * 1024) });
    store.init(ctx, store);
    store.put('k', ValueAndTimestamp.make('v', 5)!, 0);
    expect(store.fetch('k', 0)?.value).toBe('v');
    store.flush();
    expect(ctx.logged.map((l) => [l.store, l.value?.toString()])).toEqual([['w', 'v']]);
    expect(readdirSync(join(dir.path, 'w'))).toEqual(['w.0']);
    store.close();
  });

  it('validates retention against window size as Kafka does', () => {
    expect(() => Stores.persistentWindowStore('w', 5, 10, false)).toThrow(
      'The retention period of the window store w must be no smaller than its window size. Got size=[10], retention=[5]',
    );
    expect(() => Stores.persistentSessionStore('', 5)).toThrow('store name cannot be null or empty');
  });
});
