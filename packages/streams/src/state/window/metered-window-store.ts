/**
 * The metered (outermost) layer of window stores (Kafka's `MeteredWindowStore`): typed keys and values over the
 * byte store, with the store's serdes (topic = the changelog topic, as Kafka), times as ms, `Date` or luxon
 * `DateTime`, and Kafka's `fetch` overloads told apart by argument count. The timestamped variant stores
 * `ValueAndTimestamp<V>` (the DSL's windowed aggregations).
 */
import { Windowed } from '../../dsl/windows/windowed';
import type { Deserializer, Serde, Serializer } from '../../serde/serde';
import type { TimestampLike } from '../../time/duration';
import { timestampMs } from '../../time/duration';
import { isCachedStateStore, type CacheFlushListener, type CachedStateStore } from '../cached-state-store';
import { MappedKeyValueIterator } from '../key-value-iterators';
import { resolveSerde, storeChangelogTopic } from '../metered-key-value-store';
import { storeNotOpen } from '../store-errors';
import type { KeyValueIterator, StateStore, StateStoreContext } from '../state-store';
import { ValueAndTimestampSerde, type ValueAndTimestamp } from '../value-and-timestamp';
import type { WindowBytesStore, WindowStore, WindowStoreIterator } from './window-store';

/** Counts of window store operations (Kafka's `stream-state-metrics` for window stores). */
export interface WindowStoreMetrics {
  readonly scope: string;
  put: number;
  fetch: number;
  flush: number;
}

export class MeteredWindowStore<K, V> implements WindowStore<K, V>, CachedStateStore<Windowed<K>, V> {
  readonly metrics: WindowStoreMetrics;
  #keySerde: Serde<K> | null;
  #valueSerde: Serde<V> | null;
  #ks: Serializer<K> | null = null;
  #kd: Deserializer<K> | null = null;
  #vs: Serializer<V> | null = null;
  #vd: Deserializer<V> | null = null;
  #topic = '';
  #lastKey: K | undefined = undefined;
  #lastKeyBytes: Buffer | null = null;

  constructor(
    readonly wrapped: WindowBytesStore,
    metricsScope: string,
    keySerde: Serde<K> | null,
    valueSerde: Serde<V> | null,
  ) {
    this.#keySerde = keySerde;
    this.#valueSerde = valueSerde;
    this.metrics = { scope: metricsScope, put: 0, fetch: 0, flush: 0 };
  }

  get name(): string {
    return this.wrapped.name;
  }

  /** The key and value serdes in use (resolved at init; null before). */
  get keySerde(): Serde<K> | null {
    return this.#keySerde;
  }

  get valueSerde(): Serde<V> | null {
    return this.#valueSerde;
  }

  /** Window size of the underlying store (ms). */
  get windowSizeMs(): number {
    return this.wrapped.windowSizeMs;
  }

  init(context: StateStoreContext, root: StateStore): void {
    this.#keySerde = resolveSerde(this.#keySerde, context, 'key', this.name);
    this.#valueSerde = this.resolveValueSerde(this.#valueSerde, context);
    this.#ks = this.#keySerde.serializer();
    this.#kd = this.#keySerde.deserializer();
    this.#vs = this.#valueSerde.serializer();
    this.#vd = this.#valueSerde.deserializer();
    this.#topic = storeChangelogTopic(context.applicationId, this.name);
    this.wrapped.init(context, root);
  }

  protected resolveValueSerde(valueSerde: Serde<V> | null, context: StateStoreContext): Serde<V> {
    return resolveSerde(valueSerde, context, 'value', this.name);
  }

  persistent(): boolean {
    return this.wrapped.persistent();
  }
  isOpen(): boolean {
    return this.wrapped.isOpen();
  }
  flush(): void {
    this.metrics.flush++;
    this.wrapped.flush();
  }
  close(): void {
    this.wrapped.close();
  }

