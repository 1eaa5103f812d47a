/**
 * Builders of key-value stores (Kafka's `KeyValueStoreBuilder` and `TimestampedKeyValueStoreBuilder`): `build()`
 * stacks the layers metered → caching → change-logging → inner store. Builders are immutable: every `with*` call
 * returns a new builder. The Processor API defaults are logging on, caching off; `keyValueStoreBuilderFor` is the
 * entry the DSL uses for `Materialized` (whose defaults are logging on, caching on).
 */
import { CachingKeyValueStore } from './caching-key-value-store';
import { ChangeLoggingKeyValueBytesStore, ChangeLoggingTimestampedKeyValueBytesStore } from './change-logging-key-value-store';
import { MeteredKeyValueStore } from './metered-key-value-store';
import {
  MeteredTimestampedKeyValueStore,
  TimestampedRestoreAdapter,
  isTimestampedBytesStore,
  type TimestampedKeyValueStore,
} from './timestamped-key-value-store';
import {
  inMemoryKeyValueStoreSupplier,
  persistentKeyValueStoreSupplier,
  persistentTimestampedKeyValueStoreSupplier,
  type KeyValueBytesStoreSupplier,
} from './key-value-bytes-store-supplier';
import type { Serde } from '../serde/serde';
import type { KeyValueBytesStore, KeyValueStore, StateStore } from './state-store';
import { AbstractStoreBuilder, PAPI_STORE_DEFAULTS, type StoreBuilderSettings } from './abstract-store-builder';

/** Topic configs every key-value changelog gets (user configs override them). */
export const KEY_VALUE_CHANGELOG_CONFIG: Readonly<{ [key: string]: string }> = Object.freeze({ 'cleanup.policy': 'compact' });

/** Shared by both key-value builders: the supplier type and the compacted changelog. */
abstract class AbstractKeyValueStoreBuilder<T extends StateStore, K, V> extends AbstractStoreBuilder<T, K, V, KeyValueBytesStoreSupplier> {
  protected defaultLogConfig(): Readonly<{ [key: string]: string }> {
    return KEY_VALUE_CHANGELOG_CONFIG;
  }
}

/** Builds `KeyValueStore<K, V>`. */
export class KeyValueStoreBuilder<K, V> extends AbstractKeyValueStoreBuilder<KeyValueStore<K, V>, K, V> {
  static create<K, V>(supplier: KeyValueBytesStoreSupplier, keySerde: Serde<K> | null, valueSerde: Serde<V> | null): KeyValueStoreBuilder<K, V> {
    return new KeyValueStoreBuilder(supplier, keySerde, valueSerde, PAPI_STORE_DEFAULTS);
  }

  protected with(settings: StoreBuilderSettings): this {
    return new KeyValueStoreBuilder(this.supplier, this.keySerde, this.valueSerde, settings) as this;
  }

  build(): MeteredKeyValueStore<K, V> {
    let store: KeyValueBytesStore = this.supplier.get();
    // a timestamped supplier used for a plain store: use its store without the timestamp conversion
    if (store instanceof TimestampedRestoreAdapter) store = store.wrapped;
    if (this.settings.logging) store = new ChangeLoggingKeyValueBytesStore(store);
    if (this.settings.caching) store = new CachingKeyValueStore(store);
    return new MeteredKeyValueStore(store, this.supplier.metricsScope(), this.keySerde, this.valueSerde);
  }
}

/** Builds `TimestampedKeyValueStore<K, V>`. */
export class TimestampedKeyValueStoreBuilder<K, V> extends AbstractKeyValueStoreBuilder<TimestampedKeyValueStore<K, V>, K, V> {
  static create<K, V>(
    supplier: KeyValueBytesStoreSupplier,
    keySerde: Serde<K> | null,
    valueSerde: Serde<V> | null,
  ): TimestampedKeyValueStoreBuilder<K, V> {
    return new TimestampedKeyValueStoreBuilder(supplier, keySerde, valueSerde, PAPI_STORE_DEFAULTS);
  }

  protected with(settings: StoreBuilderSettings): this {
    return new TimestampedKeyValueStoreBuilder(this.supplier, this.keySerde, this.valueSerde, settings) as this;
  }

  build(): MeteredTimestampedKeyValueStore<K, V> {
    let store: KeyValueBytesStore = this.supplier.get();
    if (!isTimestampedBytesStore(store)) store = new TimestampedRestoreAdapter(store);
    if (this.settings.logging) store = new ChangeLoggingTimestampedKeyValueBytesStore(store);
    if (this.settings.caching) store = new CachingKeyValueStore(store);
    return new MeteredTimestampedKeyValueStore(store, this.supplier.metricsScope(), this.keySerde, this.valueSerde);
  }
}

/** What `Materialized` (or `default.dsl.store`) says about a DSL key-value store. */
export interface KeyValueStoreSpec<K, V> {
  readonly name: string;
  /** `default.dsl.store` values; ignored when `supplier` is given. */
  readonly storeType?: 'rocksDB' | 'in_memory';
  /** A user-supplied store (`Materialized.as(supplier)`). */
  readonly supplier?: KeyValueBytesStoreSupplier;
  readonly keySerde: Serde<K> | null;
  readonly valueSerde: Serde<V> | null;
  /** Default true (DSL). */
  readonly caching?: boolean;
  /** Default true. */
  readonly logging?: boolean;
  readonly logConfig?: Readonly<{ [key: string]: string }>;
  /** Default true: DSL tables and aggregations store `ValueAndTimestamp<V>`. */
  readonly timestamped?: boolean;
}

/** The store builder for a DSL key-value store. */
export function keyValueStoreBuilderFor<K, V>(spec: KeyValueStoreSpec<K, V> & { readonly timestamped: false }): KeyValueStoreBuilder<K, V>;
export function keyValueStoreBuilderFor<K, V>(spec: KeyValueStoreSpec<K, V>): TimestampedKeyValueStoreBuilder<K, V>;
export function keyValueStoreBuilderFor<K, V>(
  spec: KeyValueStoreSpec<K, V>,
): KeyValueStoreBuilder<K, V> | TimestampedKeyValueStoreBuilder<K, V> {
  const timestamped = spec.timestamped ?? true;
  const supplier =
    spec.supplier ??
    (spec.storeType === 'in_memory'
      ? inMemoryKeyValueStoreSupplier(spec.name)
      : timestamped
        ? persistentTimestampedKeyValueStoreSupplier(spec.name)
        : persistentKeyValueStoreSupplier(spec.name));
  let builder: KeyValueStoreBuilder<K, V> | TimestampedKeyValueStoreBuilder<K, V> = timestamped
    ? TimestampedKeyValueStoreBuilder.create(supplier, spec.keySerde, spec.valueSerde)
    : KeyValueStoreBuilder.create(supplier, spec.keySerde, spec.valueSerde);
  builder = (spec.caching ?? true) ? builder.withCachingEnabled() : builder.withCachingDisabled();
  builder = (spec.logging ?? true) ? builder.withLoggingEnabled(spec.logConfig ?? {}) : builder.withLoggingDisabled();
  return builder;
}
