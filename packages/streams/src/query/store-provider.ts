/**
 * Finds the local instances of a store for a query (Kafka's `StreamThreadStateStoreProvider` and
 * `WrappingStoreProvider`). Composite views call it on every operation, so a view obtained once keeps working
 * across rebalances and fails with a typed, retryable error while its store is not queryable here.
 */
import {
  InvalidStateStoreException,
  InvalidStateStorePartitionException,
  StateStoreMigratedException,
  StateStoreNotAvailableException,
  StreamsRebalancingException,
} from '../errors';
import type { StateStore } from '../state/state-store';
import type { StoreQueryParameters } from './store-query-parameters';

/** One local task as the query layer sees it. */
export interface QueryableTask {
  readonly id: string;
  readonly partition: number;
  /** `RUNNING` tasks serve queries; `RESTORING` ones only with stale stores enabled. */
  readonly state: 'RESTORING' | 'RUNNING' | 'CLOSED';
  /** A standby task (a shadow copy kept from the changelog): queried only with stale stores enabled, as Kafka. */
  readonly standby?: boolean;
  store(name: string): StateStore | undefined;
}

/** What the provider reads of the running instance. */
export interface QueryRuntimeView {
  /** The KafkaStreams client state (`State` values). */
  state(): string;
  /** The local tasks now, active and standby. */
  tasks(): Iterable<QueryableTask>;
}

export class StoreProvider {
  /** Adapted views per store type and store, so a get does not rebuild facades. */
  readonly #adapted = new WeakMap<object, WeakMap<StateStore, unknown>>();

  constructor(private readonly runtime: QueryRuntimeView) {}

  #adapt<T>(type: StoreQueryParameters<T>['type'], store: StateStore): T {
    let byStore = this.#adapted.get(type);
    if (byStore === undefined) {
      byStore = new WeakMap();
      this.#adapted.set(type, byStore);
    }
    let view = byStore.get(store) as T | undefined;
    if (view === undefined) {
      view = type.adapt(store);
      byStore.set(store, view);
    }
    return view;
  }

  /** The local stores for the parameters, each adapted by the store type; throws when none may be queried now. */
  stores<T>(params: StoreQueryParameters<T>): T[] {
    const storeName = params.storeName();
    const type = params.queryableStoreType();
    const state = this.runtime.state();
    if (state === 'PENDING_SHUTDOWN' || state === 'NOT_RUNNING' || state === 'PENDING_ERROR' || state === 'ERROR') {
      throw new StateStoreNotAvailableException(`State store ${storeName} is not available: KafkaStreams is not running. State is ${state}.`);
    }
    const stale = params.staleStoresEnabled();
    if (!stale && state !== 'RUNNING') {
      throw new StreamsRebalancingException(`Cannot get state store ${storeName} because the stream thread is ${state}, not RUNNING`);
    }
    const partition = params.partition();
    const out: T[] = [];
    for (const task of this.runtime.tasks()) {
      if (task.state === 'CLOSED' || ((task.state === 'RESTORING' || task.standby === true) && !stale)) continue;
      if (partition !== null && task.partition !== partition) continue;
      const store = task.store(storeName);
      if (store === undefined) continue;
      if (!type.accepts(store)) {
        throw new InvalidStateStoreException(
          `Cannot get state store ${storeName} because the queryable store type [${type.name}] does not accept the actual store type [${store.constructor.name}].`,
        );
      }
      if (!store.isOpen()) {
        throw new StateStoreMigratedException(
          `Cannot get state store ${storeName} for task ${task.id} because the store is not open. The state store may have migrated to another instance.`,
        );
      }
      out.push(this.#adapt(type, store));
      if (partition !== null) break;
    }
    if (out.length === 0) {
      if (partition !== null) throw new InvalidStateStorePartitionException(`The specified partition ${partition} for store ${storeName} does not exist.`);
      throw new StateStoreMigratedException(`The state store, ${storeName}, may have migrated to another instance.`);
    }
    return out;
  }
}
