/** The `KTable` implementation. Table processors forward `Change` values; `enableSendingOldValues` walks upstream. */
import { TopologyException } from '../../errors';
import type { KeyValueMapper, Predicate, ValueMapperWithKey } from '../../processor/operators/functions';
import { hasView, type KTableValueGetterSupplier } from '../../processor/operators/ktable-value-getter';
import { withKey } from '../../processor/operators/functions';
import { KTableFilterSupplier } from '../../processor/operators/ktable-filter';
import { KTableMapValuesSupplier } from '../../processor/operators/ktable-map-values';
import { KTableRepartitionMap } from '../../processor/operators/ktable-repartition-map';
import { KTableSourceSupplier } from '../../processor/operators/ktable-source';
import { KTableToStream } from '../../processor/operators/ktable-to-stream';
import type { KTableParent } from '../../processor/operators/ktable-parent';
import type { Serde } from '../../serde/serde';
import type { KeyValue } from '../../state/state-store';
import type { GraphNode } from '../graph/graph-node';
import { outputNodeName } from '../graph/graph-node';
import { Grouped } from '../grouped';
import type { InternalStreamsBuilder } from '../internal-streams-builder';
import type { KGroupedTable } from '../kgrouped-table';
import type { KStream } from '../kstream';
import type { KTable } from '../ktable';
import type { MaterializedProps } from '../materialized';
import { materializedInternal } from '../materialized';
import type { Named } from '../named';
import { keyValueStoreBuilder } from '../store-materializer';
import { KGroupedTableImpl } from './kgrouped-table-impl';
import { KStreamImpl, requireFunction } from './kstream-impl';
import { namedAndMaterialized } from './named-args';
import type { Suppressed } from '../windows/suppressed';
import { suppressTable } from './suppress-grace';
import { tableTableJoin } from './table-table-join';
import { foreignKeyJoin } from './foreign-key-join';
import { TableJoined } from '../table-joined';
import { Materialized } from '../materialized';
import { joinerWithKey, type ValueJoiner } from '../../processor/operators/kstream-ktable-join';

/** A processor supplier behind a table: a source, an aggregation, or a table operator. */
export type TableSupplier = KTableSourceSupplier<unknown, unknown> | { enableSendingOldValues(force: boolean): boolean; get(): unknown };

export class KTableImpl<K, V> implements KTable<K, V>, KTableParent {
  #sendOldValues = false;

  constructor(
    readonly builder: InternalStreamsBuilder,
    readonly node: GraphNode,
    readonly keySerde: Serde<K> | null,
    readonly valueSerde: Serde<V> | null,
    readonly supplier: TableSupplier,
    readonly queryableName: string | null,
    readonly parent: KTableImpl<unknown, unknown> | null,
  ) {}

  get name(): string {
    return outputNodeName(this.node);
  }

  /** Reads this table by key (joins): Kafka's `KTableImpl.valueGetterSupplier`. */
  valueGetterSupplier(): KTableValueGetterSupplier<unknown, unknown> {
    if (hasView(this.supplier)) return this.supplier.view();
    throw new TopologyException(`KTable ${this.name} cannot be read by key: joining a suppressed or windowed KTable is not supported`);
  }

  queryableStoreName(): string | null {
    return this.queryableName;
  }

  enableSendingOldValues(forceMaterialization: boolean): boolean {
    if (this.#sendOldValues) return true;
    const s = this.supplier;
    if (s instanceof KTableSourceSupplier) {
      if (!forceMaterialization && !s.materialized) return false;
      s.enableSendingOldValues();
    } else if (!s.enableSendingOldValues(forceMaterialization)) {
      return false;
    }
    this.#sendOldValues = true;
    return true;
  }

  #materialize<VR>(m: Materialized<K, VR> | null, prefix: string): { storeName: string | null; props: MaterializedProps<K, VR> | null } {
    if (m === null) return { storeName: null, props: null };
    const mi = materializedInternal(m, () => this.builder.newStoreName(prefix));
    return { storeName: mi.queryable ? mi.storeName : null, props: mi.props };
  }

