/**
 * The foreign-key table-table join in the DSL (Kafka's `KTableImpl.doJoinOnForeignKey`). Names are drawn in
 * Kafka's order (each burns an index even when `TableJoined.as(name)` names it):
 * registration topic `KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-N-topic` (or `<name>-subscription-registration-topic`),
 * its send processor, `KTABLE-SINK-`, `KTABLE-SOURCE-`, the subscription store
 * `KTABLE-FK-JOIN-SUBSCRIPTION-STATE-STORE-`, three `KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-`s (receive, join
 * with the foreign table, foreign-table updates), the response topic
 * `KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-N-topic`, its sink and source, the resolver
 * `KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-RESOLVER-PROCESSOR-` and the result `KTABLE-FK-JOIN-OUTPUT-`.
 * The registration topic is co-partitioned with the foreign table's sources, the response topic with the
 * primary table's. Responses go back to the primary record's partition (carried in the subscription).
 */
import { SubscriptionWrapperSerde, SubscriptionResponseWrapperSerde, CombinedKeySchema } from '../../processor/operators/foreign-key-join/wrappers';
import {
  ForeignTableJoinSupplier,
  ResponseJoinSupplier,
  SubscriptionJoinSupplier,
  SubscriptionReceiveSupplier,
  SubscriptionSendSupplier,
  type ForeignKeyExtractor,
} from '../../processor/operators/foreign-key-join/processors';
import type { SubscriptionResponseWrapper } from '../../processor/operators/foreign-key-join/wrappers';
import { KTableSourceSupplier } from '../../processor/operators/ktable-source';
import type { ValueJoinerWithKey } from '../../processor/operators/kstream-ktable-join';
import type { Processor, ProcessorContext } from '../../processor/api';
import type { StreamPartitioner } from '../../processor/processor-node';
import type { Serde } from '../../serde/serde';
import { Serdes } from '../../serde/serdes';
import type { GraphNode } from '../graph/graph-node';
import type { Materialized } from '../materialized';
import { materializedInternal } from '../materialized';
import { keyValueStoreBuilder } from '../store-materializer';
import type { TableJoined } from '../table-joined';
import { subTopologySourceNodes } from './join-support';
import type { KTableImpl } from './ktable-impl';

type AnyTable = KTableImpl<unknown, unknown>;

const FK_JOIN = 'KTABLE-FK-JOIN-';
const SUBSCRIPTION_REGISTRATION = FK_JOIN + 'SUBSCRIPTION-REGISTRATION-';
const SUBSCRIPTION_RESPONSE = FK_JOIN + 'SUBSCRIPTION-RESPONSE-';
const SUBSCRIPTION_STATE_STORE = FK_JOIN + 'SUBSCRIPTION-STATE-STORE-';
const SUBSCRIPTION_PROCESSOR = FK_JOIN + 'SUBSCRIPTION-PROCESSOR-';
const RESPONSE_RESOLVER = FK_JOIN + 'SUBSCRIPTION-RESPONSE-RESOLVER-PROCESSOR-';
const OUTPUT = FK_JOIN + 'OUTPUT-';

export interface ForeignKeyJoinResult {
  readonly node: GraphNode;
  readonly supplier: KTableSourceSupplier<unknown, unknown>;
  readonly keySerde: Serde<unknown> | null;
  readonly valueSerde: Serde<unknown> | null;
  readonly queryableName: string | null;
}

/** Supplies processors that learn the application id (for the serdes' pseudo topic names) when they start. */
function bindingAppId<S extends { get(): Processor<never, never, never, never> }>(supplier: S, app: { id: string }): { get(): Processor<unknown, unknown, unknown, unknown> } {
  return {
    get: () => {
      const p = supplier.get() as unknown as Processor<unknown, unknown, unknown, unknown>;
      return {
        init(c: ProcessorContext<unknown, unknown>) {
          app.id = c.applicationId;
          p.init?.(c);
        },
        process: (r) => p.process(r),
        close: () => p.close?.(),
      };
    },
  };
}

/** Kafka's default response partitioner: back to the partition the subscription came from. */
const toPrimaryPartition: StreamPartitioner<unknown, unknown> = (_t, _k, value) => (value as SubscriptionResponseWrapper<unknown>).primaryPartition;

