/**
 * `CogroupedKStream`: several grouped streams (of one key type, different value types) aggregated into one
 * table, each stream with its own aggregator and one shared initializer and store (Kafka's `CogroupedKStream`).
 */
import type { Aggregator, Initializer } from '../processor/operators/functions';
import type { KGroupedStream } from './kgrouped-stream';
import type { KTable } from './ktable';
import type { Materialized } from './materialized';
import type { Named } from './named';
import type { Windowed } from './windows/windowed';

export interface CogroupedKStream<K, VOut> {
  /** Adds another grouped stream with its aggregator. @example a.cogroup(sumA).cogroup(b, sumB).aggregate(() => 0) */
  cogroup<VIn>(groupedStream: KGroupedStream<K, VIn>, aggregator: Aggregator<K, VIn, VOut>): CogroupedKStream<K, VOut>;
  /** Aggregates every cogrouped stream into one table, starting each key from `initializer()`. */
  aggregate(initializer: Initializer<VOut>, named?: Named | Materialized<K, VOut>, materialized?: Materialized<K, VOut>): KTable<K, VOut>;
  /** Aggregates per time window (`TimeWindows` or `UnlimitedWindows`). */
  windowedBy(windows: TimeWindowsLike): TimeWindowedCogroupedKStream<K, VOut>;
}

/** `TimeWindowedCogroupedKStream`: the windowed form of a cogrouped aggregation. */
export interface TimeWindowedCogroupedKStream<K, VOut> {
  aggregate(initializer: Initializer<VOut>, named?: Named | Materialized<K, VOut>, materialized?: Materialized<K, VOut>): KTable<Windowed<K>, VOut>;
}

/** Fixed windows: `TimeWindows` or `UnlimitedWindows`. */
export type TimeWindowsLike = import('./windows/time-windows').TimeWindows | import('./windows/unlimited-windows').UnlimitedWindows;
