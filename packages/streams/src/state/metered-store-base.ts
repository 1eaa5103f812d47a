/**
 * The one base of every metered (outermost) store layer (Kafka's `Metered*Store`): resolves the key and value
 * serdes at `init` (the given ones, else the configured defaults), serializes with the changelog topic as Kafka
 * does, and delegates lifecycle calls to the byte store below. The windowed variant adds what window and session
 * stores share: typed `Windowed` iterators and the cache flush listener.
 */
import { Windowed } from '../dsl/windows/windowed';
import type { Deserializer, Serde, Serializer } from '../serde/serde';
import { isCachedStateStore, type CacheFlushListener } from './cached-state-store';
import { MappedKeyValueIterator } from './key-value-iterators';
import { ConfigException } from '../errors';
import { storeNotOpen } from './store-errors';
import type { KeyValueIterator, StateStore, StateStoreContext } from './state-store';

/** Kafka's changelog topic name of a store. */
export function storeChangelogTopic(applicationId: string, storeName: string): string {
  return `${applicationId}-${storeName}-changelog`;
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

export abstract class MeteredStoreBase<K, V, W extends StateStore> {
  #keySerde: Serde<K> | null;
  #valueSerde: Serde<V> | null;
  protected keySerializer: Serializer<K> | null = null;
  protected keyDeserializer: Deserializer<K> | null = null;
  protected valueSerializer: Serializer<V> | null = null;
  protected valueDeserializer: Deserializer<V> | null = null;
  /** The changelog topic name, used as the serdes' topic. */
  protected topic = '';

  constructor(
    readonly wrapped: W,
    keySerde: Serde<K> | null,
    valueSerde: Serde<V> | null,
  ) {
    this.#keySerde = keySerde;
    this.#valueSerde = valueSerde;
  }

  get name(): string {
    return this.wrapped.name;
  }

  /** The key and value serdes in use (resolved at init). */
  get keySerde(): Serde<K> | null {
    return this.#keySerde;
  }

  get valueSerde(): Serde<V> | null {
    return this.#valueSerde;
  }

  init(context: StateStoreContext, root: StateStore): void {
    this.#keySerde = this.resolveKeySerde(this.#keySerde, context);
    this.#valueSerde = this.resolveValueSerde(this.#valueSerde, context);
    this.keySerializer = this.#keySerde.serializer();
    this.keyDeserializer = this.#keySerde.deserializer();
    this.valueSerializer = this.#valueSerde.serializer();
    this.valueDeserializer = this.#valueSerde.deserializer();
    this.topic = storeChangelogTopic(context.applicationId, this.name);
    this.onInit(context);
    this.wrapped.init(context, root);
  }

  /** Hook for subclasses, run after the serdes are resolved and before the inner store opens. */
  protected onInit(_context: StateStoreContext): void {}

  /** The key serde to use: the given one, else the configured default. */
  protected resolveKeySerde(keySerde: Serde<K> | null, context: StateStoreContext): Serde<K> {
    return resolveSerde(keySerde, context, 'key', this.name);
  }

  /** The value serde to use: the given one, else the configured default. Timestamped stores wrap theirs. */
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
    this.wrapped.flush();
  }
  close(): void {
    this.wrapped.close();
  }

  flushCache(): void {
    if (isCachedStateStore(this.wrapped)) this.wrapped.flushCache();
  }

  /** Serializes a key with the store's key serde (for layers and processors that need the bytes). */
  serializeKey(key: K): Buffer {
    if (this.keySerializer === null) throw storeNotOpen(this.name);
    const bytes = this.keySerializer.serialize(this.topic, key);
    if (bytes === null) throw new TypeError(`Key of store ${this.name} cannot be null`);
    return bytes;
  }

  protected serializeValue(value: V | null): Buffer | null {
    if (this.valueSerializer === null) throw storeNotOpen(this.name);
    return value === null ? null : this.valueSerializer.serialize(this.topic, value);
  }

  protected deserializeValue(raw: Buffer | null): V | null {
    return raw === null ? null : this.valueDeserializer!.deserialize(this.topic, raw);
  }
}

/** The metered base of window and session stores, whose byte-level keys are `Windowed<Buffer>`. */
export abstract class MeteredWindowedStoreBase<K, V, W extends StateStore> extends MeteredStoreBase<K, V, W> {
  setFlushListener(listener: CacheFlushListener<Windowed<K>, V>, sendOldValues: boolean): boolean {
    if (!isCachedStateStore<Windowed<Buffer>, Buffer>(this.wrapped)) return false;
    return this.wrapped.setFlushListener((r) => {
      listener({
        key: new Windowed(this.keyDeserializer!.deserialize(this.topic, r.key.key(), r.headers) as K, r.key.window()),
        newValue: r.newValue === null ? null : this.valueDeserializer!.deserialize(this.topic, r.newValue, r.headers),
        oldValue: r.oldValue === null ? null : this.valueDeserializer!.deserialize(this.topic, r.oldValue, r.headers),
        timestamp: r.timestamp,
        headers: r.headers,
      });
    }, sendOldValues);
  }

  /** Types a byte iterator of windowed keys. */
  protected windowedIterator(it: KeyValueIterator<Windowed<Buffer>, Buffer>): KeyValueIterator<Windowed<K>, V> {
    if (this.keyDeserializer === null) throw storeNotOpen(this.name);
    const kd = this.keyDeserializer;
    const vd = this.valueDeserializer!;
    const topic = this.topic;
    return new MappedKeyValueIterator<Windowed<Buffer>, Buffer, Windowed<K>, V>(this.name, it, (k, v) => ({
      key: new Windowed(kd.deserialize(topic, k.key()) as K, k.window()),
      value: vd.deserialize(topic, v)!,
    }));
  }
}
