import { DateTime } from 'luxon';
import { Serdes, SessionWindow, Stores, TimeWindow, ValueAndTimestamp, Windowed, WindowedSerdes } from '@kstreams/streams';
import { parseSessionStoreKey, parseWindowStoreKey, sessionStoreKey, ThreadCache, windowStoreKey } from '@kstreams/streams/internal';
import { withCapturedLogs } from '@kstreams/test-utils';
import { FakeStateStoreContext, tempDir } from '../state/fake-state-store-context';

const S = Serdes.String();
const L = Serdes.Long();

function windowStore(options: { caching?: boolean; logging?: boolean; retention?: number; size?: number } = {}) {
  let b = Stores.windowStoreBuilder(Stores.inMemoryWindowStore('w', options.retention ?? 100, options.size ?? 10, false), S, L);
  if (options.caching) b = b.withCachingEnabled();
  if (options.logging === false) b = b.withLoggingDisabled();
  const store = b.build();
  const context = new FakeStateStoreContext({ cache: new ThreadCache(1 << 20) });
  store.init(context, store);
  return { store, context };
}

const rows = <K, V>(it: Iterable<{ key: K; value: V }>) => [...it].map((kv) => `${String(kv.key)}=${String(kv.value)}`);

describe.each([false, true])('window store (caching=%s)', (caching) => {
  it('fetch by key and time range, forward and backward; single window; ranges of keys; all', () => {
    const { store } = windowStore({ caching });
    store.put('a', 1, 0);
    store.put('b', 2, 0);
    store.put('a', 3, 10);
    store.put('c', 4, 20);
    store.put('a', 5, 20);
    expect(store.fetch('a', 10)).toBe(3);
    expect(store.fetch('a', 5)).toBeNull();
    expect(rows(store.fetch('a', 0, 15))).toEqual(['0=1', '10=3']);
    expect(rows(store.fetch('a', new Date(0), DateTime.fromMillis(15)))).toEqual(['0=1', '10=3']);
    expect(rows(store.backwardFetch('a', 0, 20))).toEqual(['20=5', '10=3', '0=1']);
    expect(rows(store.fetch('a', 'b', 0, 20))).toEqual(['[a@0/10]=1', '[b@0/10]=2', '[a@10/20]=3', '[a@20/30]=5']);
    expect(rows(store.fetchAll(10, 20))).toEqual(['[a@10/20]=3', '[a@20/30]=5', '[c@20/30]=4']);
    expect(rows(store.backwardFetchAll(10, 20))).toEqual(['[c@20/30]=4', '[a@20/30]=5', '[a@10/20]=3']);
    expect(rows(store.fetch(null, 'a', 0, 100))).toEqual(['[a@0/10]=1', '[a@10/20]=3', '[a@20/30]=5']);
    expect(rows(store.all())).toHaveLength(5);
    store.put('a', null, 10);
    expect(store.fetch('a', 10)).toBeNull();
    expect(rows(store.fetch('a', 0, 100))).toEqual(['0=1', '20=5']);
  });

  it('drops writes older than retention and hides expired windows (unless still in the record cache, as Kafka)', () => {
    const { store } = windowStore({ caching, retention: 20, size: 10 });
    store.put('a', 1, 0);
    store.put('a', 2, 30);
    store.flush();
    // Kafka's CachingWindowStore serves what its cache still holds, past the store's retention (test/interop)
    expect(store.fetch('a', 0)).toBe(caching ? 1 : null);
    const logs = withCapturedLogs(() => {
      store.put('a', 9, 5); // 5 <= 30 - 20: expired in the store
      store.flush();
    });
    expect(logs.warnings).toEqual(['Skipping record for expired segment.']);
    expect(rows(store.fetch('a', 0, 100))).toEqual(caching ? ['0=1', '5=9', '30=2'] : ['30=2']);
  });
});

describe('window store read order (Kafka\'s)', () => {
  it('a cached RocksDB store merges cache and store segment by segment, key first; an in-memory one by window start', () => {
    const dir = tempDir('kstreams-window-order-');
    try {
      const order = (persistent: boolean): string[] => {
        const supplier = persistent ? Stores.persistentWindowStore('w', 100_000, 10_000, false) : Stores.inMemoryWindowStore('w', 100_000, 10_000, false);
        const store = Stores.windowStoreBuilder(supplier, S, L).withCachingEnabled().build();
        const context = new FakeStateStoreContext({ cache: new ThreadCache(1 << 20), stateDir: dir.path });
        store.init(context, store);
        store.put('b', 1, 0);
        store.put('a', 2, 70_000);
        store.flush(); // these two in the store below
        store.put('a', 3, 10_000);
        store.put('b', 4, 70_000); // these two only in the cache
        const all = rows(store.all());
        store.close();
        return all;
      };
      // RocksDB segments of max(retention / 2, 60 s) = 60 s: [0, 60 s) then [60 s, 120 s); inside each, key first
      expect(order(true)).toEqual(['[a@10000/20000]=3', '[b@0/10000]=1', '[a@70000/80000]=2', '[b@70000/80000]=4']);
      expect(order(false)).toEqual(['[b@0/10000]=1', '[a@10000/20000]=3', '[a@70000/80000]=2', '[b@70000/80000]=4']);
    } finally {
      dir.cleanup();
    }
  });
});

