/**
 * The merge of a cogrouped aggregation (Kafka's `KTablePassThrough`): forwards the table updates of every
 * cogrouped stream's aggregate processor; they share one store, which this table's getter reads.
 */
import type { Processor, ProcessorContext } from '../api';
import type { Change } from './change';
import { storeValueGetterSupplier, type KTableValueGetterSupplier } from './ktable-value-getter';

export class KTablePassThroughSupplier<K, V> {
  constructor(
    private readonly parents: ReadonlyArray<{ enableSendingOldValues(force: boolean): boolean }>,
    private readonly storeName: string,
  ) {}

  /** Aggregations are always materialized: every parent can send old values. */
  enableSendingOldValues(): boolean {
    for (const p of this.parents) p.enableSendingOldValues(true);
    return true;
  }

  view(): KTableValueGetterSupplier<K, V> {
    return storeValueGetterSupplier<K, V>(this.storeName);
  }

  get(): Processor<K, Change<V>, K, Change<V>> {
    let context!: ProcessorContext<K, Change<V>>;
    return {
      init: (c) => {
        context = c;
      },
      process: (record) => context.forward(record),
    };
  }
}
