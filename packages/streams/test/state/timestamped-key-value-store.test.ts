/** Timestamped stores: Kafka's byte format, changelog format, restoration, facades and the DSL builder helper. */
import { drain } from '../../src/state/key-value-iterators';
import { keyValueStoreBuilderFor } from '../../src/state/key-value-store-builder';
import { Stores } from '../../src/state/stores';
import {
  KeyValueStoreFacade,
  ReadOnlyKeyValueStoreFacade,
  asPlainKeyValueStore,
  isTimestampedKeyValueStore,
} from '../../src/state/timestamped-key-value-store';
import { ThreadCache } from '../../src/state/thread-cache';
import {
  ValueAndTimestamp,
  ValueAndTimestampSerde,
  rawValueAndTimestamp,
  rawValueOf,
  timestampOf,
} from '../../src/state/value-and-timestamp';
import { FakeStateStoreContext, tempDir } from './fake-state-store-context';
import { longSerde, utf8Serde } from './test-serdes';

describe('ValueAndTimestamp', () => {
  it('make returns null for a null value', () => {
    expect(ValueAndTimestamp.make(null, 5)).toBeNull();
    const vt = ValueAndTimestamp.make('v', 5)!;
    expect([vt.value, vt.timestamp]).toEqual(['v', 5]);
  });

  it('serializes as an 8-byte big-endian timestamp followed by the value bytes', () => {
    const serde = new ValueAndTimestampSerde(utf8Serde);
    const bytes = serde.serializer().serialize('t', ValueAndTimestamp.make('hi', 0x0102030405))!;
    expect(bytes.toString('hex')).toBe('0000000102030405' + Buffer.from('hi').toString('hex'));
    const back = serde.deserializer().deserialize('t', bytes)!;
    expect([back.value, back.timestamp]).toEqual(['hi', 0x0102030405]);
    expect(serde.serializer().serialize('t', null)).toBeNull();
    expect(timestampOf(rawValueAndTimestamp(Buffer.from('x'), -1)!)).toBe(-1);
    expect(rawValueOf(bytes)!.toString()).toBe('hi');
  });
});

describe.each([
  { name: 'in-memory', supplier: () => Stores.inMemoryKeyValueStore('table') },
  { name: 'rocksdb', supplier: () => Stores.persistentTimestampedKeyValueStore('table') },
])('TimestampedKeyValueStore ($name)', ({ supplier }) => {
  let dir: { path: string; cleanup: () => void };
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => dir.cleanup());

  function build(caching: boolean) {
    const context = new FakeStateStoreContext({ stateDir: dir.path, cache: new ThreadCache() });
    let builder = Stores.timestampedKeyValueStoreBuilder(supplier(), utf8Serde, longSerde);
    if (caching) builder = builder.withCachingEnabled();
    const store = builder.build();
    store.init(context, store);
    return { store, context };
  }

  it('logs the plain value with the value timestamp, and restores it with the record timestamp', () => {
    const { store, context } = build(false);
    context.setRecord(999);
    store.put('a', ValueAndTimestamp.make(7, 42));
    store.delete('a');
    expect(context.logged.map((l) => [l.key.toString(), l.value === null ? null : Number(l.value.readBigInt64BE(0)), l.timestamp])).toEqual([
      ['a', 7, 42],
      ['a', null, 999],
    ]);
    const value = Buffer.alloc(8);
    value.writeBigInt64BE(11n);
    context.registered.get('table')!.restore([{ key: Buffer.from('r'), value, timestamp: 1234 }]);
    const restored = store.get('r')!;
    expect([restored.value, restored.timestamp]).toEqual([11, 1234]);
    store.close();
  });

  it('reads as a plain store through the facades', () => {
    const { store } = build(true);
    store.put('a', ValueAndTimestamp.make(1, 10));
    store.put('b', ValueAndTimestamp.make(2, 20));
    const readOnly = new ReadOnlyKeyValueStoreFacade(store);
    expect(readOnly.get('a')).toBe(1);
    expect(drain(readOnly.all())).toEqual([
      { key: 'a', value: 1 },
      { key: 'b', value: 2 },
    ]);
    const facade = new KeyValueStoreFacade(store);
    facade.put('c', 3);
    expect(store.get('c')!.timestamp).toBe(-1);
    expect(facade.delete('a')).toBe(1);
    expect(drain(facade.reverseAll()).map((e) => e.key)).toEqual(['c', 'b']);
    expect(isTimestampedKeyValueStore(store)).toBe(true);
    expect(asPlainKeyValueStore<string, number>(store).get('b')).toBe(2);
    store.close();
  });

  it('the flush listener sees ValueAndTimestamp values', () => {
    const { store, context } = build(true);
    const seen: Array<[number | null, number | null]> = [];
    store.setFlushListener((r) => seen.push([r.newValue?.timestamp ?? null, r.oldValue?.value ?? null]), true);
    context.setRecord(5);
    store.put('a', ValueAndTimestamp.make(1, 5));
    store.flush();
    store.put('a', ValueAndTimestamp.make(2, 6));
    store.flush();
    expect(seen).toEqual([
      [5, null],
      [6, 1],
    ]);
    store.close();
  });
});

