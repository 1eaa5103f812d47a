/**
 * `Topology.describe()`: the sub-topologies and their nodes, printed exactly as Kafka Streams prints them
 * (InternalTopologyBuilder.TopologyDescription), including its node ordering: nodes sorted by the size of the
 * sub-graph they root (descending), ties by name; fan-in and fan-out lists in the order they had when filled
 * while walking a Java HashMap of node names.
 */
import { javaHashOrder, javaSetToString } from './java-hash-order';

/** A node of a described topology. */
export interface NodeDescription {
  readonly name: string;
  readonly type: 'source' | 'processor' | 'sink';
  readonly predecessors: ReadonlyArray<NodeDescription>;
  readonly successors: ReadonlyArray<NodeDescription>;
  toString(): string;
}

/** A source node: the topics (or pattern) it reads. */
export interface SourceDescription extends NodeDescription {
  readonly type: 'source';
  readonly topicSet: ReadonlySet<string> | null;
  readonly topicPattern: RegExp | null;
}

/** A processor node and the stores connected to it. */
export interface ProcessorDescription extends NodeDescription {
  readonly type: 'processor';
  readonly stores: ReadonlySet<string>;
}

/** A sink node: the topic it writes, or its topic-name extractor. */
export interface SinkDescription extends NodeDescription {
  readonly type: 'sink';
  readonly topic: string | null;
  readonly topicNameExtractor: unknown;
}

/** A connected part of the topology; one task per partition runs it. */
export interface SubtopologyDescription {
  readonly id: number;
  readonly nodes: ReadonlyArray<NodeDescription>;
  toString(): string;
}

/** A global store: its source and state-update processor, run outside the tasks. */
export interface GlobalStoreDescription {
  readonly id: number;
  readonly source: SourceDescription;
  readonly processor: ProcessorDescription;
  toString(): string;
}

/** The whole topology; `toString()` is Kafka Streams' text. */
export interface TopologyDescription {
  readonly subtopologies: ReadonlyArray<SubtopologyDescription>;
  readonly globalStores: ReadonlyArray<GlobalStoreDescription>;
  toString(): string;
}

/** What the builder hands over to be described: one entry per node of a sub-topology. */
export interface DescribableNode {
  readonly name: string;
  readonly type: 'source' | 'processor' | 'sink';
  readonly predecessors: ReadonlyArray<string>;
  readonly topics?: ReadonlyArray<string> | null;
  readonly pattern?: RegExp | null;
  readonly stores?: ReadonlyArray<string>;
  readonly topic?: string | null;
  readonly extractor?: unknown;
}

function nodeNames(nodes: ReadonlyArray<NodeDescription>): string {
  return nodes.length === 0 ? 'none' : nodes.map((n) => n.name).join(', ');
}

function describeExtractor(extractor: unknown): string {
  if (typeof extractor === 'function') return extractor.name || 'anonymous TopicNameExtractor';
  return String(extractor);
}

class DescribedNode implements NodeDescription {
  size = 1;
  readonly predecessors: DescribedNode[] = [];
  readonly successors: DescribedNode[] = [];
  constructor(readonly spec: DescribableNode) {}

  get name(): string {
    return this.spec.name;
  }
  get type(): 'source' | 'processor' | 'sink' {
    return this.spec.type;
  }
  get topicSet(): ReadonlySet<string> | null {
    return this.spec.topics ? new Set(this.spec.topics) : null;
  }
  get topicPattern(): RegExp | null {
    return this.spec.pattern ?? null;
  }
  get stores(): ReadonlySet<string> {
    return new Set(this.spec.stores ?? []);
  }
  get topic(): string | null {
    return this.spec.topic ?? null;
  }
  get topicNameExtractor(): unknown {
    return this.spec.extractor ?? null;
  }

  toString(): string {
    const s = this.spec;
    switch (s.type) {
      case 'source': {
        const topics = s.topics && s.topics.length > 0 ? javaSetToString(s.topics) : String(s.pattern?.source);
        return `Source: ${s.name} (topics: ${topics})\n      --> ${nodeNames(this.successors)}`;
      }
      case 'processor':
        return (
          `Processor: ${s.name} (stores: ${javaSetToString(s.stores ?? [])})\n      --> ${nodeNames(this.successors)}` +
          `\n      <-- ${nodeNames(this.predecessors)}`
        );
      case 'sink':
        return s.topic != null
          ? `Sink: ${s.name} (topic: ${s.topic})\n      <-- ${nodeNames(this.predecessors)}`
          : `Sink: ${s.name} (extractor class: ${describeExtractor(s.extractor)})\n      <-- ${nodeNames(this.predecessors)}`;
    }
  }
}

