/**
 * Reading a KTable by key from another processor (Kafka's `KTableValueGetter` / `KTableValueGetterSupplier`):
 * joins look up the other side through these. A materialized table reads its own store; a table operator that
 * is not materialized (a filter, a mapValues) reads its parent's getter and applies itself.
 */
import type { KeyValueStore } from '../../state/state-store';
import type { ValueAndTimestamp } from '../../state/value-and-timestamp';
import type { ProcessingContext } from '../api';

export interface KTableValueGetter<K, V> {
  init(context: ProcessingContext): void;
  /** The table's current value and its timestamp for `key`, or `null` when the key is absent. */
  get(key: K): ValueAndTimestamp<V> | null;
  close(): void;
}

export interface KTableValueGetterSupplier<K, V> {
  get(): KTableValueGetter<K, V>;
  /** The stores a getter reads: a processor using it must be connected to them. */
  storeNames(): string[];
}

/** What a table operator's supplier offers joins: a getter of its values (Kafka's `KTableProcessorSupplier.view`). */
export interface TableViewSupplier {
  view(): KTableValueGetterSupplier<unknown, unknown>;
}

export function hasView(supplier: unknown): supplier is TableViewSupplier {
  return typeof (supplier as Partial<TableViewSupplier> | null)?.view === 'function';
}

/** Reads a timestamped key-value store by name. */
export function storeValueGetterSupplier<K, V>(storeName: string): KTableValueGetterSupplier<K, V> {
  return {
    get: () => {
      let store: KeyValueStore<K, ValueAndTimestamp<V>> | null = null;
      return {
        init: (context) => {
          store = context.getStateStore<KeyValueStore<K, ValueAndTimestamp<V>>>(storeName);
        },
        get: (key) => store!.get(key),
        close: () => undefined,
      };
    },
    storeNames: () => [storeName],
  };
}

/** A getter that applies `map` to every value its parent's getter returns (`null` stays `null`). */
export function mappedValueGetterSupplier<K, V, VR>(
  parent: KTableValueGetterSupplier<K, V>,
  map: (key: K, value: ValueAndTimestamp<V>) => ValueAndTimestamp<VR> | null,
): KTableValueGetterSupplier<K, VR> {
  return {
    get: () => {
      const inner = parent.get();
      return {
        init: (context) => inner.init(context),
        get: (key) => {
          const v = inner.get(key);
          return v === null ? null : map(key, v);
        },
        close: () => inner.close(),
      };
    },
    storeNames: () => parent.storeNames(),
  };
}
