/**
 * Store suppliers (Kafka's `KeyValueBytesStoreSupplier`): each makes the innermost byte store of a key-value store,
 * one per task. `Stores` exposes them under Kafka's names.
 */
import { IllegalArgumentException } from '../errors';
import { InMemoryKeyValueStore } from './in-memory-key-value-store';
import { MemoryLruCache } from './memory-lru-cache';
import { RocksDBStore } from './rocksdb/rocksdb-store';
import { TimestampedRestoreAdapter } from './timestamped-key-value-store';
import type { KeyValueBytesStore } from './state-store';

/** Makes the innermost byte store of a key-value store, one per task. */
export interface KeyValueBytesStoreSupplier {
  readonly name: string;
  get(): KeyValueBytesStore;
  /** The metrics scope of the store type (`rocksdb`, `in-memory`, `in-memory-lru`). */
  metricsScope(): string;
}

function requireName(name: string): string {
  if (typeof name !== 'string' || name.length === 0) throw new IllegalArgumentException('store name cannot be null or empty');
  return name;
}

function supplier(name: string, scope: string, make: () => KeyValueBytesStore): KeyValueBytesStoreSupplier {
  requireName(name);
  return Object.freeze({ name, get: make, metricsScope: () => scope });
}

/** A persistent (RocksDB) key-value store. */
export function persistentKeyValueStoreSupplier(name: string): KeyValueBytesStoreSupplier {
  return supplier(name, 'rocksdb', () => new RocksDBStore(name));
}

/** A persistent (RocksDB) key-value store whose values carry timestamps. */
export function persistentTimestampedKeyValueStoreSupplier(name: string): KeyValueBytesStoreSupplier {
  return supplier(name, 'rocksdb', () => new TimestampedRestoreAdapter(new RocksDBStore(name)));
}

/** An in-memory key-value store. */
export function inMemoryKeyValueStoreSupplier(name: string): KeyValueBytesStoreSupplier {
  return supplier(name, 'in-memory', () => new InMemoryKeyValueStore(name));
}

/** An in-memory store of at most `maxCacheSize` keys, evicting the least recently used. */
export function lruMapSupplier(name: string, maxCacheSize: number): KeyValueBytesStoreSupplier {
  if (!Number.isInteger(maxCacheSize) || maxCacheSize < 0) {
    throw new IllegalArgumentException(`maxCacheSize cannot be negative for lruMap store ${name}`);
  }
  return supplier(name, 'in-memory-lru', () => new MemoryLruCache(name, maxCacheSize));
}
