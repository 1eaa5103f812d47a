/**
 * `KStream.join / leftJoin(KTable)` in the DSL (Kafka's `KStreamImpl.doStreamTableJoin`): repartitions a
 * key-changed stream first (`<Joined name or stream name>-repartition`), names the processor
 * `KSTREAM-JOIN-` / `KSTREAM-LEFTJOIN-`, connects it to the stores the table's value getter reads, and
 * declares both sides' source topics co-partitioned.
 */
import { IllegalArgumentException } from '../../errors';
import type { KTableValueGetterSupplier } from '../../processor/operators/ktable-value-getter';
import { KStreamKTableJoinSupplier, type ValueJoinerWithKey } from '../../processor/operators/kstream-ktable-join';
import type { Serde } from '../../serde/serde';
import type { GraphNode } from '../graph/graph-node';
import type { Joined } from '../joined';
import { orElseGenerate, repartitionForJoin, subTopologySourceNodes, type JoinableStream } from './join-support';

/** A table handle as this join needs it. */
export interface JoinableTable {
  readonly node: GraphNode;
  valueGetterSupplier(): KTableValueGetterSupplier<unknown, unknown>;
}

export interface StreamTableJoinResult {
  readonly node: GraphNode;
  readonly keySerde: Serde<unknown> | null;
}

export function streamTableJoin(
  stream: JoinableStream,
  table: JoinableTable,
  joiner: ValueJoinerWithKey<unknown, unknown, unknown, unknown>,
  joined: Joined<unknown, unknown, unknown> | null,
  leftJoin: boolean,
): StreamTableJoinResult {
  const j = joined?.props ?? null;
  let parent = stream.node;
  const keySerde = j?.keySerde ?? stream.keySerde;
  if (stream.repartitionRequired) {
    parent = repartitionForJoin(stream, j?.name ?? stream.name, keySerde, j?.valueSerde ?? stream.valueSerde);
  }
  const sources = [...subTopologySourceNodes(parent), ...subTopologySourceNodes(table.node)];
  const name = orElseGenerate(stream.builder, j?.name, leftJoin ? 'KSTREAM-LEFTJOIN-' : 'KSTREAM-JOIN-');
  if (j !== null && j.gracePeriodMs !== null) {
    // tables here are never versioned (no versioned stores yet): Kafka's refusal for that case
    throw new IllegalArgumentException('KTable must be versioned to use a grace period in a stream table join.');
  }
  const getter = table.valueGetterSupplier();
  const supplier = new KStreamKTableJoinSupplier<unknown, unknown, unknown, unknown, unknown>(getter, (key) => key, joiner, leftJoin);
  const node = stream.builder.addNode([parent], {
    kind: 'processor',
    name,
    supplier: supplier as never,
    storeBuilders: [],
    connectedStores: getter.storeNames(),
    copartitionSources: sources,
  });
  return { node, keySerde };
}

/**
 * `KStream.join / leftJoin(GlobalKTable, keySelector, joiner)` (Kafka's `KStreamImpl.globalTableJoin`): no
 * repartition and no co-partitioning; the processor is named `KSTREAM-LEFTJOIN-` for both kinds, as Kafka names
 * it, and reads the global store without being connected to it.
 */
export function streamGlobalTableJoin(
  stream: JoinableStream,
  global: { valueGetterSupplier(): KTableValueGetterSupplier<unknown, unknown> },
  keySelector: (key: unknown, value: unknown) => unknown,
  joiner: ValueJoinerWithKey<unknown, unknown, unknown, unknown>,
  named: string | null,
  leftJoin: boolean,
): GraphNode {
  const name = orElseGenerate(stream.builder, named, 'KSTREAM-LEFTJOIN-');
  const supplier = new KStreamKTableJoinSupplier<unknown, unknown, unknown, unknown, unknown>(global.valueGetterSupplier(), keySelector, joiner, leftJoin);
  return stream.builder.addNode([stream.node], { kind: 'processor', name, supplier: supplier as never, storeBuilders: [], connectedStores: [] });
}
