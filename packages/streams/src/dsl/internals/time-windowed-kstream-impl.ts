/**
 * The `TimeWindowedKStream` implementation over `TimeWindows` and `SlidingWindows` (Kafka's
 * `TimeWindowedKStreamImpl` and `SlidingWindowedKStreamImpl`). Naming follows Kafka: store, then processor
 * (`KSTREAM-AGGREGATE-` / `KSTREAM-REDUCE-`), then any repartition; `count(Materialized)` without a store name
 * burns one index for compatibility.
 */
import type { Aggregator, Initializer, Reducer } from '../../processor/operators/functions';
import { KStreamSlidingWindowAggregateSupplier } from '../../processor/operators/kstream-sliding-window-aggregate';
import { KStreamWindowAggregateSupplier } from '../../processor/operators/kstream-window-aggregate';
import type { Serde } from '../../serde/serde';
import { Serdes } from '../../serde/serdes';
import type { KTable } from '../ktable';
import type { Materialized, MaterializedProps } from '../materialized';
import { materializedInternal } from '../materialized';
import type { Named } from '../named';
import type { SessionWindowedKStream } from '../session-windowed-kstream';
import type { TimeWindowedKStream } from '../time-windowed-kstream';
import { EmitStrategy } from '../windows/emit-strategy';
import { SessionWindows } from '../windows/session-windows';
import { SlidingWindows } from '../windows/sliding-windows';
import type { TimeWindows } from '../windows/time-windows';
import type { Windowed } from '../windows/windowed';
import { WindowedSerdes } from '../windows/windowed-serdes';
import type { KGroupedStreamImpl } from './kgrouped-stream-impl';
import { requireFunction } from './kstream-impl';
import { KTableImpl } from './ktable-impl';
import { namedAndMaterialized } from './named-args';
import { SessionWindowedKStreamImpl } from './session-windowed-kstream-impl';
import { registerWindowedKeySerde } from './suppress-grace';
import { DslWindowStoreBuilder, slidingWindowRetention, windowRetention } from './windowed-store-materializer';

/** `KGroupedStream.windowedBy`. */
export function windowedStreamOf<K, V>(
  grouped: KGroupedStreamImpl<K, V>,
  windows: TimeWindows | SlidingWindows | SessionWindows,
): TimeWindowedKStream<K, V> | SessionWindowedKStream<K, V> {
  if (windows instanceof SessionWindows) return new SessionWindowedKStreamImpl<K, V>(grouped, windows, EmitStrategy.onWindowUpdate());
  if (windows === null || typeof windows !== 'object') throw new TypeError('windows must be TimeWindows, SlidingWindows or SessionWindows');
  return new TimeWindowedKStreamImpl<K, V>(grouped, windows, EmitStrategy.onWindowUpdate());
}

export class TimeWindowedKStreamImpl<K, V> implements TimeWindowedKStream<K, V> {
  constructor(
    private readonly grouped: KGroupedStreamImpl<K, V>,
    private readonly windows: TimeWindows | SlidingWindows,
    private readonly strategy: EmitStrategy,
  ) {}

  emitStrategy(emitStrategy: EmitStrategy): TimeWindowedKStream<K, V> {
    return new TimeWindowedKStreamImpl(this.grouped, this.windows, emitStrategy);
  }

  count(a?: Named | Materialized<K, number>, b?: Materialized<K, number>): KTable<Windowed<K>, number> {
    const { named, materialized } = namedAndMaterialized(a, b);
    const builder = this.grouped.builder;
    if (materialized !== null && materialized.props.storeName === null) builder.newStoreName('KSTREAM-AGGREGATE-');
    const mi = materializedInternal(materialized, () => builder.newStoreName('KSTREAM-AGGREGATE-'));
    const props: MaterializedProps<K, number> = { ...mi.props, keySerde: mi.props.keySerde ?? this.grouped.keySerde, valueSerde: mi.props.valueSerde ?? Serdes.Long() };
    return this.#build(named, 'KSTREAM-AGGREGATE-', mi.storeName!, mi.queryable, props, () => 0, (_k, _v, agg) => (agg ?? 0) + 1);
  }

  aggregate<VA>(initializer: Initializer<VA>, aggregator: Aggregator<K, V, VA>, a?: Named | Materialized<K, VA>, b?: Materialized<K, VA>): KTable<Windowed<K>, VA> {
    requireFunction(initializer, 'initializer');
    requireFunction(aggregator, 'aggregator');
    const { named, materialized } = namedAndMaterialized(a, b);
    const mi = materializedInternal(materialized, () => this.grouped.builder.newStoreName('KSTREAM-AGGREGATE-'));
    const props: MaterializedProps<K, VA> = { ...mi.props, keySerde: mi.props.keySerde ?? this.grouped.keySerde };
    return this.#build(named, 'KSTREAM-AGGREGATE-', mi.storeName!, mi.queryable, props, initializer, aggregator as Aggregator<K, V, VA | null>);
  }

  reduce(reducer: Reducer<V>, a?: Named | Materialized<K, V>, b?: Materialized<K, V>): KTable<Windowed<K>, V> {
    requireFunction(reducer, 'reducer');
    const { named, materialized } = namedAndMaterialized(a, b);
    const mi = materializedInternal(materialized, () => this.grouped.builder.newStoreName('KSTREAM-REDUCE-'));
    const props: MaterializedProps<K, V> = { ...mi.props, keySerde: mi.props.keySerde ?? this.grouped.keySerde, valueSerde: mi.props.valueSerde ?? this.grouped.valueSerde };
    return this.#build(named, 'KSTREAM-REDUCE-', mi.storeName!, mi.queryable, props, () => null, (_k, v, agg) => (agg === null ? v : reducer(agg, v)));
  }

  #build<VA>(
    named: string | null,
    prefix: string,
    storeName: string,
    queryable: boolean,
    props: MaterializedProps<K, VA>,
    initializer: Initializer<VA | null>,
    aggregator: Aggregator<K, V, VA | null>,
  ): KTable<Windowed<K>, VA> {
    const w = this.windows;
    const sizeMs = w instanceof SlidingWindows ? w.timeDifferenceMs : w.size();
    const retention =
      w instanceof SlidingWindows
        ? slidingWindowRetention(storeName, props.retentionMs, sizeMs, w.gracePeriodMs())
        : windowRetention(storeName, props.retentionMs, sizeMs, w.gracePeriodMs());
    const name = this.grouped.builder.nameOrGenerate(named, prefix);
    const supplier =
      w instanceof SlidingWindows
        ? new KStreamSlidingWindowAggregateSupplier<K, V, VA>(w, storeName, this.strategy, initializer, aggregator)
        : new KStreamWindowAggregateSupplier<K, V, VA>(w, storeName, this.strategy, initializer, aggregator);
    const storeProps = props as unknown as MaterializedProps<unknown, unknown>;
    const node = this.grouped.addAggregationNode(name, supplier, storeName, () => new DslWindowStoreBuilder(storeName, storeProps, sizeMs, retention, this.strategy));
    registerWindowedKeySerde(node, (inner) => WindowedSerdes.timeWindowedSerdeFrom(inner as Serde<K>, Math.max(1, sizeMs)) as Serde<unknown>);
    const keySerde = props.keySerde !== null ? WindowedSerdes.timeWindowedSerdeFrom(props.keySerde, Math.max(1, sizeMs)) : null;
    return new KTableImpl<Windowed<K>, VA>(this.grouped.builder, node, keySerde, props.valueSerde, supplier, queryable ? storeName : null, null);
  }
}
