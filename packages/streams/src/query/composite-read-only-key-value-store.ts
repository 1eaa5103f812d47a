/**
 * The read-only key-value view over every local instance of a store (Kafka's `CompositeReadOnlyKeyValueStore`).
 * Reads go through the stores' caching layers, so they see updates not yet flushed or committed, as Kafka's do.
 * Each call finds the local stores again, so the view survives rebalances.
 */
import { IllegalArgumentException, InvalidStateStoreException, StateStoreMigratedException } from '../errors';
import type { Serializer } from '../serde/serde';
import type { KeyValueIterator, ReadOnlyKeyValueStore } from '../state/state-store';
import { ConcatenatedKeyValueIterator } from './composite-iterator';

/** Kafka's rethrow when a store closes under a query. */
export function migratedDuringQuery(storeName: string, cause: unknown): StateStoreMigratedException {
  return new StateStoreMigratedException(
    `State store ${storeName} is not available anymore and may have been migrated to another instance; please re-discover its location from the state metadata.`,
    { cause },
  );
}

/** Runs a read, turning a store that closed under it into a `StateStoreMigratedException`. */
export function guarded<R>(storeName: string, read: () => R): R {
  try {
    return read();
  } catch (e) {
    if (e instanceof InvalidStateStoreException && !(e instanceof StateStoreMigratedException)) throw migratedDuringQuery(storeName, e);
    throw e;
  }
}

export class CompositeReadOnlyKeyValueStore<K, V> implements ReadOnlyKeyValueStore<K, V> {
  constructor(
    readonly storeName: string,
    private readonly stores: () => ReadonlyArray<ReadOnlyKeyValueStore<K, V>>,
  ) {}

  get(key: K): V | null {
    if (key === null || key === undefined) throw new IllegalArgumentException(`key of a get on store ${this.storeName} cannot be null`);
    for (const store of this.stores()) {
      const v = guarded(this.storeName, () => store.get(key));
      if (v !== null) return v;
    }
    return null;
  }

  range(from: K | null, to: K | null): KeyValueIterator<K, V> {
    return this.#concat((s) => s.range(from, to));
  }

  reverseRange(from: K | null, to: K | null): KeyValueIterator<K, V> {
    return this.#concat((s) => s.reverseRange(from, to));
  }

  all(): KeyValueIterator<K, V> {
    return this.#concat((s) => s.all());
  }

  reverseAll(): KeyValueIterator<K, V> {
    return this.#concat((s) => s.reverseAll());
  }

  prefixScan<P>(prefix: P, prefixKeySerializer: Serializer<P>): KeyValueIterator<K, V> {
    if (prefix === null || prefix === undefined) throw new IllegalArgumentException(`prefix of a prefixScan on store ${this.storeName} cannot be null`);
    return this.#concat((s) => s.prefixScan(prefix, prefixKeySerializer));
  }

  /** Sum over the local stores (an estimate, as each store's is). */
  approximateNumEntries(): number {
    let n = 0;
    for (const store of this.stores()) n += guarded(this.storeName, () => store.approximateNumEntries());
    return Math.min(n, Number.MAX_SAFE_INTEGER);
  }

  #concat(open: (store: ReadOnlyKeyValueStore<K, V>) => KeyValueIterator<K, V>): KeyValueIterator<K, V> {
    const stores = this.stores();
    return new ConcatenatedKeyValueIterator<K, V>(
      this.storeName,
      stores.map((s) => () => guarded(this.storeName, () => open(s))),
    );
  }
}
