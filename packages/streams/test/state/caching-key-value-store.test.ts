/** The record cache and the caching layer: dedup, eviction order, flush forwarding, cache size 0, flush listeners. */
import { Headers } from '../../src/processor/headers';
import type { CacheFlushRecord } from '../../src/state/cached-state-store';
import { drain } from '../../src/state/key-value-iterators';
import { Stores } from '../../src/state/stores';
import { ThreadCache, type DirtyEntry } from '../../src/state/thread-cache';
import type { KeyValueStore } from '../../src/state/state-store';
import type { MeteredKeyValueStore } from '../../src/state/metered-key-value-store';
import { FakeStateStoreContext } from './fake-state-store-context';
import { longSerde, utf8Serde } from './test-serdes';

const ctx = (timestamp: number) => ({ topic: 't', partition: 0, offset: timestamp, timestamp, headers: new Headers() });
const k = (s: string): Buffer => Buffer.from(s);
const flushed = (entries: readonly DirtyEntry[]): string[] =>
  entries.map((e) => `${e.key.toString()}=${e.newValue === null ? 'null' : e.newValue.toString()}@${e.context.timestamp}`);

describe('ThreadCache', () => {
  it('keeps the last write per key and flushes dirty keys in order of last write', () => {
    const cache = new ThreadCache(1024 * 1024);
    const out: string[][] = [];
    cache.addDirtyEntryFlushListener('0_0-s', (entries) => out.push(flushed(entries)));
    cache.put('0_0-s', k('a'), k('1'), true, ctx(1));
    cache.put('0_0-s', k('b'), k('2'), true, ctx(2));
    cache.put('0_0-s', k('a'), k('3'), true, ctx(3));
    expect(cache.get('0_0-s', k('a'))!.value!.toString()).toBe('3');
    cache.flush('0_0-s');
    expect(out).toEqual([['b=2@2', 'a=3@3']]);
    cache.flush('0_0-s');
    expect(out).toHaveLength(1); // nothing dirty: the listener is not called again
  });

  it('evicts the least recently used entry when over budget, flushing it first with the other dirty entries', () => {
    // each entry here is 1 (key) + 25 (node) + 1 (value) + 21 (context, topic "t") = 48 bytes
    const cache = new ThreadCache(48 * 3);
    const out: string[][] = [];
    cache.addDirtyEntryFlushListener('ns', (entries) => out.push(flushed(entries)));
    cache.put('ns', k('a'), k('1'), true, ctx(1));
    cache.put('ns', k('b'), k('2'), true, ctx(2));
    cache.put('ns', k('c'), k('3'), true, ctx(3));
    expect(cache.sizeBytes).toBe(144);
    cache.get('ns', k('a')); // a is now most recently used: b is the eldest
    cache.put('ns', k('d'), k('4'), true, ctx(4));
    expect(out).toEqual([['b=2@2', 'a=1@1', 'c=3@3', 'd=4@4']]);
    expect(cache.get('ns', k('b'))).toBeNull();
    expect(cache.size).toBe(3);
    expect(cache.evicts).toBe(1);
  });

  it('evicts clean entries silently', () => {
    const cache = new ThreadCache(48);
    const out: string[][] = [];
    cache.addDirtyEntryFlushListener('ns', (entries) => out.push(flushed(entries)));
    cache.put('ns', k('a'), k('1'), false, ctx(1));
    cache.put('ns', k('b'), k('2'), false, ctx(2));
    expect(out).toEqual([]);
    expect(cache.size).toBe(1);
  });

  it('with size 0 hands every write to the listener at once', () => {
    const cache = new ThreadCache(0);
    const out: string[][] = [];
    cache.addDirtyEntryFlushListener('ns', (entries) => out.push(flushed(entries)));
    cache.put('ns', k('a'), k('1'), true, ctx(1));
    cache.put('ns', k('a'), k('2'), true, ctx(2));
    expect(out).toEqual([['a=1@1'], ['a=2@2']]);
    expect(cache.sizeBytes).toBe(0);
  });

  it('drops flushed deletes from the cache', () => {
    const cache = new ThreadCache(1024);
    cache.addDirtyEntryFlushListener('ns', () => {});
    cache.put('ns', k('a'), null, true, ctx(1));
    cache.flush('ns');
    expect(cache.get('ns', k('a'))).toBeNull();
    expect(cache.sizeBytes).toBe(0);
  });

  it('shrinking the budget evicts until it fits', () => {
    const cache = new ThreadCache(1024);
    const out: string[][] = [];
    cache.addDirtyEntryFlushListener('ns', (entries) => out.push(flushed(entries)));
    for (const key of ['a', 'b', 'c']) cache.put('ns', k(key), k('1'), true, ctx(1));
    cache.resize(48);
    expect(cache.size).toBe(1);
    expect(out[0]![0]).toBe('a=1@1');
  });
});

