/** The `KStream` implementation: each operator adds graph nodes and returns a new immutable handle. */
import { TopologyException } from '../../errors';
import type { FixedKeyProcessorSupplier, ProcessorSupplier } from '../../processor/api';
import type { TopicNameExtractor } from '../../processor/processor-node';
import type { FlatMapper, ForeachAction, KeyValueMapper, Predicate, ValueMapperWithKey } from '../../processor/operators/functions';
import { withKey } from '../../processor/operators/functions';
import { KStreamFilter } from '../../processor/operators/kstream-filter';
import { KStreamFlatMap } from '../../processor/operators/kstream-flat-map';
import { KStreamFlatMapValues } from '../../processor/operators/kstream-flat-map-values';
import { KStreamMap } from '../../processor/operators/kstream-map';
import { KStreamMapValues } from '../../processor/operators/kstream-map-values';
import { KStreamPassThrough } from '../../processor/operators/kstream-pass-through';
import { KStreamPeek } from '../../processor/operators/kstream-peek';
import { KTableSourceSupplier } from '../../processor/operators/ktable-source';
import type { Serde, Serializer } from '../../serde/serde';
import type { KeyValue } from '../../state/state-store';
import type { BranchedKStream } from '../branched-kstream';
import type { GraphNode } from '../graph/graph-node';
import { outputNodeName } from '../graph/graph-node';
import { Grouped } from '../grouped';
import type { InternalStreamsBuilder } from '../internal-streams-builder';
import type { KGroupedStream } from '../kgrouped-stream';
import type { KStream } from '../kstream';
import type { KTable } from '../ktable';
import { Materialized } from '../materialized';
import { materializedInternal } from '../materialized';
import { Named } from '../named';
import { Produced } from '../produced';
import { Repartitioned } from '../repartitioned';
import { keyValueStoreBuilder } from '../store-materializer';
import { isWindowedSerializer, windowedStreamPartitioner } from '../windows/windowed-stream-partitioner';
import { BranchedKStreamImpl } from './branched-kstream-impl';
import { KGroupedStreamImpl } from './kgrouped-stream-impl';
import { KTableImpl } from './ktable-impl';
import { addRepartitionNode, repartitionNames } from './repartition';
import { joinerWithKey, type ValueJoiner, type ValueJoinerWithKey } from '../../processor/operators/kstream-ktable-join';
import type { Joined } from '../joined';
import type { JoinableStream } from './join-support';
import { streamGlobalTableJoin, streamTableJoin } from './stream-table-join';
import { GlobalKTableImpl } from './global-ktable-impl';
import type { GlobalKTable } from '../global-ktable';
import { streamStreamJoin } from './stream-stream-join';
import { JoinWindows } from '../windows/join-windows';
import { StreamJoined } from '../stream-joined';

/** A joiner given to a stream join: `(value, otherValue)` or `(readOnlyKey, value, otherValue)`. */
type StreamJoiner<K, V, VO, VR> = ValueJoiner<V, VO, VR> | ValueJoinerWithKey<K, V, VO, VR>;

type AnySupplier = ProcessorSupplier<unknown, unknown, unknown, unknown>;

export class KStreamImpl<K, V> implements KStream<K, V> {
  constructor(
    readonly builder: InternalStreamsBuilder,
    readonly node: GraphNode,
    readonly keySerde: Serde<K> | null,
    readonly valueSerde: Serde<V> | null,
    /** Set after a key-changing operation: grouping or joining must repartition first. */
    readonly repartitionRequired: boolean,
  ) {}

  /** The name children use as parent. */
  get name(): string {
    return outputNodeName(this.node);
  }