  #doFilter(predicate: Predicate<K, V>, a: Named | Materialized<K, V> | undefined, b: Materialized<K, V> | undefined, filterNot: boolean): KTable<K, V> {
    requireFunction(predicate, 'predicate');
    const { named, materialized } = namedAndMaterialized(a, b);
    const { storeName, props } = this.#materialize(materialized, 'KTABLE-FILTER-');
    const keySerde = props?.keySerde ?? this.keySerde;
    const valueSerde = props?.valueSerde ?? this.valueSerde;
    const name = this.builder.nameOrGenerate(named, 'KTABLE-FILTER-');
    const supplier = new KTableFilterSupplier<K, V>(this, predicate, filterNot, storeName);
    const node = this.builder.addNode([this.node], {
      kind: 'processor',
      name,
      supplier: supplier as never,
      storeBuilders: storeName ? [() => keyValueStoreBuilder(storeName, { ...props!, keySerde, valueSerde } as never)] : [],
      connectedStores: [],
    });
    return new KTableImpl<K, V>(this.builder, node, keySerde, valueSerde, supplier, storeName, this as never);
  }

  filter(predicate: Predicate<K, V>, named?: Named | Materialized<K, V>, materialized?: Materialized<K, V>): KTable<K, V> {
    return this.#doFilter(predicate, named, materialized, false);
  }

  filterNot(predicate: Predicate<K, V>, named?: Named | Materialized<K, V>, materialized?: Materialized<K, V>): KTable<K, V> {
    return this.#doFilter(predicate, named, materialized, true);
  }

  mapValues<VR>(mapper: ((value: V) => VR) | ValueMapperWithKey<K, V, VR>, a?: Named | Materialized<K, VR>, b?: Materialized<K, VR>): KTable<K, VR> {
    requireFunction(mapper, 'mapper');
    const { named, materialized } = namedAndMaterialized(a, b);
    const { storeName, props } = this.#materialize(materialized, 'KTABLE-MAPVALUES-');
    const keySerde = props?.keySerde ?? this.keySerde;
    const valueSerde = props?.valueSerde ?? null;
    const name = this.builder.nameOrGenerate(named, 'KTABLE-MAPVALUES-');
    const supplier = new KTableMapValuesSupplier<K, V, VR>(this, withKey(mapper), storeName);
    const node = this.builder.addNode([this.node], {
      kind: 'processor',
      name,
      supplier: supplier as never,
      storeBuilders: storeName ? [() => keyValueStoreBuilder(storeName, { ...props!, keySerde, valueSerde } as never)] : [],
      connectedStores: [],
    });
    return new KTableImpl<K, VR>(this.builder, node, keySerde, valueSerde, supplier, storeName, this as never);
  }

  toStream(named?: Named): KStream<K, V> {
    const name = this.builder.nameOrGenerate(named?.name, 'KTABLE-TOSTREAM-');
    const node = this.builder.addNode([this.node], {
      kind: 'processor',
      name,
      supplier: () => new KTableToStream<K, V>() as never,
      storeBuilders: [],
      connectedStores: [],
    });
    return new KStreamImpl<K, V>(this.builder, node, this.keySerde, this.valueSerde, false);
  }

  groupBy<KR, VR>(selector: KeyValueMapper<K, V, KeyValue<KR, VR>>, grouped?: Grouped<KR, VR>): KGroupedTable<KR, VR> {
    requireFunction(selector, 'selector');
    const g = (grouped ?? Grouped.with<KR, VR>(null, null)).props;
    const name = this.builder.nameOrGenerate(g.name, 'KTABLE-SELECT-');
    const node = this.builder.addNode([this.node], {
      kind: 'processor',
      name,
      supplier: () => new KTableRepartitionMap<K, V, KR, VR>(selector) as never,
      storeBuilders: [],
      connectedStores: [],
    });
    this.enableSendingOldValues(true);
    return new KGroupedTableImpl<KR, VR>(this.builder, node, g.keySerde, g.valueSerde, g.name);
  }

  join<VO, VR>(other: KTable<K, VO>, joiner: ValueJoiner<V, VO, VR>, named?: Named | Materialized<K, VR>, materialized?: Materialized<K, VR>): KTable<K, VR>;
  join<KO, VO, VR>(other: KTable<KO, VO>, fk: (value: V) => KO | null, joiner: ValueJoiner<V, VO, VR>, tableJoined?: TableJoined<K, NoInfer<KO>> | Materialized<K, VR>, materialized?: Materialized<K, VR>): KTable<K, VR>;
  join<KO, VO, VR>(other: KTable<KO, VO>, fk: (key: K, value: V) => KO | null, joiner: ValueJoiner<V, VO, VR>, tableJoined?: TableJoined<K, NoInfer<KO>> | Materialized<K, VR>, materialized?: Materialized<K, VR>): KTable<K, VR>;
  join(other: unknown, a: unknown, b?: unknown, c?: unknown, d?: unknown): KTable<K, unknown> {
    if (typeof b === 'function') return this.#foreignKeyJoin(other, a, b, c, d, false, 'join');
    return this.#tableJoin(other as never, a, b as never, c as never, false, false, 'join');
  }

  leftJoin<VO, VR>(other: KTable<K, VO>, joiner: ValueJoiner<V, VO | null, VR>, named?: Named | Materialized<K, VR>, materialized?: Materialized<K, VR>): KTable<K, VR>;
  leftJoin<KO, VO, VR>(other: KTable<KO, VO>, fk: (value: V) => KO | null, joiner: ValueJoiner<V, VO | null, VR>, tableJoined?: TableJoined<K, NoInfer<KO>> | Materialized<K, VR>, materialized?: Materialized<K, VR>): KTable<K, VR>;
  leftJoin<KO, VO, VR>(other: KTable<KO, VO>, fk: (key: K, value: V) => KO | null, joiner: ValueJoiner<V, VO | null, VR>, tableJoined?: TableJoined<K, NoInfer<KO>> | Materialized<K, VR>, materialized?: Materialized<K, VR>): KTable<K, VR>;
  leftJoin(other: unknown, a: unknown, b?: unknown, c?: unknown, d?: unknown): KTable<K, unknown> {
    if (typeof b === 'function') return this.#foreignKeyJoin(other, a, b, c, d, true, 'leftJoin');
    return this.#tableJoin(other as never, a, b as never, c as never, true, false, 'leftJoin');
  }

  #foreignKeyJoin(other: unknown, extractor: unknown, joiner: unknown, a: unknown, b: unknown, leftJoin: boolean, op: string): KTable<K, unknown> {
    if (!(other instanceof KTableImpl)) throw new TopologyException(`${op}() needs a KTable created by a StreamsBuilder.`);
    if (other.builder !== this.builder) throw new TopologyException(`${op}() cannot join a KTable of a different StreamsBuilder.`);
    requireFunction(extractor, 'foreignKeyExtractor');
    requireFunction(joiner, 'joiner');
    let tableJoined: TableJoined<unknown, unknown> | null = null;
    let materialized: Materialized<unknown, unknown> | null = (b as Materialized<unknown, unknown> | undefined) ?? null;
    if (a instanceof TableJoined) tableJoined = a;
    else if (a instanceof Materialized) {
      if (b !== undefined) throw new TopologyException(`${op}() takes a TableJoined before the Materialized, not two Materialized.`);
      materialized = a;
    } else if (a !== undefined && a !== null) throw new TopologyException(`${op}(): the fourth argument must be a TableJoined or a Materialized.`);
    if (materialized !== null && !(materialized instanceof Materialized)) throw new TopologyException(`${op}(): materialized must be a Materialized.`);
    const r = foreignKeyJoin(this as never, other as never, extractor as never, joinerWithKey(joiner as never), tableJoined, materialized, leftJoin);
    return new KTableImpl<K, unknown>(this.builder, r.node, r.keySerde as Serde<K> | null, r.valueSerde, r.supplier as never, r.queryableName, this as never);
  }

  outerJoin<VO, VR>(other: KTable<K, VO>, joiner: ValueJoiner<V | null, VO | null, VR>, named?: Named | Materialized<K, VR>, materialized?: Materialized<K, VR>): KTable<K, VR> {
    return this.#tableJoin(other, joiner, named, materialized, true, true, 'outerJoin');
  }

  #tableJoin<VO, VR>(
    other: KTable<K, VO>,
    joiner: unknown,
    a: Named | Materialized<K, VR> | undefined,
    b: Materialized<K, VR> | undefined,
    leftOuter: boolean,
    rightOuter: boolean,
    op: string,
  ): KTable<K, VR> {
    if (!(other instanceof KTableImpl)) throw new TopologyException(`${op}() needs a KTable created by a StreamsBuilder.`);
    if (other.builder !== this.builder) throw new TopologyException(`${op}() cannot join a KTable of a different StreamsBuilder.`);
    requireFunction(joiner, 'joiner');
    const { named, materialized } = namedAndMaterialized(a, b);
    const r = tableTableJoin(this as never, other as never, joinerWithKey(joiner as never), named, materialized as never, leftOuter, rightOuter);
    return new KTableImpl<K, VR>(this.builder, r.node, r.keySerde as Serde<K> | null, r.valueSerde as Serde<VR> | null, r.merger as never, r.queryableName, this as never);
  }

  suppress(suppressed: Suppressed<K>): KTable<K, V> {
    return suppressTable(this, suppressed);
  }
}
