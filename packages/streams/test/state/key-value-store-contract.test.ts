/**
 * One contract, run against every key-value store implementation (in-memory, LRU map, RocksDB) with every layer
 * combination the builders make (bare, logging, caching, caching + logging).
 */
import { InvalidStateStoreException } from '../../src/errors';
import { withCapturedLogs } from '@kstreams/test-utils';
import { drain } from '../../src/state/key-value-iterators';
import { Stores, type KeyValueBytesStoreSupplier } from '../../src/state/stores';
import { ThreadCache } from '../../src/state/thread-cache';
import type { Serde } from '../../src/serde/serde';
import type { KeyValueStore } from '../../src/state/state-store';
import { FakeStateStoreContext, tempDir } from './fake-state-store-context';
import { bytesSerde, utf8Serde } from './test-serdes';

interface Impl {
  readonly name: string;
  readonly supplier: (name: string) => KeyValueBytesStoreSupplier;
  /** Whether the store's iterators see deletes made after they were created (RocksDB's are snapshots). */
  readonly liveIterators: boolean;
  readonly exactCount: boolean;
}

const impls: Impl[] = [
  { name: 'in-memory', supplier: (n) => Stores.inMemoryKeyValueStore(n), liveIterators: true, exactCount: true },
  { name: 'lru-map', supplier: (n) => Stores.lruMap(n, 10_000), liveIterators: true, exactCount: true },
  { name: 'rocksdb', supplier: (n) => Stores.persistentKeyValueStore(n), liveIterators: false, exactCount: false },
];

const layerings = [
  { name: 'bare', caching: false, logging: false },
  { name: 'logging', caching: false, logging: true },
  { name: 'caching', caching: true, logging: false },
  { name: 'caching+logging', caching: true, logging: true },
] as const;

const b = (...bytes: number[]): Buffer => Buffer.from(bytes);