describe('window store layers', () => {
  it('logs key ‖ windowStart ‖ seqnum (Kafka\'s WindowKeySchema) with the record timestamp', () => {
    const { store, context } = windowStore();
    context.setRecord(17);
    store.put('k', 5, 10);
    expect(context.logged).toHaveLength(1);
    const { key, windowStart, seqnum } = parseWindowStoreKey(context.logged[0]!.key);
    expect([key.toString(), windowStart, seqnum]).toEqual(['k', 10, 0]);
    expect(context.logged[0]!.value!.readBigInt64BE(0)).toBe(5n);
    expect(context.logged[0]!.timestamp).toBe(17);
  });

  it('caching holds writes until flush, then the store and the changelog see only the last write', () => {
    const { store, context } = windowStore({ caching: true });
    store.put('k', 1, 0);
    store.put('k', 2, 0);
    expect(context.logged).toHaveLength(0);
    expect(store.fetch('k', 0)).toBe(2);
    store.flush();
    expect(context.logged).toHaveLength(1);
    expect(context.logged[0]!.value!.readBigInt64BE(0)).toBe(2n);
  });

  it('a timestamped store is restored from its (plain-valued) changelog with the record timestamps', () => {
    const b = Stores.timestampedWindowStoreBuilder(Stores.inMemoryWindowStore('tw', 100, 10, false), S, L);
    const first = b.build();
    const c1 = new FakeStateStoreContext();
    first.init(c1, first);
    c1.setRecord(7);
    first.put('k', ValueAndTimestamp.make(3, 7), 0);
    const second = b.build();
    const c2 = new FakeStateStoreContext();
    second.init(c2, second);
    c2.registered.get('tw')!.restore(c1.logged.map((l) => ({ key: l.key, value: l.value, timestamp: l.timestamp })));
    expect(second.fetch('k', 0)?.toString()).toBe('<3,7>');
  });

  it('window changelogs are compact,delete with retention + 1 day; caching is off by default for the Processor API', () => {
    const b = Stores.windowStoreBuilder(Stores.inMemoryWindowStore('w', 1000, 10, false), S, L);
    expect(b.logConfig()).toEqual({ 'cleanup.policy': 'compact,delete', 'retention.ms': '86401000' });
    expect(b.cachingEnabled()).toBe(false);
    expect(b.withLoggingEnabled({ 'min.insync.replicas': '2' }).logConfig()['min.insync.replicas']).toBe('2');
    expect(b.withLoggingDisabled().logConfig()).toEqual({});
  });

  it('Stores.inMemoryWindowStore checks retention against the window size', () => {
    expect(() => Stores.inMemoryWindowStore('w', 5, 10, false)).toThrow(
      'The retention period of the window store w must be no smaller than its window size. Got size=[10], retention=[5]',
    );
  });
});

