/**
 * The state store contract. Stores are synchronous: `get`/`put` never return Promises (see DESIGN.md,
 * "Synchronous hot path"). Typed stores sit on byte stores; layers wrap one another as decorators.
 */
import type { Headers } from '../processor/headers';
import type { Serializer } from '../serde/serde';
import type { ThreadCache } from './thread-cache';

/** A key and a value (Java's `KeyValue`): what store iterators yield and what `KStream.map`/`flatMap` mappers return. */
export interface KeyValue<K, V> {
  readonly key: K;
  readonly value: V;
}

/** Creates a `KeyValue` pair (Java's `KeyValue.pair`). @example stream.map((k, v) => keyValue(v, k)) */
export function keyValue<K, V>(key: K, value: V): KeyValue<K, V> {
  return { key, value };
}

/** An iterator over a store range; call `close()` when done early (RocksDB iterators hold native resources). */
export interface KeyValueIterator<K, V> extends IterableIterator<KeyValue<K, V>> {
  /** The next key without advancing, or `undefined` at the end. */
  peekNextKey(): K | undefined;
  close(): void;
}

/** Replays changelog records into a store during restoration. `value === null` is a delete. */
export type RestoreCallback = (records: ReadonlyArray<{ key: Buffer; value: Buffer | null; timestamp: number }>) => void;

/** Topic, partition, offset, timestamp and headers of the record being processed (for cached and logged writes). */
export interface StoreRecordContext {
  readonly topic: string | null;
  readonly partition: number;
  readonly offset: number;
  readonly timestamp: number;
  readonly headers: Headers;
}

/** What a store sees of its task when it is initialised. Implemented by the task's state manager. */
export interface StateStoreContext {
  readonly applicationId: string;
  readonly taskId: string;
  /** The task directory (`<stateDir>/<applicationId>/<taskId>`), or `null` when the task has no persistent stores. */
  readonly stateDir: string | null;
  readonly appConfigs: Readonly<{ [key: string]: unknown }>;
  /** Registers the outermost store with the task, for flush, close and restoration from its changelog. */
  register(store: StateStore, restore: RestoreCallback): void;
  /** Sends one write to the store's changelog topic (`<applicationId>-<store>-changelog`). */
  logChange(storeName: string, key: Buffer, value: Buffer | null, timestamp: number, headers?: Headers): void;
  /** The record being processed right now. */
  recordContext(): StoreRecordContext;
  /**
   * Replaces the current record context. Caching stores set the context of a cached write while they flush it, so
   * the changelog record and the forwarded record carry the timestamp and headers of the write, as in Kafka.
   * The caller restores the previous context afterwards.
   */
  setRecordContext(context: StoreRecordContext): void;
  currentStreamTimeMs(): number;
  /**
   * The record cache of the task's thread (`statestore.cache.max.bytes`), or `null` when there is none (standby
   * tasks); caching stores then forward every write at once.
   */
  readonly cache: ThreadCache | null;
}

/** Any state store. */
export interface StateStore {
  readonly name: string;
  init(context: StateStoreContext, root: StateStore): void;
  flush(): void;
  close(): void;
  persistent(): boolean;
  isOpen(): boolean;
}

/** Reads of a key-value store (what interactive queries see). */
export interface ReadOnlyKeyValueStore<K, V> {
  get(key: K): V | null;
  /** Keys in [from, to], both inclusive, in byte order of the serialized keys; `null` means unbounded. */
  range(from: K | null, to: K | null): KeyValueIterator<K, V>;
  reverseRange(from: K | null, to: K | null): KeyValueIterator<K, V>;
  all(): KeyValueIterator<K, V>;
  reverseAll(): KeyValueIterator<K, V>;
  /** Keys whose serialized form starts with the serialized prefix. */
  prefixScan<P>(prefix: P, prefixKeySerializer: Serializer<P>): KeyValueIterator<K, V>;
  approximateNumEntries(): number;
}

/** A key-value store. `put(k, null)` deletes. */
export interface KeyValueStore<K, V> extends StateStore, ReadOnlyKeyValueStore<K, V> {
  put(key: K, value: V | null): void;
  putIfAbsent(key: K, value: V | null): V | null;
  putAll(entries: ReadonlyArray<KeyValue<K, V | null>>): void;
  delete(key: K): V | null;
}

/** The byte-level store every typed key-value store sits on. */
export type KeyValueBytesStore = KeyValueStore<Buffer, Buffer>;
