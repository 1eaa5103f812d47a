/**
 * The read-only session-store view over every local instance of a store (Kafka's `CompositeReadOnlySessionStore`):
 * single-key lookups answer from the first local store holding the key, range lookups walk every local store.
 */
import { IllegalArgumentException } from '../errors';
import type { Windowed } from '../dsl/windows/windowed';
import { EmptyKeyValueIterator } from '../state/key-value-iterators';
import type { KeyValueIterator } from '../state/state-store';
import type { TimestampLike } from '../time/duration';
import type { ReadOnlySessionStore } from '../state/session/session-store';
import { ConcatenatedKeyValueIterator } from './composite-iterator';
import { guarded } from './composite-read-only-key-value-store';

export class CompositeReadOnlySessionStore<K, AGG> implements ReadOnlySessionStore<K, AGG> {
  constructor(
    readonly storeName: string,
    private readonly stores: () => ReadonlyArray<ReadOnlySessionStore<K, AGG>>,
  ) {}

  findSessions(key: K, earliestSessionEndTime: TimestampLike, latestSessionStartTime: TimestampLike): KeyValueIterator<Windowed<K>, AGG>;
  findSessions(keyFrom: K | null, keyTo: K | null, earliestSessionEndTime: TimestampLike, latestSessionStartTime: TimestampLike): KeyValueIterator<Windowed<K>, AGG>;
  findSessions(a: K | null, b: unknown, c: TimestampLike, d?: TimestampLike): KeyValueIterator<Windowed<K>, AGG> {
    if (d !== undefined) return this.#concat((s) => s.findSessions(a, b as K | null, c, d));
    this.#requireKey(a);
    return this.#firstNonEmpty((s) => s.findSessions(a as K, b as TimestampLike, c));
  }

  backwardFindSessions(key: K, earliestSessionEndTime: TimestampLike, latestSessionStartTime: TimestampLike): KeyValueIterator<Windowed<K>, AGG>;
  backwardFindSessions(keyFrom: K | null, keyTo: K | null, earliestSessionEndTime: TimestampLike, latestSessionStartTime: TimestampLike): KeyValueIterator<Windowed<K>, AGG>;
  backwardFindSessions(a: K | null, b: unknown, c: TimestampLike, d?: TimestampLike): KeyValueIterator<Windowed<K>, AGG> {
    if (d !== undefined) return this.#concat((s) => s.backwardFindSessions(a, b as K | null, c, d));
    this.#requireKey(a);
    return this.#firstNonEmpty((s) => s.backwardFindSessions(a as K, b as TimestampLike, c));
  }

  findSessionsByEndTime(earliestSessionEndTime: TimestampLike, latestSessionEndTime: TimestampLike): KeyValueIterator<Windowed<K>, AGG> {
    return this.#concat((s) => s.findSessionsByEndTime(earliestSessionEndTime, latestSessionEndTime));
  }

  fetchSession(key: K, sessionStartTime: TimestampLike, sessionEndTime: TimestampLike): AGG | null {
    this.#requireKey(key);
    for (const s of this.stores()) {
      const v = guarded(this.storeName, () => s.fetchSession(key, sessionStartTime, sessionEndTime));
      if (v !== null) return v;
    }
    return null;
  }

  fetch(key: K): KeyValueIterator<Windowed<K>, AGG>;
  fetch(keyFrom: K | null, keyTo: K | null): KeyValueIterator<Windowed<K>, AGG>;
  fetch(a: K | null, ...rest: [K | null] | []): KeyValueIterator<Windowed<K>, AGG> {
    if (rest.length === 1) return this.#concat((s) => s.fetch(a, rest[0]));
    this.#requireKey(a);
    return this.#firstNonEmpty((s) => s.fetch(a as K));
  }

  backwardFetch(key: K): KeyValueIterator<Windowed<K>, AGG>;
  backwardFetch(keyFrom: K | null, keyTo: K | null): KeyValueIterator<Windowed<K>, AGG>;
  backwardFetch(a: K | null, ...rest: [K | null] | []): KeyValueIterator<Windowed<K>, AGG> {
    if (rest.length === 1) return this.#concat((s) => s.backwardFetch(a, rest[0]));
    this.#requireKey(a);
    return this.#firstNonEmpty((s) => s.backwardFetch(a as K));
  }

  #requireKey(key: K | null): void {
    if (key === null || key === undefined) throw new IllegalArgumentException(`key of a lookup on session store ${this.storeName} cannot be null`);
  }

  #firstNonEmpty(open: (s: ReadOnlySessionStore<K, AGG>) => KeyValueIterator<Windowed<K>, AGG>): KeyValueIterator<Windowed<K>, AGG> {
    for (const s of this.stores()) {
      const it = guarded(this.storeName, () => open(s));
      if (it.peekNextKey() !== undefined) return it;
      it.close();
    }
    return new EmptyKeyValueIterator<Windowed<K>, AGG>(this.storeName);
  }

  #concat(open: (s: ReadOnlySessionStore<K, AGG>) => KeyValueIterator<Windowed<K>, AGG>): KeyValueIterator<Windowed<K>, AGG> {
    return new ConcatenatedKeyValueIterator<Windowed<K>, AGG>(
      this.storeName,
      this.stores().map((s) => () => guarded(this.storeName, () => open(s))),
    );
  }
}
