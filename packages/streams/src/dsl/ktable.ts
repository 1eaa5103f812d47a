/**
 * `KTable`: a changelog stream seen as a table — the latest value per key; a null value deletes the key.
 */
import type { KeyValueMapper, Predicate, ValueMapperWithKey } from '../processor/operators/functions';
import type { KeyValue } from '../state/state-store';
import type { Grouped } from './grouped';
import type { KGroupedTable } from './kgrouped-table';
import type { KStream } from './kstream';
import type { Materialized } from './materialized';
import type { Named } from './named';
import type { Suppressed } from './windows/suppressed';

export interface KTable<K, V> {
  /** Keeps rows whose predicate holds; a row that stops matching is deleted downstream (tombstone). */
  filter(predicate: Predicate<K, V>, named?: Named | Materialized<K, V>, materialized?: Materialized<K, V>): KTable<K, V>;
  /** Drops rows whose predicate holds (tombstones for them). @see filter */
  filterNot(predicate: Predicate<K, V>, named?: Named | Materialized<K, V>, materialized?: Materialized<K, V>): KTable<K, V>;
  /** Maps each row's value; a one-argument mapper gets the value, a two-argument one `(readOnlyKey, value)`. */
  mapValues<VR>(mapper: (value: V) => VR, named?: Named | Materialized<K, VR>, materialized?: Materialized<K, VR>): KTable<K, VR>;
  mapValues<VR>(mapper: ValueMapperWithKey<K, V, VR>, named?: Named | Materialized<K, VR>, materialized?: Materialized<K, VR>): KTable<K, VR>;
  /** The table's changelog as a stream: updates, and deletes as records with a `null` value (tombstones). */
  toStream(named?: Named): KStream<K, V>;
  /** Re-groups the rows by a new key for aggregation (always repartitions). */
  groupBy<KR, VR>(selector: KeyValueMapper<K, V, KeyValue<KR, VR>>, grouped?: Grouped<KR, VR>): KGroupedTable<KR, VR>;
  /** The queryable store name, or null if the table is not materialized under a name. */
  queryableStoreName(): string | null;
  /**
   * Holds back updates: `Suppressed.untilWindowCloses(...)` emits only each window's final result (windowed
   * tables only); `Suppressed.untilTimeLimit(d, ...)` emits a key's latest value `d` after its first update.
   * @example counts.suppress(Suppressed.untilWindowCloses(BufferConfig.unbounded())).toStream()
   */
  suppress(suppressed: Suppressed<K>): KTable<K, V>;
}
