/**
 * `QueryableStoreTypes`: the store types `KafkaStreams.store` can return (Kafka's class of that name). Each type
 * says which stores it accepts, how one local store is seen through it (a timestamped store queried as a plain
 * one drops the timestamps, as Kafka's facades do), and builds the composite view over all local stores.
 */
import { MeteredKeyValueStore } from '../state/metered-key-value-store';
import { MeteredSessionStore } from '../state/session/metered-session-store';
import type { ReadOnlySessionStore } from '../state/session/session-store';
import type { ReadOnlyKeyValueStore, StateStore } from '../state/state-store';
import { MeteredTimestampedKeyValueStore, ReadOnlyKeyValueStoreFacade } from '../state/timestamped-key-value-store';
import type { ValueAndTimestamp } from '../state/value-and-timestamp';
import { MeteredTimestampedWindowStore, MeteredWindowStore } from '../state/window/metered-window-store';
import { WindowStoreFacade } from '../state/window/window-store-facade';
import type { ReadOnlyWindowStore, TimestampedWindowStore } from '../state/window/window-store';
import { CompositeReadOnlyKeyValueStore } from './composite-read-only-key-value-store';
import { CompositeReadOnlySessionStore } from './composite-read-only-session-store';
import { CompositeReadOnlyWindowStore } from './composite-read-only-window-store';

/** The kind of store a query type reads, for the HTTP layer and error messages. */
export type QueryableStoreKind = 'keyValue' | 'window' | 'session';

/** A store type for `StoreQueryParameters.fromNameAndType` (use the factories of {@link QueryableStoreTypes}). */
export interface QueryableStoreType<T> {
  /** The factory's name, e.g. `keyValueStore`. */
  readonly name: string;
  readonly kind: QueryableStoreKind;
  /** Whether a store (the outermost layer of a task's store) can be read as this type. */
  accepts(store: StateStore): boolean;
  /** One accepted local store, seen as this type. */
  adapt(store: StateStore): T;
  /** The composite view over the local stores `stores()` returns at each call. */
  create(storeName: string, stores: () => T[]): T;
}

function keyValueType<K, V>(): QueryableStoreType<ReadOnlyKeyValueStore<K, V>> {
  return {
    name: 'keyValueStore',
    kind: 'keyValue',
    accepts: (store) => store instanceof MeteredKeyValueStore,
    adapt: (store) =>
      store instanceof MeteredTimestampedKeyValueStore
        ? new ReadOnlyKeyValueStoreFacade<K, V>(store as unknown as ReadOnlyKeyValueStore<K, ValueAndTimestamp<V>>)
        : (store as unknown as ReadOnlyKeyValueStore<K, V>),
    create: (storeName, stores) => new CompositeReadOnlyKeyValueStore<K, V>(storeName, stores),
  };
}

function timestampedKeyValueType<K, V>(): QueryableStoreType<ReadOnlyKeyValueStore<K, ValueAndTimestamp<V>>> {
  return {
    name: 'timestampedKeyValueStore',
    kind: 'keyValue',
    accepts: (store) => store instanceof MeteredTimestampedKeyValueStore,
    adapt: (store) => store as unknown as ReadOnlyKeyValueStore<K, ValueAndTimestamp<V>>,
    create: (storeName, stores) => new CompositeReadOnlyKeyValueStore<K, ValueAndTimestamp<V>>(storeName, stores),
  };
}

function windowType<K, V>(): QueryableStoreType<ReadOnlyWindowStore<K, V>> {
  return {
    name: 'windowStore',
    kind: 'window',
    accepts: (store) => store instanceof MeteredWindowStore,
    adapt: (store) =>
      store instanceof MeteredTimestampedWindowStore
        ? new WindowStoreFacade<K, V>(store as unknown as TimestampedWindowStore<K, V>)
        : (store as unknown as ReadOnlyWindowStore<K, V>),
    create: (storeName, stores) => new CompositeReadOnlyWindowStore<K, V>(storeName, stores),
  };
}

function timestampedWindowType<K, V>(): QueryableStoreType<ReadOnlyWindowStore<K, ValueAndTimestamp<V>>> {
  return {
    name: 'timestampedWindowStore',
    kind: 'window',
    accepts: (store) => store instanceof MeteredTimestampedWindowStore,
    adapt: (store) => store as unknown as ReadOnlyWindowStore<K, ValueAndTimestamp<V>>,
    create: (storeName, stores) => new CompositeReadOnlyWindowStore<K, ValueAndTimestamp<V>>(storeName, stores),
  };
}

function sessionType<K, V>(): QueryableStoreType<ReadOnlySessionStore<K, V>> {
  return {
    name: 'sessionStore',
    kind: 'session',
    accepts: (store) => store instanceof MeteredSessionStore,
    adapt: (store) => store as unknown as ReadOnlySessionStore<K, V>,
    create: (storeName, stores) => new CompositeReadOnlySessionStore<K, V>(storeName, stores),
  };
}

/**
 * @example
 * const counts = streams.store(StoreQueryParameters.fromNameAndType('counts', QueryableStoreTypes.keyValueStore<string, number>()));
 * counts.get('kafka'); // 42, read through the record cache
 */
export const QueryableStoreTypes = {
  /** Key-value stores, timestamped or not (values without their timestamps). */
  keyValueStore: keyValueType,
  /** Timestamped key-value stores (the DSL's), values as `ValueAndTimestamp`. */
  timestampedKeyValueStore: timestampedKeyValueType,
  /** Window stores, timestamped or not (values without their timestamps). */
  windowStore: windowType,
  /** Timestamped window stores (the DSL's), values as `ValueAndTimestamp`. */
  timestampedWindowStore: timestampedWindowType,
  /** Session stores. */
  sessionStore: sessionType,
} as const;

