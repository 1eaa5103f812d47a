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
import { durationMs, type DurationLike } from '../time/duration';
import { inMemoryWindowStoreSupplier, TimestampedWindowStoreBuilder, WindowStoreBuilder } from './window/window-store-builder';
import type { WindowBytesStoreSupplier } from './window/window-store';
import { inMemorySessionStoreSupplier, SessionStoreBuilder } from './session/session-store-builder';
import { persistentWindowStoreSupplier } from './rocksdb/rocksdb-window-store';
import { persistentSessionStoreSupplier } from './rocksdb/rocksdb-session-store';
import type { SessionBytesStoreSupplier } from './session/session-store';

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

  // ---- window and session stores ----

  /** An in-memory window store keeping windows for `retentionPeriod` (>= `windowSize`) of stream time. */
  inMemoryWindowStore(name: string, retentionPeriod: DurationLike, windowSize: DurationLike, retainDuplicates: boolean): WindowBytesStoreSupplier {
    return inMemoryWindowStoreSupplier(name, durationMs(retentionPeriod, 'retentionPeriod'), durationMs(windowSize, 'windowSize'), retainDuplicates);
  },

  /** An in-memory session store keeping sessions for `retentionPeriod` of stream time. */
  inMemorySessionStore(name: string, retentionPeriod: DurationLike): SessionBytesStoreSupplier {
    return inMemorySessionStoreSupplier(name, durationMs(retentionPeriod, 'retentionPeriod'));
  },

  /** A persistent (RocksDB, time-segmented) window store keeping windows for `retentionPeriod` of stream time. */
  persistentWindowStore(name: string, retentionPeriod: DurationLike, windowSize: DurationLike, retainDuplicates: boolean): WindowBytesStoreSupplier {
    return persistentWindowStoreSupplier(name, durationMs(retentionPeriod, 'retentionPeriod'), durationMs(windowSize, 'windowSize'), retainDuplicates);
  },

  /** As `persistentWindowStore`; use it with `timestampedWindowStoreBuilder` (the DSL's windowed aggregations do). */
  persistentTimestampedWindowStore(name: string, retentionPeriod: DurationLike, windowSize: DurationLike, retainDuplicates: boolean): WindowBytesStoreSupplier {
    return persistentWindowStoreSupplier(name, durationMs(retentionPeriod, 'retentionPeriod'), durationMs(windowSize, 'windowSize'), retainDuplicates);
  },

  /** A persistent (RocksDB, time-segmented) session store keeping sessions for `retentionPeriod` of stream time. */
  persistentSessionStore(name: string, retentionPeriod: DurationLike): SessionBytesStoreSupplier {
    return persistentSessionStoreSupplier(name, durationMs(retentionPeriod, 'retentionPeriod'));
  },

  /** A builder of a typed window store (logging on, caching off by default). */
  windowStoreBuilder<K, V>(supplier: WindowBytesStoreSupplier, keySerde: Serde<K> | null, valueSerde: Serde<V> | null): WindowStoreBuilder<K, V> {
    return WindowStoreBuilder.create(supplier, keySerde, valueSerde);
  },

  /** A builder of a timestamped window store (values are `ValueAndTimestamp<V>`). */
  timestampedWindowStoreBuilder<K, V>(
    supplier: WindowBytesStoreSupplier,
    keySerde: Serde<K> | null,
    valueSerde: Serde<V> | null,
  ): TimestampedWindowStoreBuilder<K, V> {
    return TimestampedWindowStoreBuilder.create(supplier, keySerde, valueSerde);
  },

  /** A builder of a typed session store (logging on, caching off by default). */
  sessionStoreBuilder<K, AGG>(supplier: SessionBytesStoreSupplier, keySerde: Serde<K> | null, valueSerde: Serde<AGG> | null): SessionStoreBuilder<K, AGG> {
    return SessionStoreBuilder.create(supplier, keySerde, valueSerde);
  },
});
