/**
 * Reads a store's operation counters (kept by its metered layer) and size into the shape `StreamsMetrics` turns
 * into Kafka's `stream-state-metrics`, without the metrics module knowing every store class.
 */
import type { StateStore } from '../state/state-store';

type OperationStats = { readonly count: number; readonly totalTimeMs: number; readonly maxTimeMs?: number };

/** Kafka's operation names in metric names (`put-if-absent-rate`, `prefix-scan-rate`, …). */
function kafkaOperation(op: string): string {
  return op.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** The metrics view of one store, or `null` when it has no metered layer. */
export function storeMetrics(store: StateStore): { name: string; scope: string; operations: { [op: string]: OperationStats }; size: number | null } | null {
  const m = (store as { metrics?: { scope?: unknown; [op: string]: unknown } }).metrics;
  if (!m || typeof m.scope !== 'string') return null;
  const operations: { [op: string]: OperationStats } = {};
  for (const [op, v] of Object.entries(m)) {
    if (op === 'scope') continue;
    if (typeof v === 'number') operations[kafkaOperation(op)] = { count: v, totalTimeMs: 0 };
    else if (v !== null && typeof v === 'object' && typeof (v as OperationStats).count === 'number') operations[kafkaOperation(op)] = v as OperationStats;
  }
  const sized = store as { approximateNumEntries?: () => number; isOpen(): boolean };
  const size = typeof sized.approximateNumEntries === 'function' && store.isOpen() ? sized.approximateNumEntries() : null;
  return { name: store.name, scope: m.scope, operations, size };
}
