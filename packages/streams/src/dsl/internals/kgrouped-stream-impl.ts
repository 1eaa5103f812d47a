/**
 * The `KGroupedStream` implementation. Aggregations name their store, then their processor, then (when the key
 * changed upstream) the repartition nodes `<store or Grouped name>-repartition` — Kafka Streams' order.
 */
import type { Aggregator, Initializer, Reducer } from '../../processor/operators/functions';
import { KStreamAggregateSupplier } from '../../processor/operators/kstream-aggregate';
import { KStreamReduceSupplier } from '../../processor/operators/kstream-reduce';
import type { Serde } from '../../serde/serde';
import { Serdes } from '../../serde/serdes';
import type { GraphNode, RepartitionGraphNode } from '../graph/graph-node';
import type { InternalStreamsBuilder } from '../internal-streams-builder';
import type { KGroupedStream } from '../kgrouped-stream';
import type { KTable } from '../ktable';
import type { Materialized, MaterializedProps } from '../materialized';
import { materializedInternal } from '../materialized';
import type { Named } from '../named';
import { keyValueStoreBuilder } from '../store-materializer';
import { requireFunction } from './kstream-impl';
import { KTableImpl } from './ktable-impl';
import { namedAndMaterialized } from './named-args';
import { addRepartitionNode, repartitionNames } from './repartition';
import type { StateStore } from '../../state/state-store';
import type { StoreBuilder } from '../../state/store-builder';
import type { SessionWindowedKStream } from '../session-windowed-kstream';
import type { TimeWindowedKStream } from '../time-windowed-kstream';
import type { SessionWindows } from '../windows/session-windows';
import type { SlidingWindows } from '../windows/sliding-windows';
import type { TimeWindows } from '../windows/time-windows';
import type { UnlimitedWindows } from '../windows/unlimited-windows';
import { windowedStreamOf } from './time-windowed-kstream-impl';
import type { CogroupedKStream } from '../cogrouped-kstream';
import { CogroupedKStreamImpl } from './cogrouped-kstream-impl';

export class KGroupedStreamImpl<K, V> implements KGroupedStream<K, V> {
  #repartitionNode: RepartitionGraphNode | null = null;

  constructor(
    readonly builder: InternalStreamsBuilder,
    readonly node: GraphNode,
    readonly keySerde: Serde<K> | null,
    readonly valueSerde: Serde<V> | null,
    readonly repartitionName: string | null,
    readonly repartitionRequired: boolean,
  ) {}

  count(a?: Named | Materialized<K, number>, b?: Materialized<K, number>): KTable<K, number> {
    const { named, materialized } = namedAndMaterialized(a, b);
    // Kafka Streams burns a name here when a Materialized without a store name is passed (compatibility).
    if (materialized !== null && materialized.props.storeName === null) this.builder.newStoreName('KSTREAM-AGGREGATE-');
    const mi = materializedInternal(materialized, () => this.builder.newStoreName('KSTREAM-AGGREGATE-'));
    const props: MaterializedProps<K, number> = { ...mi.props, keySerde: mi.props.keySerde ?? this.keySerde, valueSerde: mi.props.valueSerde ?? Serdes.Long() };
    const name = this.builder.nameOrGenerate(named, 'KSTREAM-AGGREGATE-');
    const supplier = new KStreamAggregateSupplier<K, V, number>(mi.storeName!, () => 0, (_k, _v, count) => count + 1);
    return this.#build(name, supplier, mi.storeName!, mi.queryable, props);
  }

  reduce(reducer: Reducer<V>, a?: Named | Materialized<K, V>, b?: Materialized<K, V>): KTable<K, V> {
    requireFunction(reducer, 'reducer');
    const { named, materialized } = namedAndMaterialized(a, b);
    const mi = materializedInternal(materialized, () => this.builder.newStoreName('KSTREAM-REDUCE-'));
    const props: MaterializedProps<K, V> = { ...mi.props, keySerde: mi.props.keySerde ?? this.keySerde, valueSerde: mi.props.valueSerde ?? this.valueSerde };
    const name = this.builder.nameOrGenerate(named, 'KSTREAM-REDUCE-');
    return this.#build(name, new KStreamReduceSupplier<K, V>(mi.storeName!, reducer), mi.storeName!, mi.queryable, props);
  }

