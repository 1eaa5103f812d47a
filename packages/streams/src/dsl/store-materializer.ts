/**
 * Turns a `Materialized` into the builder of a DSL operator's store (Kafka's KeyValueStoreMaterializer):
 * a timestamped key-value store, RocksDB by default or in memory (`default.dsl.store`, `withStoreType`, or a
 * user supplier), with caching and change-logging as configured. The store type is settled when the task
 * configures the builder, because the default comes from the application config.
 */
import type { Serde } from '../serde/serde';
import type { StateStore } from '../state/state-store';
import type { StoreBuilder } from '../state/store-builder';
import { Stores } from '../state/stores';
import type { DslStoreType, MaterializedProps } from './materialized';

/** A store builder that learns the application's default DSL store type before it builds. */
export interface ConfigurableStoreBuilder {
  configure(config: { defaultDslStore: DslStoreType }): void;
}

export function isConfigurableStoreBuilder(b: object): b is ConfigurableStoreBuilder {
  return typeof (b as Partial<ConfigurableStoreBuilder>).configure === 'function';
}

class DslKeyValueStoreBuilder implements StoreBuilder<StateStore>, ConfigurableStoreBuilder {
  #defaultType: DslStoreType;
  constructor(
    readonly name: string,
    private readonly props: MaterializedProps<unknown, unknown>,
    defaultType: DslStoreType = 'rocksDB',
  ) {
    this.#defaultType = defaultType;
  }

  configure(config: { defaultDslStore: DslStoreType }): void {
    this.#defaultType = config.defaultDslStore;
  }

  #inner(): StoreBuilder<StateStore> {
    const p = this.props;
    const type = p.storeType ?? this.#defaultType;
    const supplier = p.storeSupplier ?? (type === 'in_memory' ? Stores.inMemoryKeyValueStore(this.name) : Stores.persistentTimestampedKeyValueStore(this.name));
    let b = Stores.timestampedKeyValueStoreBuilder(
      supplier as Parameters<typeof Stores.timestampedKeyValueStoreBuilder>[0],
      p.keySerde as Serde<unknown> | null,
      p.valueSerde as Serde<unknown> | null,
    ) as unknown as StoreBuilder<StateStore>;
    b = p.cachingEnabled ? b.withCachingEnabled() : b.withCachingDisabled();
    b = p.loggingEnabled ? b.withLoggingEnabled(p.topicConfig) : b.withLoggingDisabled();
    return b;
  }

  withCachingEnabled(): StoreBuilder<StateStore> {
    return new DslKeyValueStoreBuilder(this.name, { ...this.props, cachingEnabled: true }, this.#defaultType);
  }
  withCachingDisabled(): StoreBuilder<StateStore> {
    return new DslKeyValueStoreBuilder(this.name, { ...this.props, cachingEnabled: false }, this.#defaultType);
  }
  withLoggingEnabled(config: Readonly<{ [key: string]: string }>): StoreBuilder<StateStore> {
    return new DslKeyValueStoreBuilder(this.name, { ...this.props, loggingEnabled: true, topicConfig: config }, this.#defaultType);
  }
  withLoggingDisabled(): StoreBuilder<StateStore> {
    return new DslKeyValueStoreBuilder(this.name, { ...this.props, loggingEnabled: false }, this.#defaultType);
  }
  loggingEnabled(): boolean {
    return this.props.loggingEnabled;
  }
  cachingEnabled(): boolean {
    return this.props.cachingEnabled;
  }
  logConfig(): Readonly<{ [key: string]: string }> {
    return this.#inner().logConfig();
  }
  build(): StateStore {
    return this.#inner().build();
  }
}

/** The store builder for a DSL key-value materialization. */
export function keyValueStoreBuilder(storeName: string, props: MaterializedProps<unknown, unknown>): StoreBuilder<StateStore> {
  return new DslKeyValueStoreBuilder(storeName, props);
}