  #name(named: Named | undefined, prefix: string): string {
    return this.builder.nameOrGenerate(named?.name, prefix);
  }

  #addProcessor(name: string, supplier: AnySupplier, connectedStores: ReadonlyArray<string> = []): GraphNode {
    return this.builder.addNode([this.node], { kind: 'processor', name, supplier, storeBuilders: [], connectedStores });
  }

  #stream<K2, V2>(node: GraphNode, keySerde: Serde<K2> | null, valueSerde: Serde<V2> | null, repartitionRequired: boolean): KStreamImpl<K2, V2> {
    return new KStreamImpl<K2, V2>(this.builder, node, keySerde, valueSerde, repartitionRequired);
  }

  filter(predicate: Predicate<K, V>, named?: Named): KStream<K, V> {
    requireFunction(predicate, 'predicate');
    const node = this.#addProcessor(this.#name(named, 'KSTREAM-FILTER-'), () => new KStreamFilter(predicate, false) as never);
    return this.#stream(node, this.keySerde, this.valueSerde, this.repartitionRequired);
  }

  filterNot(predicate: Predicate<K, V>, named?: Named): KStream<K, V> {
    requireFunction(predicate, 'predicate');
    const node = this.#addProcessor(this.#name(named, 'KSTREAM-FILTER-'), () => new KStreamFilter(predicate, true) as never);
    return this.#stream(node, this.keySerde, this.valueSerde, this.repartitionRequired);
  }

  map<KR, VR>(mapper: KeyValueMapper<K, V, KeyValue<KR, VR>>, named?: Named): KStream<KR, VR> {
    requireFunction(mapper, 'mapper');
    const node = this.#addProcessor(this.#name(named, 'KSTREAM-MAP-'), () => new KStreamMap(mapper) as never);
    return this.#stream<KR, VR>(node, null, null, true);
  }

  mapValues<VR>(mapper: ((value: V) => VR) | ValueMapperWithKey<K, V, VR>, named?: Named): KStream<K, VR> {
    requireFunction(mapper, 'mapper');
    const f = withKey(mapper);
    const node = this.#addProcessor(this.#name(named, 'KSTREAM-MAPVALUES-'), () => new KStreamMapValues(f) as never);
    return this.#stream<K, VR>(node, this.keySerde, null, this.repartitionRequired);
  }

  flatMap<KR, VR>(mapper: FlatMapper<K, V, KR, VR>, named?: Named): KStream<KR, VR> {
    requireFunction(mapper, 'mapper');
    const node = this.#addProcessor(this.#name(named, 'KSTREAM-FLATMAP-'), () => new KStreamFlatMap(mapper) as never);
    return this.#stream<KR, VR>(node, null, null, true);
  }

  flatMapValues<VR>(mapper: ((value: V) => Iterable<VR>) | ValueMapperWithKey<K, V, Iterable<VR>>, named?: Named): KStream<K, VR> {
    requireFunction(mapper, 'mapper');
    const f = withKey(mapper);
    const node = this.#addProcessor(this.#name(named, 'KSTREAM-FLATMAPVALUES-'), () => new KStreamFlatMapValues(f) as never);
    return this.#stream<K, VR>(node, this.keySerde, null, this.repartitionRequired);
  }

  selectKey<KR>(mapper: KeyValueMapper<K, V, KR>, named?: Named): KStream<KR, V> {
    requireFunction(mapper, 'mapper');
    return this.#selectKey(mapper, this.#name(named, 'KSTREAM-KEY-SELECT-'));
  }

  #selectKey<KR>(mapper: KeyValueMapper<K, V, KR>, name: string): KStreamImpl<KR, V> {
    const node = this.#addProcessor(name, () => new KStreamMap<K, V, KR, V>((k, v) => ({ key: mapper(k, v), value: v })) as never);
    return this.#stream<KR, V>(node, null, this.valueSerde, true);
  }

  peek(action: ForeachAction<K, V>, named?: Named): KStream<K, V> {
    requireFunction(action, 'action');
    const node = this.#addProcessor(this.#name(named, 'KSTREAM-PEEK-'), () => new KStreamPeek(action, true) as never);
    return this.#stream(node, this.keySerde, this.valueSerde, this.repartitionRequired);
  }

  foreach(action: ForeachAction<K, V>, named?: Named): void {
    requireFunction(action, 'action');
    this.#addProcessor(this.#name(named, 'KSTREAM-FOREACH-'), () => new KStreamPeek(action, false) as never);
  }

  split(named?: Named): BranchedKStream<K, V> {
    return new BranchedKStreamImpl<K, V>(this, this.#name(named, 'KSTREAM-BRANCH-'));
  }

  merge(stream: KStream<K, V>, named?: Named): KStream<K, V> {
    if (!(stream instanceof KStreamImpl)) throw new TopologyException('merge() needs a KStream created by the same StreamsBuilder.');
    if (stream.builder !== this.builder) throw new TopologyException('Cannot merge streams from different StreamsBuilders.');
    const name = this.#name(named, 'KSTREAM-MERGE-');
    const node = this.builder.addNode([this.node, stream.node], { kind: 'processor', name, supplier: () => new KStreamPassThrough() as never, storeBuilders: [], connectedStores: [] });
    return this.#stream(node, null, null, this.repartitionRequired || stream.repartitionRequired);
  }

  to(topic: string | TopicNameExtractor<K, V>, produced?: Produced<K, V>): void {
    if (topic == null || topic === '') throw new TopologyException('to() needs a topic name or a TopicNameExtractor.');
    const p = (produced ?? Produced.with<K, V>(null, null)).props;
    const name = this.builder.nameOrGenerate(p.name, 'KSTREAM-SINK-');
    const keySerde = p.keySerde ?? this.keySerde;
    const valueSerde = p.valueSerde ?? this.valueSerde;
    const keySerializer = (keySerde?.serializer() ?? null) as Serializer<unknown> | null;
    // Kafka's StreamSinkNode: windowed keys without a partitioner of their own go by their inner key.
    const partitioner = p.partitioner ?? (isWindowedSerializer(keySerializer) ? windowedStreamPartitioner(keySerializer) : null);
    this.builder.addNode([this.node], {
      kind: 'sink',
      name,
      topic: topic as string | TopicNameExtractor<unknown, unknown>,
      keySerializer: keySerializer as never,
      valueSerializer: (valueSerde?.serializer() ?? null) as never,
      partitioner: partitioner as never,
    });
  }

  repartition(repartitioned?: Repartitioned<K, V>): KStream<K, V> {
    const r = (repartitioned ?? Repartitioned.with<K, V>(null, null)).props;
    if (r.numberOfPartitions !== null && (!Number.isInteger(r.numberOfPartitions) || r.numberOfPartitions < 1)) {
      throw new TopologyException(`Number of partitions must be a positive integer, got ${r.numberOfPartitions} for repartition ${r.name ?? ''}`);
    }
    const name = r.name ?? this.builder.newProcessorName('KSTREAM-REPARTITION-'); // no index burned for a given name, as Kafka
    const keySerde = r.keySerde ?? this.keySerde;
    const valueSerde = r.valueSerde ?? this.valueSerde;
    const names = repartitionNames(this.builder, name);
    const node = addRepartitionNode(this.builder, this.node, names, {
      keySerde: keySerde as Serde<unknown> | null,
      valueSerializer: (valueSerde?.serializer() ?? null) as never,
      valueDeserializer: (valueSerde?.deserializer() ?? null) as never,
      partitioner: r.partitioner as never,
      numberOfPartitions: r.numberOfPartitions,
      withFilter: true,
    });
    return this.#stream(node, keySerde, valueSerde, false);
  }

  toTable(named?: Named | Materialized<K, V>, materialized?: Materialized<K, V>): KTable<K, V> {
    const n = named instanceof Named ? named.name : null;
    const m = named instanceof Materialized ? named : (materialized ?? null);
    const name = this.builder.nameOrGenerate(n, 'KSTREAM-TOTABLE-');
    const mi = materializedInternal(m, () => this.builder.newStoreName('KSTREAM-TOTABLE-'));
    const keySerde = mi.props.keySerde ?? this.keySerde;
    const valueSerde = mi.props.valueSerde ?? this.valueSerde;
    let parent: GraphNode = this.node;
    if (this.repartitionRequired) {
      const names = repartitionNames(this.builder, name);
      parent = addRepartitionNode(this.builder, this.node, names, {
        keySerde: keySerde as Serde<unknown> | null,
        valueSerializer: (valueSerde?.serializer() ?? null) as never,
        valueDeserializer: (valueSerde?.deserializer() ?? null) as never,
        partitioner: null,
        numberOfPartitions: null,
        withFilter: true,
      });
    }
    const storeName = mi.storeName!;
    // As Kafka's StreamToTableNode: the store exists only when named, or when a downstream operator forces it.
    const supplier = new KTableSourceSupplier<K, V>(storeName, mi.queryable ? storeName : null);
    const props = { ...mi.props, keySerde, valueSerde };
    const node = this.builder.addNode([parent], {
      kind: 'processor',
      name,
      supplier: supplier as never,
      storeBuilders: [() => (supplier.materialized ? keyValueStoreBuilder(storeName, props as never) : null)],
      connectedStores: [],
    });
    return new KTableImpl<K, V>(this.builder, node, keySerde, valueSerde, supplier, mi.queryable ? storeName : null, null);
  }

  process<KOut, VOut>(supplier: ProcessorSupplier<K, V, KOut, VOut>, ...namedOrStores: Array<Named | string>): KStream<KOut, VOut> {
    if (supplier == null) throw new TopologyException('process() needs a ProcessorSupplier.');
    const { name, stores } = this.#processArgs(namedOrStores, 'KSTREAM-PROCESSOR-');
    const node = this.#addProcessor(name, supplier as AnySupplier, stores);
    return this.#stream<KOut, VOut>(node, null, null, true);
  }

  processValues<VOut>(supplier: FixedKeyProcessorSupplier<K, V, VOut>, ...namedOrStores: Array<Named | string>): KStream<K, VOut> {
    if (supplier == null) throw new TopologyException('processValues() needs a FixedKeyProcessorSupplier.');
    const { name, stores } = this.#processArgs(namedOrStores, 'KSTREAM-PROCESSVALUES-');
    const node = this.#addProcessor(name, supplier as unknown as AnySupplier, stores);
    return this.#stream<K, VOut>(node, this.keySerde, null, this.repartitionRequired);
  }

  #processArgs(args: Array<Named | string>, prefix: string): { name: string; stores: string[] } {
    const named = args.find((a): a is Named => a instanceof Named);
    const stores = args.filter((a): a is string => typeof a === 'string');
    return { name: named?.name ?? this.builder.newProcessorName(prefix), stores }; // no index burned for a given name, as Kafka
  }

  groupByKey(grouped?: Grouped<K, V>): KGroupedStream<K, V> {
    const g = (grouped ?? Grouped.with<K, V>(null, null)).props;
    return new KGroupedStreamImpl<K, V>(this.builder, this.node, g.keySerde ?? this.keySerde, g.valueSerde ?? this.valueSerde, g.name, this.repartitionRequired);
  }

  groupBy<KR>(selector: KeyValueMapper<K, V, KR>, grouped?: Grouped<KR, V>): KGroupedStream<KR, V> {
    requireFunction(selector, 'selector');
    const g = (grouped ?? Grouped.with<KR, V>(null, null)).props;
    const selected = this.#selectKey(selector, this.builder.nameOrGenerate(g.name, 'KSTREAM-KEY-SELECT-'));
    return new KGroupedStreamImpl<KR, V>(this.builder, selected.node, g.keySerde, g.valueSerde ?? this.valueSerde, g.name, true);
  }

  /** @internal The serdes-erased view the join code works on. */
  get #joinable(): JoinableStream {
    return this as unknown as JoinableStream;
  }

  join<VO, VR>(other: KTable<K, VO>, joiner: ValueJoiner<V, VO, VR>, joined?: Joined<K, V, VO>): KStream<K, VR>;
  join<VO, VR>(other: KTable<K, VO>, joiner: ValueJoinerWithKey<K, V, VO, VR>, joined?: Joined<K, V, VO>): KStream<K, VR>;
  join<VO, VR>(other: KStream<K, VO>, joiner: ValueJoiner<V, VO, VR>, windows: JoinWindows, streamJoined?: StreamJoined<K, V, VO>): KStream<K, VR>;
  join<VO, VR>(other: KStream<K, VO>, joiner: ValueJoinerWithKey<K, V, VO, VR>, windows: JoinWindows, streamJoined?: StreamJoined<K, V, VO>): KStream<K, VR>;
  join<KG, VG, VR>(globalTable: GlobalKTable<KG, VG>, keySelector: KeyValueMapper<K, V, KG>, joiner: ValueJoiner<V, VG, VR>, named?: Named): KStream<K, VR>;
  join<KG, VG, VR>(globalTable: GlobalKTable<KG, VG>, keySelector: KeyValueMapper<K, V, KG>, joiner: ValueJoinerWithKey<K, V, VG, VR>, named?: Named): KStream<K, VR>;
  join<VO, VR>(
    other: KTable<K, VO> | KStream<K, VO> | GlobalKTable<unknown, VO>,
    joiner: unknown,
    c?: Joined<K, V, VO> | JoinWindows | StreamJoiner<K, V, VO, VR>,
    d?: StreamJoined<K, V, VO> | Named,
  ): KStream<K, VR> {
    if (other instanceof GlobalKTableImpl) return this.#globalJoin(other, joiner, c, d, false, 'join');
    if (other instanceof KStreamImpl) return this.#streamJoin(other, joiner, c, d as StreamJoined<K, V, VO> | undefined, false, false, 'join');
    return this.#tableJoin(other as KTable<K, VO>, joiner as StreamJoiner<K, V, VO, VR>, c as Joined<K, V, VO> | undefined, false, 'join');
  }

  leftJoin<VO, VR>(other: KTable<K, VO>, joiner: ValueJoiner<V, VO | null, VR>, joined?: Joined<K, V, VO>): KStream<K, VR>;
  leftJoin<VO, VR>(other: KTable<K, VO>, joiner: ValueJoinerWithKey<K, V, VO | null, VR>, joined?: Joined<K, V, VO>): KStream<K, VR>;
  leftJoin<VO, VR>(other: KStream<K, VO>, joiner: ValueJoiner<V, VO | null, VR>, windows: JoinWindows, streamJoined?: StreamJoined<K, V, VO>): KStream<K, VR>;
  leftJoin<VO, VR>(other: KStream<K, VO>, joiner: ValueJoinerWithKey<K, V, VO | null, VR>, windows: JoinWindows, streamJoined?: StreamJoined<K, V, VO>): KStream<K, VR>;
  leftJoin<KG, VG, VR>(globalTable: GlobalKTable<KG, VG>, keySelector: KeyValueMapper<K, V, KG>, joiner: ValueJoiner<V, VG | null, VR>, named?: Named): KStream<K, VR>;
  leftJoin<KG, VG, VR>(globalTable: GlobalKTable<KG, VG>, keySelector: KeyValueMapper<K, V, KG>, joiner: ValueJoinerWithKey<K, V, VG | null, VR>, named?: Named): KStream<K, VR>;
  leftJoin<VO, VR>(
    other: KTable<K, VO> | KStream<K, VO> | GlobalKTable<unknown, VO>,
    joiner: unknown,
    c?: Joined<K, V, VO> | JoinWindows | StreamJoiner<K, V, VO | null, VR>,
    d?: StreamJoined<K, V, VO> | Named,
  ): KStream<K, VR> {
    if (other instanceof GlobalKTableImpl) return this.#globalJoin(other, joiner, c, d, true, 'leftJoin');
    if (other instanceof KStreamImpl) return this.#streamJoin(other, joiner, c, d as StreamJoined<K, V, VO> | undefined, true, false, 'leftJoin');
    return this.#tableJoin(other as KTable<K, VO>, joiner as StreamJoiner<K, V, VO | null, VR>, c as Joined<K, V, VO> | undefined, true, 'leftJoin');
  }

  #globalJoin<VR>(global: GlobalKTableImpl<unknown, unknown>, keySelector: unknown, joiner: unknown, named: unknown, left: boolean, op: string): KStream<K, VR> {
    if (global.builder !== this.builder) throw new TopologyException(`${op}() cannot join a GlobalKTable of a different StreamsBuilder.`);
    requireFunction(keySelector, 'keySelector');
    requireFunction(joiner, 'joiner');
    if (named !== undefined && !(named instanceof Named)) throw new TopologyException(`${op}() with a GlobalKTable takes a Named as its last argument, got ${describeArg(named)}`);
    const node = streamGlobalTableJoin(this.#joinable, global, keySelector as never, joinerWithKey(joiner as never), named?.name ?? null, left);
    return this.#stream<K, VR>(node, this.keySerde, null, this.repartitionRequired);
  }

  outerJoin<VO, VR>(other: KStream<K, VO>, joiner: ValueJoiner<V | null, VO | null, VR>, windows: JoinWindows, streamJoined?: StreamJoined<K, V, VO>): KStream<K, VR>;
  outerJoin<VO, VR>(other: KStream<K, VO>, joiner: ValueJoinerWithKey<K, V | null, VO | null, VR>, windows: JoinWindows, streamJoined?: StreamJoined<K, V, VO>): KStream<K, VR>;
  outerJoin<VO, VR>(other: KStream<K, VO>, joiner: StreamJoiner<K, V | null, VO | null, VR>, windows: JoinWindows, streamJoined?: StreamJoined<K, V, VO>): KStream<K, VR> {
    if (!(other instanceof KStreamImpl)) throw new TopologyException(`outerJoin() needs a KStream created by a StreamsBuilder, got ${describeArg(other)}`);
    return this.#streamJoin(other, joiner, windows, streamJoined, true, true, 'outerJoin');
  }

  #streamJoin<VO, VR>(
    other: KStreamImpl<K, VO>,
    joiner: unknown,
    windows: unknown,
    streamJoined: StreamJoined<K, V, VO> | undefined,
    leftOuter: boolean,
    rightOuter: boolean,
    op: string,
  ): KStream<K, VR> {
    if (other.builder !== this.builder) throw new TopologyException(`${op}() cannot join a KStream of a different StreamsBuilder.`);
    requireFunction(joiner, 'joiner');
    if (!(windows instanceof JoinWindows)) throw new TopologyException(`${op}() of two KStreams needs JoinWindows, got ${describeArg(windows)}`);
    const props = (streamJoined ?? StreamJoined.with<K, V, VO>(null, null, null)).props;
    const r = streamStreamJoin(this.#joinable, other as unknown as JoinableStream, joinerWithKey(joiner as never), windows, props as never, leftOuter, rightOuter);
    return this.#stream<K, VR>(r.node, r.keySerde as Serde<K> | null, null, false);
  }

  #tableJoin<VO, VR>(table: KTable<K, VO>, joiner: StreamJoiner<K, V, VO, VR> | StreamJoiner<K, V, VO | null, VR>, joined: Joined<K, V, VO> | undefined, left: boolean, op: string): KStream<K, VR> {
    if (!(table instanceof KTableImpl)) throw new TopologyException(`${op}() needs a KTable created by a StreamsBuilder, got ${describeArg(table)}`);
    if (table.builder !== this.builder) throw new TopologyException(`${op}() cannot join a KTable of a different StreamsBuilder.`);
    requireFunction(joiner, 'joiner');
    const r = streamTableJoin(this.#joinable, table, joinerWithKey(joiner as never), (joined ?? null) as never, left);
    return this.#stream<K, VR>(r.node, r.keySerde as Serde<K> | null, null, false);
  }
}

function describeArg(x: unknown): string {
  return x === null ? 'null' : typeof x === 'object' ? ((x as object).constructor?.name ?? 'object') : typeof x;
}

function requireFunction(f: unknown, what: string): void {
  if (typeof f !== 'function') throw new TopologyException(`${what} must be a function, got ${f === null ? 'null' : typeof f}`);
}

export { requireFunction };