  aggregate<VA>(initializer: Initializer<VA>, aggregator: Aggregator<K, V, VA>, a?: Named | Materialized<K, VA>, b?: Materialized<K, VA>): KTable<K, VA> {
    requireFunction(initializer, 'initializer');
    requireFunction(aggregator, 'aggregator');
    const { named, materialized } = namedAndMaterialized(a, b);
    const mi = materializedInternal(materialized, () => this.builder.newStoreName('KSTREAM-AGGREGATE-'));
    const props: MaterializedProps<K, VA> = { ...mi.props, keySerde: mi.props.keySerde ?? this.keySerde };
    const name = this.builder.nameOrGenerate(named, 'KSTREAM-AGGREGATE-');
    return this.#build(name, new KStreamAggregateSupplier<K, V, VA>(mi.storeName!, initializer, aggregator), mi.storeName!, mi.queryable, props);
  }

  /** Inserts the repartition (if needed) and the aggregation node; returns the resulting table. */
  #build<VA>(
    name: string,
    supplier: KStreamAggregateSupplier<K, V, VA> | KStreamReduceSupplier<K, V>,
    storeName: string,
    queryable: boolean,
    props: MaterializedProps<K, VA>,
  ): KTable<K, VA> {
    const node = this.addAggregationNode(name, supplier, storeName, () => keyValueStoreBuilder(storeName, props as never));
    return new KTableImpl<K, VA>(this.builder, node, props.keySerde, props.valueSerde, supplier, queryable ? storeName : null, null);
  }

  /**
   * @internal Adds the repartition (if the key changed upstream) and an aggregation processor with its store;
   * shared with the windowed aggregations.
   */
  addAggregationNode(name: string, supplier: object, storeName: string, storeBuilder: () => StoreBuilder<StateStore>): GraphNode {
    let parent: GraphNode = this.node;
    if (this.repartitionRequired) {
      const names = repartitionNames(this.builder, this.repartitionName ?? storeName);
      if (this.#repartitionNode === null || this.repartitionName === null) {
        this.#repartitionNode = addRepartitionNode(this.builder, this.node, names, {
          keySerde: this.keySerde as Serde<unknown> | null,
          valueSerializer: (this.valueSerde?.serializer() ?? null) as never,
          valueDeserializer: (this.valueSerde?.deserializer() ?? null) as never,
          partitioner: null,
          numberOfPartitions: null,
          withFilter: true,
        });
      }
      parent = this.#repartitionNode;
    }
    return this.builder.addNode([parent], {
      kind: 'processor',
      name,
      supplier: supplier as never,
      storeBuilders: [storeBuilder],
      connectedStores: [],
    });
  }

  /** Starts a cogrouped aggregation with this stream and its aggregator (Kafka's `KGroupedStream.cogroup`). */
  cogroup<VOut>(aggregator: Aggregator<K, V, VOut>): CogroupedKStream<K, VOut> {
    requireFunction(aggregator, 'aggregator');
    return new CogroupedKStreamImpl<K, VOut>(new Map([[this as never, aggregator as never]]));
  }

  /** Windows the grouped stream by time, sliding or session windows. */
  windowedBy(windows: TimeWindows | SlidingWindows | UnlimitedWindows): TimeWindowedKStream<K, V>;
  windowedBy(windows: SessionWindows): SessionWindowedKStream<K, V>;
  windowedBy(windows: TimeWindows | SlidingWindows | SessionWindows | UnlimitedWindows): TimeWindowedKStream<K, V> | SessionWindowedKStream<K, V> {
    // UnlimitedWindows offer what time-window aggregation uses (windowsFor, size, grace)
    return windowedStreamOf(this, windows as TimeWindows | SlidingWindows | SessionWindows);
  }
}
