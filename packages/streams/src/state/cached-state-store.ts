/**
 * The flush-listener contract between caching stores and the DSL processors that forward their results
 * (Kafka's `CachedStateStore` and `CacheFlushListener`): with caching on, an aggregation forwards only what the
 * cache flushes, so repeated updates of a key between commits collapse into one downstream record.
 */
import type { Headers } from '../processor/headers';

/** One flushed update: the key's new value and (when asked for) its previous value in the store. */
export interface CacheFlushRecord<K, V> {
  readonly key: K;
  readonly newValue: V | null;
  /** The value before this update; `null` unless `sendOldValues` was set (or when there was none). */
  readonly oldValue: V | null;
  readonly timestamp: number;
  readonly headers: Headers;
}

/** Receives the updates a caching store flushes. */
export type CacheFlushListener<K, V> = (record: CacheFlushRecord<K, V>) => void;

/** A store that may hold writes in the record cache. */
export interface CachedStateStore<K, V> {
  /**
   * Sets the listener for flushed updates. Returns `true` when this store caches (the caller must then forward
   * only through the listener), `false` when it does not (the caller forwards each update itself).
   */
  setFlushListener(listener: CacheFlushListener<K, V>, sendOldValues: boolean): boolean;
  /** Flushes the cache without flushing the underlying store. */
  flushCache(): void;
}

/** Whether a store offers `setFlushListener` (pass `K`, `V` for the store's types; they are not checked). */
export function isCachedStateStore<K = unknown, V = unknown>(store: object): store is CachedStateStore<K, V> {
  return typeof (store as Partial<CachedStateStore<K, V>>).setFlushListener === 'function';
}
