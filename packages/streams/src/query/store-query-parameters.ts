/**
 * `StoreQueryParameters`: which store to query, as which type, and how (Kafka's class of that name, KIP-562):
 * `withPartition(p)` narrows the view to one local partition, `enableStaleStores()` also serves stores that are
 * restoring (and answers during a rebalance). Immutable: each call returns a new object.
 */
import { IllegalArgumentException } from '../errors';
import type { QueryableStoreType } from './queryable-store-types';

export class StoreQueryParameters<T> {
  private constructor(
    readonly name: string,
    readonly type: QueryableStoreType<T>,
    readonly partitionNumber: number | null,
    readonly staleStores: boolean,
  ) {}

  /**
   * @example
   * const counts = streams.store(StoreQueryParameters.fromNameAndType('counts', QueryableStoreTypes.keyValueStore<string, number>()));
   */
  static fromNameAndType<T>(storeName: string, queryableStoreType: QueryableStoreType<T>): StoreQueryParameters<T> {
    if (typeof storeName !== 'string' || storeName === '') throw new IllegalArgumentException('storeName must be a non-empty string');
    if (queryableStoreType === null || typeof queryableStoreType !== 'object' || typeof queryableStoreType.accepts !== 'function') {
      throw new IllegalArgumentException(`queryableStoreType of store ${storeName} must come from QueryableStoreTypes`);
    }
    return new StoreQueryParameters(storeName, queryableStoreType, null, false);
  }

  /** Only the store of this partition (its task must be local). */
  withPartition(partition: number | null): StoreQueryParameters<T> {
    if (partition !== null && (!Number.isInteger(partition) || partition < 0)) {
      throw new IllegalArgumentException(`partition of store ${this.name} must be a non-negative integer or null; got ${String(partition)}`);
    }
    return new StoreQueryParameters(this.name, this.type, partition, this.staleStores);
  }

  /** Also query stores that are restoring, and query during a rebalance (values may be stale). */
  enableStaleStores(): StoreQueryParameters<T> {
    return new StoreQueryParameters(this.name, this.type, this.partitionNumber, true);
  }

  storeName(): string {
    return this.name;
  }

  queryableStoreType(): QueryableStoreType<T> {
    return this.type;
  }

  partition(): number | null {
    return this.partitionNumber;
  }

  staleStoresEnabled(): boolean {
    return this.staleStores;
  }
}