describe('session store', () => {
  function sessionStore(caching: boolean) {
    let b = Stores.sessionStoreBuilder(Stores.inMemorySessionStore('s', 1000), S, L);
    if (caching) b = b.withCachingEnabled();
    const store = b.build();
    const context = new FakeStateStoreContext({ cache: new ThreadCache(1 << 20) });
    store.init(context, store);
    return { store, context };
  }

  it.each([false, true])('findSessions finds sessions ending at or after the earliest end and starting at or before the latest start (caching=%s)', (caching) => {
    const { store } = sessionStore(caching);
    store.put(new Windowed('a', new SessionWindow(0, 5)), 2);
    store.put(new Windowed('a', new SessionWindow(10, 20)), 3);
    store.put(new Windowed('b', new SessionWindow(3, 4)), 1);
    expect(rows(store.findSessions('a', 5, 10))).toEqual(['[a@0/5]=2', '[a@10/20]=3']);
    expect(rows(store.findSessions('a', 6, 9))).toEqual([]);
    expect(rows(store.findSessions('a', new Date(5), DateTime.fromMillis(10)))).toEqual(['[a@0/5]=2', '[a@10/20]=3']);
    expect(rows(store.findSessions('a', 'b', 0, 100))).toEqual(['[b@3/4]=1', '[a@0/5]=2', '[a@10/20]=3']);
    expect(rows(store.backwardFindSessions('a', 0, 100))).toEqual(['[a@10/20]=3', '[a@0/5]=2']);
    expect(rows(store.findSessionsByEndTime(4, 5))).toEqual(['[b@3/4]=1', '[a@0/5]=2']);
    expect(store.fetchSession('a', 10, 20)).toBe(3);
    store.remove(new Windowed('a', new SessionWindow(10, 20)));
    expect(rows(store.fetch('a'))).toEqual(['[a@0/5]=2']);
  });

  it.each([false, true])('single-key lookups ignore keys that extend the key (caching=%s)', (caching) => {
    const { store } = sessionStore(caching);
    store.put(new Windowed('a', new SessionWindow(2, 3)), 1);
    store.put(new Windowed('ab', new SessionWindow(4, 6)), 2);
    store.put(new Windowed('a', new SessionWindow(7, 8)), 3);
    expect(rows(store.findSessions('a', 0, 100))).toEqual(['[a@2/3]=1', '[a@7/8]=3']);
    expect(rows(store.findSessions('ab', 5, 100))).toEqual(['[ab@4/6]=2']);
    store.flush();
    store.put(new Windowed('a', new SessionWindow(2, 3)), null);
    expect(rows(store.findSessions('a', 0, 100))).toEqual(['[a@7/8]=3']);
  });

  it('forgets sessions past retention in every index (in-memory store, retention 1000)', () => {
    const { store } = sessionStore(false);
    store.put(new Windowed('a', new SessionWindow(0, 5)), 1);
    store.put(new Windowed('b', new SessionWindow(100, 900)), 2);
    store.put(new Windowed('a', new SessionWindow(1000, 1004)), 3);
    expect(rows(store.findSessions('a', 0, 2000))).toEqual(['[a@0/5]=1', '[a@1000/1004]=3']);
    store.put(new Windowed('c', new SessionWindow(1006, 1006)), 4); // 5 <= 1006 - 1000: [a@0/5] expires
    expect(rows(store.findSessions('a', 0, 2000))).toEqual(['[a@1000/1004]=3']);
    expect(rows(store.findSessionsByEndTime(0, 2000))).toEqual(['[b@100/900]=2', '[a@1000/1004]=3', '[c@1006/1006]=4']);
    const logs = withCapturedLogs(() => store.put(new Windowed('a', new SessionWindow(0, 5)), 9)); // too old: skipped
    expect(logs.warnings).toEqual(['Skipping record for expired segment.']);
    expect(store.fetchSession('a', 0, 5)).toBeNull();
  });

  it('logs key ‖ end ‖ start (Kafka\'s SessionKeySchema)', () => {
    const { store, context } = sessionStore(false);
    store.put(new Windowed('k', new SessionWindow(3, 9)), 1);
    const { key, start, end } = parseSessionStoreKey(context.logged[0]!.key);
    expect([key.toString(), start, end]).toEqual(['k', 3, 9]);
  });
});

describe('key schemas', () => {
  it.each([0, 1, 2 ** 32 - 1, 2 ** 32, 1_795_338_000_123, Number.MAX_SAFE_INTEGER, -1, -(2 ** 40)])('round-trip time %d as Java long bytes', (t) => {
    const w = windowStoreKey(Buffer.from('k'), t, 7);
    expect(w.readBigInt64BE(1)).toBe(BigInt(t));
    expect(parseWindowStoreKey(w)).toEqual({ key: Buffer.from('k'), windowStart: t, seqnum: 7 });
    const s = sessionStoreKey(Buffer.from('k'), t, t + 1);
    expect(s.readBigInt64BE(1)).toBe(BigInt(t + 1));
    expect(parseSessionStoreKey(s)).toEqual({ key: Buffer.from('k'), start: t, end: t + 1 });
  });
});

describe('Windowed and windowed serdes', () => {
  it('Windowed prints [key@start/end]; Window prints Window{startMs=.., endMs=..}', () => {
    const w = new Windowed('k1', new TimeWindow(0, 2));
    expect(w.toString()).toBe('[k1@0/2]');
    expect(w.window().toString()).toBe('Window{startMs=0, endMs=2}');
    expect(w.equals(new Windowed('k1', new TimeWindow(0, 2)))).toBe(true);
    expect(w.equals(new Windowed('k1', new SessionWindow(0, 2)))).toBe(false);
    expect(new TimeWindow(0, 10).overlap(new TimeWindow(10, 20))).toBe(false);
    expect(new SessionWindow(0, 10).overlap(new SessionWindow(10, 20))).toBe(true);
  });

  it('time-windowed keys are innerKey ‖ start (8 bytes BE); the end comes from the window size', () => {
    const serde = WindowedSerdes.timeWindowedSerdeFrom(S, 300);
    const bytes = serde.serializer().serialize('t', new Windowed('ab', new TimeWindow(600, 900)))!;
    expect(bytes.toString('hex')).toBe(Buffer.from('ab').toString('hex') + '0000000000000258');
    expect(serde.deserializer().deserialize('t', bytes)!.toString()).toBe('[ab@600/900]');
  });

  it('session-windowed keys are innerKey ‖ end ‖ start', () => {
    const serde = WindowedSerdes.sessionWindowedSerdeFrom(S);
    const bytes = serde.serializer().serialize('t', new Windowed('k', new SessionWindow(1, 2)))!;
    expect(bytes.toString('hex')).toBe('6b' + '0000000000000002' + '0000000000000001');
    expect(serde.deserializer().deserialize('t', bytes)!.toString()).toBe('[k@1/2]');
  });
});
