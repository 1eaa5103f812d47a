/**
 * The metered layer, outermost in every store stack (Kafka's `MeteredKeyValueStore`): turns typed keys and values
 * into bytes with the store's serdes (using the changelog topic name, as Kafka does), counts operations, and offers
 * an rxjs feed of changes. Counting is a field increment; latency is measured only at `metrics.recording.level`
 * DEBUG (as Kafka's store metrics); the change feed costs one null check per write until someone subscribes.
 */
import { Observable, Subject } from 'rxjs';
import { isCachedStateStore, type CacheFlushListener, type CachedStateStore } from './cached-state-store';
import { MappedKeyValueIterator } from './key-value-iterators';
import { storeNotOpen } from './store-errors';
import { MeteredStoreBase } from './metered-store-base';
import type { Serde, Serializer } from '../serde/serde';
import type {
  KeyValue,
  KeyValueBytesStore,
  KeyValueIterator,
  KeyValueStore,
  StateStoreContext,
} from './state-store';

/** One write seen by the change feed of a store. `value === null` is a delete. */
export interface StoreChange<K, V> {
  readonly store: string;
  readonly key: K;
  readonly value: V | null;
  /** The value before this write (read only while someone observes the feed). */
  readonly oldValue: V | null;
  readonly timestamp: number;
}

/** Count and (at DEBUG recording level) total time of one kind of store operation. */
export interface StoreOperationStats {
  count: number;
  /** Total milliseconds spent, measured only at recording level DEBUG (otherwise 0). */
  totalTimeMs: number;
  /** Longest single call in milliseconds, measured only at recording level DEBUG (otherwise 0). */
  maxTimeMs: number;
}

/** Operation statistics of a store (Kafka's `stream-state-metrics` group). */
export interface KeyValueStoreMetrics {
  readonly scope: string;
  readonly get: StoreOperationStats;
  readonly put: StoreOperationStats;
  readonly putIfAbsent: StoreOperationStats;
  readonly putAll: StoreOperationStats;
  readonly delete: StoreOperationStats;
  readonly range: StoreOperationStats;
  readonly prefixScan: StoreOperationStats;
  readonly flush: StoreOperationStats;
}

function stats(): StoreOperationStats {
  return { count: 0, totalTimeMs: 0, maxTimeMs: 0 };
}

export { resolveSerde, storeChangelogTopic } from './metered-store-base';

/** Typed store over a byte store. */
export class MeteredKeyValueStore<K, V> extends MeteredStoreBase<K, V, KeyValueBytesStore> implements KeyValueStore<K, V>, CachedStateStore<K, V> {
  readonly metrics: KeyValueStoreMetrics;
  #context: StateStoreContext | null = null;
  #timed = false;
  #changes: Subject<StoreChange<K, V>> | null = null;

  constructor(wrapped: KeyValueBytesStore, metricsScope: string, keySerde: Serde<K> | null, valueSerde: Serde<V> | null) {
    super(wrapped, keySerde, valueSerde);
    this.metrics = {
      scope: metricsScope,
      get: stats(),
      put: stats(),
      putIfAbsent: stats(),
      putAll: stats(),
      delete: stats(),
      range: stats(),
      prefixScan: stats(),
      flush: stats(),
    };
  }

  protected override onInit(context: StateStoreContext): void {
    this.#context = context;
    this.#timed = String(context.appConfigs['metrics.recording.level'] ?? '').toUpperCase() === 'DEBUG';
  }

