/**
 * `KTable.filter` / `filterNot`: an update whose new value fails the predicate is forwarded as a tombstone,
 * so downstream tables delete the key (Kafka Streams' semantics).
 */
import type { Processor } from '../api';
import type { Change } from './change';
import type { Predicate } from './functions';
import type { KTableParent } from './ktable-parent';
import { KTableValueProcessor, KTableValueSupplier } from './ktable-value-processor';

export class KTableFilterSupplier<K, V> extends KTableValueSupplier<K, V, V> {
  constructor(
    parent: KTableParent,
    private readonly predicate: Predicate<K, V>,
    private readonly filterNot: boolean,
    queryableName: string | null,
  ) {
    super(parent, queryableName);
  }

  get(): Processor<K, Change<V>, K, Change<V>> {
    return new KTableFilter(this.predicate, this.filterNot, this.queryableName, this.sendOldValues);
  }

  protected computeValue(key: K, value: V): V | null {
    return this.predicate(key, value) !== this.filterNot ? value : null;
  }
}

class KTableFilter<K, V> extends KTableValueProcessor<K, V, V> {
  constructor(
    private readonly predicate: Predicate<K, V>,
    private readonly filterNot: boolean,
    queryableName: string | null,
    sendOldValues: boolean,
  ) {
    super(queryableName, sendOldValues, true);
  }

  protected compute(key: K, value: V | null): V | null {
    if (value === null) return null;
    return this.predicate(key, value) !== this.filterNot ? value : null;
  }
}
