/**
 * The physical topology: named source, processor and sink nodes, state stores and internal topics, as Kafka's
 * `InternalTopologyBuilder`. It validates every addition (errors name the node), groups nodes into
 * sub-topologies, describes itself, and builds the runtime node graph for a task.
 */
import { TopologyException } from '../errors';
import type { ProcessorSupplier } from '../processor/api';
import type { Deserializer, Serializer } from '../serde/serde';
import type { StateStore } from '../state/state-store';
import type { StoreBuilder } from '../state/store-builder';
import { ProcessorNode, SinkNode, SourceNode } from '../processor/processor-node';
import type { StreamPartitioner, TopicNameExtractor } from '../processor/processor-node';
import type { TimestampExtractor } from '../processor/timestamp-extractor';
import { QuickUnion } from './quick-union';
import type { DescribableNode, TopologyDescription } from './topology-description';
import { describeGlobalStore, describeSubtopology, topologyDescription } from './topology-description';

/** Where a source starts when it has no committed offset. */
export type AutoOffsetReset = 'earliest' | 'latest';

type AnySupplier = ProcessorSupplier<unknown, unknown, unknown, unknown>;

interface SourceDef {
  readonly kind: 'source';
  readonly name: string;
  readonly topics: ReadonlyArray<string>;
  readonly pattern: RegExp | null;
  readonly keyDeserializer: Deserializer<unknown> | null;
  readonly valueDeserializer: Deserializer<unknown> | null;
  readonly timestampExtractor: TimestampExtractor | null;
  readonly offsetReset: AutoOffsetReset | null;
  readonly predecessors: ReadonlyArray<string>;
}

interface ProcessorDef {
  readonly kind: 'processor';
  readonly name: string;
  readonly predecessors: ReadonlyArray<string>;
  readonly supplier: AnySupplier;
  readonly stores: string[];
}

interface SinkDef {
  readonly kind: 'sink';
  readonly name: string;
  readonly predecessors: ReadonlyArray<string>;
  readonly topic: string | TopicNameExtractor<unknown, unknown>;
  readonly keySerializer: Serializer<unknown> | null;
  readonly valueSerializer: Serializer<unknown> | null;
  readonly partitioner: StreamPartitioner<unknown, unknown> | null;
}

type NodeDef = SourceDef | ProcessorDef | SinkDef;

/** An internal (repartition) topic the application owns. */
export interface InternalTopicSpec {
  readonly name: string;
  numberOfPartitions: number | null;
  readonly config: Readonly<{ [key: string]: string }>;
}

/** A store's changelog topic. */
export interface ChangelogTopicSpec {
  readonly store: string;
  readonly topic: string;
  readonly config: Readonly<{ [key: string]: string }>;
}

/** The topics of one sub-topology, with internal names decorated by the application id. */
export interface SubtopologyTopics {
  readonly id: number;
  readonly sourceTopics: ReadonlyArray<string>;
  readonly sinkTopics: ReadonlyArray<string>;
  readonly repartitionSourceTopics: ReadonlyArray<InternalTopicSpec>;
  readonly changelogTopics: ReadonlyArray<ChangelogTopicSpec>;
  readonly stores: ReadonlyArray<string>;
}

/** The runtime node graph of one task. */
export interface ProcessorTopology {
  readonly nodes: ReadonlyArray<ProcessorNode>;
  readonly sourcesByTopic: ReadonlyMap<string, SourceNode>;
  readonly storeBuilders: ReadonlyArray<StoreBuilder<StateStore>>;
  /** The changelog topic of each logged store. */
  readonly changelogTopics: ReadonlyMap<string, string>;
}

/** Whether `pattern` matches the whole of `topic`, as Java's `Pattern.matcher(topic).matches()`. */
export function matchesWhole(pattern: RegExp, topic: string): boolean {
  const flags = pattern.flags.replace(/[gy]/g, '');
  return new RegExp(`^(?:${pattern.source})$`, flags).test(topic);
}

function supplierStores(supplier: AnySupplier): ReadonlyArray<StoreBuilder<StateStore>> {
  return typeof supplier === 'function' ? [] : (supplier.stores?.() ?? []);
}