describe('keyValueStoreBuilderFor (Materialized)', () => {
  it('defaults to a timestamped RocksDB store with caching and logging on', () => {
    const b = keyValueStoreBuilderFor({ name: 'counts', keySerde: utf8Serde, valueSerde: longSerde });
    expect(b.name).toBe('counts');
    expect(b.cachingEnabled()).toBe(true);
    expect(b.loggingEnabled()).toBe(true);
    expect(b.logConfig()).toEqual({ 'cleanup.policy': 'compact' });
    const dir = tempDir();
    try {
      const context = new FakeStateStoreContext({ stateDir: dir.path, cache: new ThreadCache() });
      const store = b.build();
      store.init(context, store);
      expect(store.persistent()).toBe(true);
      store.put('k', ValueAndTimestamp.make(1, 1));
      expect(store.get('k')!.value).toBe(1);
      store.close();
    } finally {
      dir.cleanup();
    }
  });

  it('honours storeType, caching, logging and logConfig', () => {
    const b = keyValueStoreBuilderFor({
      name: 'm',
      storeType: 'in_memory',
      keySerde: utf8Serde,
      valueSerde: utf8Serde,
      caching: false,
      logConfig: { 'retention.ms': '100', 'cleanup.policy': 'compact,delete' },
      timestamped: false,
    });
    expect(b.cachingEnabled()).toBe(false);
    expect(b.logConfig()).toEqual({ 'cleanup.policy': 'compact,delete', 'retention.ms': '100' });
    const store = b.build();
    store.init(new FakeStateStoreContext(), store);
    expect(store.persistent()).toBe(false);
    store.put('k', 'v');
    expect(store.get('k')).toBe('v');
    expect(isTimestampedKeyValueStore(store)).toBe(false);
    expect(asPlainKeyValueStore(store)).toBe(store);
    const noLog = keyValueStoreBuilderFor({ name: 'n', keySerde: utf8Serde, valueSerde: utf8Serde, logging: false });
    expect(noLog.loggingEnabled()).toBe(false);
    expect(noLog.logConfig()).toEqual({});
  });
});

describe('Store builders', () => {
  it('default to logging on and caching off, and are immutable', () => {
    const base = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore('s'), utf8Serde, utf8Serde);
    expect(base.loggingEnabled()).toBe(true);
    expect(base.cachingEnabled()).toBe(false);
    const cached = base.withCachingEnabled().withLoggingEnabled({ 'min.insync.replicas': '2' });
    expect(cached.cachingEnabled()).toBe(true);
    expect(cached.logConfig()).toEqual({ 'cleanup.policy': 'compact', 'min.insync.replicas': '2' });
    expect(base.cachingEnabled()).toBe(false);
    expect(base.withLoggingDisabled().loggingEnabled()).toBe(false);
  });

  it('build a fresh store stack each time', () => {
    const builder = Stores.keyValueStoreBuilder(Stores.lruMap('lru', 2), utf8Serde, utf8Serde);
    expect(builder.build()).not.toBe(builder.build());
    expect(() => Stores.lruMap('bad', -1)).toThrow(/bad/);
    expect(() => Stores.inMemoryKeyValueStore('')).toThrow(/name/);
  });

  it('an LRU map logs the keys it evicts as deletes', () => {
    const context = new FakeStateStoreContext();
    const store = Stores.keyValueStoreBuilder(Stores.lruMap('lru', 2), utf8Serde, utf8Serde).build();
    store.init(context, store);
    store.put('a', '1');
    store.put('b', '2');
    store.get('a');
    store.put('c', '3'); // evicts b, the least recently used
    expect(store.get('b')).toBeNull();
    expect(context.loggedUtf8().map((l) => `${l.key}=${l.value}`)).toEqual(['a=1', 'b=2', 'b=null', 'c=3']);
  });

  it('the metered layer counts operations and feeds changes to subscribers', () => {
    const context = new FakeStateStoreContext();
    const store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore('m'), utf8Serde, utf8Serde).build();
    store.init(context, store);
    store.put('before', 'x'); // no subscriber yet: nothing recorded
    const changes: string[] = [];
    const sub = store.changes().subscribe((c) => changes.push(`${c.key}=${c.value}`));
    store.put('a', '1');
    store.delete('a');
    sub.unsubscribe();
    store.put('after', 'y');
    store.get('a');
    expect(changes).toEqual(['a=1', 'a=null']);
    expect(store.metrics.put.count).toBe(3);
    expect(store.metrics.get.count).toBe(1);
    expect(store.metrics.delete.count).toBe(1);
  });

  it('fails at init naming the store when no serde is given or configured', () => {
    const store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore('noserde'), null, utf8Serde).build();
    expect(() => store.init(new FakeStateStoreContext(), store)).toThrow(/noserde.*default\.key\.serde/);
  });
});
