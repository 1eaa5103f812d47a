/**
 * The `CogroupedKStream` implementation (Kafka's `CogroupedKStreamImpl` + `CogroupedStreamAggregateBuilder`):
 * the store name first (`COGROUPKSTREAM-AGGREGATE-STATE-STORE-`), then per grouped stream its repartition (when
 * its key changed; `<Grouped name or store name>-repartition`) and an aggregate processor
 * (`COGROUPKSTREAM-AGGREGATE-` or `<name>-cogroup-agg-<i>`), all writing the one store, then the merge
 * (`COGROUPKSTREAM-MERGE-` or `<name>-cogroup-merge`). Every grouped stream's sources are co-partitioned.
 */
import { TopologyException } from '../../errors';
import type { Aggregator, Initializer } from '../../processor/operators/functions';
import { KStreamAggregateSupplier } from '../../processor/operators/kstream-aggregate';
import { KStreamWindowAggregateSupplier } from '../../processor/operators/kstream-window-aggregate';
import { KTablePassThroughSupplier } from '../../processor/operators/ktable-pass-through';
import type { Serde } from '../../serde/serde';
import type { StateStore } from '../../state/state-store';
import type { StoreBuilder } from '../../state/store-builder';
import type { CogroupedKStream, SessionWindowedCogroupedKStream, TimeWindowedCogroupedKStream, TimeWindowsLike } from '../cogrouped-kstream';
import type { GraphNode } from '../graph/graph-node';
import type { KGroupedStream } from '../kgrouped-stream';
import type { KTable } from '../ktable';
import type { Materialized, MaterializedProps } from '../materialized';
import { materializedInternal } from '../materialized';
import type { Named } from '../named';
import { validateName } from '../named';
import { keyValueStoreBuilder } from '../store-materializer';
import { EmitStrategy } from '../windows/emit-strategy';
import { TimeWindows } from '../windows/time-windows';
import { UnlimitedWindows } from '../windows/unlimited-windows';
import type { Windowed } from '../windows/windowed';
import { WindowedSerdes } from '../windows/windowed-serdes';
import { subTopologySourceNodes } from './join-support';
import { KGroupedStreamImpl } from './kgrouped-stream-impl';
import { requireFunction } from './kstream-impl';
import { KTableImpl } from './ktable-impl';
import { namedAndMaterialized } from './named-args';
import { addRepartitionNode, repartitionNames } from './repartition';
import { DslSessionStoreBuilder, DslWindowStoreBuilder, sessionRetention, windowRetention } from './windowed-store-materializer';
import { KStreamSlidingWindowAggregateSupplier } from '../../processor/operators/kstream-sliding-window-aggregate';
import { KStreamSessionWindowAggregateSupplier, type Merger } from '../../processor/operators/kstream-session-window-aggregate';
import { SessionWindows } from '../windows/session-windows';
import { SlidingWindows } from '../windows/sliding-windows';

type AnyGrouped = KGroupedStreamImpl<unknown, unknown>;
type AnyAggregator = Aggregator<unknown, unknown, unknown>;
type AggSupplier = { enableSendingOldValues(force: boolean): boolean };

const AGGREGATE_NAME = 'COGROUPKSTREAM-AGGREGATE-';
const MERGE_NAME = 'COGROUPKSTREAM-MERGE-';

export class CogroupedKStreamImpl<K, VOut> implements CogroupedKStream<K, VOut> {
  /** Grouped streams in the order they were cogrouped (cogrouping one again replaces its aggregator, as Kafka's map). */
  readonly #patterns: Map<AnyGrouped, AnyAggregator>;

  constructor(patterns: Map<AnyGrouped, AnyAggregator>) {
    this.#patterns = patterns;
  }

  cogroup<VIn>(groupedStream: KGroupedStream<K, VIn>, aggregator: Aggregator<K, VIn, VOut>): CogroupedKStream<K, VOut> {
    if (!(groupedStream instanceof KGroupedStreamImpl)) throw new TopologyException('cogroup() needs a KGroupedStream created by a StreamsBuilder.');
    requireFunction(aggregator, 'aggregator');
    const first = this.#patterns.keys().next().value as AnyGrouped;
    if (groupedStream.builder !== first.builder) throw new TopologyException('cogroup() cannot combine grouped streams of different StreamsBuilders.');
    this.#patterns.set(groupedStream as AnyGrouped, aggregator as AnyAggregator);
    return this;
  }