export function foreignKeyJoin(
  self: AnyTable,
  foreign: AnyTable,
  extract: ForeignKeyExtractor<unknown, unknown, unknown>,
  joiner: ValueJoinerWithKey<unknown, unknown, unknown, unknown>,
  tableJoined: TableJoined<unknown, unknown> | null,
  materialized: Materialized<unknown, unknown> | null,
  leftJoin: boolean,
): ForeignKeyJoinResult {
  const builder = self.builder;
  foreign.enableSendingOldValues(true);
  self.enableSendingOldValues(true);
  const tj = tableJoined?.props ?? { name: null, partitioner: null, otherPartitioner: null };
  const named = (suffix: string, prefix: string): string => builder.suffixedNameOrGenerate(tj.name, suffix, prefix);

  const registrationTopic = named('-subscription-registration', SUBSCRIPTION_REGISTRATION) + '-topic';
  const app = { id: '' };
  const pseudo = (suffix: string) => () => `${app.id}-${registrationTopic}${suffix}`;
  const pkTopic = pseudo('-pk');
  const fkTopic = pseudo('-fk');
  const vhTopic = pseudo('-vh');

  const foreignKeySerde = foreign.keySerde;
  const wrapperSerde = new SubscriptionWrapperSerde<unknown>(self.keySerde, pkTopic);
  const responseSerde = new SubscriptionResponseWrapperSerde<unknown>(foreign.valueSerde);
  const schema = new CombinedKeySchema<unknown, unknown>(foreignKeySerde, self.keySerde, fkTopic, pkTopic);

  const sendName = named('-subscription-registration-processor', SUBSCRIPTION_REGISTRATION);
  const sendNode = builder.addNode([self.node], {
    kind: 'processor',
    name: sendName,
    supplier: bindingAppId(new SubscriptionSendSupplier(extract, foreignKeySerde, self.valueSerde, fkTopic, vhTopic, leftJoin), app) as never,
    storeBuilders: [],
    connectedStores: [],
  });
  const otherPartitioner = tj.otherPartitioner;
  const registrationSink = named('-subscription-registration-sink', 'KTABLE-SINK-');
  const registrationSource = named('-subscription-registration-source', 'KTABLE-SOURCE-');
  const registration = builder.addNode([sendNode], {
    kind: 'repartition',
    name: registrationSource,
    topic: registrationTopic,
    sinkName: registrationSink,
    sourceName: registrationSource,
    filterName: null,
    keySerializer: foreignKeySerde?.serializer() ?? null,
    valueSerializer: wrapperSerde,
    keyDeserializer: foreignKeySerde?.deserializer() ?? null,
    valueDeserializer: wrapperSerde,
    partitioner: otherPartitioner === null ? null : (t, k, _v, n) => otherPartitioner(t, k, null, n),
    numberOfPartitions: null,
  });

  const storeName = named('-subscription-store', SUBSCRIPTION_STATE_STORE);
  let store: ReturnType<typeof keyValueStoreBuilder> | null = null;
  const subscriptionStore = (): ReturnType<typeof keyValueStoreBuilder> =>
    (store ??= keyValueStoreBuilder(storeName, {
      storeName,
      storeSupplier: null,
      storeType: null,
      keySerde: Serdes.ByteArray(),
      valueSerde: wrapperSerde,
      cachingEnabled: false,
      loggingEnabled: true,
      topicConfig: {},
      retentionMs: null,
    } as never));

  const receiveName = named('-subscription-receive', SUBSCRIPTION_PROCESSOR);
  const receiveNode = builder.addNode([registration], {
    kind: 'processor',
    name: receiveName,
    supplier: bindingAppId(new SubscriptionReceiveSupplier(storeName, schema, wrapperSerde), app) as never,
    storeBuilders: [subscriptionStore],
    connectedStores: [],
    copartitionSources: [...subTopologySourceNodes(foreign.node), registrationSource],
  });

  const foreignGetter = foreign.valueGetterSupplier();
  const joinForeignNode = builder.addNode([receiveNode], {
    kind: 'processor',
    name: named('-subscription-join-foreign', SUBSCRIPTION_PROCESSOR),
    supplier: bindingAppId(new SubscriptionJoinSupplier(foreignGetter), app) as never,
    storeBuilders: [],
    connectedStores: foreignGetter.storeNames(),
  });

  const foreignTableJoinNode = builder.addNode([foreign.node], {
    kind: 'processor',
    name: named('-foreign-join-subscription', SUBSCRIPTION_PROCESSOR),
    supplier: bindingAppId(new ForeignTableJoinSupplier(storeName, schema, wrapperSerde), app) as never,
    storeBuilders: [subscriptionStore],
    connectedStores: [],
  });

  const responseTopic = named('-subscription-response', SUBSCRIPTION_RESPONSE) + '-topic';
  const partitioner = tj.partitioner;
  const responseSink = named('-subscription-response-sink', 'KTABLE-SINK-');
  const responseSource = named('-subscription-response-source', 'KTABLE-SOURCE-');
  const response = builder.addNode([joinForeignNode, foreignTableJoinNode], {
    kind: 'repartition',
    name: responseSource,
    topic: responseTopic,
    sinkName: responseSink,
    sourceName: responseSource,
    filterName: null,
    keySerializer: self.keySerde?.serializer() ?? null,
    valueSerializer: responseSerde,
    keyDeserializer: self.keySerde?.deserializer() ?? null,
    valueDeserializer: responseSerde,
    partitioner: partitioner === null ? toPrimaryPartition : (t, k, _v, n) => partitioner(t, k, null, n),
    numberOfPartitions: null,
  });

  const primaryGetter = self.valueGetterSupplier();
  // the response topic is co-partitioned with the primary table; the result reports both to later joins
  const resultSources = [...subTopologySourceNodes(self.node), responseSource];
  const resolverNode = builder.addNode([response], {
    kind: 'processor',
    name: named('-subscription-response-resolver', RESPONSE_RESOLVER),
    supplier: bindingAppId(new ResponseJoinSupplier(primaryGetter, self.valueSerde, vhTopic, joiner, leftJoin), app) as never,
    storeBuilders: [],
    connectedStores: primaryGetter.storeNames(),
    copartitionSources: resultSources,
  });

  const resultName = named('-result', OUTPUT);
  const mi = materializedInternal(materialized, () => builder.newStoreName(OUTPUT));
  const keySerde = mi.props.keySerde ?? self.keySerde;
  const valueSerde = mi.props.valueSerde;
  const resultStore = mi.storeName!;
  const supplier = new KTableSourceSupplier<unknown, unknown>(resultStore, mi.queryable ? resultStore : null);
  const node = builder.addNode([resolverNode], {
    kind: 'processor',
    name: resultName,
    supplier: supplier as never,
    storeBuilders: [() => (supplier.materialized ? keyValueStoreBuilder(resultStore, { ...mi.props, keySerde, valueSerde } as never) : null)],
    connectedStores: [],
    subTopologySources: resultSources,
  });
  return { node, supplier, keySerde, valueSerde, queryableName: mi.queryable ? resultStore : null };
}
