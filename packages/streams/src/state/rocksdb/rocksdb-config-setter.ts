/**
 * Tuning of RocksDB stores: kstreams' defaults for many small stores, and the `rocksdb.config.setter` hook through
 * which an application changes them per store (Kafka's `RocksDBConfigSetter`).
 */
import { ConfigException } from '../../errors';
import type { RocksDBOptions } from './rocksdb-binding';

/** The app config key of the hook. */
export const ROCKSDB_CONFIG_SETTER_CONFIG = 'rocksdb.config.setter';

/**
 * Changes the options of each RocksDB store before it opens. Set `rocksdb.config.setter` (or `rocksdbConfigSetter`)
 * to an instance or a class with a no-argument constructor.
 *
 * @example
 * ```ts
 * class BigCache implements RocksDBConfigSetter {
 *   setConfig(storeName: string, options: RocksDBOptions) { options.cacheSize = 64 * 1024 * 1024; }
 * }
 * new KafkaStreams(topology, { applicationId: 'app', 'rocksdb.config.setter': BigCache });
 * ```
 */
export interface RocksDBConfigSetter {
  setConfig(storeName: string, options: RocksDBOptions, configs: Readonly<{ [key: string]: unknown }>): void;
  /** Called when the store closes, to release anything `setConfig` created. */
  close?(storeName: string, options: RocksDBOptions): void;
}

/**
 * Defaults sized for many small stores: a small per-store block cache, small memtables (level compaction with a
 * 16 MiB memtable budget gives 4 MiB write buffers) and no WAL compression on the write path.
 */
export function defaultRocksDBOptions(): RocksDBOptions {
  return {
    createIfMissing: true,
    cacheSize: 8 * 1024 * 1024,
    compaction: 'level',
    memtableMemoryBudget: 16 * 1024 * 1024,
    walCompression: false,
  };
}

/** The configured setter, if any; a class is instantiated once per store. */
export function rocksDBConfigSetterFrom(configs: Readonly<{ [key: string]: unknown }>): RocksDBConfigSetter | null {
  const value = configs[ROCKSDB_CONFIG_SETTER_CONFIG] ?? configs['rocksdbConfigSetter'];
  if (value === undefined || value === null) return null;
  if (typeof value === 'function') {
    return new (value as new () => RocksDBConfigSetter)();
  }
  if (typeof value === 'object' && typeof (value as Partial<RocksDBConfigSetter>).setConfig === 'function') {
    return value as RocksDBConfigSetter;
  }
  throw new ConfigException(
    `Invalid value for configuration ${ROCKSDB_CONFIG_SETTER_CONFIG}: expected a RocksDBConfigSetter instance or class`,
  );
}
