/**
 * `KTable`: a changelog stream seen as a table — the latest value per key; a null value deletes the key.
 */
import type { KeyValueMapper, Predicate, ValueMapperWithKey } from '../processor/operators/functions';
import type { ValueJoiner } from '../processor/operators/kstream-ktable-join';
import type { KeyValue } from '../state/state-store';
import type { Grouped } from './grouped';
import type { KGroupedTable } from './kgrouped-table';
import type { KStream } from './kstream';
import type { Materialized } from './materialized';
import type { Named } from './named';
import type { Suppressed } from './windows/suppressed';
import type { TableJoined } from './table-joined';

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
  /**
   * Joins two tables on their keys: an update on either side emits the joined row (a delete when either side
   * is gone), timestamped with the later of the two rows.
   * @example orders.join(customers, (o, c) => ({ ...o, customer: c.name }))
   */
  join<VO, VR>(other: KTable<K, VO>, joiner: ValueJoiner<V, VO, VR>, named?: Named | Materialized<K, VR>, materialized?: Materialized<K, VR>): KTable<K, VR>;
  /**
   * Foreign-key join: each row of this table is joined with the row of `other` whose key
   * `foreignKeyExtractor(value)` (or, with two parameters, `(key, value)`) gives. The result is keyed as this
   * table; an update on either side re-joins the affected rows; a row whose foreign key is null or missing in
   * `other` has no result (a tombstone when it had one). Runs through two internal topics (subscription
   * registration and response) and a subscription store, as Kafka Streams.
   * @example orders.join(customers, (o) => o.customerId, (o, c) => ({ ...o, customer: c.name }))
   */
  join<KO, VO, VR>(
    other: KTable<KO, VO>,
    foreignKeyExtractor: (value: V) => KO | null,
    joiner: ValueJoiner<V, VO, VR>,
    tableJoined?: TableJoined<K, NoInfer<KO>> | Materialized<K, VR>,
    materialized?: Materialized<K, VR>,
  ): KTable<K, VR>;
  /** With a foreign-key extractor of `(key, value)` (Kafka 4.0's `BiFunction` overloads). */
  join<KO, VO, VR>(
    other: KTable<KO, VO>,
    foreignKeyExtractor: (key: K, value: V) => KO | null,
    joiner: ValueJoiner<V, VO, VR>,
    tableJoined?: TableJoined<K, NoInfer<KO>> | Materialized<K, VR>,
    materialized?: Materialized<K, VR>,
  ): KTable<K, VR>;
  /** As `join`, keeping every row of this table (joined with `null` when the other lacks the key). */
  leftJoin<VO, VR>(other: KTable<K, VO>, joiner: ValueJoiner<V, VO | null, VR>, named?: Named | Materialized<K, VR>, materialized?: Materialized<K, VR>): KTable<K, VR>;
  /** Foreign-key left join: as the foreign-key `join`, keeping every row of this table (`null` for a null or missing foreign row). */
  leftJoin<KO, VO, VR>(
    other: KTable<KO, VO>,
    foreignKeyExtractor: (value: V) => KO | null,
    joiner: ValueJoiner<V, VO | null, VR>,
    tableJoined?: TableJoined<K, NoInfer<KO>> | Materialized<K, VR>,
    materialized?: Materialized<K, VR>,
  ): KTable<K, VR>;
  /** With a foreign-key extractor of `(key, value)` (Kafka 4.0's `BiFunction` overloads). */
  leftJoin<KO, VO, VR>(
    other: KTable<KO, VO>,
    foreignKeyExtractor: (key: K, value: V) => KO | null,
    joiner: ValueJoiner<V, VO | null, VR>,
    tableJoined?: TableJoined<K, NoInfer<KO>> | Materialized<K, VR>,
    materialized?: Materialized<K, VR>,
  ): KTable<K, VR>;
  /** As `join`, keeping every row of either table (`null` for the missing side). */
  outerJoin<VO, VR>(other: KTable<K, VO>, joiner: ValueJoiner<V | null, VO | null, VR>, named?: Named | Materialized<K, VR>, materialized?: Materialized<K, VR>): KTable<K, VR>;
}
