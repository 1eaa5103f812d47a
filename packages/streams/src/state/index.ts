/** Public API of state stores: store types, the `Stores` factory, timestamped values and RocksDB tuning. */
export { keyValue } from './state-store';
export type {
  KeyValue,
  KeyValueBytesStore,
  KeyValueIterator,
  KeyValueStore,
  ReadOnlyKeyValueStore,
  RestoreCallback,
  StateStore,
  StateStoreContext,
  StoreRecordContext,
} from './state-store';
export type { StoreBuilder } from './store-builder';
export { Stores } from './stores';
export type { KeyValueBytesStoreSupplier } from './key-value-bytes-store-supplier';
export type { KeyValueStoreBuilder, TimestampedKeyValueStoreBuilder } from './key-value-store-builder';
export { ValueAndTimestamp } from './value-and-timestamp';
export type { TimestampedKeyValueStore } from './timestamped-key-value-store';
export type { StoreChange, KeyValueStoreMetrics, StoreOperationStats } from './metered-key-value-store';
export type { RocksDBConfigSetter } from './rocksdb/rocksdb-config-setter';
export type { RocksDBOptions } from './rocksdb/rocksdb-binding';
