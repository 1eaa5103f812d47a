/** `KGroupedStream`: a stream grouped by key, ready for aggregation into a `KTable`. */
import type { Aggregator, Initializer, Reducer } from '../processor/operators/functions';
import type { CogroupedKStream } from './cogrouped-kstream';
import type { KTable } from './ktable';
import type { Materialized } from './materialized';
import type { Named } from './named';
import type { SessionWindowedKStream } from './session-windowed-kstream';
import type { TimeWindowedKStream } from './time-windowed-kstream';
import type { SessionWindows } from './windows/session-windows';
import type { SlidingWindows } from './windows/sliding-windows';
import type { TimeWindows } from './windows/time-windows';
import type { UnlimitedWindows } from './windows/unlimited-windows';

export interface KGroupedStream<K, V> {
  /** Counts records per key. @example words.groupBy((k, w) => w).count(Materialized.as('counts-store')) */
  count(named?: Named | Materialized<K, number>, materialized?: Materialized<K, number>): KTable<K, number>;
  /** Combines values per key; the first value starts the aggregate. */
  reduce(reducer: Reducer<V>, named?: Named | Materialized<K, V>, materialized?: Materialized<K, V>): KTable<K, V>;
  /** Folds values per key into an aggregate started by the initializer. */
  aggregate<VA>(initializer: Initializer<VA>, aggregator: Aggregator<K, V, VA>, named?: Named | Materialized<K, VA>, materialized?: Materialized<K, VA>): KTable<K, VA>;
  /**
   * Groups records further into windows: `TimeWindows` (tumbling, hopping) or `SlidingWindows` give a
   * `TimeWindowedKStream`, `SessionWindows` a `SessionWindowedKStream`; their aggregations key results by `Windowed<K>`.
   * @example stream.groupByKey().windowedBy(TimeWindows.ofSizeAndGrace(300_000, 60_000)).count()
   */
  windowedBy(windows: TimeWindows | SlidingWindows | UnlimitedWindows): TimeWindowedKStream<K, V>;
  windowedBy(windows: SessionWindows): SessionWindowedKStream<K, V>;
  /**
   * Starts aggregating several grouped streams into one table: this stream with `aggregator`, more with
   * `cogroup(stream, aggregator)`, then `aggregate(initializer)`.
   * @example clicks.cogroup(addClick).cogroup(views, addView).aggregate(() => ({ clicks: 0, views: 0 }))
   */
  cogroup<VOut>(aggregator: Aggregator<K, V, VOut>): CogroupedKStream<K, VOut>;
}
