/**
 * Reads the text `Topology.describe().toString()` prints — ours or Java Kafka Streams' — back into a
 * `TopologyDescription`, so the renderers (mermaid, dot, html) serve Java users too. Printing the result gives
 * the same text back (sub-topologies, global stores, node order and edge order are kept as read).
 */
import { StreamsException } from '../errors';
import type {
  NodeDescription,
  ProcessorDescription,
  SourceDescription,
  SubtopologyDescription,
  TopologyDescription,
} from './topology-description';

/** The text is not a topology description; the message names the line. */
export class TopologyDescriptionParseException extends StreamsException {
  override readonly name: string = 'TopologyDescriptionParseException';
}

/** A global store's sub-topology: its source and the processor that maintains the store (no tasks). */
export interface GlobalStoreDescription {
  readonly id: number;
  readonly source: SourceDescription;
  readonly processor: ProcessorDescription;
  toString(): string;
}

/** A description read from text, with the global stores Java prints among the sub-topologies. */
export interface ParsedTopologyDescription extends TopologyDescription {
  readonly globalStores: ReadonlyArray<GlobalStoreDescription>;
}

type Kind = 'source' | 'processor' | 'sink';

class ParsedNode implements NodeDescription {
  readonly predecessors: ParsedNode[] = [];
  readonly successors: ParsedNode[] = [];
  successorNames: string[] = [];
  predecessorNames: string[] = [];
  constructor(
    readonly type: Kind,
    readonly name: string,
    /** topics (source, as listed), stores (processor) */
    readonly list: ReadonlyArray<string>,
    /** source pattern, sink topic or sink extractor text */
    readonly text: string | null,
    readonly isExtractor: boolean,
  ) {}

  get topicSet(): ReadonlySet<string> | null {
    return this.type === 'source' && this.text === null ? new Set(this.list) : null;
  }
  get topicPattern(): RegExp | null {
    return this.type === 'source' && this.text !== null ? new RegExp(this.text) : null;
  }
  get stores(): ReadonlySet<string> {
    return new Set(this.type === 'processor' ? this.list : []);
  }
  get topic(): string | null {
    return this.type === 'sink' && !this.isExtractor ? this.text : null;
  }
  get topicNameExtractor(): unknown {
    return this.type === 'sink' && this.isExtractor ? this.text : null;
  }

  toString(): string {
    const names = (l: ReadonlyArray<string>): string => (l.length === 0 ? 'none' : l.join(', '));
    switch (this.type) {
      case 'source':
        return `Source: ${this.name} (topics: ${this.text ?? `[${this.list.join(', ')}]`})\n      --> ${names(this.successorNames)}`;
      case 'processor':
        return `Processor: ${this.name} (stores: [${this.list.join(', ')}])\n      --> ${names(this.successorNames)}\n      <-- ${names(this.predecessorNames)}`;
      case 'sink':
        return `Sink: ${this.name} (${this.isExtractor ? 'extractor class' : 'topic'}: ${this.text})\n      <-- ${names(this.predecessorNames)}`;
    }
  }
}

class ParsedSubtopology implements SubtopologyDescription {
  constructor(
    readonly id: number,
    readonly nodes: ReadonlyArray<ParsedNode>,
  ) {}
  toString(): string {
    return `Sub-topology: ${this.id}\n${this.nodes.map((n) => `    ${n.toString()}\n`).join('')}\n`;
  }
}

class ParsedGlobalStore implements GlobalStoreDescription {
  constructor(
    readonly id: number,
    readonly source: SourceDescription,
    readonly processor: ProcessorDescription,
  ) {}
  toString(): string {
    return `Sub-topology: ${this.id} for global store (will not generate tasks)\n    ${this.source.toString()}\n    ${this.processor.toString()}\n\n`;
  }
}

class ParsedDescription implements ParsedTopologyDescription {
  constructor(readonly items: ReadonlyArray<ParsedSubtopology | ParsedGlobalStore>) {}
  get subtopologies(): ReadonlyArray<SubtopologyDescription> {
    return this.items.filter((i): i is ParsedSubtopology => i instanceof ParsedSubtopology);
  }
  get globalStores(): ReadonlyArray<GlobalStoreDescription> {
    return this.items.filter((i): i is ParsedGlobalStore => i instanceof ParsedGlobalStore);
  }
  toString(): string {
    return `Topologies:\n ${this.items.map((i) => `  ${i.toString()}`).join('')}`;
  }
}

