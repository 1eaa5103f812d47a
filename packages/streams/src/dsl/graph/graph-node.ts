/**
 * The logical graph the DSL records: plain nodes with a `kind`. DSL calls only add nodes here; the compiler
 * (`compile.ts`) turns them into the physical topology. Nodes are written in build-priority order (the order
 * they were created), each once all its parents are written — Kafka Streams' order, which fixes node order
 * and sub-topology numbering.
 */
import type { ProcessorSupplier } from '../../processor/api';
import type { StreamPartitioner, TopicNameExtractor } from '../../processor/processor-node';
import type { TimestampExtractor } from '../../processor/timestamp-extractor';
import type { Deserializer, Serializer } from '../../serde/serde';
import type { StateStore } from '../../state/state-store';
import type { StoreBuilder } from '../../state/store-builder';
import type { KTableSourceSupplier } from '../../processor/operators/ktable-source';
import type { AutoOffsetReset } from '../../topology/internal-topology-builder';

type AnySupplier = ProcessorSupplier<unknown, unknown, unknown, unknown>;

interface NodeBase {
  /** Creation order; parents always have a lower priority than their children (except merges). */
  buildPriority: number;
  readonly parents: GraphNode[];
  readonly children: GraphNode[];
  written: boolean;
}

/** The invisible root every source hangs off. */
export interface RootNode extends NodeBase {
  readonly kind: 'root';
}

/** What a source needs from `Consumed`. */
export interface SourceSettings {
  readonly keyDeserializer: Deserializer<unknown> | null;
  readonly valueDeserializer: Deserializer<unknown> | null;
  readonly timestampExtractor: TimestampExtractor | null;
  readonly offsetReset: AutoOffsetReset | null;
}

export interface StreamSourceNode extends NodeBase, SourceSettings {
  readonly kind: 'stream-source';
  readonly name: string;
  readonly topics: ReadonlyArray<string>;
  readonly pattern: RegExp | null;
}

export interface TableSourceNode extends NodeBase, SourceSettings {
  readonly kind: 'table-source';
  readonly name: string;
  readonly sourceName: string;
  readonly topic: string;
  readonly supplier: KTableSourceSupplier<unknown, unknown>;
  /** Builds the table's store, used only when the supplier ends up materialized. */
  readonly storeBuilder: () => StoreBuilder<StateStore>;
}

export interface ProcessorGraphNode extends NodeBase {
  readonly kind: 'processor';
  readonly name: string;
  readonly supplier: AnySupplier;
  /** Stores to create and connect to this processor; a maker returning null adds no store (a table left unmaterialized). */
  readonly storeBuilders: ReadonlyArray<() => StoreBuilder<StateStore> | null>;
  /** Existing stores (added elsewhere) to connect to this processor. */
  readonly connectedStores: ReadonlyArray<string>;
  /** Source nodes whose topics must be co-partitioned (a join's inputs). */
  readonly copartitionSources?: ReadonlyArray<string>;
  /**
   * The source nodes a table produced here reports to later joins (Kafka's `KTableImpl.subTopologySourceNodes`)
   * instead of those found by walking its parents: a foreign-key join's result reports the primary table's
   * sources with the response topic's.
   */
  readonly subTopologySources?: ReadonlyArray<string>;
}

export interface SinkGraphNode extends NodeBase {
  readonly kind: 'sink';
  readonly name: string;
  readonly topic: string | TopicNameExtractor<unknown, unknown>;
  readonly keySerializer: Serializer<unknown> | null;
  readonly valueSerializer: Serializer<unknown> | null;
  readonly partitioner: StreamPartitioner<unknown, unknown> | null;
}

/** A repartition through an internal topic: [filter →] sink → topic → source. */
export interface RepartitionGraphNode extends NodeBase {
  readonly kind: 'repartition';
  readonly name: string;
  readonly topic: string;
  readonly sinkName: string;
  readonly sourceName: string;
  /** The pass-through processor before the sink (KStream repartitions); null for KTable ones. */
  readonly filterName: string | null;
  readonly keySerializer: Serializer<unknown> | null;
  readonly valueSerializer: Serializer<unknown> | null;
  readonly keyDeserializer: Deserializer<unknown> | null;
  readonly valueDeserializer: Deserializer<unknown> | null;
  readonly partitioner: StreamPartitioner<unknown, unknown> | null;
  readonly numberOfPartitions: number | null;
}

/** A store added with `StreamsBuilder.addStateStore`, connected later by name. */
export interface StateStoreGraphNode extends NodeBase {
  readonly kind: 'state-store';
  readonly storeBuilder: StoreBuilder<StateStore>;
}

/** A global store (`globalTable`, `addGlobalStore`): a source and its state-update processor outside every task. */
export interface GlobalStoreGraphNode extends NodeBase, SourceSettings {
  readonly kind: 'global-store';
  /** The state-update processor's name. */
  readonly name: string;
  readonly sourceName: string;
  readonly topic: string;
  readonly storeBuilder: StoreBuilder<StateStore>;
  readonly supplier: AnySupplier;
}

export type GraphNode = GlobalStoreGraphNode | RootNode | StreamSourceNode | TableSourceNode | ProcessorGraphNode | SinkGraphNode | RepartitionGraphNode | StateStoreGraphNode;

/** The name downstream nodes use as their parent's name. */
export function outputNodeName(node: GraphNode): string {
  switch (node.kind) {
    case 'root':
    case 'state-store':
    case 'global-store':
      throw new Error(`a ${node.kind} node has no output`);
    case 'repartition':
      return node.sourceName;
    default:
      return node.name;
  }
}
