/**
 * The metered layer, outermost in every store stack (Kafka's `MeteredKeyValueStore`): turns typed keys and values
 * into bytes with the store's serdes (using the changelog topic name, as Kafka does), counts operations, and offers
 * an rxjs feed of changes. Counting is a field increment; latency is measured only at `metrics.recording.level`
 * DEBUG (as Kafka's store metrics); the change feed costs one null check per write until someone subscribes.
 */
import { Observable, Subject } from 'rxjs';
import { ConfigException } from '../errors';
import { isCachedStateStore, type CacheFlushListener, type CachedStateStore } from './cached-state-store';
import { MappedKeyValueIterator } from './key-value-iterators';
import { storeNotOpen } from './store-errors';
import type { Deserializer, Serde, Serializer } from '../serde/serde';
import type {
  KeyValue,
  KeyValueBytesStore,
  KeyValueIterator,
  KeyValueStore,
  StateStore,
  StateStoreContext,
} from './state-store';

/** Kafka's changelog topic name of a store. */
export function storeChangelogTopic(applicationId: string, storeName: string): string {
  return `${applicationId}-${storeName}-changelog`;
}

/** One write seen by the change feed of a store. `value === null` is a delete. */
export interface StoreChange<K, V> {
  readonly store: string;
  readonly key: K;
  readonly value: V | null;
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

/** Resolves a store serde: the given one, else the context's default (`default.key.serde` / `default.value.serde`). */
export function resolveSerde<T>(serde: Serde<T> | null, context: StateStoreContext, which: 'key' | 'value', storeName: string): Serde<T> {
  if (serde !== null) return serde;
  const ctx = context as StateStoreContext & { defaultKeySerde?: Serde<unknown> | null; defaultValueSerde?: Serde<unknown> | null };
  const fromContext = which === 'key' ? ctx.defaultKeySerde : ctx.defaultValueSerde;
  const configKey = `default.${which}.serde`;
  const candidate: unknown = fromContext ?? context.appConfigs[configKey];
  if (candidate !== null && typeof candidate === 'object' && typeof (candidate as Serde<T>).serializer === 'function') {
    return candidate as Serde<T>;
  }
  throw new ConfigException(
    `State store ${storeName} has no ${which} serde and no ${configKey} is configured; pass one to the store builder or Materialized`,
  );
}

/** Typed store over a byte store. */
export class MeteredKeyValueStore<K, V> implements KeyValueStore<K, V>, CachedStateStore<K, V> {
  readonly metrics: KeyValueStoreMetrics;
  #keySerde: Serde<K> | null;
  #valueSerde: Serde<V> | null;
  #keySerializer: Serializer<K> | null = null;
  #keyDeserializer: Deserializer<K> | null = null;
  #valueSerializer: Serializer<V> | null = null;
  #valueDeserializer: Deserializer<V> | null = null;
  #topic = '';
  #context: StateStoreContext | null = null;
  #timed = false;
  #changes: Subject<StoreChange<K, V>> | null = null;