export class InternalTopologyBuilder {
  readonly #nodes = new Map<string, NodeDef>();
  readonly #stores = new Map<string, StoreBuilder<StateStore>>();
  readonly #grouper = new QuickUnion();
  readonly #topicToSource = new Map<string, string>();
  readonly #patterns: Array<{ pattern: RegExp; source: string }> = [];
  /** The topics each pattern source matched at the last {@link resolvePatternTopics} (source name → topics). */
  readonly #patternTopics = new Map<string, string[]>();
  readonly #internalTopics = new Map<string, InternalTopicSpec>();
  readonly #copartitionGroups: Array<ReadonlyArray<string>> = [];
  /** Global stores by name, and the source nodes and topics feeding them (outside every task). */
  readonly #globalStores = new Map<string, StoreBuilder<StateStore>>();
  readonly #globalSources = new Set<string>();
  readonly #globalTopics = new Set<string>();
  #applicationId: string | null = null;

  /** Sets the application id used to decorate internal topic names (`<applicationId>-<name>`). */
  setApplicationId(applicationId: string): void {
    this.#applicationId = applicationId;
  }

  get applicationId(): string | null {
    return this.#applicationId;
  }

  #checkNewName(name: string): void {
    if (typeof name !== 'string' || name.length === 0) throw new TopologyException('Node name must be a non-empty string.');
    if (this.#nodes.has(name)) throw new TopologyException(`Processor ${name} is already added.`);
  }

