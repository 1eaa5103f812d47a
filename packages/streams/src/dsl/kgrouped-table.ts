/** `KGroupedTable`: table rows re-grouped by a new key; aggregations add new values and subtract old ones. */
import type { Aggregator, Initializer, Reducer } from '../processor/operators/functions';
import type { KTable } from './ktable';
import type { Materialized } from './materialized';
import type { Named } from './named';

export interface KGroupedTable<K, V> {
  count(named?: Named | Materialized<K, number>, materialized?: Materialized<K, number>): KTable<K, number>;
  reduce(adder: Reducer<V>, subtractor: Reducer<V>, named?: Named | Materialized<K, V>, materialized?: Materialized<K, V>): KTable<K, V>;
  aggregate<VA>(
    initializer: Initializer<VA>,
    adder: Aggregator<K, V, VA>,
    subtractor: Aggregator<K, V, VA>,
    named?: Named | Materialized<K, VA>,
    materialized?: Materialized<K, VA>,
  ): KTable<K, VA>;
}
