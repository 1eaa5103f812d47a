/**
 * `KStream`: an unbounded stream of records, each independent. Every operator returns a new handle; nothing
 * runs until the topology is built and started. Names, argument order and semantics follow Kafka Streams.
 */
import type { FixedKeyProcessorSupplier, ProcessorSupplier } from '../processor/api';
import type { TopicNameExtractor } from '../processor/processor-node';
import type { FlatMapper, ForeachAction, KeyValueMapper, Predicate, ValueMapperWithKey } from '../processor/operators/functions';
import type { ValueJoiner, ValueJoinerWithKey } from '../processor/operators/kstream-ktable-join';
import type { KeyValue } from '../state/state-store';
import type { Joined } from './joined';
import type { GlobalKTable } from './global-ktable';
import type { StreamJoined } from './stream-joined';
import type { JoinWindows } from './windows/join-windows';
import type { BranchedKStream } from './branched-kstream';
import type { Grouped } from './grouped';
import type { KGroupedStream } from './kgrouped-stream';
import type { KTable } from './ktable';
import type { Materialized } from './materialized';
import type { Named } from './named';
import type { Produced } from './produced';
import type { Repartitioned } from './repartitioned';

export interface KStream<K, V> {
  /** Keeps records whose predicate holds. Stateless. @example stream.filter((k, v) => v > 0) */
  filter(predicate: Predicate<K, V>, named?: Named): KStream<K, V>;
  /** Drops records whose predicate holds. Stateless. @see filter */
  filterNot(predicate: Predicate<K, V>, named?: Named): KStream<K, V>;
  /**
   * A new key and value per record: the mapper returns a `KeyValue` — an object `{ key, value }` (or
   * `keyValue(key, value)`, Java's `KeyValue.pair`), not a tuple. Marks the stream for repartitioning before
   * grouping or joining. To change only the value use `mapValues`; only the key, `selectKey`.
   * @example stream.map((k, v) => ({ key: v.userId, value: v.amount }))
   * @example stream.map((k, v) => keyValue(v, k))
   */
  map<KR, VR>(mapper: KeyValueMapper<K, V, KeyValue<KR, VR>>, named?: Named): KStream<KR, VR>;
  /**
   * A new value per record, key unchanged (no repartition). A one-argument mapper gets the value; a
   * two-argument mapper gets `(readOnlyKey, value)`, like Java's ValueMapperWithKey.
   * @example stream.mapValues((v) => v.toUpperCase())
   */
  mapValues<VR>(mapper: (value: V) => VR, named?: Named): KStream<K, VR>;
  mapValues<VR>(mapper: ValueMapperWithKey<K, V, VR>, named?: Named): KStream<K, VR>;
  /** Zero or more records per record, with new keys (marks for repartitioning). */
  flatMap<KR, VR>(mapper: FlatMapper<K, V, KR, VR>, named?: Named): KStream<KR, VR>;
  /** Zero or more values per record, key unchanged. @example lines.flatMapValues((v) => v.toLowerCase().split(/\W+/)) */
  flatMapValues<VR>(mapper: (value: V) => Iterable<VR>, named?: Named): KStream<K, VR>;
  flatMapValues<VR>(mapper: ValueMapperWithKey<K, V, Iterable<VR>>, named?: Named): KStream<K, VR>;
  /** A new key per record, value unchanged (marks for repartitioning). */
  selectKey<KR>(mapper: KeyValueMapper<K, V, KR>, named?: Named): KStream<KR, V>;
  /** Runs an action per record and passes records on unchanged. */
  peek(action: ForeachAction<K, V>, named?: Named): KStream<K, V>;
  /** Runs an action per record (terminal). */
  foreach(action: ForeachAction<K, V>, named?: Named): void;
  /** Splits the stream into branches by predicates (`branch(...)`, then `defaultBranch()`/`noDefaultBranch()`). */
  split(named?: Named): BranchedKStream<K, V>;
  /** Both streams' records in one stream. */
  merge(stream: KStream<K, V>, named?: Named): KStream<K, V>;
  /** Writes to a topic, or to a topic chosen per record. Terminal. */
  to(topic: string | TopicNameExtractor<K, V>, produced?: Produced<K, V>): void;
  /** Writes through an internal topic managed by the application (new partitioning, new partition count). */
  repartition(repartitioned?: Repartitioned<K, V>): KStream<K, V>;
  /** The stream as a table of latest values per key (always materialized). */
  toTable(named?: Named | Materialized<K, V>, materialized?: Materialized<K, V>): KTable<K, V>;
  /** Runs a Processor-API processor; stores are connected by name. The result may have new keys. */
  process<KOut, VOut>(supplier: ProcessorSupplier<K, V, KOut, VOut>, ...namedOrStores: Array<Named | string>): KStream<KOut, VOut>;
  /** Runs a processor that keeps keys unchanged. */
  processValues<VOut>(supplier: FixedKeyProcessorSupplier<K, V, VOut>, ...namedOrStores: Array<Named | string>): KStream<K, VOut>;
  /** Groups by the current key (repartitions first when the key was changed upstream). */
  groupByKey(grouped?: Grouped<K, V>): KGroupedStream<K, V>;
  /** Groups by a new key; always repartitions. @example words.groupBy((k, word) => word) */
  groupBy<KR>(selector: KeyValueMapper<K, V, KR>, grouped?: Grouped<KR, V>): KGroupedStream<KR, V>;
  /**
   * Joins each record with the table's current value for its key (inner join: records without a match are
   * dropped). Only stream records trigger output. Repartitions first when the key was changed upstream.
   * The joiner gets `(value, tableValue)` or `(readOnlyKey, value, tableValue)`.
   * @example orders.join(customers, (order, customer) => ({ ...order, customer }))
   */
  join<VO, VR>(table: KTable<K, VO>, joiner: ValueJoiner<V, VO, VR>, joined?: Joined<K, V, VO>): KStream<K, VR>;
  join<VO, VR>(table: KTable<K, VO>, joiner: ValueJoinerWithKey<K, V, VO, VR>, joined?: Joined<K, V, VO>): KStream<K, VR>;
  /**
   * Joins records of two streams whose keys are equal and whose timestamps are at most the windows apart; each
   * match is forwarded with the larger timestamp. Repartitions key-changed sides first.
   * @example orders.join(payments, (o, p) => `${o}/${p}`, JoinWindows.ofTimeDifferenceWithNoGrace(60_000))
   */
  join<VO, VR>(other: KStream<K, VO>, joiner: ValueJoiner<V, VO, VR>, windows: JoinWindows, streamJoined?: StreamJoined<K, V, VO>): KStream<K, VR>;
  join<VO, VR>(other: KStream<K, VO>, joiner: ValueJoinerWithKey<K, V, VO, VR>, windows: JoinWindows, streamJoined?: StreamJoined<K, V, VO>): KStream<K, VR>;
  /**
   * Joins each record with the global table's row for the key `keySelector` picks (any key: no repartition or
   * co-partitioning). Records without a match are dropped.
   * @example orders.join(products, (orderId, o) => o.productId, (o, p) => ({ ...o, product: p }))
   */
  join<KG, VG, VR>(globalTable: GlobalKTable<KG, VG>, keySelector: KeyValueMapper<K, V, KG>, joiner: ValueJoiner<V, VG, VR>, named?: Named): KStream<K, VR>;
  join<KG, VG, VR>(globalTable: GlobalKTable<KG, VG>, keySelector: KeyValueMapper<K, V, KG>, joiner: ValueJoinerWithKey<K, V, VG, VR>, named?: Named): KStream<K, VR>;
  /** As `join(table)`, but a record without a match is joined with `null`. */
  leftJoin<VO, VR>(table: KTable<K, VO>, joiner: ValueJoiner<V, VO | null, VR>, joined?: Joined<K, V, VO>): KStream<K, VR>;
  leftJoin<VO, VR>(table: KTable<K, VO>, joiner: ValueJoinerWithKey<K, V, VO | null, VR>, joined?: Joined<K, V, VO>): KStream<K, VR>;
  /**
   * As `join(stream, …)`, but a record of this stream without a match in its window is joined with `null` —
   * emitted once its window has closed (stream time past window end plus grace), never before.
   */
  leftJoin<VO, VR>(other: KStream<K, VO>, joiner: ValueJoiner<V, VO | null, VR>, windows: JoinWindows, streamJoined?: StreamJoined<K, V, VO>): KStream<K, VR>;
  leftJoin<VO, VR>(other: KStream<K, VO>, joiner: ValueJoinerWithKey<K, V, VO | null, VR>, windows: JoinWindows, streamJoined?: StreamJoined<K, V, VO>): KStream<K, VR>;
  /** As `join(globalTable, …)`, but a record without a match is joined with `null`. */
  leftJoin<KG, VG, VR>(globalTable: GlobalKTable<KG, VG>, keySelector: KeyValueMapper<K, V, KG>, joiner: ValueJoiner<V, VG | null, VR>, named?: Named): KStream<K, VR>;
  leftJoin<KG, VG, VR>(globalTable: GlobalKTable<KG, VG>, keySelector: KeyValueMapper<K, V, KG>, joiner: ValueJoinerWithKey<K, V, VG | null, VR>, named?: Named): KStream<K, VR>;
  /** As `leftJoin(stream, …)`, for unmatched records of both sides. */
  outerJoin<VO, VR>(other: KStream<K, VO>, joiner: ValueJoiner<V | null, VO | null, VR>, windows: JoinWindows, streamJoined?: StreamJoined<K, V, VO>): KStream<K, VR>;
  outerJoin<VO, VR>(other: KStream<K, VO>, joiner: ValueJoinerWithKey<K, V | null, VO | null, VR>, windows: JoinWindows, streamJoined?: StreamJoined<K, V, VO>): KStream<K, VR>;
}
