/**
 * `KStream.join / leftJoin / outerJoin(KStream, JoinWindows, StreamJoined)` in the DSL (Kafka's
 * `KStreamImpl.doJoin` + `KStreamImplJoin.join`): repartitions key-changed sides (`<name>-left|right-repartition`),
 * then adds per side a window processor (`KSTREAM-WINDOWED-`) with its window store, a join processor
 * (`KSTREAM-JOINTHIS-` / `-OUTERTHIS-`, `KSTREAM-JOINOTHER-` / `-OUTEROTHER-`) reading the other side's store,
 * the merge (`KSTREAM-MERGE-`), and for left/outer joins the outer-join shared store (`KSTREAM-OUTERSHARED-…`),
 * with Kafka's names, name-index burning and store settings.
 */
import { StreamsException } from '../../errors';
import { KStreamJoinWindowSupplier, KStreamKStreamJoinSupplier, TimeTrackerSupplier } from '../../processor/operators/kstream-kstream-join';
import { reverseJoiner, type ValueJoinerWithKey } from '../../processor/operators/kstream-ktable-join';
import { KStreamPassThrough } from '../../processor/operators/kstream-pass-through';
import type { Serde } from '../../serde/serde';
import { OuterJoinStoreBuilder } from '../../state/outer-join-store-builder';
import { persistentWindowStoreSupplier } from '../../state/rocksdb/rocksdb-window-store';
import type { StateStore } from '../../state/state-store';
import type { StoreBuilder } from '../../state/store-builder';
import { inMemoryWindowStoreSupplier, WindowStoreBuilder } from '../../state/window/window-store-builder';
import type { WindowBytesStoreSupplier } from '../../state/window/window-store';
import type { DslStoreType } from '../materialized';
import { validateName } from '../named';
import type { StreamJoinedProps } from '../stream-joined';
import type { JoinWindows } from '../windows/join-windows';
import type { GraphNode } from '../graph/graph-node';
import type { InternalStreamsBuilder } from '../internal-streams-builder';
import { repartitionForJoin, subTopologySourceNodes, type JoinableStream } from './join-support';

type AnyProps = StreamJoinedProps<unknown, unknown, unknown>;

/** Kafka's `NamedInternal.suffixWithOrElseGet(suffix, provider, prefix)`: burns an index even when named. */
function suffixOrGenerate(builder: InternalStreamsBuilder, name: string | null, suffix: string, prefix: string): string {
  const generated = builder.newProcessorName(prefix);
  if (name === null) return generated;
  validateName(name + suffix);
  return name + suffix;
}

/**
 * A join side's window store (Kafka's `StreamJoinedStoreFactory`): `before + after` windows kept
 * `before + after + grace`, duplicates retained, never cached, changelog `cleanup.policy=delete`; in memory or
 * RocksDB by `default.dsl.store` unless a supplier is given.
 */
class JoinWindowStoreBuilder implements StoreBuilder<StateStore> {
  #defaultType: DslStoreType = 'rocksDB';
  constructor(
    readonly name: string,
    private readonly supplier: WindowBytesStoreSupplier | null,
    private readonly windows: JoinWindows,
    private readonly keySerde: Serde<unknown> | null,
    private readonly valueSerde: Serde<unknown> | null,
    private readonly logging: boolean,
    private readonly topicConfig: Readonly<{ [key: string]: string }>,
  ) {}

  configure(config: { defaultDslStore: DslStoreType }): void {
    this.#defaultType = config.defaultDslStore;
  }

  #inner(): StoreBuilder<StateStore> {
    const retention = this.windows.size() + this.windows.gracePeriodMs();
    const supplier =
      this.supplier ??
      (this.#defaultType === 'in_memory'
        ? inMemoryWindowStoreSupplier(this.name, retention, this.windows.size(), true)
        : persistentWindowStoreSupplier(this.name, retention, this.windows.size(), true));
    const b = WindowStoreBuilder.create(supplier, this.keySerde, this.valueSerde);
    return (this.logging ? b.withLoggingEnabled({ ...this.topicConfig, 'cleanup.policy': 'delete' }) : b.withLoggingDisabled()) as unknown as StoreBuilder<StateStore>;
  }

  withCachingEnabled(): this {
    return this;
  }
  withCachingDisabled(): this {
    return this;
  }
  withLoggingEnabled(config: Readonly<{ [key: string]: string }>): StoreBuilder<StateStore> {
    return new JoinWindowStoreBuilder(this.name, this.supplier, this.windows, this.keySerde, this.valueSerde, true, config);
  }
  withLoggingDisabled(): StoreBuilder<StateStore> {
    return new JoinWindowStoreBuilder(this.name, this.supplier, this.windows, this.keySerde, this.valueSerde, false, {});
  }
  loggingEnabled(): boolean {
    return this.logging;
  }
  cachingEnabled(): boolean {
    return false;
  }
  logConfig(): Readonly<{ [key: string]: string }> {
    return this.#inner().logConfig();
  }
  build(): StateStore {
    return this.#inner().build();
  }
}