  setFlushListener(listener: CacheFlushListener<Windowed<K>, V>, sendOldValues: boolean): boolean {
    if (!isCachedStateStore<Windowed<Buffer>, Buffer>(this.wrapped)) return false;
    return this.wrapped.setFlushListener((r) => {
      listener({
        key: new Windowed(this.#kd!.deserialize(this.#topic, r.key.key(), r.headers) as K, r.key.window()),
        newValue: r.newValue === null ? null : this.#vd!.deserialize(this.#topic, r.newValue, r.headers),
        oldValue: r.oldValue === null ? null : this.#vd!.deserialize(this.#topic, r.oldValue, r.headers),
        timestamp: r.timestamp,
        headers: r.headers,
      });
    }, sendOldValues);
  }

  flushCache(): void {
    if (isCachedStateStore(this.wrapped)) this.wrapped.flushCache();
  }

  put(key: K, value: V | null, windowStartTimestamp: number): void {
    this.metrics.put++;
    this.wrapped.put(this.#key(key), value === null ? null : this.#vs!.serialize(this.#topic, value), windowStartTimestamp);
  }

  fetch(key: K, windowStart: TimestampLike): V | null;
  fetch(key: K, timeFrom: TimestampLike, timeTo: TimestampLike): WindowStoreIterator<V>;
  fetch(keyFrom: K | null, keyTo: K | null, timeFrom: TimestampLike, timeTo: TimestampLike): KeyValueIterator<Windowed<K>, V>;
  fetch(a: K | null, b: unknown, c?: TimestampLike, d?: TimestampLike): V | null | WindowStoreIterator<V> | KeyValueIterator<Windowed<K>, V> {
    this.metrics.fetch++;
    if (d !== undefined) return this.#range(a, b as K | null, c!, d, false);
    if (c !== undefined) return this.#single(a as K, b as TimestampLike, c, false);
    const raw = this.wrapped.fetchWindow(this.#key(a as K), timestampMs(b as TimestampLike, 'windowStart'));
    return raw === null ? null : this.#vd!.deserialize(this.#topic, raw);
  }

  backwardFetch(key: K, timeFrom: TimestampLike, timeTo: TimestampLike): WindowStoreIterator<V>;
  backwardFetch(keyFrom: K | null, keyTo: K | null, timeFrom: TimestampLike, timeTo: TimestampLike): KeyValueIterator<Windowed<K>, V>;
  backwardFetch(a: K | null, b: unknown, c: TimestampLike, d?: TimestampLike): WindowStoreIterator<V> | KeyValueIterator<Windowed<K>, V> {
    this.metrics.fetch++;
    if (d !== undefined) return this.#range(a, b as K | null, c, d, true);
    return this.#single(a as K, b as TimestampLike, c, true);
  }

  fetchAll(timeFrom: TimestampLike, timeTo: TimestampLike): KeyValueIterator<Windowed<K>, V> {
    this.metrics.fetch++;
    return this.#windowed(this.wrapped.fetchAllWindows(timestampMs(timeFrom, 'timeFrom'), timestampMs(timeTo, 'timeTo'), false));
  }

  backwardFetchAll(timeFrom: TimestampLike, timeTo: TimestampLike): KeyValueIterator<Windowed<K>, V> {
    this.metrics.fetch++;
    return this.#windowed(this.wrapped.fetchAllWindows(timestampMs(timeFrom, 'timeFrom'), timestampMs(timeTo, 'timeTo'), true));
  }

  all(): KeyValueIterator<Windowed<K>, V> {
    return this.#windowed(this.wrapped.fetchAllWindows(0, Number.MAX_SAFE_INTEGER, false));
  }

  backwardAll(): KeyValueIterator<Windowed<K>, V> {
    return this.#windowed(this.wrapped.fetchAllWindows(0, Number.MAX_SAFE_INTEGER, true));
  }

  #single(key: K, from: TimestampLike, to: TimestampLike, backward: boolean): WindowStoreIterator<V> {
    const it = this.wrapped.fetchKey(this.#key(key), timestampMs(from, 'timeFrom'), timestampMs(to, 'timeTo'), backward);
    const vd = this.#vd!;
    const topic = this.#topic;
    return new MappedKeyValueIterator<number, Buffer, number, V>(this.name, it, (k, v) => ({ key: k, value: vd.deserialize(topic, v)! }));
  }

  #range(keyFrom: K | null, keyTo: K | null, from: TimestampLike, to: TimestampLike, backward: boolean): KeyValueIterator<Windowed<K>, V> {
    return this.#windowed(
      this.wrapped.fetchKeyRange(
        keyFrom === null ? null : this.#key(keyFrom),
        keyTo === null ? null : this.#key(keyTo),
        timestampMs(from, 'timeFrom'),
        timestampMs(to, 'timeTo'),
        backward,
      ),
    );
  }

  #windowed(it: KeyValueIterator<Windowed<Buffer>, Buffer>): KeyValueIterator<Windowed<K>, V> {
    if (this.#kd === null) throw storeNotOpen(this.name);
    const kd = this.#kd;
    const vd = this.#vd!;
    const topic = this.#topic;
    return new MappedKeyValueIterator<Windowed<Buffer>, Buffer, Windowed<K>, V>(this.name, it, (k, v) => ({
      key: new Windowed(kd.deserialize(topic, k.key()) as K, k.window()),
      value: vd.deserialize(topic, v)!,
    }));
  }

  #key(key: K): Buffer {
    if (this.#ks === null) throw storeNotOpen(this.name);
    // an aggregation reads and writes several windows of one key per record: serialize a primitive key once
    if (key === this.#lastKey && this.#lastKeyBytes !== null) return this.#lastKeyBytes;
    const bytes = this.#ks.serialize(this.#topic, key);
    if (bytes === null) throw new TypeError(`Key of store ${this.name} cannot be null`);
    const t = typeof key;
    if (t === 'string' || t === 'number' || t === 'bigint' || t === 'boolean') {
      this.#lastKey = key;
      this.#lastKeyBytes = bytes;
    }
    return bytes;
  }
}

/** A window store of `ValueAndTimestamp<V>` values (serialized `timestamp ‖ value`). */
export class MeteredTimestampedWindowStore<K, V> extends MeteredWindowStore<K, ValueAndTimestamp<V>> {
  constructor(wrapped: WindowBytesStore, metricsScope: string, keySerde: Serde<K> | null, readonly innerValueSerde: Serde<V> | null) {
    super(wrapped, metricsScope, keySerde, null);
  }

  protected override resolveValueSerde(_valueSerde: Serde<ValueAndTimestamp<V>> | null, context: StateStoreContext): Serde<ValueAndTimestamp<V>> {
    return new ValueAndTimestampSerde(resolveSerde(this.innerValueSerde, context, 'value', this.name));
  }
}
