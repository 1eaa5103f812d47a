/**
 * Timestamped key-value stores (Kafka's `TimestampedKeyValueStore`): values are `ValueAndTimestamp<V>`, stored as
 * `timestamp ‖ value` bytes. Here: the typed metered layer for them, the restore adapter that turns changelog
 * records (plain value + record timestamp) back into that format, and facades that read a timestamped store as a
 * plain `KeyValueStore` (for the test driver's `getKeyValueStore` and interactive queries).
 */
import { MappedKeyValueIterator } from './key-value-iterators';
import { MeteredKeyValueStore, resolveSerde } from './metered-key-value-store';
import { ValueAndTimestamp, ValueAndTimestampSerde, rawValueAndTimestamp } from './value-and-timestamp';
import { WrappedKeyValueBytesStore } from './wrapped-key-value-store';
import type { Serde, Serializer } from '../serde/serde';
import type {
  KeyValue,
  KeyValueBytesStore,
  KeyValueIterator,
  KeyValueStore,
  ReadOnlyKeyValueStore,
  StateStore,
  StateStoreContext,
} from './state-store';

/** A key-value store whose values carry the timestamp of their last update. */
export type TimestampedKeyValueStore<K, V> = KeyValueStore<K, ValueAndTimestamp<V>>;

/** Record timestamp Kafka uses when there is none. */
export const NO_TIMESTAMP = -1;

/** The typed layer of a timestamped store: the value serde is wrapped as `timestamp ‖ value`. */
export class MeteredTimestampedKeyValueStore<K, V> extends MeteredKeyValueStore<K, ValueAndTimestamp<V>> {
  readonly #plainValueSerde: Serde<V> | null;

  constructor(wrapped: KeyValueBytesStore, metricsScope: string, keySerde: Serde<K> | null, valueSerde: Serde<V> | null) {
    super(wrapped, metricsScope, keySerde, null);
    this.#plainValueSerde = valueSerde;
  }

  protected override resolveValueSerde(
    _valueSerde: Serde<ValueAndTimestamp<V>> | null,
    context: StateStoreContext,
  ): Serde<ValueAndTimestamp<V>> {
    return new ValueAndTimestampSerde(resolveSerde(this.#plainValueSerde, context, 'value', this.name));
  }
}

/** Whether a byte store already stores `timestamp ‖ value` (so a timestamped builder must not adapt it again). */
export function isTimestampedBytesStore(store: KeyValueBytesStore): boolean {
  return store instanceof TimestampedRestoreAdapter;
}

/**
 * Marks an inner byte store as holding `timestamp ‖ value` and converts restored changelog records to that format
 * (Kafka's `RecordConverters.rawValueToTimestampedValue`): the changelog holds plain values, the timestamp travels
 * as the record timestamp.
 */
export class TimestampedRestoreAdapter extends WrappedKeyValueBytesStore {
  override init(context: StateStoreContext, root: StateStore): void {
    const converting: StateStoreContext = {
      applicationId: context.applicationId,
      taskId: context.taskId,
      stateDir: context.stateDir,
      appConfigs: context.appConfigs,
      cache: context.cache,
      register: (store, restore) =>
        context.register(store, (records) =>
          restore(records.map((r) => ({ key: r.key, value: rawValueAndTimestamp(r.value, r.timestamp), timestamp: r.timestamp }))),
        ),
      logChange: (storeName, key, value, timestamp, headers) => context.logChange(storeName, key, value, timestamp, headers),
      recordContext: () => context.recordContext(),
      setRecordContext: (recordContext) => context.setRecordContext(recordContext),
      currentStreamTimeMs: () => context.currentStreamTimeMs(),
    };
    this.wrapped.init(converting, root);
  }
}

/** Reads a timestamped store as a plain read-only store (values without timestamps). */
export class ReadOnlyKeyValueStoreFacade<K, V> implements ReadOnlyKeyValueStore<K, V> {
  constructor(protected readonly inner: ReadOnlyKeyValueStore<K, ValueAndTimestamp<V>>) {}

  get(key: K): V | null {
    return ValueAndTimestamp.getValueOrNull(this.inner.get(key));
  }

  range(from: K | null, to: K | null): KeyValueIterator<K, V> {
    return this.#plain(this.inner.range(from, to));
  }

  reverseRange(from: K | null, to: K | null): KeyValueIterator<K, V> {
    return this.#plain(this.inner.reverseRange(from, to));
  }

  all(): KeyValueIterator<K, V> {
    return this.#plain(this.inner.all());
  }

  reverseAll(): KeyValueIterator<K, V> {
    return this.#plain(this.inner.reverseAll());
  }

  prefixScan<P>(prefix: P, prefixKeySerializer: Serializer<P>): KeyValueIterator<K, V> {
    return this.#plain(this.inner.prefixScan(prefix, prefixKeySerializer));
  }

  approximateNumEntries(): number {
    return this.inner.approximateNumEntries();
  }

  #plain(it: KeyValueIterator<K, ValueAndTimestamp<V>>): KeyValueIterator<K, V> {
    return new MappedKeyValueIterator<K, ValueAndTimestamp<V>, K, V>('', it, (key, vt) => ({ key, value: vt.value }));
  }
}

/**
 * A timestamped store seen as a plain `KeyValueStore` (Kafka's `KeyValueStoreFacade`): reads drop timestamps,
 * writes store the value with no timestamp (-1).
 */
export class KeyValueStoreFacade<K, V> extends ReadOnlyKeyValueStoreFacade<K, V> implements KeyValueStore<K, V> {
  constructor(protected readonly store: TimestampedKeyValueStore<K, V>) {
    super(store);
  }

  get name(): string {
    return this.store.name;
  }

  init(context: StateStoreContext, root: StateStore): void {
    this.store.init(context, root);
  }

  flush(): void {
    this.store.flush();
  }

  close(): void {
    this.store.close();
  }

  persistent(): boolean {
    return this.store.persistent();
  }

  isOpen(): boolean {
    return this.store.isOpen();
  }

  put(key: K, value: V | null): void {
    this.store.put(key, ValueAndTimestamp.make(value, NO_TIMESTAMP));
  }

  putIfAbsent(key: K, value: V | null): V | null {
    return ValueAndTimestamp.getValueOrNull(this.store.putIfAbsent(key, ValueAndTimestamp.make(value, NO_TIMESTAMP)));
  }

  putAll(entries: ReadonlyArray<KeyValue<K, V | null>>): void {
    this.store.putAll(entries.map((e) => ({ key: e.key, value: ValueAndTimestamp.make(e.value, NO_TIMESTAMP) })));
  }

  delete(key: K): V | null {
    return ValueAndTimestamp.getValueOrNull(this.store.delete(key));
  }
}

/** Whether a store is a typed timestamped key-value store (its values are `ValueAndTimestamp`). */
export function isTimestampedKeyValueStore(store: StateStore): store is TimestampedKeyValueStore<unknown, unknown> {
  return store instanceof MeteredTimestampedKeyValueStore;
}

/**
 * A key-value store as a plain `KeyValueStore<K, V>`: a timestamped store behind a `KeyValueStoreFacade`, any other
 * key-value store as it is (what the test driver's `getKeyValueStore` returns).
 */
export function asPlainKeyValueStore<K, V>(store: StateStore): KeyValueStore<K, V> {
  if (isTimestampedKeyValueStore(store)) return new KeyValueStoreFacade(store as TimestampedKeyValueStore<K, V>);
  return store as KeyValueStore<K, V>;
}
