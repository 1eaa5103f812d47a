/**
 * `KGroupedStream.reduce`: combines each record's value into its key's running value; the first value is taken
 * as is. It is the aggregate processor without an initializer.
 */
import type { Reducer } from './functions';
import { KStreamAggregateSupplier } from './kstream-aggregate';

export class KStreamReduceSupplier<K, V> extends KStreamAggregateSupplier<K, V, V> {
  constructor(storeName: string, reducer: Reducer<V>) {
    super(storeName, null, (_key, value, aggregate) => reducer(aggregate, value));
  }
}
