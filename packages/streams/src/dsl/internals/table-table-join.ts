/**
 * `KTable.join / leftJoin / outerJoin(KTable)` in the DSL (Kafka's `KTableImpl.doJoin`): names
 * `KTABLE-MERGE-` (drawn first), `KTABLE-JOINTHIS-`, `KTABLE-JOINOTHER-` (or `<name>-join-this|-join-other`),
 * each side's processor connected to the other side's getter stores, the merger materialized when asked
 * (`KTABLE-MERGE-STATE-STORE-`), both sides' source topics co-partitioned.
 */
import type { ValueJoinerWithKey } from '../../processor/operators/kstream-ktable-join';
import { reverseJoiner } from '../../processor/operators/kstream-ktable-join';
import { KTableKTableJoinMerger, KTableKTableJoinSupplier, type TableJoinKind } from '../../processor/operators/ktable-ktable-join';
import type { Serde } from '../../serde/serde';
import type { GraphNode } from '../graph/graph-node';
import type { Materialized } from '../materialized';
import { materializedInternal } from '../materialized';
import { validateName } from '../named';
import { keyValueStoreBuilder } from '../store-materializer';
import type { InternalStreamsBuilder } from '../internal-streams-builder';
import { orElseGenerate, subTopologySourceNodes } from './join-support';
import type { KTableImpl } from './ktable-impl';

type AnyTable = KTableImpl<unknown, unknown>;

export interface TableTableJoinResult {
  readonly node: GraphNode;
  readonly merger: KTableKTableJoinMerger<unknown, unknown>;
  readonly keySerde: Serde<unknown> | null;
  readonly valueSerde: Serde<unknown> | null;
  readonly queryableName: string | null;
}

function suffixOrGenerate(builder: InternalStreamsBuilder, name: string | null, suffix: string, prefix: string): string {
  const generated = builder.newProcessorName(prefix);
  if (name === null) return generated;
  validateName(name + suffix);
  return name + suffix;
}

export function tableTableJoin(
  self: AnyTable,
  other: AnyTable,
  joiner: ValueJoinerWithKey<unknown, unknown, unknown, unknown>,
  named: string | null,
  materialized: Materialized<unknown, unknown> | null,
  leftOuter: boolean,
  rightOuter: boolean,
): TableTableJoinResult {
  const builder = self.builder;
  const mi = materialized === null ? null : materializedInternal(materialized, () => builder.newStoreName('KTABLE-MERGE-'));
  const mergeName = orElseGenerate(builder, named, 'KTABLE-MERGE-');
  const sources = [...subTopologySourceNodes(self.node), ...subTopologySourceNodes(other.node)];
  if (leftOuter) self.enableSendingOldValues(true);
  if (rightOuter) other.enableSendingOldValues(true);
  const thisKind: TableJoinKind = !leftOuter ? 'inner' : !rightOuter ? 'left' : 'outer';
  const otherKind: TableJoinKind = !leftOuter ? 'inner' : !rightOuter ? 'right' : 'outer';
  const joinThis = new KTableKTableJoinSupplier(thisKind, self, other, joiner);
  const joinOther = new KTableKTableJoinSupplier(otherKind, other, self, reverseJoiner(joiner));
  const joinThisName = suffixOrGenerate(builder, named, '-join-this', 'KTABLE-JOINTHIS-');
  const joinOtherName = suffixOrGenerate(builder, named, '-join-other', 'KTABLE-JOINOTHER-');

  const keySerde = mi !== null ? (mi.props.keySerde ?? self.keySerde) : self.keySerde;
  const valueSerde = mi !== null ? mi.props.valueSerde : null;
  const storeName = mi?.storeName ?? null;
  const merger = new KTableKTableJoinMerger<unknown, unknown>(joinThis, joinOther as never, storeName);

  const thisStores = self.valueGetterSupplier().storeNames();
  const otherStores = other.valueGetterSupplier().storeNames();
  const thisNode = builder.addNode([self.node], {
    kind: 'processor',
    name: joinThisName,
    supplier: joinThis as never,
    storeBuilders: [],
    connectedStores: otherStores,
  });
  const otherNode = builder.addNode([other.node], {
    kind: 'processor',
    name: joinOtherName,
    supplier: joinOther as never,
    storeBuilders: [],
    connectedStores: thisStores,
  });
  const node = builder.addNode([thisNode, otherNode], {
    kind: 'processor',
    name: mergeName,
    supplier: merger as never,
    storeBuilders: storeName === null ? [] : [() => keyValueStoreBuilder(storeName, { ...mi!.props, keySerde, valueSerde } as never)],
    connectedStores: [],
    copartitionSources: sources,
  });
  return { node, merger, keySerde, valueSerde, queryableName: storeName };
}