const SUBTOPOLOGY = /^Sub-topology: (\d+)( for global store \(will not generate tasks\))?$/;
const NODE = /^(Source|Processor|Sink): (.+?) \((topics|stores|topic|extractor class): (.*)\)$/;
const EDGES = /^(-->|<--) (.*)$/;

function splitList(s: string): string[] {
  return s === 'none' || s === '' ? [] : s.split(', ');
}

/**
 * Parses describe() text (Kafka Streams' format; leading indentation may vary, as when pasted from logs).
 * @throws TopologyDescriptionParseException naming the first line it cannot read
 */
export function parseTopologyDescription(text: string): ParsedTopologyDescription {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  let i = 0;
  while (i < lines.length && lines[i]!.trim() === '') i++;
  if (lines[i]?.trim() !== 'Topologies:') throw new TopologyDescriptionParseException(`line ${i + 1}: expected "Topologies:", got "${lines[i] ?? ''}"`);
  i++;
  const groups: Array<{ id: number; global: boolean; nodes: ParsedNode[]; line: number }> = [];
  let node: ParsedNode | null = null;
  for (; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    const sub = SUBTOPOLOGY.exec(line);
    if (sub) {
      groups.push({ id: Number(sub[1]), global: sub[2] !== undefined, nodes: [], line: i + 1 });
      node = null;
      continue;
    }
    const group = groups[groups.length - 1];
    const n = NODE.exec(line);
    if (n) {
      if (!group) throw new TopologyDescriptionParseException(`line ${i + 1}: a node before any "Sub-topology:" line: "${line}"`);
      const [, kindWord, name, field, value] = n as unknown as [string, string, string, string, string];
      const kind = kindWord.toLowerCase() as Kind;
      const expected = { source: ['topics'], processor: ['stores'], sink: ['topic', 'extractor class'] }[kind];
      if (!expected.includes(field)) throw new TopologyDescriptionParseException(`line ${i + 1}: a ${kindWord} has "${field}:", expected ${expected.join(' or ')}`);
      const bracketed = value.startsWith('[') && value.endsWith(']');
      if (kind === 'processor' && !bracketed) throw new TopologyDescriptionParseException(`line ${i + 1}: stores must be a [list], got "${value}"`);
      node =
        kind === 'sink'
          ? new ParsedNode(kind, name, [], value, field === 'extractor class')
          : bracketed
            ? new ParsedNode(kind, name, splitList(value.slice(1, -1)), null, false)
            : new ParsedNode(kind, name, [], value, false);
      group.nodes.push(node);
      continue;
    }
    const e = EDGES.exec(line);
    if (e && node) {
      if (e[1] === '-->') node.successorNames = splitList(e[2]!);
      else node.predecessorNames = splitList(e[2]!);
      continue;
    }
    throw new TopologyDescriptionParseException(`line ${i + 1}: cannot read "${line}"`);
  }
  const items = groups.map((g) => {
    const byName = new Map(g.nodes.map((n) => [n.name, n]));
    for (const n of g.nodes) {
      for (const s of n.successorNames) {
        const target = byName.get(s);
        if (!target) throw new TopologyDescriptionParseException(`sub-topology ${g.id} (line ${g.line}): ${n.name} --> ${s}, which is not a node of that sub-topology`);
        n.successors.push(target);
      }
      for (const p of n.predecessorNames) {
        const source = byName.get(p);
        if (!source) throw new TopologyDescriptionParseException(`sub-topology ${g.id} (line ${g.line}): ${n.name} <-- ${p}, which is not a node of that sub-topology`);
        n.predecessors.push(source);
      }
    }
    if (!g.global) return new ParsedSubtopology(g.id, g.nodes);
    const [source, processor] = g.nodes;
    if (g.nodes.length !== 2 || source?.type !== 'source' || processor?.type !== 'processor') {
      throw new TopologyDescriptionParseException(`sub-topology ${g.id} (line ${g.line}): a global store has one source and one processor`);
    }
    return new ParsedGlobalStore(g.id, source as unknown as SourceDescription, processor as unknown as ProcessorDescription);
  });
  return new ParsedDescription(items);
}

/** The global stores of a description, when it has them (one read from text does). */
export function globalStoresOf(description: TopologyDescription): ReadonlyArray<GlobalStoreDescription> {
  const g = (description as Partial<ParsedTopologyDescription>).globalStores;
  return Array.isArray(g) ? g : [];
}
