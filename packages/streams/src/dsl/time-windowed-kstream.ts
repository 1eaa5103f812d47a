/**
 * `TimeWindowedKStream`: a grouped stream cut into time windows (`TimeWindows`) or sliding windows
 * (`SlidingWindows`). Aggregations produce a `KTable<Windowed<K>, VA>`: one row per key and window.
 */
import type { Aggregator, Initializer, Reducer } from '../processor/operators/functions';
import type { KTable } from './ktable';
import type { Materialized } from './materialized';
import type { Named } from './named';
import type { EmitStrategy } from './windows/emit-strategy';
import type { Windowed } from './windows/windowed';

export interface TimeWindowedKStream<K, V> {
  /**
   * Counts records per key and window.
   * @example stream.groupByKey().windowedBy(TimeWindows.ofSizeWithNoGrace(60_000)).count(Materialized.as('per-minute'))
   */
  count(named?: Named | Materialized<K, number>, materialized?: Materialized<K, number>): KTable<Windowed<K>, number>;
  /** Folds values per key and window into an aggregate started by the initializer. */
  aggregate<VA>(
    initializer: Initializer<VA>,
    aggregator: Aggregator<K, V, VA>,
    named?: Named | Materialized<K, VA>,
    materialized?: Materialized<K, VA>,
  ): KTable<Windowed<K>, VA>;
  /** Combines values per key and window; the first value of a window starts it. */
  reduce(reducer: Reducer<V>, named?: Named | Materialized<K, V>, materialized?: Materialized<K, V>): KTable<Windowed<K>, V>;
  /** When results are emitted: on every update (default) or once per window when it closes. */
  emitStrategy(emitStrategy: EmitStrategy): TimeWindowedKStream<K, V>;
}
