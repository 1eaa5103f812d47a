/** A timestamped window store seen as a plain one (values without timestamps), as Kafka's `WindowStoreFacade`. */
import type { Windowed } from '../../dsl/windows/windowed';
import type { TimestampLike } from '../../time/duration';
import { MappedKeyValueIterator } from '../key-value-iterators';
import type { KeyValueIterator, StateStoreContext, StateStore } from '../state-store';
import { ValueAndTimestamp } from '../value-and-timestamp';
import type { TimestampedWindowStore, WindowStore, WindowStoreIterator } from './window-store';

export class WindowStoreFacade<K, V> implements WindowStore<K, V> {
  constructor(readonly inner: TimestampedWindowStore<K, V>) {}

  get name(): string {
    return this.inner.name;
  }
  init(context: StateStoreContext, root: StateStore): void {
    this.inner.init(context, root);
  }
  flush(): void {
    this.inner.flush();
  }
  close(): void {
    this.inner.close();
  }
  persistent(): boolean {
    return this.inner.persistent();
  }
  isOpen(): boolean {
    return this.inner.isOpen();
  }

  /** Writes the value stamped with its window start (the context of a test has no record timestamp). */
  put(key: K, value: V | null, windowStartTimestamp: number): void {
    this.inner.put(key, ValueAndTimestamp.make(value, windowStartTimestamp), windowStartTimestamp);
  }

  fetch(key: K, windowStart: TimestampLike): V | null;
  fetch(key: K, timeFrom: TimestampLike, timeTo: TimestampLike): WindowStoreIterator<V>;
  fetch(keyFrom: K | null, keyTo: K | null, timeFrom: TimestampLike, timeTo: TimestampLike): KeyValueIterator<Windowed<K>, V>;
  fetch(a: K | null, b: unknown, c?: TimestampLike, d?: TimestampLike): V | null | WindowStoreIterator<V> | KeyValueIterator<Windowed<K>, V> {
    if (d !== undefined) return this.#plain(this.inner.fetch(a, b as K | null, c!, d));
    if (c !== undefined) return this.#plain(this.inner.fetch(a as K, b as TimestampLike, c));
    return ValueAndTimestamp.getValueOrNull(this.inner.fetch(a as K, b as TimestampLike));
  }

  backwardFetch(key: K, timeFrom: TimestampLike, timeTo: TimestampLike): WindowStoreIterator<V>;
  backwardFetch(keyFrom: K | null, keyTo: K | null, timeFrom: TimestampLike, timeTo: TimestampLike): KeyValueIterator<Windowed<K>, V>;
  backwardFetch(a: K | null, b: unknown, c: TimestampLike, d?: TimestampLike): WindowStoreIterator<V> | KeyValueIterator<Windowed<K>, V> {
    if (d !== undefined) return this.#plain(this.inner.backwardFetch(a, b as K | null, c, d));
    return this.#plain(this.inner.backwardFetch(a as K, b as TimestampLike, c));
  }

  fetchAll(timeFrom: TimestampLike, timeTo: TimestampLike): KeyValueIterator<Windowed<K>, V> {
    return this.#plain(this.inner.fetchAll(timeFrom, timeTo));
  }
  backwardFetchAll(timeFrom: TimestampLike, timeTo: TimestampLike): KeyValueIterator<Windowed<K>, V> {
    return this.#plain(this.inner.backwardFetchAll(timeFrom, timeTo));
  }
  all(): KeyValueIterator<Windowed<K>, V> {
    return this.#plain(this.inner.all());
  }
  backwardAll(): KeyValueIterator<Windowed<K>, V> {
    return this.#plain(this.inner.backwardAll());
  }

  #plain<KK>(it: KeyValueIterator<KK, ValueAndTimestamp<V>>): KeyValueIterator<KK, V> {
    return new MappedKeyValueIterator<KK, ValueAndTimestamp<V>, KK, V>(this.name, it, (k, v) => ({ key: k, value: v.value }));
  }
}
