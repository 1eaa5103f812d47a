/**
 * The builder of the outer-join shared store of stream-stream left/outer joins (Kafka's
 * `OuterStreamJoinStoreFactory` + `ListValueStoreBuilder`): a list-value key-value store keyed by
 * `TimestampedKeyAndJoinSide<K>` holding `LeftOrRightValue<V1, V2>`, never cached, change-logged (compacted) unless
 * the join disables logging, in memory or RocksDB like the join's window stores.
 */
import type { DslStoreType } from '../config/config-types';
import type { Serde } from '../serde/serde';
import { AbstractStoreBuilder, PAPI_STORE_DEFAULTS, type StoreBuilderSettings } from './abstract-store-builder';
import { KEY_VALUE_CHANGELOG_CONFIG } from './key-value-store-builder';
import { inMemoryKeyValueStoreSupplier, persistentKeyValueStoreSupplier, type KeyValueBytesStoreSupplier } from './key-value-bytes-store-supplier';
import { listValueBytesStore } from './list-value-store';
import { MeteredKeyValueStore, resolveSerde } from './metered-key-value-store';
import type { StateStoreContext } from './state-store';
import {
  LeftOrRightValueSerde,
  TimestampedKeyAndJoinSideSerde,
  type LeftOrRightValue,
  type TimestampedKeyAndJoinSide,
} from './timestamped-key-and-join-side';

type OuterKey<K> = TimestampedKeyAndJoinSide<K>;
type OuterValue<V1, V2> = LeftOrRightValue<V1, V2>;

/** Resolves the join's serdes (or the configured defaults) at init and wraps them in the outer store's formats. */
class MeteredOuterJoinStore<K, V1, V2> extends MeteredKeyValueStore<OuterKey<K>, OuterValue<V1, V2>> {
  constructor(
    wrapped: ReturnType<typeof listValueBytesStore>,
    metricsScope: string,
    private readonly joinKeySerde: Serde<K> | null,
    private readonly leftSerde: Serde<V1> | null,
    private readonly rightSerde: Serde<V2> | null,
  ) {
    super(wrapped, metricsScope, null, null);
  }

  protected override resolveKeySerde(_keySerde: Serde<OuterKey<K>> | null, context: StateStoreContext): Serde<OuterKey<K>> {
    return new TimestampedKeyAndJoinSideSerde(resolveSerde(this.joinKeySerde, context, 'key', this.name));
  }

  protected override resolveValueSerde(_valueSerde: Serde<OuterValue<V1, V2>> | null, context: StateStoreContext): Serde<OuterValue<V1, V2>> {
    return new LeftOrRightValueSerde(resolveSerde(this.leftSerde, context, 'value', this.name), resolveSerde(this.rightSerde, context, 'value', this.name));
  }
}

/** A key-value supplier whose kind (in memory or RocksDB) may be settled by the application's `default.dsl.store`. */
class OuterJoinStoreSupplier {
  constructor(
    readonly name: string,
    public storeType: DslStoreType | null,
  ) {}

  #supplier(): KeyValueBytesStoreSupplier {
    return (this.storeType ?? 'rocksDB') === 'in_memory' ? inMemoryKeyValueStoreSupplier(this.name) : persistentKeyValueStoreSupplier(this.name);
  }
  metricsScope(): string {
    return this.#supplier().metricsScope();
  }
  get(): ReturnType<KeyValueBytesStoreSupplier['get']> {
    return this.#supplier().get();
  }
}

export class OuterJoinStoreBuilder<K, V1, V2> extends AbstractStoreBuilder<MeteredKeyValueStore<OuterKey<K>, OuterValue<V1, V2>>, K, V1, OuterJoinStoreSupplier> {
  /**
   * @param storeType the store kind when the join fixes it (from its window store suppliers); `null` follows
   *   `default.dsl.store`
   */
  static create<K, V1, V2>(
    name: string,
    storeType: DslStoreType | null,
    keySerde: Serde<K> | null,
    leftSerde: Serde<V1> | null,
    rightSerde: Serde<V2> | null,
  ): OuterJoinStoreBuilder<K, V1, V2> {
    return new OuterJoinStoreBuilder(new OuterJoinStoreSupplier(name, storeType), keySerde, leftSerde, PAPI_STORE_DEFAULTS, rightSerde, storeType !== null);
  }

  private constructor(
    supplier: OuterJoinStoreSupplier,
    keySerde: Serde<K> | null,
    leftSerde: Serde<V1> | null,
    settings: StoreBuilderSettings,
    private readonly rightSerde: Serde<V2> | null,
    private readonly fixedType: boolean,
  ) {
    super(supplier, keySerde, leftSerde, settings);
  }

  /** Learns the application's default store kind (unless the join fixed it). */
  configure(config: { defaultDslStore: DslStoreType }): void {
    if (!this.fixedType) this.supplier.storeType = config.defaultDslStore;
  }

  protected with(settings: StoreBuilderSettings): this {
    // caching is never enabled on this store (Kafka: "caching is always disabled")
    return new OuterJoinStoreBuilder(this.supplier, this.keySerde, this.valueSerde, { ...settings, caching: false }, this.rightSerde, this.fixedType) as this;
  }

  protected defaultLogConfig(): Readonly<{ [key: string]: string }> {
    return KEY_VALUE_CHANGELOG_CONFIG;
  }

  build(): MeteredKeyValueStore<OuterKey<K>, OuterValue<V1, V2>> {
    const bytes = listValueBytesStore(this.supplier.get(), this.settings.logging);
    return new MeteredOuterJoinStore<K, V1, V2>(bytes, this.supplier.metricsScope(), this.keySerde, this.valueSerde, this.rightSerde);
  }
}
