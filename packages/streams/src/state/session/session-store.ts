/**
 * The session store contract (Kafka's `SessionStore` / `ReadOnlySessionStore`): aggregates keyed by record key
 * and session window `[start, end]`. Times are epoch ms, `Date` or luxon `DateTime`. Byte stores (the innermost
 * layer) implement `SessionBytesStore`, whose operations take numbers.
 */
import type { Windowed } from '../../dsl/windows/windowed';
import type { KeyValueIterator, StateStore } from '../state-store';
import type { TimestampLike } from '../../time/duration';

/** Reads of a session store. */
export interface ReadOnlySessionStore<K, AGG> {
  /** Sessions of `key` that end at or after `earliestSessionEndTime` and start at or before `latestSessionStartTime`. */
  findSessions(key: K, earliestSessionEndTime: TimestampLike, latestSessionStartTime: TimestampLike): KeyValueIterator<Windowed<K>, AGG>;
  /** As above for keys in `[keyFrom, keyTo]` (null: unbounded). */
  findSessions(keyFrom: K | null, keyTo: K | null, earliestSessionEndTime: TimestampLike, latestSessionStartTime: TimestampLike): KeyValueIterator<Windowed<K>, AGG>;
  backwardFindSessions(key: K, earliestSessionEndTime: TimestampLike, latestSessionStartTime: TimestampLike): KeyValueIterator<Windowed<K>, AGG>;
  backwardFindSessions(keyFrom: K | null, keyTo: K | null, earliestSessionEndTime: TimestampLike, latestSessionStartTime: TimestampLike): KeyValueIterator<Windowed<K>, AGG>;
  /** Sessions of every key whose end lies in `[earliestSessionEndTime, latestSessionEndTime]`. */
  findSessionsByEndTime(earliestSessionEndTime: TimestampLike, latestSessionEndTime: TimestampLike): KeyValueIterator<Windowed<K>, AGG>;
  /** The aggregate of exactly this session, or null. */
  fetchSession(key: K, sessionStartTime: TimestampLike, sessionEndTime: TimestampLike): AGG | null;
  /** Every session of `key` (or of keys in a range). */
  fetch(key: K): KeyValueIterator<Windowed<K>, AGG>;
  fetch(keyFrom: K | null, keyTo: K | null): KeyValueIterator<Windowed<K>, AGG>;
  backwardFetch(key: K): KeyValueIterator<Windowed<K>, AGG>;
  backwardFetch(keyFrom: K | null, keyTo: K | null): KeyValueIterator<Windowed<K>, AGG>;
}

/** A session store. */
export interface SessionStore<K, AGG> extends StateStore, ReadOnlySessionStore<K, AGG> {
  put(sessionKey: Windowed<K>, aggregate: AGG | null): void;
  remove(sessionKey: Windowed<K>): void;
}

/** The byte-level session store. Results are ordered by session end, then key bytes, then session start. */
export interface SessionBytesStore extends StateStore {
  readonly retentionPeriodMs: number;
  put(key: Buffer, start: number, end: number, value: Buffer | null): void;
  fetchSession(key: Buffer, start: number, end: number): Buffer | null;
  findSessions(keyFrom: Buffer | null, keyTo: Buffer | null, earliestSessionEndTime: number, latestSessionStartTime: number, backward: boolean): KeyValueIterator<Windowed<Buffer>, Buffer>;
  findSessionsByEndTime(earliestSessionEndTime: number, latestSessionEndTime: number): KeyValueIterator<Windowed<Buffer>, Buffer>;
}

/** Makes the innermost byte store of a session store, one per task (Kafka's `SessionBytesStoreSupplier`). */
export interface SessionBytesStoreSupplier {
  readonly name: string;
  get(): SessionBytesStore;
  metricsScope(): string;
  retentionPeriod(): number;
  /** The store's segment interval (Kafka's; 1, the default, for stores that are not segmented): orders cached reads. */
  segmentIntervalMs?(): number;
}