  aggregate(initializer: Initializer<VOut>, a?: Named | Materialized<K, VOut>, b?: Materialized<K, VOut>): KTable<K, VOut> {
    requireFunction(initializer, 'initializer');
    const { named, materialized } = namedAndMaterialized(a, b);
    const builder = this.#builder;
    const mi = materializedInternal(materialized, () => builder.newStoreName(AGGREGATE_NAME));
    const storeName = mi.storeName!;
    const props = mi.props as MaterializedProps<unknown, unknown>;
    const r = buildCogroup(this.#patterns, named, storeName, (aggregator) => new KStreamAggregateSupplier(storeName, initializer, aggregator), () => keyValueStoreBuilder(storeName, props));
    return new KTableImpl<K, VOut>(builder, r.node, props.keySerde as Serde<K> | null, props.valueSerde as Serde<VOut> | null, r.merge as never, mi.queryable ? storeName : null, null);
  }

  windowedBy(windows: TimeWindowsLike | SlidingWindows): TimeWindowedCogroupedKStream<K, VOut>;
  windowedBy(windows: SessionWindows): SessionWindowedCogroupedKStream<K, VOut>;
  windowedBy(windows: TimeWindowsLike | SlidingWindows | SessionWindows): TimeWindowedCogroupedKStream<K, VOut> | SessionWindowedCogroupedKStream<K, VOut> {
    if (windows instanceof SessionWindows) return new SessionWindowedCogroupedKStreamImpl<K, VOut>(this.#patterns, windows);
    if (!(windows instanceof TimeWindows) && !(windows instanceof UnlimitedWindows) && !(windows instanceof SlidingWindows)) {
      throw new TopologyException('windowedBy() of a cogrouped stream takes TimeWindows, SlidingWindows, SessionWindows or UnlimitedWindows.');
    }
    return new TimeWindowedCogroupedKStreamImpl<K, VOut>(this.#patterns, windows);
  }

  get #builder(): KGroupedStreamImpl<unknown, unknown>['builder'] {
    return (this.#patterns.keys().next().value as AnyGrouped).builder;
  }
}

class TimeWindowedCogroupedKStreamImpl<K, VOut> implements TimeWindowedCogroupedKStream<K, VOut> {
  constructor(
    private readonly patterns: Map<AnyGrouped, AnyAggregator>,
    private readonly windows: TimeWindowsLike | SlidingWindows,
  ) {}

  aggregate(initializer: Initializer<VOut>, a?: Named | Materialized<K, VOut>, b?: Materialized<K, VOut>): KTable<Windowed<K>, VOut> {
    requireFunction(initializer, 'initializer');
    const { named, materialized } = namedAndMaterialized(a, b);
    const builder = (this.patterns.keys().next().value as AnyGrouped).builder;
    const mi = materializedInternal(materialized, () => builder.newStoreName(AGGREGATE_NAME));
    const storeName = mi.storeName!;
    const props = mi.props as MaterializedProps<unknown, unknown>;
    const w = this.windows;
    // as the grouped-stream windowed aggregations size their stores
    const sizeMs = w instanceof SlidingWindows ? w.timeDifferenceMs : w.size();
    const retention = windowRetention(storeName, props.retentionMs, sizeMs, w.gracePeriodMs());
    const strategy = EmitStrategy.onWindowUpdate();
    const init = initializer as Initializer<unknown>;
    const r = buildCogroup(
      this.patterns,
      named,
      storeName,
      (aggregator) =>
        w instanceof SlidingWindows
          ? new KStreamSlidingWindowAggregateSupplier(w, storeName, strategy, init, aggregator)
          : new KStreamWindowAggregateSupplier(w as TimeWindows, storeName, strategy, init, aggregator),
      () => new DslWindowStoreBuilder(storeName, props, sizeMs, retention, strategy),
    );
    const keySerde = props.keySerde !== null ? WindowedSerdes.timeWindowedSerdeFrom(props.keySerde as Serde<K>, sizeMs) : null;
    return new KTableImpl<Windowed<K>, VOut>(builder, r.node, keySerde, props.valueSerde as Serde<VOut> | null, r.merge as never, mi.queryable ? storeName : null, null);
  }
}

class SessionWindowedCogroupedKStreamImpl<K, VOut> implements SessionWindowedCogroupedKStream<K, VOut> {
  constructor(
    private readonly patterns: Map<AnyGrouped, AnyAggregator>,
    private readonly windows: SessionWindows,
  ) {}

  aggregate(initializer: Initializer<VOut>, sessionMerger: Merger<K, VOut>, a?: Named | Materialized<K, VOut>, b?: Materialized<K, VOut>): KTable<Windowed<K>, VOut> {
    requireFunction(initializer, 'initializer');
    requireFunction(sessionMerger, 'sessionMerger');
    const { named, materialized } = namedAndMaterialized(a, b);
    const builder = (this.patterns.keys().next().value as AnyGrouped).builder;
    const mi = materializedInternal(materialized, () => builder.newStoreName(AGGREGATE_NAME));
    const storeName = mi.storeName!;
    const props = mi.props as MaterializedProps<unknown, unknown>;
    const retention = sessionRetention(storeName, props.retentionMs, this.windows.inactivityGap(), this.windows.gracePeriodMs());
    const strategy = EmitStrategy.onWindowUpdate();
    const r = buildCogroup(
      this.patterns,
      named,
      storeName,
      (aggregator) =>
        new KStreamSessionWindowAggregateSupplier(this.windows, storeName, strategy, initializer as Initializer<unknown>, aggregator, sessionMerger as Merger<unknown, unknown>),
      () => new DslSessionStoreBuilder(storeName, props, retention, strategy),
    );
    const keySerde = props.keySerde !== null ? WindowedSerdes.sessionWindowedSerdeFrom(props.keySerde as Serde<K>) : null;
    return new KTableImpl<Windowed<K>, VOut>(builder, r.node, keySerde, props.valueSerde as Serde<VOut> | null, r.merge as never, mi.queryable ? storeName : null, null);
  }
}

function suffixOrGenerate(builder: AnyGrouped['builder'], name: string | null, suffix: string, prefix: string): string {
  const generated = builder.newProcessorName(prefix);
  if (name === null) return generated;
  validateName(name + suffix);
  return name + suffix;
}

/** Kafka's `CogroupedStreamAggregateBuilder.build`: repartitions, one aggregate processor per stream, the merge. */
function buildCogroup(
  patterns: Map<AnyGrouped, AnyAggregator>,
  named: string | null,
  storeName: string,
  aggregateSupplier: (aggregator: AnyAggregator) => AggSupplier,
  storeBuilder: () => StoreBuilder<StateStore>,
): { node: GraphNode; merge: KTablePassThroughSupplier<unknown, unknown> } {
  const builder = (patterns.keys().next().value as AnyGrouped).builder;
  const parents = new Map<AnyGrouped, GraphNode>();
  for (const grouped of patterns.keys()) {
    if (grouped.repartitionRequired) {
      const names = repartitionNames(builder, grouped.repartitionName ?? storeName);
      if (!parents.has(grouped)) {
        parents.set(
          grouped,
          addRepartitionNode(builder, grouped.node, names, {
            keySerde: grouped.keySerde,
            valueSerializer: grouped.valueSerde?.serializer() ?? null,
            valueDeserializer: grouped.valueSerde?.deserializer() ?? null,
            partitioner: null,
            numberOfPartitions: null,
            withFilter: true,
          }),
        );
      }
    } else {
      parents.set(grouped, grouped.node);
    }
  }
  const sources = [...parents.values()].flatMap((n) => subTopologySourceNodes(n));
  const aggregates: GraphNode[] = [];
  const suppliers: AggSupplier[] = [];
  let counter = 0;
  for (const [grouped, aggregator] of patterns) {
    const supplier = aggregateSupplier(aggregator);
    suppliers.push(supplier);
    const name = suffixOrGenerate(builder, named, `-cogroup-agg-${counter++}`, AGGREGATE_NAME);
    const first = aggregates.length === 0;
    aggregates.push(
      builder.addNode([parents.get(grouped)!], {
        kind: 'processor',
        name,
        supplier: supplier as never,
        storeBuilders: first ? [storeBuilder] : [],
        connectedStores: first ? [] : [storeName],
      }),
    );
  }
  const mergeName = suffixOrGenerate(builder, named, '-cogroup-merge', MERGE_NAME);
  const merge = new KTablePassThroughSupplier<unknown, unknown>(suppliers, storeName);
  const node = builder.addNode(aggregates, { kind: 'processor', name: mergeName, supplier: merge as never, storeBuilders: [], connectedStores: [], copartitionSources: sources });
  return { node, merge };
}
