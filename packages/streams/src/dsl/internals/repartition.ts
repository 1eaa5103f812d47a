/**
 * Repartition topics inserted by the DSL (Kafka's `createRepartitionedSource`): topic `<prefix>-repartition`;
 * three names are always drawn from the counter (sink, filter, source) for compatibility, and used when the
 * prefix is a generated `KSTREAM…-0000000000` name, else `<topic>-sink|-filter|-source`.
 */
import type { StreamPartitioner } from '../../processor/processor-node';
import type { Deserializer, Serde, Serializer } from '../../serde/serde';
import type { GraphNode, RepartitionGraphNode } from '../graph/graph-node';
import type { InternalStreamsBuilder } from '../internal-streams-builder';

const REPARTITION_SUFFIX = '-repartition';

export interface RepartitionNames {
  readonly topic: string;
  readonly sinkName: string;
  readonly filterName: string;
  readonly sourceName: string;
}

export function repartitionNames(builder: InternalStreamsBuilder, prefix: string): RepartitionNames {
  const topic = prefix.endsWith(REPARTITION_SUFFIX) ? prefix : prefix + REPARTITION_SUFFIX;
  const genSink = builder.newProcessorName('KSTREAM-SINK-');
  const genFilter = builder.newProcessorName('KSTREAM-FILTER-');
  const genSource = builder.newProcessorName('KSTREAM-SOURCE-');
  if (/^KSTREAM.*-[0-9]{10}$/.test(prefix)) return { topic, sinkName: genSink, filterName: genFilter, sourceName: genSource };
  return { topic, sinkName: `${topic}-sink`, filterName: `${topic}-filter`, sourceName: `${topic}-source` };
}

export interface RepartitionOptions {
  readonly keySerde: Serde<unknown> | null;
  readonly valueSerializer: Serializer<unknown> | null;
  readonly valueDeserializer: Deserializer<unknown> | null;
  readonly partitioner: StreamPartitioner<unknown, unknown> | null;
  readonly numberOfPartitions: number | null;
  /** KStream repartitions pass through a filter node; KTable ones don't. */
  readonly withFilter: boolean;
}

/** Adds a repartition node below `parent`. */
export function addRepartitionNode(builder: InternalStreamsBuilder, parent: GraphNode, names: RepartitionNames, o: RepartitionOptions): RepartitionGraphNode {
  return builder.addNode([parent], {
    kind: 'repartition',
    name: names.sourceName,
    topic: names.topic,
    sinkName: names.sinkName,
    sourceName: names.sourceName,
    filterName: o.withFilter ? names.filterName : null,
    keySerializer: o.keySerde?.serializer() ?? null,
    valueSerializer: o.valueSerializer,
    keyDeserializer: o.keySerde?.deserializer() ?? null,
    valueDeserializer: o.valueDeserializer,
    partitioner: o.partitioner,
    numberOfPartitions: o.numberOfPartitions,
  });
}