  addSource(
    offsetReset: AutoOffsetReset | null,
    name: string,
    timestampExtractor: TimestampExtractor | null,
    keyDeserializer: Deserializer<unknown> | null,
    valueDeserializer: Deserializer<unknown> | null,
    topics: ReadonlyArray<string>,
  ): void {
    if (topics.length === 0) throw new TopologyException('You must provide at least one topic');
    this.#checkNewName(name);
    for (const topic of topics) {
      if (typeof topic !== 'string' || topic.length === 0) throw new TopologyException(`Source ${name} has an empty or invalid topic name.`);
      if (this.#topicToSource.has(topic) || this.#globalTopics.has(topic)) throw new TopologyException(`Topic ${topic} has already been registered by another source.`);
      for (const { pattern } of this.#patterns) {
        if (matchesWhole(pattern, topic)) throw new TopologyException(`Topic ${topic} matches a Pattern already registered by another source.`);
      }
    }
    for (const topic of topics) this.#topicToSource.set(topic, name);
    this.#nodes.set(name, {
      kind: 'source', name, topics: [...topics], pattern: null, keyDeserializer, valueDeserializer, timestampExtractor, offsetReset, predecessors: [],
    });
    this.#grouper.add(name);
  }

  addSourcePattern(
    offsetReset: AutoOffsetReset | null,
    name: string,
    timestampExtractor: TimestampExtractor | null,
    keyDeserializer: Deserializer<unknown> | null,
    valueDeserializer: Deserializer<unknown> | null,
    pattern: RegExp,
  ): void {
    this.#checkNewName(name);
    for (const topic of this.#topicToSource.keys()) {
      if (matchesWhole(pattern, topic)) throw new TopologyException(`Pattern ${pattern.source} will match a topic that has already been registered by another source.`);
    }
    this.#patterns.push({ pattern, source: name });
    this.#nodes.set(name, {
      kind: 'source', name, topics: [], pattern, keyDeserializer, valueDeserializer, timestampExtractor, offsetReset, predecessors: [],
    });
    this.#grouper.add(name);
  }

  #checkParents(name: string, parents: ReadonlyArray<string>, what: 'Processor' | 'Sink'): void {
    if (parents.length === 0) throw new TopologyException(`${what} ${name} must have at least one parent`);
    for (const parent of parents) {
      if (parent === name) throw new TopologyException(`Processor ${name} cannot be a predecessor of itself.`);
      const def = this.#nodes.get(parent);
      if (!def) throw new TopologyException(`Predecessor processor ${parent} is not added yet for ${name}`);
      if (def.kind === 'sink') throw new TopologyException(`Sink ${parent} cannot be used a parent.`);
    }
  }

  addProcessor(name: string, supplier: AnySupplier, parents: ReadonlyArray<string>): void {
    if (supplier == null) throw new TopologyException(`Processor ${name} has no ProcessorSupplier.`);
    this.#checkNewName(name);
    this.#checkParents(name, parents, 'Processor');
    this.#nodes.set(name, { kind: 'processor', name, predecessors: [...parents], supplier, stores: [] });
    this.#grouper.add(name);
    this.#grouper.unite(name, ...parents);
    for (const builder of supplierStores(supplier)) this.addStateStore(builder, [name]);
  }

  addSink(
    name: string,
    topic: string | TopicNameExtractor<unknown, unknown>,
    keySerializer: Serializer<unknown> | null,
    valueSerializer: Serializer<unknown> | null,
    partitioner: StreamPartitioner<unknown, unknown> | null,
    parents: ReadonlyArray<string>,
  ): void {
    if (topic == null || topic === '') throw new TopologyException(`Sink ${name} must have a topic or a TopicNameExtractor.`);
    this.#checkNewName(name);
    this.#checkParents(name, parents, 'Sink');
    this.#nodes.set(name, { kind: 'sink', name, predecessors: [...parents], topic, keySerializer, valueSerializer, partitioner });
    this.#grouper.add(name);
    this.#grouper.unite(name, ...parents);
  }

  addStateStore(builder: StoreBuilder<StateStore>, processorNames: ReadonlyArray<string> = [], allowReAdd = false): void {
    if (this.#globalStores.has(builder.name)) throw new TopologyException(`A different GlobalStateStore has already been added with the name ${builder.name}`);
    const existing = this.#stores.get(builder.name);
    if (existing && existing !== builder && !allowReAdd) {
      throw new TopologyException(`A different StateStore has already been added with the name ${builder.name}`);
    }
    this.#stores.set(builder.name, builder);
    for (const p of processorNames) this.connectProcessorAndStateStores(p, [builder.name]);
  }

  connectProcessorAndStateStores(processorName: string, storeNames: ReadonlyArray<string>): void {
    if (storeNames.length === 0) throw new TopologyException('Must provide at least one state store name.');
    const def = this.#nodes.get(processorName);
    if (!def) throw new TopologyException(`Processor ${processorName} is not added yet.`);
    if (def.kind !== 'processor') {
      throw new TopologyException(`cannot connect a state store ${storeNames.join(', ')} to a source node or a sink node.`);
    }
    for (const store of storeNames) {
      if (this.#globalStores.has(store)) {
        throw new TopologyException(`Global StateStore ${store} can be used by a Processor without being specified; it should not be explicitly passed.`);
      }
      if (!this.#stores.has(store)) throw new TopologyException(`StateStore ${store} is not added yet.`);
      if (!def.stores.includes(store)) def.stores.push(store);
      // Processors sharing a store must run in the same task, hence the same sub-topology.
      for (const other of this.#nodes.values()) {
        if (other !== def && other.kind === 'processor' && other.stores.includes(store)) this.#grouper.unite(other.name, processorName);
      }
    }
  }

  /**
   * Adds a global store (Kafka's `addGlobalStore`): a source reading `topic` and a processor keeping the store,
   * run on every instance outside the tasks. The store must not log to a changelog: its topic is its changelog.
   */
  addGlobalStore(
    storeBuilder: StoreBuilder<StateStore>,
    sourceName: string,
    timestampExtractor: TimestampExtractor | null,
    keyDeserializer: Deserializer<unknown> | null,
    valueDeserializer: Deserializer<unknown> | null,
    topic: string,
    processorName: string,
    stateUpdateSupplier: AnySupplier,
  ): void {
    if (storeBuilder == null) throw new TopologyException('store builder must not be null');
    if (stateUpdateSupplier == null) throw new TopologyException('supplier must not be null');
    if (typeof topic !== 'string' || topic.length === 0) throw new TopologyException(`Global store ${storeBuilder.name} needs a topic name.`);
    if (this.#nodes.has(sourceName)) throw new TopologyException(`Processor ${sourceName} is already added.`);
    if (this.#nodes.has(processorName)) throw new TopologyException(`Processor ${processorName} is already added.`);
    if (this.#stores.has(storeBuilder.name)) throw new TopologyException(`A different StateStore has already been added with the name ${storeBuilder.name}`);
    if (this.#globalStores.has(storeBuilder.name)) throw new TopologyException(`A different GlobalStateStore has already been added with the name ${storeBuilder.name}`);
    if (storeBuilder.loggingEnabled()) throw new TopologyException(`StateStore ${storeBuilder.name} for global table must not have logging enabled.`);
    if (sourceName === processorName) throw new TopologyException('sourceName and processorName must be different.');
    if (this.#topicToSource.has(topic) || this.#globalTopics.has(topic)) throw new TopologyException(`Topic ${topic} has already been registered by another source.`);
    for (const { pattern } of this.#patterns) {
      if (matchesWhole(pattern, topic)) throw new TopologyException(`Topic ${topic} matches a Pattern already registered by another source.`);
    }
    this.#globalTopics.add(topic);
    this.#globalSources.add(sourceName);
    this.#nodes.set(sourceName, {
      kind: 'source', name: sourceName, topics: [topic], pattern: null, keyDeserializer, valueDeserializer, timestampExtractor, offsetReset: null, predecessors: [],
    });
    this.#grouper.add(sourceName);
    this.#nodes.set(processorName, { kind: 'processor', name: processorName, predecessors: [sourceName], supplier: stateUpdateSupplier, stores: [storeBuilder.name] });
    this.#grouper.add(processorName);
    this.#grouper.unite(processorName, sourceName);
    this.#globalStores.set(storeBuilder.name, storeBuilder);
  }

  /** The topics of the global stores. */
  globalTopics(): ReadonlySet<string> {
    return this.#globalTopics;
  }

  /** Whether the topology has global stores. */
  hasGlobalStores(): boolean {
    return this.#globalStores.size > 0;
  }

  #isGlobalGroup(names: ReadonlyArray<string>): boolean {
    return names.some((n) => this.#globalSources.has(n));
  }

  /** Declares an internal (repartition) topic, named without the application id. */
  addInternalTopic(name: string, numberOfPartitions: number | null = null, config: { [key: string]: string } = {}): void {
    this.#internalTopics.set(name, { name, numberOfPartitions, config: { 'cleanup.policy': 'delete', 'retention.ms': '-1', 'segment.bytes': '52428800', ...config } });
  }

  /** Declares source topics that must have equal partition counts (join inputs). */
  copartitionSources(sourceNames: ReadonlyArray<string>): void {
    this.#copartitionGroups.push([...sourceNames]);
  }

  /** `<applicationId>-<topic>` for internal topics; other topics unchanged. */
  decorateTopic(topic: string): string {
    if (!this.#internalTopics.has(topic)) return topic;
    if (this.#applicationId === null) throw new TopologyException(`The application id must be set before internal topic ${topic} can be named.`);
    return `${this.#applicationId}-${topic}`;
  }

  changelogTopic(store: string): string {
    if (this.#applicationId === null) throw new TopologyException(`The application id must be set before the changelog of store ${store} can be named.`);
    return `${this.#applicationId}-${store}-changelog`;
  }

  /** Node names per sub-topology id, in the order nodes were added (Kafka's makeNodeGroups). */
  nodeGroups(): Map<number, string[]> {
    const groups = new Map<number, string[]>();
    const byRoot = new Map<string, string[]>();
    let nextId = 0;
    for (const name of this.#nodes.keys()) {
      const root = this.#grouper.root(name);
      let group = byRoot.get(root);
      if (!group) {
        group = [];
        byRoot.set(root, group);
        groups.set(nextId++, group);
      }
      group.push(name);
    }
    return groups;
  }

  describe(): TopologyDescription {
    const groups = [...this.nodeGroups()];
    const globalStores = groups
      .filter(([, names]) => this.#isGlobalGroup(names))
      .map(([id, names]) => {
        const source = names.find((n) => this.#globalSources.has(n))!;
        const processor = names.find((n) => n !== source)!;
        const def = this.#nodes.get(source) as SourceDef;
        return describeGlobalStore(id, source, processor, (this.#nodes.get(processor) as ProcessorDef).stores[0]!, def.topics[0]!);
      });
    const subtopologies = groups.filter(([, names]) => !this.#isGlobalGroup(names)).map(([id, names]) =>
      describeSubtopology(
        id,
        names.map((name): DescribableNode => {
          const def = this.#nodes.get(name)!;
          switch (def.kind) {
            case 'source':
              return { name, type: 'source', predecessors: [], topics: def.topics, pattern: def.pattern };
            case 'processor':
              return { name, type: 'processor', predecessors: def.predecessors, stores: def.stores };
            case 'sink':
              return typeof def.topic === 'string'
                ? { name, type: 'sink', predecessors: def.predecessors, topic: def.topic }
                : { name, type: 'sink', predecessors: def.predecessors, topic: null, extractor: def.topic };
          }
        }),
      ),
    );
    return topologyDescription(subtopologies, globalStores);
  }

  /** Sub-topologies with their topics (internal ones decorated) and stores. */
  subtopologyTopics(): SubtopologyTopics[] {
    return [...this.nodeGroups()].filter(([, names]) => !this.#isGlobalGroup(names)).map(([id, names]) => {
      const sourceTopics: string[] = [];
      const sinkTopics: string[] = [];
      const repartition: InternalTopicSpec[] = [];
      const stores: string[] = [];
      for (const name of names) {
        const def = this.#nodes.get(name)!;
        if (def.kind === 'source') {
          sourceTopics.push(...(this.#patternTopics.get(name) ?? []));
          for (const t of def.topics) {
            sourceTopics.push(this.decorateTopic(t));
            const internal = this.#internalTopics.get(t);
            if (internal) repartition.push({ ...internal, name: this.decorateTopic(t) });
          }
        } else if (def.kind === 'sink' && typeof def.topic === 'string') {
          sinkTopics.push(this.decorateTopic(def.topic));
        } else if (def.kind === 'processor') {
          for (const s of def.stores) if (!stores.includes(s)) stores.push(s);
        }
      }
      const changelogTopics = stores
        .map((s) => this.#stores.get(s)!)
        .filter((b) => b.loggingEnabled())
        .map((b) => ({ store: b.name, topic: this.changelogTopic(b.name), config: b.logConfig() }));
      return { id, sourceTopics, sinkTopics, repartitionSourceTopics: repartition, changelogTopics, stores };
    });
  }

  /** Groups of decorated source topics that must be co-partitioned. */
  copartitionGroups(): string[][] {
    return this.#copartitionGroups.map((sources) =>
      sources.flatMap((s) => {
        const def = this.#nodes.get(s);
        return def && def.kind === 'source' ? this.#sourceTopicsOf(def) : [];
      }),
    );
  }

  /** Regex sources, for subscription. */
  sourcePatterns(): ReadonlyArray<RegExp> {
    return this.#patterns.map((p) => p.pattern);
  }

  /** The decorated topics a source reads: its named topics, or what its pattern matched at the last resolution. */
  #sourceTopicsOf(def: SourceDef): string[] {
    if (def.pattern !== null) return [...(this.#patternTopics.get(def.name) ?? [])];
    return def.topics.map((t) => this.decorateTopic(t));
  }

  /**
   * Resolves the pattern sources against the topics of the cluster (Kafka's `setRegexMatchedTopicsToSourceNodes`):
   * a pattern matches a whole topic name (Java's `Matcher.matches`); this application's internal topics and the
   * topics named by other sources are never matched. Returns whether any source's topics changed.
   */
  resolvePatternTopics(clusterTopics: Iterable<string>): boolean {
    const appPrefix = this.#applicationId === null ? null : `${this.#applicationId}-`;
    const named = new Set<string>([...this.#globalTopics]);
    for (const def of this.#nodes.values()) if (def.kind === 'source' && def.pattern === null) for (const t of def.topics) named.add(this.decorateTopic(t));
    const candidates = [...new Set(clusterTopics)]
      .filter((t) => !named.has(t))
      .filter((t) => !(appPrefix !== null && t.startsWith(appPrefix) && (t.endsWith('-changelog') || t.endsWith('-repartition'))))
      .sort();
    let changed = false;
    for (const { pattern, source } of this.#patterns) {
      const matched = candidates.filter((t) => matchesWhole(pattern, t));
      const before = this.#patternTopics.get(source) ?? [];
      if (before.length !== matched.length || before.some((t, i) => t !== matched[i])) changed = true;
      this.#patternTopics.set(source, matched);
    }
    return changed;
  }

  /** The offset reset policy of the source reading `topic`, if one was set. */
  offsetResetFor(topic: string): AutoOffsetReset | null {
    for (const def of this.#nodes.values()) {
      if (def.kind === 'source' && this.#sourceTopicsOf(def).includes(topic)) return def.offsetReset;
    }
    return null;
  }

  /**
   * Builds fresh runtime nodes (new processor instances) for the given sub-topologies, or all of them.
   * Children are connected in the order nodes were added, which is the order records are forwarded in.
   */
  buildTopology(subtopologyIds?: ReadonlyArray<number>): ProcessorTopology {
    const groups = this.nodeGroups();
    const wanted = new Set<string>();
    for (const [id, names] of groups) {
      if (this.#isGlobalGroup(names)) continue;
      if (!subtopologyIds || subtopologyIds.includes(id)) for (const n of names) wanted.add(n);
    }
    return this.#build(wanted, (s) => this.#stores.get(s)!);
  }

  /** Builds fresh runtime nodes of the global stores' sources and processors, with the global stores' builders. */
  buildGlobalTopology(): ProcessorTopology | null {
    if (this.#globalStores.size === 0) return null;
    const wanted = new Set<string>();
    for (const [, names] of this.nodeGroups()) if (this.#isGlobalGroup(names)) for (const n of names) wanted.add(n);
    return this.#build(wanted, (s) => this.#globalStores.get(s)!);
  }

  #build(wanted: ReadonlySet<string>, storeBuilder: (name: string) => StoreBuilder<StateStore>): ProcessorTopology {
    const built = new Map<string, ProcessorNode>();
    const sourcesByTopic = new Map<string, SourceNode>();
    const storeNames: string[] = [];
    for (const [name, def] of this.#nodes) {
      if (!wanted.has(name)) continue;
      let node: ProcessorNode;
      switch (def.kind) {
        case 'source': {
          const source = new SourceNode(name, this.#sourceTopicsOf(def), def.keyDeserializer, def.valueDeserializer, def.timestampExtractor);
          for (const t of source.topics) sourcesByTopic.set(t, source);
          node = source;
          break;
        }
        case 'processor': {
          const processor = typeof def.supplier === 'function' ? def.supplier() : def.supplier.get();
          if (processor == null || typeof processor.process !== 'function') {
            throw new TopologyException(`The ProcessorSupplier of ${name} did not return a Processor (an object with process(record)).`);
          }
          node = new ProcessorNode(name, processor as ProcessorNode['processor'], def.stores);
          for (const s of def.stores) if (!storeNames.includes(s)) storeNames.push(s);
          break;
        }
        case 'sink': {
          const topic = typeof def.topic === 'string' ? this.decorateTopic(def.topic) : def.topic;
          node = new SinkNode(name, topic, def.keySerializer, def.valueSerializer, def.partitioner);
          break;
        }
      }
      for (const parent of def.predecessors) built.get(parent)!.addChild(node);
      built.set(name, node);
    }
    const storeBuilders = storeNames.map(storeBuilder);
    const changelogTopics = new Map<string, string>();
    if (this.#applicationId !== null) for (const b of storeBuilders) if (b.loggingEnabled()) changelogTopics.set(b.name, this.changelogTopic(b.name));
    return { nodes: [...built.values()], sourcesByTopic, storeBuilders, changelogTopics };
  }
}
