/**
 * `KTable.suppress` wiring (Kafka's `KTableImpl.suppress` and `GraphGraceSearchUtil`): names the processor
 * (`KTABLE-SUPPRESS-n`, then store `KTABLE-SUPPRESS-STATE-STORE-n+1`; a `withName(x)` gives `x` and `x-store`),
 * and for `untilWindowCloses` finds the window close delay by walking up to the windowed aggregation(s)
 * (the max over all parents), failing for non-windowed tables with Kafka's message.
 */
import { TopologyException } from '../../errors';
import { log } from '../../logger';
import { isWindowCloseDefinition } from '../../processor/operators/kstream-time-window-aggregate-base';
import { KTableSuppressSupplier, type SuppressSettings } from '../../processor/operators/ktable-suppress';
import { SuppressionBufferBuilder, type SerdeResolver } from '../../processor/operators/ktable-suppress-buffer';
import type { Serde } from '../../serde/serde';
import { resolveSerde } from '../../state/metered-key-value-store';
import type { GraphNode } from '../graph/graph-node';
import type { KTable } from '../ktable';
import type { Suppressed } from '../windows/suppressed';
import { KTableImpl } from './ktable-impl';

type WindowedKeySerdeFactory = (inner: Serde<unknown>) => Serde<unknown>;

const windowedKeySerdes = new WeakMap<GraphNode, WindowedKeySerdeFactory>();

/** Records how a windowed aggregation's result keys are serialized (given the inner key serde). */
export function registerWindowedKeySerde(node: GraphNode, factory: WindowedKeySerdeFactory): void {
  windowedKeySerdes.set(node, factory);
}

function nodeName(node: GraphNode): string {
  switch (node.kind) {
    case 'root':
      return 'root';
    case 'state-store':
      return node.storeBuilder.name;
    default:
      return node.name;
  }
}

/** The window close delay (grace, plus gap for sessions) of the windowed computation upstream of `node`. */
export function findAndVerifyWindowGrace(node: GraphNode, chain = ''): number {
  if (node.kind === 'processor' && isWindowCloseDefinition(node.supplier)) return node.supplier.windowCloseDelayMs();
  const newChain = chain === '' ? nodeName(node) : `${nodeName(node)}->${chain}`;
  if (node.parents.length === 0) {
    throw new TopologyException(`Window close time is only defined for windowed computations. Got [${newChain}].`);
  }
  let grace = -1;
  for (const p of node.parents) grace = Math.max(grace, findAndVerifyWindowGrace(p, newChain));
  return grace;
}

function windowedKeySerdeUpstream(node: GraphNode): WindowedKeySerdeFactory | null {
  const own = windowedKeySerdes.get(node);
  if (own !== undefined) return own;
  for (const p of node.parents) {
    const f = windowedKeySerdeUpstream(p);
    if (f !== null) return f;
  }
  return null;
}

/** `KTable.suppress`. */
export function suppressTable<K, V>(table: KTableImpl<K, V>, suppressed: Suppressed<K>): KTable<K, V> {
  const builder = table.builder;
  const name = suppressed.name ?? builder.newProcessorName('KTABLE-SUPPRESS-'); // no index burned for a given name, as Kafka's KTableImpl.suppress
  const finalResults = suppressed.until.kind === 'untilWindowCloses';
  let suppressDurationMs: number;
  if (suppressed.until.kind === 'untilWindowCloses') {
    suppressDurationMs = findAndVerifyWindowGrace(table.node);
    log.info(`Using grace period of [PT${suppressDurationMs / 1000}S] as the suppress duration for node [${name}].`);
  } else {
    suppressDurationMs = suppressed.until.timeToWaitMs;
  }
  const storeName = suppressed.name !== null ? `${suppressed.name}-store` : builder.newStoreName('KTABLE-SUPPRESS-');
  const cfg = suppressed.bufferConfig;
  const settings: SuppressSettings = {
    processorName: name,
    storeName,
    suppressDurationMs,
    timeDefinition: finalResults ? 'window-end' : 'record-time',
    maxRecords: cfg.maxRecords(),
    maxBytes: cfg.maxBytes(),
    bufferFullStrategy: cfg.bufferFullStrategy,
    safeToDropTombstones: finalResults,
  };
  const supplier = new KTableSuppressSupplier<K, V>(settings, table);
  const windowedFactory = windowedKeySerdeUpstream(table.node);
  const keySerde: SerdeResolver<K> =
    table.keySerde !== null
      ? () => table.keySerde!
      : (ctx) => {
          const inner = resolveSerde<unknown>(null, ctx, 'key', storeName);
          return (windowedFactory === null ? inner : windowedFactory(inner)) as Serde<K>;
        };
  const valueSerde: SerdeResolver<V> = table.valueSerde !== null ? () => table.valueSerde! : (ctx) => resolveSerde<V>(null, ctx, 'value', storeName);
  const store = new SuppressionBufferBuilder<K, V>(storeName, keySerde, valueSerde, cfg.isLoggingEnabled(), cfg.logConfig());
  const node = builder.addNode([table.node], {
    kind: 'processor',
    name,
    supplier: supplier as never,
    storeBuilders: [() => store as never],
    connectedStores: [],
  });
  return new KTableImpl<K, V>(builder, node, table.keySerde, table.valueSerde, supplier as never, null, table as never);
}