describe('CachingKeyValueStore', () => {
  function sumStore(cache: ThreadCache | null, caching: boolean) {
    const context = new FakeStateStoreContext({ cache });
    let builder = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore('sums'), utf8Serde, longSerde);
    if (caching) builder = builder.withCachingEnabled();
    const store = builder.build();
    store.init(context, store);
    return { store, context };
  }

  function listen(store: MeteredKeyValueStore<string, number>, sendOldValues: boolean) {
    const records: Array<Omit<CacheFlushRecord<string, number>, 'headers'>> = [];
    const caching = store.setFlushListener(({ key, newValue, oldValue, timestamp }) => records.push({ key, newValue, oldValue, timestamp }), sendOldValues);
    return { records, caching };
  }

  /** Kafka's memory-management docs example: <A,1>, <A,20>, <A,300> summed. */
  function sum(store: KeyValueStore<string, number>, context: FakeStateStoreContext): void {
    for (const [i, v] of [1, 20, 300].entries()) {
      context.setRecord(10 + i, i);
      store.put('A', (store.get('A') ?? 0) + v);
    }
  }

  it('setFlushListener returns false without caching (the processor forwards itself)', () => {
    const { store } = sumStore(new ThreadCache(), false);
    expect(listen(store, true).caching).toBe(false);
  });

  it('with a cache, forwards one update per key on flush: <A,(321,null)>', () => {
    const { store, context } = sumStore(new ThreadCache(), true);
    const { records, caching } = listen(store, true);
    expect(caching).toBe(true);
    sum(store, context);
    expect(records).toEqual([]);
    store.flush();
    expect(records).toEqual([{ key: 'A', newValue: 321, oldValue: null, timestamp: 12 }]);
    sum(store, context);
    store.flush();
    expect(records[1]).toEqual({ key: 'A', newValue: 642, oldValue: 321, timestamp: 12 });
  });

  it('with cache size 0, forwards every update: <A,(1,null)>, <A,(21,1)>, <A,(321,21)>', () => {
    const { store, context } = sumStore(new ThreadCache(0), true);
    const { records } = listen(store, true);
    sum(store, context);
    expect(records).toEqual([
      { key: 'A', newValue: 1, oldValue: null, timestamp: 10 },
      { key: 'A', newValue: 21, oldValue: 1, timestamp: 11 },
      { key: 'A', newValue: 321, oldValue: 21, timestamp: 12 },
    ]);
  });

  it('without a thread cache in the context, forwards every update as with size 0', () => {
    const { store, context } = sumStore(null, true);
    const { records } = listen(store, false);
    sum(store, context);
    expect(records.map((r) => r.newValue)).toEqual([1, 21, 321]);
    expect(records.every((r) => r.oldValue === null)).toBe(true);
  });

  it('forwards deletes of stored keys, and nothing for deletes of keys never stored', () => {
    const { store, context } = sumStore(new ThreadCache(), true);
    const { records } = listen(store, true);
    context.setRecord(1);
    store.put('A', 1);
    store.flush();
    context.setRecord(2);
    store.delete('A');
    store.put('never', 5);
    store.delete('never');
    store.flush();
    expect(records).toEqual([
      { key: 'A', newValue: 1, oldValue: null, timestamp: 1 },
      { key: 'A', newValue: null, oldValue: 1, timestamp: 2 },
    ]);
  });

  it('sets the record context of the write while flushing, and restores it after', () => {
    const { store, context } = sumStore(new ThreadCache(), true);
    const seen: number[] = [];
    store.setFlushListener(() => seen.push(context.recordContext().timestamp), false);
    context.setRecord(7);
    store.put('A', 1);
    context.setRecord(99);
    store.flush();
    expect(seen).toEqual([7]);
    expect(context.recordContext().timestamp).toBe(99);
  });

  it('serves reads from the cache and merges cached writes and deletes into ranges', () => {
    const { store, context } = sumStore(new ThreadCache(), true);
    context.setRecord(1);
    for (const [key, v] of [['a', 1], ['b', 2], ['c', 3], ['d', 4]] as const) store.put(key, v);
    store.flush();
    store.put('b', 20); // cached overwrite
    store.delete('c'); // cached delete hides the stored entry
    store.put('e', 5); // only in the cache
    store.put('aa', 6);
    expect(drain(store.all()).map((e) => `${e.key}=${e.value}`)).toEqual(['a=1', 'aa=6', 'b=20', 'd=4', 'e=5']);
    expect(drain(store.reverseRange('aa', 'd')).map((e) => e.key)).toEqual(['d', 'b', 'aa']);
    expect(drain(store.prefixScan('a', utf8Serde.serializer())).map((e) => e.key)).toEqual(['a', 'aa']);
    expect(store.get('c')).toBeNull();
    expect(store.get('b')).toBe(20);
  });

  it('keeps cached keys in order across writes after the first range', () => {
    const { store } = sumStore(new ThreadCache(), true);
    store.put('b', 1);
    expect(drain(store.all()).map((e) => e.key)).toEqual(['b']);
    store.put('a', 2);
    store.put('c', 3);
    store.delete('b');
    expect(drain(store.all()).map((e) => e.key)).toEqual(['a', 'c']);
    expect(drain(store.reverseAll()).map((e) => e.key)).toEqual(['c', 'a']);
  });

  it('caches values read from the store only when they fit, so reads never flush or forward', () => {
    // room for about two entries
    const cache = new ThreadCache(120);
    const { store, context } = sumStore(cache, true);
    const { records } = listen(store, false);
    context.setRecord(1);
    store.put('a', 1);
    store.flush();
    store.put('b', 2); // dirty, cached
    store.put('c', 3); // dirty, cached: the cache is now full
    const before = cache.sizeBytes;
    expect(store.get('a')).toBe(1); // read through from the store; no room, so not cached
    expect(cache.sizeBytes).toBe(before);
    expect(records.map((r) => r.key)).toEqual(['a']); // nothing forwarded by the read
    store.flush();
    expect(records.map((r) => r.key)).toEqual(['a', 'b', 'c']);
  });

  it('writes to the store and changelog only when the cache flushes', () => {
    const context = new FakeStateStoreContext({ cache: new ThreadCache() });
    const store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore('s'), utf8Serde, utf8Serde)
      .withCachingEnabled()
      .withLoggingEnabled({})
      .build();
    store.init(context, store);
    context.setRecord(5);
    store.put('a', '1');
    store.put('a', '2');
    expect(context.logged).toEqual([]);
    store.flush();
    expect(context.loggedUtf8()).toEqual([{ store: 's', key: 'a', value: '2', timestamp: 5 }]);
  });

  it('flushes pending writes on close, so nothing is lost', () => {
    const context = new FakeStateStoreContext({ cache: new ThreadCache() });
    const store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore('s'), utf8Serde, utf8Serde)
      .withCachingEnabled()
      .build();
    store.init(context, store);
    store.put('a', '1');
    store.close();
    expect(context.loggedUtf8()).toEqual([{ store: 's', key: 'a', value: '1', timestamp: 0 }]);
    expect(context.cache!.size).toBe(0);
  });
});
