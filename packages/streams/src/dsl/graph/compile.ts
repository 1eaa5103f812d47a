/**
 * The compiler: writes the logical graph into the physical `InternalTopologyBuilder`, one writer per node kind
 * (a missing kind fails to type-check). Traversal follows Kafka Streams: a priority queue by build priority,
 * writing a node once all its parents are written.
 */
import { KStreamPassThrough } from '../../processor/operators/kstream-pass-through';
import { FailOnInvalidTimestamp } from '../../processor/timestamp-extractor';
import type { InternalTopologyBuilder } from '../../topology/internal-topology-builder';
import type { GraphNode, RootNode } from './graph-node';
import { outputNodeName } from './graph-node';

type Writers = { [K in GraphNode['kind']]: (node: Extract<GraphNode, { kind: K }>, builder: InternalTopologyBuilder) => void };

const parentNames = (node: GraphNode): string[] => node.parents.filter((p) => p.kind !== 'root').map(outputNodeName);

const writers: Writers = {
  root: () => undefined,
  'state-store': (node, b) => b.addStateStore(node.storeBuilder, []),
  'global-store': (node, b) =>
    b.addGlobalStore(node.storeBuilder, node.sourceName, node.timestampExtractor, node.keyDeserializer, node.valueDeserializer, node.topic, node.name, node.supplier),
  'stream-source': (node, b) => {
    if (node.pattern) b.addSourcePattern(node.offsetReset, node.name, node.timestampExtractor, node.keyDeserializer, node.valueDeserializer, node.pattern);
    else b.addSource(node.offsetReset, node.name, node.timestampExtractor, node.keyDeserializer, node.valueDeserializer, node.topics);
  },
  'table-source': (node, b) => {
    b.addSource(node.offsetReset, node.sourceName, node.timestampExtractor, node.keyDeserializer, node.valueDeserializer, [node.topic]);
    b.addProcessor(node.name, node.supplier, [node.sourceName]);
    if (node.supplier.materialized) b.addStateStore(node.storeBuilder(), [node.name]);
  },
  processor: (node, b) => {
    b.addProcessor(node.name, node.supplier, parentNames(node));
    for (const make of node.storeBuilders) {
      const store = make();
      if (store !== null) b.addStateStore(store, [node.name]);
    }
    if (node.connectedStores.length > 0) b.connectProcessorAndStateStores(node.name, node.connectedStores);
    if (node.copartitionSources !== undefined) b.copartitionSources(node.copartitionSources);
  },
  sink: (node, b) => b.addSink(node.name, node.topic, node.keySerializer, node.valueSerializer, node.partitioner, parentNames(node)),
  repartition: (node, b) => {
    b.addInternalTopic(node.topic, node.numberOfPartitions);
    let sinkParents = parentNames(node);
    if (node.filterName !== null) {
      b.addProcessor(node.filterName, () => new KStreamPassThrough(), sinkParents);
      sinkParents = [node.filterName];
    }
    b.addSink(node.sinkName, node.topic, node.keySerializer, node.valueSerializer, node.partitioner, sinkParents);
    b.addSource(null, node.sourceName, new FailOnInvalidTimestamp(), node.keyDeserializer, node.valueDeserializer, [node.topic]);
  },
};

function write(node: GraphNode, builder: InternalTopologyBuilder): void {
  (writers[node.kind] as (n: GraphNode, b: InternalTopologyBuilder) => void)(node, builder);
}

/** Writes every node reachable from the root into the builder, in Kafka Streams' order. */
export function compile(root: RootNode, stateStores: ReadonlyArray<GraphNode>, builder: InternalTopologyBuilder): void {
  for (const s of stateStores) write(s, builder);
  const queue: GraphNode[] = [root];
  while (queue.length > 0) {
    let min = 0;
    for (let i = 1; i < queue.length; i++) if (queue[i]!.buildPriority < queue[min]!.buildPriority) min = i;
    const node = queue.splice(min, 1)[0]!;
    if (!node.written && node.parents.every((p) => p.written)) {
      write(node, builder);
      node.written = true;
    }
    for (const child of node.children) queue.push(child);
  }
}
