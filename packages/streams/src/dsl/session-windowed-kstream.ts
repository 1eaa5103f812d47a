/**
 * `SessionWindowedKStream`: a grouped stream cut into per-key sessions of activity (`SessionWindows`).
 * Aggregations produce a `KTable<Windowed<K>, VA>`; when sessions merge, the replaced sessions are deleted
 * (tombstones) and the merged session is emitted.
 */
import type { Aggregator, Initializer, Reducer } from '../processor/operators/functions';
import type { Merger } from '../processor/operators/kstream-session-window-aggregate';
import type { KTable } from './ktable';
import type { Materialized } from './materialized';
import type { Named } from './named';
import type { EmitStrategy } from './windows/emit-strategy';
import type { Windowed } from './windows/windowed';

export interface SessionWindowedKStream<K, V> {
  /** Counts records per session. */
  count(named?: Named | Materialized<K, number>, materialized?: Materialized<K, number>): KTable<Windowed<K>, number>;
  /**
   * Folds values per session; `merger` combines the aggregates of sessions that a record joins together.
   * @example sessions.aggregate(() => 0, (k, v, agg) => agg + v, (k, a, b) => a + b)
   */
  aggregate<VA>(
    initializer: Initializer<VA>,
    aggregator: Aggregator<K, V, VA>,
    merger: Merger<K, VA>,
    named?: Named | Materialized<K, VA>,
    materialized?: Materialized<K, VA>,
  ): KTable<Windowed<K>, VA>;
  /** Combines values per session (also used to merge sessions). */
  reduce(reducer: Reducer<V>, named?: Named | Materialized<K, V>, materialized?: Materialized<K, V>): KTable<Windowed<K>, V>;
  /** When results are emitted: on every update (default) or once per session when it closes. */
  emitStrategy(emitStrategy: EmitStrategy): SessionWindowedKStream<K, V>;
}