  /** Every write to this store, as it happens (before caching). Subscribing costs nothing until the first write. */
  changes(): Observable<StoreChange<K, V>> {
    if (this.#changes === null) this.#changes = new Subject<StoreChange<K, V>>();
    return this.#changes.asObservable();
  }

  setFlushListener(listener: CacheFlushListener<K, V>, sendOldValues: boolean): boolean {
    if (!isCachedStateStore<Buffer, Buffer>(this.wrapped)) return false;
    return this.wrapped.setFlushListener((r) => {
      listener({
        key: this.keyDeserializer!.deserialize(this.topic, r.key, r.headers)!,
        newValue: this.valueDeserializer!.deserialize(this.topic, r.newValue, r.headers),
        oldValue: this.valueDeserializer!.deserialize(this.topic, r.oldValue, r.headers),
        timestamp: r.timestamp,
        headers: r.headers,
      });
    }, sendOldValues);
  }

  get(key: K): V | null {
    const t = this.#timed ? performance.now() : 0;
    const raw = this.wrapped.get(this.serializeKey(key));
    const value = raw === null ? null : this.valueDeserializer!.deserialize(this.topic, raw);
    this.#record(this.metrics.get, t);
    return value;
  }

  put(key: K, value: V | null): void {
    const t = this.#timed ? performance.now() : 0;
    const keyBytes = this.serializeKey(key);
    const old = this.#changes !== null && this.#changes.observed ? this.wrapped.get(keyBytes) : null;
    this.wrapped.put(keyBytes, this.serializeValue(value));
    this.#record(this.metrics.put, t);
    if (this.#changes !== null) this.#emit(key, value, old);
  }

  putIfAbsent(key: K, value: V | null): V | null {
    const t = this.#timed ? performance.now() : 0;
    const raw = this.wrapped.putIfAbsent(this.serializeKey(key), this.serializeValue(value));
    const previous = raw === null ? null : this.valueDeserializer!.deserialize(this.topic, raw);
    this.#record(this.metrics.putIfAbsent, t);
    if (this.#changes !== null && previous === null) this.#emit(key, value, null);
    return previous;
  }

  putAll(entries: ReadonlyArray<KeyValue<K, V | null>>): void {
    const t = this.#timed ? performance.now() : 0;
    const raw = entries.map((e) => ({ key: this.serializeKey(e.key), value: this.serializeValue(e.value) }));
    if (this.#changes !== null && this.#changes.observed) {
      // one entry at a time, so each change carries the value it replaced (also within this batch)
      for (let i = 0; i < raw.length; i++) {
        const old = this.wrapped.get(raw[i]!.key);
        this.wrapped.put(raw[i]!.key, raw[i]!.value);
        this.#emit(entries[i]!.key, entries[i]!.value, old);
      }
      this.#record(this.metrics.putAll, t);
      return;
    }
    this.wrapped.putAll(raw);
    this.#record(this.metrics.putAll, t);
  }

  delete(key: K): V | null {
    const t = this.#timed ? performance.now() : 0;
    const raw = this.wrapped.delete(this.serializeKey(key));
    const previous = raw === null ? null : this.valueDeserializer!.deserialize(this.topic, raw);
    this.#record(this.metrics.delete, t);
    if (this.#changes !== null) this.#emit(key, null, raw);
    return previous;
  }

  range(from: K | null, to: K | null): KeyValueIterator<K, V> {
    return this.#typed(this.metrics.range, () =>
      this.wrapped.range(from === null ? null : this.serializeKey(from), to === null ? null : this.serializeKey(to)),
    );
  }

  reverseRange(from: K | null, to: K | null): KeyValueIterator<K, V> {
    return this.#typed(this.metrics.range, () =>
      this.wrapped.reverseRange(from === null ? null : this.serializeKey(from), to === null ? null : this.serializeKey(to)),
    );
  }

  all(): KeyValueIterator<K, V> {
    return this.#typed(this.metrics.range, () => this.wrapped.all());
  }

  reverseAll(): KeyValueIterator<K, V> {
    return this.#typed(this.metrics.range, () => this.wrapped.reverseAll());
  }

  prefixScan<P>(prefix: P, prefixKeySerializer: Serializer<P>): KeyValueIterator<K, V> {
    return this.#typed(this.metrics.prefixScan, () => this.wrapped.prefixScan(prefix, prefixKeySerializer));
  }

  approximateNumEntries(): number {
    return this.wrapped.approximateNumEntries();
  }

  override flush(): void {
    const t = this.#timed ? performance.now() : 0;
    this.wrapped.flush();
    this.#record(this.metrics.flush, t);
  }

  override close(): void {
    try {
      this.wrapped.close();
    } finally {
      this.#changes?.complete();
      this.#changes = null;
    }
  }

  #typed(op: StoreOperationStats, open: () => KeyValueIterator<Buffer, Buffer>): KeyValueIterator<K, V> {
    if (this.keyDeserializer === null) throw storeNotOpen(this.name);
    const t = this.#timed ? performance.now() : 0;
    const topic = this.topic;
    const kd = this.keyDeserializer;
    const vd = this.valueDeserializer!;
    const it = new MappedKeyValueIterator<Buffer, Buffer, K, V>(this.name, open(), (k, v) => ({
      key: kd.deserialize(topic, k)!,
      value: vd.deserialize(topic, v)!,
    }));
    this.#record(op, t);
    return it;
  }

  #record(op: StoreOperationStats, start: number): void {
    op.count++;
    if (this.#timed) {
      const ms = performance.now() - start;
      op.totalTimeMs += ms;
      if (ms > op.maxTimeMs) op.maxTimeMs = ms;
    }
  }

  #emit(key: K, value: V | null, oldRaw: Buffer | null): void {
    const subject = this.#changes!;
    if (!subject.observed) return;
    const oldValue = oldRaw === null ? null : this.valueDeserializer!.deserialize(this.topic, oldRaw);
    subject.next({ store: this.name, key, value, oldValue, timestamp: this.#context!.recordContext().timestamp });
  }
}