describe.each(impls)('KeyValueStore contract: $name', (impl) => {
  describe.each(layerings)('$name', (layering) => {
    let dir: { path: string; cleanup: () => void };
    let context: FakeStateStoreContext;
    let open: KeyValueStore<unknown, unknown>[];

    beforeEach(() => {
      dir = tempDir();
      context = new FakeStateStoreContext({ stateDir: dir.path, cache: new ThreadCache(1024 * 1024) });
      open = [];
    });

    afterEach(() => {
      for (const s of open) if (s.isOpen()) s.close();
      dir.cleanup();
    });

    function build<K, V>(keySerde: Serde<K>, valueSerde: Serde<V>, name = 'store'): KeyValueStore<K, V> {
      let builder = Stores.keyValueStoreBuilder(impl.supplier(name), keySerde, valueSerde);
      builder = layering.caching ? builder.withCachingEnabled() : builder.withCachingDisabled();
      builder = layering.logging ? builder.withLoggingEnabled({}) : builder.withLoggingDisabled();
      const store = builder.build();
      store.init(context, store);
      open.push(store as unknown as KeyValueStore<unknown, unknown>);
      return store;
    }

    const strings = (): KeyValueStore<string, string> => build<string, string>(utf8Serde, utf8Serde);

    it('puts, overwrites, gets and deletes with put(k, null)', () => {
      const s = strings();
      expect(s.get('a')).toBeNull();
      s.put('a', '1');
      s.put('a', '2');
      expect(s.get('a')).toBe('2');
      s.put('a', null);
      expect(s.get('a')).toBeNull();
    });

    it('putIfAbsent returns the existing value and keeps it, or null after writing', () => {
      const s = strings();
      expect(s.putIfAbsent('k', 'first')).toBeNull();
      expect(s.putIfAbsent('k', 'second')).toBe('first');
      expect(s.get('k')).toBe('first');
    });

    it('delete returns the old value, then null', () => {
      const s = strings();
      s.put('k', 'v');
      expect(s.delete('k')).toBe('v');
      expect(s.delete('k')).toBeNull();
      expect(s.get('k')).toBeNull();
    });

    it('putAll writes and deletes in one call', () => {
      const s = strings();
      s.put('gone', 'x');
      s.putAll([
        { key: 'a', value: '1' },
        { key: 'b', value: '2' },
        { key: 'gone', value: null },
      ]);
      expect(drain(s.all()).map((e) => `${e.key}=${e.value}`)).toEqual(['a=1', 'b=2']);
    });

    it('ranges are inclusive, unbounded with null, and empty when from > to', () => {
      const s = strings();
      for (const k of ['e', 'a', 'c', 'b', 'd']) s.put(k, k.toUpperCase());
      const keys = (it: Iterable<{ key: string }>): string[] => [...it].map((e) => e.key);
      expect(keys(s.range('b', 'd'))).toEqual(['b', 'c', 'd']);
      expect(keys(s.range(null, 'b'))).toEqual(['a', 'b']);
      expect(keys(s.range('d', null))).toEqual(['d', 'e']);
      expect(keys(s.range(null, null))).toEqual(['a', 'b', 'c', 'd', 'e']);
      expect(keys(s.reverseRange('b', 'd'))).toEqual(['d', 'c', 'b']);
      expect(keys(s.reverseRange(null, 'b'))).toEqual(['b', 'a']);
      expect(keys(s.reverseAll())).toEqual(['e', 'd', 'c', 'b', 'a']);
      const { warnings } = withCapturedLogs(() => {
        expect(keys(s.range('d', 'b'))).toEqual([]);
        expect(keys(s.reverseRange('d', 'b'))).toEqual([]);
      });
      expect(warnings).toHaveLength(2);
      expect(warnings[0]).toMatch(/invalid key range on store store: from > to/);
      expect(keys(s.range('bb', 'cc'))).toEqual(['c']);
      expect(drain(s.range('c', 'c'))).toEqual([{ key: 'c', value: 'C' }]);
    });

    it('orders keys by unsigned bytes (0x80 and 0xff after 0x7f, shorter prefix first)', () => {
      const s = build<Buffer, Buffer>(bytesSerde, bytesSerde);
      const keys = [b(0xff), b(0x80), b(0x7f), b(0x01, 0x00), b(0x01), b(0x00)];
      for (const k of keys) s.put(k, b(1));
      const hex = (it: Iterable<{ key: Buffer }>): string[] => [...it].map((e) => e.key.toString('hex'));
      expect(hex(s.all())).toEqual(['00', '01', '0100', '7f', '80', 'ff']);
      expect(hex(s.range(b(0x7f), b(0xff)))).toEqual(['7f', '80', 'ff']);
      expect(hex(s.reverseRange(b(0x01), b(0x80)))).toEqual(['80', '7f', '0100', '01']);
    });

    it('prefixScan returns the keys starting with the serialized prefix, in byte order', () => {
      const s = strings();
      for (const k of ['b', 'abd', 'ab', 'a', 'abc', 'ac', 'aba']) s.put(k, k);
      expect(drain(s.prefixScan('ab', utf8Serde.serializer())).map((e) => e.key)).toEqual(['ab', 'aba', 'abc', 'abd']);
      expect(drain(s.prefixScan('z', utf8Serde.serializer()))).toEqual([]);
      const bytes = build<Buffer, Buffer>(bytesSerde, bytesSerde, 'bytes');
      for (const k of [b(0xff), b(0xff, 0x00), b(0xff, 0xff, 0x01), b(0xfe, 0xff)]) bytes.put(k, b(0));
      expect(drain(bytes.prefixScan(b(0xff), bytesSerde.serializer())).map((e) => e.key.toString('hex'))).toEqual([
        'ff',
        'ff00',
        'ffff01',
      ]);
    });

    it('counts entries', () => {
      const s = strings();
      for (const k of ['a', 'b', 'c']) s.put(k, k);
      s.flush();
      if (impl.exactCount) expect(s.approximateNumEntries()).toBe(3);
      else expect(s.approximateNumEntries()).toBeGreaterThan(0);
    });

    it('iterators peek without advancing, end cleanly, and throw after close', () => {
      const s = strings();
      s.put('a', '1');
      s.put('b', '2');
      const it = s.all();
      expect(it.peekNextKey()).toBe('a');
      expect(it.peekNextKey()).toBe('a');
      expect(it.next().value).toEqual({ key: 'a', value: '1' });
      expect(it.next().value).toEqual({ key: 'b', value: '2' });
      expect(it.next().done).toBe(true);
      expect(it.peekNextKey()).toBeUndefined();
      it.close();
      expect(() => it.next()).toThrow(InvalidStateStoreException);
      expect(() => it.peekNextKey()).toThrow(/store/);
    });

    it('for…of with break closes the iterator', () => {
      const s = strings();
      s.put('a', '1');
      s.put('b', '2');
      const it = s.all();
      for (const e of it) {
        expect(e.key).toBe('a');
        break;
      }
      expect(() => it.next()).toThrow(InvalidStateStoreException);
    });

    it('iterators stay usable while the store changes under them', () => {
      const s = strings();
      for (const k of ['a', 'b', 'c', 'd', 'e']) s.put(k, k);
      const seen: string[] = [];
      for (const e of s.all()) {
        seen.push(e.key);
        if (e.key === 'b') {
          s.delete('d');
          s.put('a', 'changed');
          s.put('c', 'C');
        }
      }
      expect(seen[0]).toBe('a');
      expect(seen).toEqual([...seen].sort());
      expect(seen).toEqual(expect.arrayContaining(['a', 'b', 'c', 'e']));
      if (impl.liveIterators || layering.caching) expect(seen).not.toContain('d');
      else expect(seen).toContain('d'); // RocksDB iterators read a snapshot
    });

    it('throws InvalidStateStoreException naming the store once closed', () => {
      const s = build<string, string>(utf8Serde, utf8Serde, 'closing-store');
      s.put('a', '1');
      s.close();
      expect(s.isOpen()).toBe(false);
      expect(() => s.get('a')).toThrow(InvalidStateStoreException);
      expect(() => s.put('a', '2')).toThrow(/closing-store/);
      expect(() => s.range(null, null)).toThrow(/closing-store/);
    });

    it('restores changelog records through the registered callback, without logging them', () => {
      const s = strings();
      const registered = context.registered.get('store');
      expect(registered).toBeDefined();
      expect(registered!.store).toBe(s);
      registered!.restore([
        { key: Buffer.from('x'), value: Buffer.from('1'), timestamp: 5 },
        { key: Buffer.from('y'), value: Buffer.from('2'), timestamp: 6 },
        { key: Buffer.from('x'), value: null, timestamp: 7 },
      ]);
      expect(s.get('x')).toBeNull();
      expect(s.get('y')).toBe('2');
      expect(context.logged).toEqual([]);
    });

    it(layering.logging ? 'logs every write to the changelog with the record timestamp' : 'logs nothing without logging', () => {
      const s = strings();
      context.setRecord(100);
      s.put('a', '1');
      context.setRecord(101);
      s.putIfAbsent('a', 'ignored');
      s.putIfAbsent('b', '2');
      context.setRecord(102);
      s.delete('a');
      s.putAll([{ key: 'c', value: '3' }]);
      s.flush();
      if (!layering.logging) {
        expect(context.logged).toEqual([]);
        return;
      }
      const logged = context.loggedUtf8();
      if (layering.caching) {
        // the cache keeps one write per key (the last), flushed in order of last write, with its timestamp
        expect(logged).toEqual([
          { store: 'store', key: 'b', value: '2', timestamp: 101 },
          { store: 'store', key: 'a', value: null, timestamp: 102 },
          { store: 'store', key: 'c', value: '3', timestamp: 102 },
        ]);
      } else {
        expect(logged).toEqual([
          { store: 'store', key: 'a', value: '1', timestamp: 100 },
          { store: 'store', key: 'b', value: '2', timestamp: 101 },
          { store: 'store', key: 'a', value: null, timestamp: 102 },
          { store: 'store', key: 'c', value: '3', timestamp: 102 },
        ]);
      }
    });
  });
});
