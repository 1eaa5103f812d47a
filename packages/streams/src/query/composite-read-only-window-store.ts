/**
 * The read-only window-store view over every local instance of a store (Kafka's `CompositeReadOnlyWindowStore`):
 * single-key fetches answer from the first local store holding the key, range fetches walk every local store.
 */
import { IllegalArgumentException } from '../errors';
import type { Windowed } from '../dsl/windows/windowed';
import { EmptyKeyValueIterator } from '../state/key-value-iterators';
import type { KeyValueIterator } from '../state/state-store';
import type { TimestampLike } from '../time/duration';
import type { ReadOnlyWindowStore, WindowStoreIterator } from '../state/window/window-store';
import { ConcatenatedKeyValueIterator } from './composite-iterator';
import { guarded } from './composite-read-only-key-value-store';

export class CompositeReadOnlyWindowStore<K, V> implements ReadOnlyWindowStore<K, V> {
  constructor(
    readonly storeName: string,
    private readonly stores: () => ReadonlyArray<ReadOnlyWindowStore<K, V>>,
  ) {}

  fetch(key: K, windowStart: TimestampLike): V | null;
  fetch(key: K, timeFrom: TimestampLike, timeTo: TimestampLike): WindowStoreIterator<V>;
  fetch(keyFrom: K | null, keyTo: K | null, timeFrom: TimestampLike, timeTo: TimestampLike): KeyValueIterator<Windowed<K>, V>;
  fetch(a: K | null, b: unknown, c?: TimestampLike, d?: TimestampLike): V | null | WindowStoreIterator<V> | KeyValueIterator<Windowed<K>, V> {
    if (d !== undefined) return this.#concat((s) => s.fetch(a, b as K | null, c!, d));
    this.#requireKey(a);
    if (c !== undefined) return this.#firstNonEmpty((s) => s.fetch(a as K, b as TimestampLike, c));
    for (const s of this.stores()) {
      const v = guarded(this.storeName, () => s.fetch(a as K, b as TimestampLike));
      if (v !== null) return v;
    }
    return null;
  }

  backwardFetch(key: K, timeFrom: TimestampLike, timeTo: TimestampLike): WindowStoreIterator<V>;
  backwardFetch(keyFrom: K | null, keyTo: K | null, timeFrom: TimestampLike, timeTo: TimestampLike): KeyValueIterator<Windowed<K>, V>;
  backwardFetch(a: K | null, b: unknown, c: TimestampLike, d?: TimestampLike): WindowStoreIterator<V> | KeyValueIterator<Windowed<K>, V> {
    if (d !== undefined) return this.#concat((s) => s.backwardFetch(a, b as K | null, c, d));
    this.#requireKey(a);
    return this.#firstNonEmpty((s) => s.backwardFetch(a as K, b as TimestampLike, c));
  }

  fetchAll(timeFrom: TimestampLike, timeTo: TimestampLike): KeyValueIterator<Windowed<K>, V> {
    return this.#concat((s) => s.fetchAll(timeFrom, timeTo));
  }

  backwardFetchAll(timeFrom: TimestampLike, timeTo: TimestampLike): KeyValueIterator<Windowed<K>, V> {
    return this.#concat((s) => s.backwardFetchAll(timeFrom, timeTo));
  }

  all(): KeyValueIterator<Windowed<K>, V> {
    return this.#concat((s) => s.all());
  }

  backwardAll(): KeyValueIterator<Windowed<K>, V> {
    return this.#concat((s) => s.backwardAll());
  }

  #requireKey(key: K | null): void {
    if (key === null || key === undefined) throw new IllegalArgumentException(`key of a fetch on window store ${this.storeName} cannot be null`);
  }

  /** A key lives in one partition: the first local store with windows for it answers. */
  #firstNonEmpty(open: (s: ReadOnlyWindowStore<K, V>) => WindowStoreIterator<V>): WindowStoreIterator<V> {
    for (const s of this.stores()) {
      const it = guarded(this.storeName, () => open(s));
      if (it.peekNextKey() !== undefined) return it;
      it.close();
    }
    return new EmptyKeyValueIterator<number, V>(this.storeName);
  }

  #concat(open: (s: ReadOnlyWindowStore<K, V>) => KeyValueIterator<Windowed<K>, V>): KeyValueIterator<Windowed<K>, V> {
    return new ConcatenatedKeyValueIterator<Windowed<K>, V>(
      this.storeName,
      this.stores().map((s) => () => guarded(this.storeName, () => open(s))),
    );
  }
}
