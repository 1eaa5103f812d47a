/**
 * The metered (outermost) layer of session stores (Kafka's `MeteredSessionStore`): typed keys and aggregates over
 * the byte store, serialized with the store's serdes (topic = the changelog topic).
 */
import { Windowed } from '../../dsl/windows/windowed';
import type { Serde } from '../../serde/serde';
import { timestampMs, type TimestampLike } from '../../time/duration';
import type { CachedStateStore } from '../cached-state-store';
import { MeteredWindowedStoreBase } from '../metered-store-base';
import type { KeyValueIterator } from '../state-store';
import type { SessionBytesStore, SessionStore } from './session-store';

export class MeteredSessionStore<K, AGG> extends MeteredWindowedStoreBase<K, AGG, SessionBytesStore> implements SessionStore<K, AGG>, CachedStateStore<Windowed<K>, AGG> {
  constructor(
    wrapped: SessionBytesStore,
    readonly metricsScope: string,
    keySerde: Serde<K> | null,
    valueSerde: Serde<AGG> | null,
  ) {
    super(wrapped, keySerde, valueSerde);
  }

  put(sessionKey: Windowed<K>, aggregate: AGG | null): void {
    const w = sessionKey.window();
    this.wrapped.put(this.#key(sessionKey.key()), w.start(), w.end(), aggregate === null ? null : this.valueSerializer!.serialize(this.topic, aggregate));
  }

  remove(sessionKey: Windowed<K>): void {
    this.put(sessionKey, null);
  }

  fetchSession(key: K, sessionStartTime: TimestampLike, sessionEndTime: TimestampLike): AGG | null {
    const raw = this.wrapped.fetchSession(this.#key(key), timestampMs(sessionStartTime, 'sessionStartTime'), timestampMs(sessionEndTime, 'sessionEndTime'));
    return raw === null ? null : this.valueDeserializer!.deserialize(this.topic, raw);
  }

  findSessions(key: K, earliestSessionEndTime: TimestampLike, latestSessionStartTime: TimestampLike): KeyValueIterator<Windowed<K>, AGG>;
  findSessions(keyFrom: K | null, keyTo: K | null, earliestSessionEndTime: TimestampLike, latestSessionStartTime: TimestampLike): KeyValueIterator<Windowed<K>, AGG>;
  findSessions(a: K | null, b: unknown, c: TimestampLike, d?: TimestampLike): KeyValueIterator<Windowed<K>, AGG> {
    return d === undefined ? this.#find(a, timestampMs(b as TimestampLike), timestampMs(c), undefined, false) : this.#find(a, b, timestampMs(c), timestampMs(d), false);
  }

  backwardFindSessions(key: K, earliestSessionEndTime: TimestampLike, latestSessionStartTime: TimestampLike): KeyValueIterator<Windowed<K>, AGG>;
  backwardFindSessions(keyFrom: K | null, keyTo: K | null, earliestSessionEndTime: TimestampLike, latestSessionStartTime: TimestampLike): KeyValueIterator<Windowed<K>, AGG>;
  backwardFindSessions(a: K | null, b: unknown, c: TimestampLike, d?: TimestampLike): KeyValueIterator<Windowed<K>, AGG> {
    return d === undefined ? this.#find(a, timestampMs(b as TimestampLike), timestampMs(c), undefined, true) : this.#find(a, b, timestampMs(c), timestampMs(d), true);
  }

  findSessionsByEndTime(earliestSessionEndTime: TimestampLike, latestSessionEndTime: TimestampLike): KeyValueIterator<Windowed<K>, AGG> {
    return this.windowedIterator(this.wrapped.findSessionsByEndTime(timestampMs(earliestSessionEndTime), timestampMs(latestSessionEndTime)));
  }

  fetch(key: K): KeyValueIterator<Windowed<K>, AGG>;
  fetch(keyFrom: K | null, keyTo: K | null): KeyValueIterator<Windowed<K>, AGG>;
  fetch(a: K | null, ...rest: [K | null] | []): KeyValueIterator<Windowed<K>, AGG> {
    return rest.length === 0 ? this.#find(a, 0, Number.MAX_SAFE_INTEGER, undefined, false) : this.#find(a, rest[0], 0, Number.MAX_SAFE_INTEGER, false);
  }

  backwardFetch(key: K): KeyValueIterator<Windowed<K>, AGG>;
  backwardFetch(keyFrom: K | null, keyTo: K | null): KeyValueIterator<Windowed<K>, AGG>;
  backwardFetch(a: K | null, ...rest: [K | null] | []): KeyValueIterator<Windowed<K>, AGG> {
    return rest.length === 0 ? this.#find(a, 0, Number.MAX_SAFE_INTEGER, undefined, true) : this.#find(a, rest[0], 0, Number.MAX_SAFE_INTEGER, true);
  }

  #find(a: K | null, b: unknown, c: number, d: number | undefined, backward: boolean): KeyValueIterator<Windowed<K>, AGG> {
    if (d === undefined) {
      const key = this.#key(a as K);
      return this.windowedIterator(this.wrapped.findSessions(key, key, b as number, c, backward));
    }
    const from = a === null ? null : this.#key(a);
    const to = b === null ? null : this.#key(b as K);
    return this.windowedIterator(this.wrapped.findSessions(from, to, c, d, backward));
  }

  #key(key: K): Buffer {
    return this.serializeKey(key);
  }
}