  constructor(
    readonly wrapped: KeyValueBytesStore,
    metricsScope: string,
    keySerde: Serde<K> | null,
    valueSerde: Serde<V> | null,
  ) {
    this.#keySerde = keySerde;
    this.#valueSerde = valueSerde;
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

  get name(): string {
    return this.wrapped.name;
  }

  init(context: StateStoreContext, root: StateStore): void {
    this.#context = context;
    this.#keySerde = resolveSerde(this.#keySerde, context, 'key', this.name);
    this.#valueSerde = this.resolveValueSerde(this.#valueSerde, context);
    this.#keySerializer = this.#keySerde.serializer();
    this.#keyDeserializer = this.#keySerde.deserializer();
    this.#valueSerializer = this.#valueSerde.serializer();
    this.#valueDeserializer = this.#valueSerde.deserializer();
    this.#topic = storeChangelogTopic(context.applicationId, this.name);
    this.#timed = String(context.appConfigs['metrics.recording.level'] ?? '').toUpperCase() === 'DEBUG';
    this.wrapped.init(context, root);
  }

  /** The value serde to use: the given one, else the configured default. Timestamped stores wrap theirs. */
  protected resolveValueSerde(valueSerde: Serde<V> | null, context: StateStoreContext): Serde<V> {
    return resolveSerde(valueSerde, context, 'value', this.name);
  }

  /** The key and value serdes in use (resolved at init). */
  get keySerde(): Serde<K> | null {
    return this.#keySerde;
  }

  get valueSerde(): Serde<V> | null {
    return this.#valueSerde;
  }

  persistent(): boolean {
    return this.wrapped.persistent();
  }

  isOpen(): boolean {
    return this.wrapped.isOpen();
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
        key: this.#keyDeserializer!.deserialize(this.#topic, r.key, r.headers)!,
        newValue: this.#valueDeserializer!.deserialize(this.#topic, r.newValue, r.headers),
        oldValue: this.#valueDeserializer!.deserialize(this.#topic, r.oldValue, r.headers),
        timestamp: r.timestamp,
        headers: r.headers,
      });
    }, sendOldValues);
  }

  flushCache(): void {
    if (isCachedStateStore<Buffer, Buffer>(this.wrapped)) this.wrapped.flushCache();
  }

  get(key: K): V | null {
    const t = this.#timed ? performance.now() : 0;
    const raw = this.wrapped.get(this.#serializeKey(key));
    const value = raw === null ? null : this.#valueDeserializer!.deserialize(this.#topic, raw);
    this.#record(this.metrics.get, t);
    return value;
  }

  put(key: K, value: V | null): void {
    const t = this.#timed ? performance.now() : 0;
    this.wrapped.put(this.#serializeKey(key), this.#serializeValue(value));
    this.#record(this.metrics.put, t);
    if (this.#changes !== null) this.#emit(key, value);
  }

  putIfAbsent(key: K, value: V | null): V | null {
    const t = this.#timed ? performance.now() : 0;
    const raw = this.wrapped.putIfAbsent(this.#serializeKey(key), this.#serializeValue(value));
    const previous = raw === null ? null : this.#valueDeserializer!.deserialize(this.#topic, raw);
    this.#record(this.metrics.putIfAbsent, t);
    if (this.#changes !== null && previous === null) this.#emit(key, value);
    return previous;
  }

  putAll(entries: ReadonlyArray<KeyValue<K, V | null>>): void {
    const t = this.#timed ? performance.now() : 0;
    const raw = entries.map((e) => ({ key: this.#serializeKey(e.key), value: this.#serializeValue(e.value) }));
    this.wrapped.putAll(raw);
    this.#record(this.metrics.putAll, t);
    if (this.#changes !== null) for (const e of entries) this.#emit(e.key, e.value);
  }

  delete(key: K): V | null {
    const t = this.#timed ? performance.now() : 0;
    const raw = this.wrapped.delete(this.#serializeKey(key));
    const previous = raw === null ? null : this.#valueDeserializer!.deserialize(this.#topic, raw);
    this.#record(this.metrics.delete, t);
    if (this.#changes !== null) this.#emit(key, null);
    return previous;
  }

  range(from: K | null, to: K | null): KeyValueIterator<K, V> {
    return this.#typed(this.metrics.range, () =>
      this.wrapped.range(from === null ? null : this.#serializeKey(from), to === null ? null : this.#serializeKey(to)),
    );
  }

  reverseRange(from: K | null, to: K | null): KeyValueIterator<K, V> {
    return this.#typed(this.metrics.range, () =>
      this.wrapped.reverseRange(from === null ? null : this.#serializeKey(from), to === null ? null : this.#serializeKey(to)),
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

  flush(): void {
    const t = this.#timed ? performance.now() : 0;
    this.wrapped.flush();
    this.#record(this.metrics.flush, t);
  }

  close(): void {
    try {
      this.wrapped.close();
    } finally {
      this.#changes?.complete();
      this.#changes = null;
    }
  }

  /** Serializes a key with the store's key serde (for layers and processors that need the bytes). */
  serializeKey(key: K): Buffer {
    return this.#serializeKey(key);
  }

  #serializeKey(key: K): Buffer {
    if (this.#keySerializer === null) throw storeNotOpen(this.name);
    const bytes = this.#keySerializer.serialize(this.#topic, key);
    if (bytes === null) throw new TypeError(`Key of store ${this.name} cannot be null`);
    return bytes;
  }

  #serializeValue(value: V | null): Buffer | null {
    if (this.#valueSerializer === null) throw storeNotOpen(this.name);
    return value === null ? null : this.#valueSerializer.serialize(this.#topic, value);
  }

  #typed(op: StoreOperationStats, open: () => KeyValueIterator<Buffer, Buffer>): KeyValueIterator<K, V> {
    if (this.#keyDeserializer === null) throw storeNotOpen(this.name);
    const t = this.#timed ? performance.now() : 0;
    const topic = this.#topic;
    const kd = this.#keyDeserializer;
    const vd = this.#valueDeserializer!;
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

  #emit(key: K, value: V | null): void {
    const subject = this.#changes!;
    if (!subject.observed) return;
    subject.next({ store: this.name, key, value, timestamp: this.#context!.recordContext().timestamp });
  }
}