function assertWindowSettings(supplier: WindowBytesStoreSupplier, windows: JoinWindows): void {
  if (!supplier.retainDuplicates()) throw new StreamsException('The StoreSupplier must set retainDuplicates=true, found retainDuplicates=false');
  if (supplier.retentionPeriod() !== windows.size() + windows.gracePeriodMs() || supplier.windowSize() !== windows.size()) {
    throw new StreamsException(
      `Window settings mismatch. WindowBytesStoreSupplier settings ${supplierString(supplier)} must match JoinWindows settings ${windows.toString()} for the window size and retention period`,
    );
  }
}

function supplierString(s: WindowBytesStoreSupplier): string {
  return `${s.name}(windowSize=${s.windowSize()}, retentionPeriod=${s.retentionPeriod()}, retainDuplicates=${s.retainDuplicates()})`;
}

export interface StreamStreamJoinResult {
  readonly node: GraphNode;
  readonly name: string;
  readonly keySerde: Serde<unknown> | null;
}

export function streamStreamJoin(
  lhs: JoinableStream,
  rhs: JoinableStream,
  joiner: ValueJoinerWithKey<unknown, unknown, unknown, unknown>,
  windows: JoinWindows,
  streamJoined: AnyProps,
  leftOuter: boolean,
  rightOuter: boolean,
): StreamStreamJoinResult {
  const builder = lhs.builder;
  const sj = streamJoined;
  let thisNode = lhs.node;
  let otherNode = rhs.node;
  if (lhs.repartitionRequired) {
    thisNode = repartitionForJoin(lhs, sj.name !== null ? `${sj.name}-left` : lhs.name, sj.keySerde ?? lhs.keySerde, sj.valueSerde ?? lhs.valueSerde);
  }
  if (rhs.repartitionRequired) {
    otherNode = repartitionForJoin(rhs, sj.name !== null ? `${sj.name}-right` : rhs.name, sj.keySerde ?? rhs.keySerde, sj.otherValueSerde ?? rhs.valueSerde);
  }
  const sources = [...subTopologySourceNodes(thisNode), ...subTopologySourceNodes(otherNode)];

  const joinThisSuffix = rightOuter ? '-outer-this-join' : '-this-join';
  const joinOtherSuffix = leftOuter ? '-outer-other-join' : '-other-join';
  const thisWindowedName = suffixOrGenerate(builder, sj.name, '-this-windowed', 'KSTREAM-WINDOWED-');
  const otherWindowedName = suffixOrGenerate(builder, sj.name, '-other-windowed', 'KSTREAM-WINDOWED-');
  const thisPrefix = rightOuter ? 'KSTREAM-OUTERTHIS-' : 'KSTREAM-JOINTHIS-';
  const joinThisGenerated = builder.newProcessorName(thisPrefix);
  const joinOtherGenerated = builder.newProcessorName(leftOuter ? 'KSTREAM-OUTEROTHER-' : 'KSTREAM-JOINOTHER-');
  const joinThisName = sj.name !== null ? sj.name + joinThisSuffix : joinThisGenerated;
  const joinOtherName = sj.name !== null ? sj.name + joinOtherSuffix : joinOtherGenerated;
  const mergeName = suffixOrGenerate(builder, sj.name, '-merge', 'KSTREAM-MERGE-');

  if (sj.thisStoreSupplier !== null && sj.otherStoreSupplier !== null && sj.thisStoreSupplier.name === sj.otherStoreSupplier.name) {
    throw new StreamsException('Both StoreSuppliers have the same name.  StoreSuppliers must provide unique names');
  }
  if (sj.thisStoreSupplier !== null) assertWindowSettings(sj.thisStoreSupplier, windows);
  if (sj.otherStoreSupplier !== null) assertWindowSettings(sj.otherStoreSupplier, windows);
  const thisStoreName = sj.thisStoreSupplier?.name ?? `${sj.storeName === null ? joinThisGenerated : sj.storeName + joinThisSuffix}-store`;
  const otherStoreName = sj.otherStoreSupplier?.name ?? `${sj.storeName === null ? joinOtherGenerated : sj.storeName + joinOtherSuffix}-store`;
  const thisStore = new JoinWindowStoreBuilder(thisStoreName, sj.thisStoreSupplier, windows, sj.keySerde, sj.valueSerde, sj.loggingEnabled, sj.topicConfig);
  const otherStore = new JoinWindowStoreBuilder(otherStoreName, sj.otherStoreSupplier, windows, sj.keySerde, sj.otherValueSerde, sj.loggingEnabled, sj.topicConfig);

  let outerStoreName: string | null = null;
  let outerStore: (() => StoreBuilder<StateStore>) | null = null;
  if (leftOuter) {
    const suffix = rightOuter ? '-outer-shared-join' : '-left-shared-join';
    const base =
      sj.thisStoreSupplier !== null && sj.thisStoreSupplier.name !== ''
        ? sj.thisStoreSupplier.name + suffix
        : sj.storeName !== null
          ? sj.storeName + suffix
          : 'KSTREAM-OUTERSHARED-' + joinThisGenerated.substring(thisPrefix.length);
    const name = `${base}-store`;
    outerStoreName = name;
    // the store kind follows the join's own window store supplier when one is given (Kafka's case 2)
    const fixedType: DslStoreType | null =
      sj.thisStoreSupplier === null ? null : sj.thisStoreSupplier.metricsScope().startsWith('in-memory') ? 'in_memory' : 'rocksDB';
    outerStore = () => {
      const b = OuterJoinStoreBuilder.create(name, fixedType, sj.keySerde, sj.valueSerde, sj.otherValueSerde);
      return (sj.loggingEnabled ? b.withLoggingEnabled(sj.topicConfig) : b.withLoggingDisabled()) as unknown as StoreBuilder<StateStore>;
    };
  }

  const retention = windows.size() + windows.gracePeriodMs();
  const thisWindowed = builder.addNode([thisNode], {
    kind: 'processor',
    name: thisWindowedName,
    supplier: new KStreamJoinWindowSupplier(thisStoreName, retention) as never,
    storeBuilders: [() => thisStore],
    connectedStores: [],
  });
  const otherWindowed = builder.addNode([otherNode], {
    kind: 'processor',
    name: otherWindowedName,
    supplier: new KStreamJoinWindowSupplier(otherStoreName, retention) as never,
    storeBuilders: [() => otherStore],
    connectedStores: [],
  });
  const trackers = new TimeTrackerSupplier();
  const common = { windowsBeforeMs: windows.beforeMs, windowsAfterMs: windows.afterMs, graceMs: windows.gracePeriodMs(), outerJoinStore: outerStoreName, timeTrackers: trackers };
  const joinThis = builder.addNode([thisWindowed], {
    kind: 'processor',
    name: joinThisName,
    supplier: new KStreamKStreamJoinSupplier({
      ...common,
      otherWindowStore: otherStoreName,
      joinBeforeMs: windows.beforeMs,
      joinAfterMs: windows.afterMs,
      joiner,
      outer: leftOuter,
      leftSide: true,
    }) as never,
    storeBuilders: outerStore === null ? [] : [outerStore],
    connectedStores: [otherStoreName],
  });
  const joinOther = builder.addNode([otherWindowed], {
    kind: 'processor',
    name: joinOtherName,
    supplier: new KStreamKStreamJoinSupplier({
      ...common,
      otherWindowStore: thisStoreName,
      joinBeforeMs: windows.afterMs,
      joinAfterMs: windows.beforeMs,
      joiner: reverseJoiner(joiner),
      outer: rightOuter,
      leftSide: false,
    }) as never,
    storeBuilders: [],
    connectedStores: outerStoreName === null ? [thisStoreName] : [thisStoreName, outerStoreName],
  });
  const merge = builder.addNode([joinThis, joinOther], {
    kind: 'processor',
    name: mergeName,
    supplier: (() => new KStreamPassThrough()) as never,
    storeBuilders: [],
    connectedStores: [],
    copartitionSources: sources,
  });
  return { node: merge, name: mergeName, keySerde: sj.keySerde };
}
