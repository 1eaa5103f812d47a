/**
 * The `SessionWindowedKStream` implementation (Kafka's `SessionWindowedKStreamImpl`): same naming as the other
 * grouped aggregations; count merges by adding, reduce merges with the reducer.
 */
import type { Aggregator, Initializer, Reducer } from '../../processor/operators/functions';
import { KStreamSessionWindowAggregateSupplier, type Merger } from '../../processor/operators/kstream-session-window-aggregate';
import type { Serde } from '../../serde/serde';
import { Serdes } from '../../serde/serdes';
import type { KTable } from '../ktable';
import type { Materialized, MaterializedProps } from '../materialized';
import { materializedInternal } from '../materialized';
import type { Named } from '../named';
import type { SessionWindowedKStream } from '../session-windowed-kstream';
import type { EmitStrategy } from '../windows/emit-strategy';
import type { SessionWindows } from '../windows/session-windows';
import type { Windowed } from '../windows/windowed';
import { WindowedSerdes } from '../windows/windowed-serdes';
import type { KGroupedStreamImpl } from './kgrouped-stream-impl';
import { requireFunction } from './kstream-impl';
import { KTableImpl } from './ktable-impl';
import { namedAndMaterialized } from './named-args';
import { registerWindowedKeySerde } from './suppress-grace';
import { DslSessionStoreBuilder, sessionRetention } from './windowed-store-materializer';

export class SessionWindowedKStreamImpl<K, V> implements SessionWindowedKStream<K, V> {
  constructor(
    private readonly grouped: KGroupedStreamImpl<K, V>,
    private readonly windows: SessionWindows,
    private readonly strategy: EmitStrategy,
  ) {}

  emitStrategy(emitStrategy: EmitStrategy): SessionWindowedKStream<K, V> {
    return new SessionWindowedKStreamImpl(this.grouped, this.windows, emitStrategy);
  }

  count(a?: Named | Materialized<K, number>, b?: Materialized<K, number>): KTable<Windowed<K>, number> {
    const { named, materialized } = namedAndMaterialized(a, b);
    const builder = this.grouped.builder;
    if (materialized !== null && materialized.props.storeName === null) builder.newStoreName('KSTREAM-AGGREGATE-');
    const mi = materializedInternal(materialized, () => builder.newStoreName('KSTREAM-AGGREGATE-'));
    const props: MaterializedProps<K, number> = { ...mi.props, keySerde: mi.props.keySerde ?? this.grouped.keySerde, valueSerde: mi.props.valueSerde ?? Serdes.Long() };
    return this.#build(named, 'KSTREAM-AGGREGATE-', mi.storeName!, mi.queryable, props, () => 0, (_k, _v, agg) => agg + 1, (_k, x, y) => x + y);
  }

  aggregate<VA>(
    initializer: Initializer<VA>,
    aggregator: Aggregator<K, V, VA>,
    merger: Merger<K, VA>,
    a?: Named | Materialized<K, VA>,
    b?: Materialized<K, VA>,
  ): KTable<Windowed<K>, VA> {
    requireFunction(initializer, 'initializer');
    requireFunction(aggregator, 'aggregator');
    requireFunction(merger, 'sessionMerger');
    const { named, materialized } = namedAndMaterialized(a, b);
    const mi = materializedInternal(materialized, () => this.grouped.builder.newStoreName('KSTREAM-AGGREGATE-'));
    const props: MaterializedProps<K, VA> = { ...mi.props, keySerde: mi.props.keySerde ?? this.grouped.keySerde };
    return this.#build(named, 'KSTREAM-AGGREGATE-', mi.storeName!, mi.queryable, props, initializer, aggregator, merger);
  }

  reduce(reducer: Reducer<V>, a?: Named | Materialized<K, V>, b?: Materialized<K, V>): KTable<Windowed<K>, V> {
    requireFunction(reducer, 'reducer');
    const { named, materialized } = namedAndMaterialized(a, b);
    const mi = materializedInternal(materialized, () => this.grouped.builder.newStoreName('KSTREAM-REDUCE-'));
    const props: MaterializedProps<K, V> = { ...mi.props, keySerde: mi.props.keySerde ?? this.grouped.keySerde, valueSerde: mi.props.valueSerde ?? this.grouped.valueSerde };
    const aggregator: Aggregator<K, V, V | null> = (_k, v, agg) => (agg === null ? v : reducer(agg, v));
    // Kafka's mergerForAggregator: the older aggregate is folded into the newer one as a value
    const merger: Merger<K, V | null> = (k, one, two) => aggregator(k, two as V, one);
    return this.#build<V | null>(named, 'KSTREAM-REDUCE-', mi.storeName!, mi.queryable, props as MaterializedProps<K, V | null>, () => null, aggregator, merger) as KTable<Windowed<K>, V>;
  }

  #build<VA>(
    named: string | null,
    prefix: string,
    storeName: string,
    queryable: boolean,
    props: MaterializedProps<K, VA>,
    initializer: Initializer<VA>,
    aggregator: Aggregator<K, V, VA>,
    merger: Merger<K, VA>,
  ): KTable<Windowed<K>, VA> {
    const retention = sessionRetention(storeName, props.retentionMs, this.windows.inactivityGap(), this.windows.gracePeriodMs());
    const name = this.grouped.builder.nameOrGenerate(named, prefix);
    const supplier = new KStreamSessionWindowAggregateSupplier<K, V, VA>(this.windows, storeName, this.strategy, initializer, aggregator, merger);
    const storeProps = props as unknown as MaterializedProps<unknown, unknown>;
    const node = this.grouped.addAggregationNode(name, supplier, storeName, () => new DslSessionStoreBuilder(storeName, storeProps, retention, this.strategy));
    registerWindowedKeySerde(node, (inner) => WindowedSerdes.sessionWindowedSerdeFrom(inner as Serde<K>) as Serde<unknown>);
    const keySerde = props.keySerde !== null ? WindowedSerdes.sessionWindowedSerdeFrom(props.keySerde) : null;
    return new KTableImpl<Windowed<K>, VA>(this.grouped.builder, node, keySerde, props.valueSerde, supplier, queryable ? storeName : null, null);
  }
}
