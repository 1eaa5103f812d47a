/**
 * The `KGroupedTable` implementation. Aggregations name their store, then the repartition sink and source
 * (no filter node), then their processor — Kafka Streams' order.
 */
import type { Aggregator, Initializer, Reducer } from '../../processor/operators/functions';
import { ChangedSerde } from '../../processor/operators/changed-serde';
import { KTableAggregateSupplier } from '../../processor/operators/ktable-aggregate';
import type { Serde } from '../../serde/serde';
import { Serdes } from '../../serde/serdes';
import type { GraphNode } from '../graph/graph-node';
import type { InternalStreamsBuilder } from '../internal-streams-builder';
import type { KGroupedTable } from '../kgrouped-table';
import type { KTable } from '../ktable';
import type { Materialized, MaterializedProps } from '../materialized';
import { materializedInternal } from '../materialized';
import type { Named } from '../named';
import { keyValueStoreBuilder } from '../store-materializer';
import { requireFunction } from './kstream-impl';
import { KTableImpl } from './ktable-impl';
import { namedAndMaterialized } from './named-args';

export class KGroupedTableImpl<K, V> implements KGroupedTable<K, V> {
  constructor(
    readonly builder: InternalStreamsBuilder,
    readonly node: GraphNode,
    readonly keySerde: Serde<K> | null,
    readonly valueSerde: Serde<V> | null,
    readonly repartitionName: string | null,
  ) {}

  count(a?: Named | Materialized<K, number>, b?: Materialized<K, number>): KTable<K, number> {
    const { named, materialized } = namedAndMaterialized(a, b);
    const mi = materializedInternal(materialized, () => this.builder.newStoreName('KTABLE-AGGREGATE-'));
    const props: MaterializedProps<K, number> = { ...mi.props, keySerde: mi.props.keySerde ?? this.keySerde, valueSerde: mi.props.valueSerde ?? Serdes.Long() };
    const supplier = new KTableAggregateSupplier<K, V, number>(mi.storeName!, () => 0, (_k, _v, c) => c + 1, (_k, _v, c) => c - 1);
    return this.#aggregate(named, 'KTABLE-AGGREGATE-', supplier, mi.storeName!, mi.queryable, props);
  }

  reduce(adder: Reducer<V>, subtractor: Reducer<V>, a?: Named | Materialized<K, V>, b?: Materialized<K, V>): KTable<K, V> {
    requireFunction(adder, 'adder');
    requireFunction(subtractor, 'subtractor');
    const { named, materialized } = namedAndMaterialized(a, b);
    const mi = materializedInternal(materialized, () => this.builder.newStoreName('KTABLE-AGGREGATE-'));
    const props: MaterializedProps<K, V> = { ...mi.props, keySerde: mi.props.keySerde ?? this.keySerde, valueSerde: mi.props.valueSerde ?? this.valueSerde };
    const supplier = new KTableAggregateSupplier<K, V, V>(mi.storeName!, null, (_k, v, agg) => adder(agg, v), (_k, v, agg) => subtractor(agg, v));
    return this.#aggregate(named, 'KTABLE-REDUCE-', supplier, mi.storeName!, mi.queryable, props);
  }

  aggregate<VA>(
    initializer: Initializer<VA>,
    adder: Aggregator<K, V, VA>,
    subtractor: Aggregator<K, V, VA>,
    a?: Named | Materialized<K, VA>,
    b?: Materialized<K, VA>,
  ): KTable<K, VA> {
    requireFunction(initializer, 'initializer');
    requireFunction(adder, 'adder');
    requireFunction(subtractor, 'subtractor');
    const { named, materialized } = namedAndMaterialized(a, b);
    const mi = materializedInternal(materialized, () => this.builder.newStoreName('KTABLE-AGGREGATE-'));
    const props: MaterializedProps<K, VA> = { ...mi.props, keySerde: mi.props.keySerde ?? this.keySerde };
    const supplier = new KTableAggregateSupplier<K, V, VA>(mi.storeName!, initializer, adder, subtractor);
    return this.#aggregate(named, 'KTABLE-AGGREGATE-', supplier, mi.storeName!, mi.queryable, props);
  }

  #aggregate<VA>(
    named: string | null,
    prefix: string,
    supplier: KTableAggregateSupplier<K, V, VA>,
    storeName: string,
    queryable: boolean,
    props: MaterializedProps<K, VA>,
  ): KTable<K, VA> {
    const sinkName = this.builder.suffixedNameOrGenerate(named, '-sink', 'KSTREAM-SINK-');
    const sourceName = this.builder.suffixedNameOrGenerate(named, '-source', 'KSTREAM-SOURCE-');
    const name = this.builder.nameOrGenerate(named, prefix);
    const topic = `${this.repartitionName ?? storeName}-repartition`;
    const changed = new ChangedSerde<V>(this.valueSerde);
    const repartition = this.builder.addNode([this.node], {
      kind: 'repartition',
      name: sourceName,
      topic,
      sinkName,
      sourceName,
      filterName: null,
      keySerializer: (this.keySerde?.serializer() ?? null) as never,
      valueSerializer: changed as never,
      keyDeserializer: (this.keySerde?.deserializer() ?? null) as never,
      valueDeserializer: changed as never,
      partitioner: null,
      numberOfPartitions: null,
    });
    const node = this.builder.addNode([repartition], {
      kind: 'processor',
      name,
      supplier: supplier as never,
      storeBuilders: [() => keyValueStoreBuilder(storeName, props as never)],
      connectedStores: [],
    });
    return new KTableImpl<K, VA>(this.builder, node, props.keySerde, props.valueSerde, supplier, queryable ? storeName : null, null);
  }
}
