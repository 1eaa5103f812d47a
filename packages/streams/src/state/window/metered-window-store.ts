/**
 * The metered (outermost) layer of window stores (Kafka's `MeteredWindowStore`): typed keys and values over the
 * byte store, with the store's serdes (topic = the changelog topic, as Kafka), times as ms, `Date` or luxon
 * `DateTime`, and Kafka's `fetch` overloads told apart by argument count. The timestamped variant stores
 * `ValueAndTimestamp<V>` (the DSL's windowed aggregations).
 */
import { Windowed } from '../../dsl/windows/windowed';
import type { Serde } from '../../serde/serde';
import type { TimestampLike } from '../../time/duration';
import { timestampMs } from '../../time/duration';
import type { CachedStateStore } from '../cached-state-store';
import { MappedKeyValueIterator } from '../key-value-iterators';
import { MeteredWindowedStoreBase, resolveSerde } from '../metered-store-base';
import type { KeyValueIterator, StateStoreContext } from '../state-store';
import { ValueAndTimestampSerde, type ValueAndTimestamp } from '../value-and-timestamp';
import type { WindowBytesStore, WindowStore, WindowStoreIterator } from './window-store';

/** Counts of window store operations (Kafka's `stream-state-metrics` for window stores). */
export interface WindowStoreMetrics {
  readonly scope: string;
  put: number;
  fetch: number;
  flush: number;
}

export class MeteredWindowStore<K, V> extends MeteredWindowedStoreBase<K, V, WindowBytesStore> implements WindowStore<K, V>, CachedStateStore<Windowed<K>, V> {
  readonly metrics: WindowStoreMetrics;
  #lastKey: K | undefined = undefined;
  #lastKeyBytes: Buffer | null = null;

  constructor(wrapped: WindowBytesStore, metricsScope: string, keySerde: Serde<K> | null, valueSerde: Serde<V> | null) {
    super(wrapped, keySerde, valueSerde);
    this.metrics = { scope: metricsScope, put: 0, fetch: 0, flush: 0 };
  }

  /** Window size of the underlying store (ms). */
  get windowSizeMs(): number {
    return this.wrapped.windowSizeMs;
  }

  override flush(): void {
    this.metrics.flush++;
    this.wrapped.flush();
  }

  put(key: K, value: V | null, windowStartTimestamp: number): void {
    this.metrics.put++;
    this.wrapped.put(this.#key(key), value === null ? null : this.valueSerializer!.serialize(this.topic, value), windowStartTimestamp);
  }

  fetch(key: K, windowStart: TimestampLike): V | null;
  fetch(key: K, timeFrom: TimestampLike, timeTo: TimestampLike): WindowStoreIterator<V>;
  fetch(keyFrom: K | null, keyTo: K | null, timeFrom: TimestampLike, timeTo: TimestampLike): KeyValueIterator<Windowed<K>, V>;
  fetch(a: K | null, b: unknown, c?: TimestampLike, d?: TimestampLike): V | null | WindowStoreIterator<V> | KeyValueIterator<Windowed<K>, V> {
    this.metrics.fetch++;
    if (d !== undefined) return this.#range(a, b as K | null, c!, d, false);
    if (c !== undefined) return this.#single(a as K, b as TimestampLike, c, false);
    const raw = this.wrapped.fetchWindow(this.#key(a as K), timestampMs(b as TimestampLike, 'windowStart'));
    return raw === null ? null : this.valueDeserializer!.deserialize(this.topic, raw);
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
    return this.windowedIterator(this.wrapped.fetchAllWindows(timestampMs(timeFrom, 'timeFrom'), timestampMs(timeTo, 'timeTo'), false));
  }

  backwardFetchAll(timeFrom: TimestampLike, timeTo: TimestampLike): KeyValueIterator<Windowed<K>, V> {
    this.metrics.fetch++;
    return this.windowedIterator(this.wrapped.fetchAllWindows(timestampMs(timeFrom, 'timeFrom'), timestampMs(timeTo, 'timeTo'), true));
  }

  all(): KeyValueIterator<Windowed<K>, V> {
    return this.windowedIterator(this.wrapped.fetchAllWindows(0, Number.MAX_SAFE_INTEGER, false));
  }

  backwardAll(): KeyValueIterator<Windowed<K>, V> {
    return this.windowedIterator(this.wrapped.fetchAllWindows(0, Number.MAX_SAFE_INTEGER, true));
  }

  #single(key: K, from: TimestampLike, to: TimestampLike, backward: boolean): WindowStoreIterator<V> {
    const it = this.wrapped.fetchKey(this.#key(key), timestampMs(from, 'timeFrom'), timestampMs(to, 'timeTo'), backward);
    const vd = this.valueDeserializer!;
    const topic = this.topic;
    return new MappedKeyValueIterator<number, Buffer, number, V>(this.name, it, (k, v) => ({ key: k, value: vd.deserialize(topic, v)! }));
  }

  #range(keyFrom: K | null, keyTo: K | null, from: TimestampLike, to: TimestampLike, backward: boolean): KeyValueIterator<Windowed<K>, V> {
    return this.windowedIterator(
      this.wrapped.fetchKeyRange(
        keyFrom === null ? null : this.#key(keyFrom),
        keyTo === null ? null : this.#key(keyTo),
        timestampMs(from, 'timeFrom'),
        timestampMs(to, 'timeTo'),
        backward,
      ),
    );
  }

  #key(key: K): Buffer {
    // an aggregation reads and writes several windows of one key per record: serialize a primitive key once
    if (key === this.#lastKey && this.#lastKeyBytes !== null) return this.#lastKeyBytes;
    const bytes = this.serializeKey(key);
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
