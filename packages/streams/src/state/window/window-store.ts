/**
 * The window store contract (Kafka's `WindowStore` / `ReadOnlyWindowStore`): values keyed by record key and
 * window start time. Typed stores take times as epoch ms, `Date` or luxon `DateTime`; byte stores (the innermost
 * layer, in memory here and RocksDB later) implement `WindowBytesStore`, whose operations all take numbers.
 */
import type { KeyValueIterator, StateStore } from '../state-store';
import type { TimestampLike } from '../../time/duration';
import type { ValueAndTimestamp } from '../value-and-timestamp';
import type { Windowed } from '../../dsl/windows/windowed';

/** Iterates `(windowStart, value)` pairs of one key, in time order. */
export type WindowStoreIterator<V> = KeyValueIterator<number, V>;

/** Reads of a window store (what interactive queries see). Time bounds are inclusive. */
export interface ReadOnlyWindowStore<K, V> {
  /** The value of `key` in the window starting at `windowStart`, or null. */
  fetch(key: K, windowStart: TimestampLike): V | null;
  /** The windows of `key` starting in `[timeFrom, timeTo]`, oldest first. */
  fetch(key: K, timeFrom: TimestampLike, timeTo: TimestampLike): WindowStoreIterator<V>;
  /** The windows of keys in `[keyFrom, keyTo]` (null: unbounded) starting in `[timeFrom, timeTo]`. */
  fetch(keyFrom: K | null, keyTo: K | null, timeFrom: TimestampLike, timeTo: TimestampLike): KeyValueIterator<Windowed<K>, V>;
  /** As `fetch(key, timeFrom, timeTo)`, newest first. */
  backwardFetch(key: K, timeFrom: TimestampLike, timeTo: TimestampLike): WindowStoreIterator<V>;
  /** As `fetch(keyFrom, keyTo, timeFrom, timeTo)`, in reverse order. */
  backwardFetch(keyFrom: K | null, keyTo: K | null, timeFrom: TimestampLike, timeTo: TimestampLike): KeyValueIterator<Windowed<K>, V>;
  /** Every window of every key starting in `[timeFrom, timeTo]`. */
  fetchAll(timeFrom: TimestampLike, timeTo: TimestampLike): KeyValueIterator<Windowed<K>, V>;
  backwardFetchAll(timeFrom: TimestampLike, timeTo: TimestampLike): KeyValueIterator<Windowed<K>, V>;
  /** Every window in the store. */
  all(): KeyValueIterator<Windowed<K>, V>;
  backwardAll(): KeyValueIterator<Windowed<K>, V>;
}

/** A window store. `put(key, null, start)` deletes the window. */
export interface WindowStore<K, V> extends StateStore, ReadOnlyWindowStore<K, V> {
  put(key: K, value: V | null, windowStartTimestamp: number): void;
}

/** A window store whose values carry the timestamp of their last update (the DSL's window store). */
export type TimestampedWindowStore<K, V> = WindowStore<K, ValueAndTimestamp<V>>;

/** The byte-level window store under every typed one. Results are ordered by window start, then key bytes. */
export interface WindowBytesStore extends StateStore {
  readonly windowSizeMs: number;
  readonly retentionPeriodMs: number;
  readonly retainDuplicates: boolean;
  put(key: Buffer, value: Buffer | null, windowStart: number): void;
  fetchWindow(key: Buffer, windowStart: number): Buffer | null;
  fetchKey(key: Buffer, timeFrom: number, timeTo: number, backward: boolean): WindowStoreIterator<Buffer>;
  fetchKeyRange(keyFrom: Buffer | null, keyTo: Buffer | null, timeFrom: number, timeTo: number, backward: boolean): KeyValueIterator<Windowed<Buffer>, Buffer>;
  fetchAllWindows(timeFrom: number, timeTo: number, backward: boolean): KeyValueIterator<Windowed<Buffer>, Buffer>;
}

/** Makes the innermost byte store of a window store, one per task (Kafka's `WindowBytesStoreSupplier`). */
export interface WindowBytesStoreSupplier {
  readonly name: string;
  get(): WindowBytesStore;
  metricsScope(): string;
  windowSize(): number;
  retentionPeriod(): number;
  retainDuplicates(): boolean;
  /** Kafka's segment interval (`max(retention / 2, 60000)`); the in-memory store keeps one segment per window start. */
  segmentIntervalMs(): number;
}