/** Kafka's NodeComparator: larger sub-graph first, then name. Evaluated with the sizes of the moment. */
function compareNodes(a: DescribedNode, b: DescribedNode): number {
  if (a === b) return 0;
  if (a.size !== b.size) return b.size - a.size;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** Inserts into a list kept sorted by `compareNodes` at insertion time (TreeSet semantics: no duplicates). */
function sortedInsert(list: DescribedNode[], node: DescribedNode): void {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const c = compareNodes(node, list[mid]!);
    if (c === 0) return;
    if (c < 0) hi = mid;
    else lo = mid + 1;
  }
  list.splice(lo, 0, node);
}

function updateSize(node: DescribedNode, delta: number): void {
  node.size += delta;
  for (const p of node.predecessors) updateSize(p, delta);
}

class Subtopology implements SubtopologyDescription {
  constructor(
    readonly id: number,
    readonly nodes: ReadonlyArray<NodeDescription>,
  ) {}

  toString(): string {
    return `Sub-topology: ${this.id}\n${this.nodes.map((n) => `    ${n.toString()}\n`).join('')}\n`;
  }
}

/** Describes one sub-topology from its nodes, listed in the order they were added to the topology. */
export function describeSubtopology(id: number, nodesInInsertionOrder: ReadonlyArray<DescribableNode>): SubtopologyDescription {
  const byName = new Map<string, DescribedNode>();
  for (const spec of nodesInInsertionOrder) byName.set(spec.name, new DescribedNode(spec));
  for (const name of javaHashOrder(byName.keys())) {
    const node = byName.get(name)!;
    for (const predecessorName of node.spec.predecessors) {
      const predecessor = byName.get(predecessorName)!;
      sortedInsert(node.predecessors, predecessor);
      sortedInsert(predecessor.successors, node);
      updateSize(predecessor, node.size);
    }
  }
  const sorted = [...byName.values()].sort(compareNodes);
  return new Subtopology(id, sorted);
}

class GlobalStore implements GlobalStoreDescription {
  constructor(
    readonly id: number,
    readonly source: SourceDescription,
    readonly processor: ProcessorDescription,
  ) {}

  toString(): string {
    return `Sub-topology: ${this.id} for global store (will not generate tasks)\n    ${this.source.toString()}\n    ${this.processor.toString()}\n`;
  }
}

/** Describes a global store: its source (one topic) feeding its processor (one store). */
export function describeGlobalStore(id: number, sourceName: string, processorName: string, storeName: string, topic: string): GlobalStoreDescription {
  const source = new DescribedNode({ name: sourceName, type: 'source', predecessors: [], topics: [topic], pattern: null });
  const processor = new DescribedNode({ name: processorName, type: 'processor', predecessors: [sourceName], stores: [storeName] });
  source.successors.push(processor);
  processor.predecessors.push(source);
  return new GlobalStore(id, source as SourceDescription, processor as ProcessorDescription);
}

class Description implements TopologyDescription {
  constructor(
    readonly subtopologies: ReadonlyArray<SubtopologyDescription>,
    readonly globalStores: ReadonlyArray<GlobalStoreDescription>,
  ) {}

  /** Kafka's order: sub-topologies and global stores by id, a sub-topology first when its id is the one expected next. */
  toString(): string {
    let out = 'Topologies:\n ';
    let expectedId = 0;
    let si = 0;
    let gi = 0;
    while (si < this.subtopologies.length && gi < this.globalStores.length) {
      out += '  ';
      if (this.subtopologies[si]!.id === expectedId) out += this.subtopologies[si++]!.toString();
      else out += this.globalStores[gi++]!.toString();
      expectedId++;
    }
    while (si < this.subtopologies.length) out += `  ${this.subtopologies[si++]!.toString()}`;
    while (gi < this.globalStores.length) out += `  ${this.globalStores[gi++]!.toString()}`;
    return out;
  }
}

/** Assembles the description from sub-topologies and global stores (each sorted by id). */
export function topologyDescription(
  subtopologies: ReadonlyArray<SubtopologyDescription>,
  globalStores: ReadonlyArray<GlobalStoreDescription> = [],
): TopologyDescription {
  return new Description([...subtopologies].sort((a, b) => a.id - b.id), [...globalStores].sort((a, b) => a.id - b.id));
}
