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
import type { SessionWindows } from './windows/session-windows';
import type { SlidingWindows } from './windows/sliding-windows';
import type { Merger } from '../processor/operators/kstream-session-window-aggregate';

export interface CogroupedKStream<K, VOut> {
  /** Adds another grouped stream with its aggregator. @example a.cogroup(sumA).cogroup(b, sumB).aggregate(() => 0) */
  cogroup<VIn>(groupedStream: KGroupedStream<K, VIn>, aggregator: Aggregator<K, VIn, VOut>): CogroupedKStream<K, VOut>;
  /** Aggregates every cogrouped stream into one table, starting each key from `initializer()`. */
  aggregate(initializer: Initializer<VOut>, named?: Named | Materialized<K, VOut>, materialized?: Materialized<K, VOut>): KTable<K, VOut>;
  /** Aggregates per time window (`TimeWindows`, `SlidingWindows`, `UnlimitedWindows`) or per session. */
  windowedBy(windows: TimeWindowsLike | SlidingWindows): TimeWindowedCogroupedKStream<K, VOut>;
  windowedBy(windows: SessionWindows): SessionWindowedCogroupedKStream<K, VOut>;
}

/** `SessionWindowedCogroupedKStream`: the session-windowed form of a cogrouped aggregation. */
export interface SessionWindowedCogroupedKStream<K, VOut> {
  aggregate(initializer: Initializer<VOut>, sessionMerger: Merger<K, VOut>, named?: Named | Materialized<K, VOut>, materialized?: Materialized<K, VOut>): KTable<Windowed<K>, VOut>;
}

/** `TimeWindowedCogroupedKStream`: the windowed form of a cogrouped aggregation. */
export interface TimeWindowedCogroupedKStream<K, VOut> {
  aggregate(initializer: Initializer<VOut>, named?: Named | Materialized<K, VOut>, materialized?: Materialized<K, VOut>): KTable<Windowed<K>, VOut>;
}

/** Fixed windows: `TimeWindows` or `UnlimitedWindows`. */
export type TimeWindowsLike = import('./windows/time-windows').TimeWindows | import('./windows/unlimited-windows').UnlimitedWindows;
