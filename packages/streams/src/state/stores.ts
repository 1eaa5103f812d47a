/**
 * `Stores`: the factory of store suppliers and builders, with Kafka's names (`Stores.persistentKeyValueStore`,
 * `Stores.keyValueStoreBuilder`, …). A supplier makes the innermost byte store; a builder wraps it in its layers.
 *
 * @example
 * ```ts
 * const builder = Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore('counts'), Serdes.String(), Serdes.Long())
 *   .withCachingEnabled();
 * topology.addStateStore(builder, 'Counter');
 * ```
 */
import { KeyValueStoreBuilder, TimestampedKeyValueStoreBuilder } from './key-value-store-builder';
import {
  inMemoryKeyValueStoreSupplier,
  lruMapSupplier,
  persistentKeyValueStoreSupplier,
  persistentTimestampedKeyValueStoreSupplier,
  type KeyValueBytesStoreSupplier,
} from './key-value-bytes-store-supplier';
import type { Serde } from '../serde/serde';

export type { KeyValueBytesStoreSupplier } from './key-value-bytes-store-supplier';

/** Factory of state store suppliers and builders. */
export const Stores = Object.freeze({
  /** A persistent (RocksDB) key-value store. */
  persistentKeyValueStore(name: string): KeyValueBytesStoreSupplier {
    return persistentKeyValueStoreSupplier(name);
  },

  /** A persistent (RocksDB) key-value store whose values carry timestamps (the DSL's default for tables). */
  persistentTimestampedKeyValueStore(name: string): KeyValueBytesStoreSupplier {
    return persistentTimestampedKeyValueStoreSupplier(name);
  },

  /** An in-memory key-value store (restored in full from its changelog on every start). */
  inMemoryKeyValueStore(name: string): KeyValueBytesStoreSupplier {
    return inMemoryKeyValueStoreSupplier(name);
  },

  /** An in-memory store that keeps at most `maxCacheSize` keys, evicting the least recently used. */
  lruMap(name: string, maxCacheSize: number): KeyValueBytesStoreSupplier {
    return lruMapSupplier(name, maxCacheSize);
  },

  /** A builder of a typed key-value store (logging on, caching off by default). */
  keyValueStoreBuilder<K, V>(
    storeSupplier: KeyValueBytesStoreSupplier,
    keySerde: Serde<K> | null,
    valueSerde: Serde<V> | null,
  ): KeyValueStoreBuilder<K, V> {
    return KeyValueStoreBuilder.create(storeSupplier, keySerde, valueSerde);
  },

  /** A builder of a timestamped key-value store (values are `ValueAndTimestamp<V>`). */
  timestampedKeyValueStoreBuilder<K, V>(
    storeSupplier: KeyValueBytesStoreSupplier,
    keySerde: Serde<K> | null,
    valueSerde: Serde<V> | null,
  ): TimestampedKeyValueStoreBuilder<K, V> {
    return TimestampedKeyValueStoreBuilder.create(storeSupplier, keySerde, valueSerde);
  },
});
