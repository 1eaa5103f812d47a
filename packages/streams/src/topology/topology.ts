/**
 * `Topology`: the public, Processor-API view of a processor graph (Kafka's `org.apache.kafka.streams.Topology`).
 * The DSL builds one too (`StreamsBuilder.build()`); either way `describe()` prints what Kafka Streams prints.
 */
import type { ProcessorSupplier } from '../processor/api';
import type { StreamPartitioner, TopicNameExtractor } from '../processor/processor-node';
import type { TimestampExtractor } from '../processor/timestamp-extractor';
import type { Deserializer, Serializer } from '../serde/serde';
import type { StateStore } from '../state/state-store';
import type { StoreBuilder } from '../state/store-builder';
import { TopologyException } from '../errors';
import type { AutoOffsetReset } from './internal-topology-builder';
import { InternalTopologyBuilder } from './internal-topology-builder';
import type { TopologyDescription } from './topology-description';

/** Options of a source node besides its name and topics. */
export interface SourceOptions<K = unknown, V = unknown> {
  readonly name: string;
  readonly keyDeserializer?: Deserializer<K>;
  readonly valueDeserializer?: Deserializer<V>;
  readonly timestampExtractor?: TimestampExtractor;
  readonly offsetReset?: AutoOffsetReset;
}

/** Options of a sink node besides its name, topic and parents. */
export interface SinkOptions<K = unknown, V = unknown> {
  readonly name: string;
  readonly keySerializer?: Serializer<K>;
  readonly valueSerializer?: Serializer<V>;
  readonly partitioner?: StreamPartitioner<K, V>;
}

const builderKey: unique symbol = Symbol('kstreams.internalTopologyBuilder');

/** A processor graph of sources, processors, sinks and state stores. */
export class Topology {
  /** @internal */
  readonly [builderKey]: InternalTopologyBuilder;

  /** @internal Used by `StreamsBuilder`; users call `new Topology()`. */
  constructor(internal?: InternalTopologyBuilder) {
    this[builderKey] = internal ?? new InternalTopologyBuilder();
  }

  /**
   * Adds a source reading the given topics (or every topic matching one RegExp).
   * @example topology.addSource('Source', 'streams-plaintext-input')
   */
  addSource(nameOrOptions: string | SourceOptions, ...topics: Array<string | RegExp>): this {
    const o: SourceOptions = typeof nameOrOptions === 'string' ? { name: nameOrOptions } : nameOrOptions;
    const b = this[builderKey];
    const [first] = topics;
    if (topics.length === 1 && first instanceof RegExp) {
      b.addSourcePattern(o.offsetReset ?? null, o.name, o.timestampExtractor ?? null, o.keyDeserializer ?? null, o.valueDeserializer ?? null, first);
    } else {
      b.addSource(o.offsetReset ?? null, o.name, o.timestampExtractor ?? null, o.keyDeserializer ?? null, o.valueDeserializer ?? null, topics as string[]);
    }
    return this;
  }

  /**
   * Adds a processor as a child of the named parents.
   * @example topology.addProcessor('Process', () => new WordCountProcessor(), 'Source')
   */
  addProcessor<KIn, VIn, KOut, VOut>(name: string, supplier: ProcessorSupplier<KIn, VIn, KOut, VOut>, ...parentNames: string[]): this {
    this[builderKey].addProcessor(name, supplier as ProcessorSupplier<unknown, unknown, unknown, unknown>, parentNames);
    return this;
  }

  /**
   * Adds a sink writing to a topic (or a topic chosen per record) as a child of the named parents.
   * @example topology.addSink('Sink', 'streams-wordcount-processor-output', 'Process')
   */
  addSink<K, V>(nameOrOptions: string | SinkOptions<K, V>, topic: string | TopicNameExtractor<K, V>, ...parentNames: string[]): this {
    const o: SinkOptions<K, V> = typeof nameOrOptions === 'string' ? { name: nameOrOptions } : nameOrOptions;
    this[builderKey].addSink(
      o.name,
      topic as string | TopicNameExtractor<unknown, unknown>,
      (o.keySerializer ?? null) as Serializer<unknown> | null,
      (o.valueSerializer ?? null) as Serializer<unknown> | null,
      (o.partitioner ?? null) as StreamPartitioner<unknown, unknown> | null,
      parentNames,
    );
    return this;
  }

  /** Adds a state store and connects it to the named processors. */
  addStateStore(storeBuilder: StoreBuilder<StateStore>, ...processorNames: string[]): this {
    this[builderKey].addStateStore(storeBuilder, processorNames);
    return this;
  }

  /**
   * Adds a global store (Kafka's `Topology.addGlobalStore`): `source` reads `topic` on every instance, outside the
   * tasks, and `processorName`'s processor keeps the store, which every processor may read without connecting
   * it. The store must have logging disabled (its topic is its changelog).
   * @example topology.addGlobalStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore('rates'), S, S).withLoggingDisabled(),
   *   { name: 'rates-source', keyDeserializer: S.deserializer(), valueDeserializer: S.deserializer() }, 'rates', 'rates-updater', () => new RatesUpdater())
   */
  addGlobalStore<KIn, VIn>(
    storeBuilder: StoreBuilder<StateStore>,
    source: string | SourceOptions<KIn, VIn>,
    topic: string,
    processorName: string,
    stateUpdateSupplier: ProcessorSupplier<KIn, VIn, never, never>,
  ): this {
    const o: SourceOptions<KIn, VIn> = typeof source === 'string' ? { name: source } : source;
    if (o.offsetReset !== undefined) throw new TopologyException(`Global store source ${o.name} cannot have an offset reset policy: global stores always read their topic from the beginning.`);
    this[builderKey].addGlobalStore(
      storeBuilder,
      o.name,
      o.timestampExtractor ?? null,
      (o.keyDeserializer ?? null) as Deserializer<unknown> | null,
      (o.valueDeserializer ?? null) as Deserializer<unknown> | null,
      topic,
      processorName,
      stateUpdateSupplier as ProcessorSupplier<unknown, unknown, unknown, unknown>,
    );
    return this;
  }

  /** Connects existing stores to an existing processor. */
  connectProcessorAndStateStores(processorName: string, ...stateStoreNames: string[]): this {
    this[builderKey].connectProcessorAndStateStores(processorName, stateStoreNames);
    return this;
  }

  /** The topology's structure; `toString()` is byte-identical to Kafka Streams' `describe()` text. */
  describe(): TopologyDescription {
    return this[builderKey].describe();
  }
}

/** @internal The physical builder behind a topology (for the runtime and the test driver). */
export function internalBuilderOf(topology: Topology): InternalTopologyBuilder {
  return topology[builderKey];
}
