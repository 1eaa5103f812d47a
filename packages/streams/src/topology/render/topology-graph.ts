/**
 * The picture's model: a topology description turned into one graph of processor nodes, topics and stores,
 * grouped by sub-topology, that every renderer (mermaid, dot, html) draws the same way. Internal topics are
 * marked: `…-repartition` topics (written by one sub-topology, read by another) and each store's
 * `<store>-changelog` (drawn for every store but global ones; a store built with logging disabled has none).
 */
import type { TopologyDescription } from '../topology-description';
import { globalStoresOf } from '../description-parser';

export type GraphNodeKind = 'source' | 'processor' | 'sink' | 'topic' | 'store';

export interface GraphNode {
  /** Stable id: `node:<name>`, `topic:<name>` or `store:<name>`. */
  readonly id: string;
  readonly kind: GraphNodeKind;
  readonly label: string;
  /** The sub-topology (or global store group) a processor node or store belongs to; topics belong to none. */
  readonly group: string | null;
  /** `repartition` or `changelog` for topics the application owns; `null` for user topics and non-topics. */
  readonly internal: 'repartition' | 'changelog' | null;
  /** What a reader wants on hover or click: type, topics, stores, predecessors, successors. */
  readonly details: ReadonlyArray<readonly [string, string]>;
}

export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  /** `flow`: records between nodes or through a topic; `store`: a processor's store; `changelog`: store to its changelog. */
  readonly kind: 'flow' | 'store' | 'changelog';
}

export interface GraphGroup {
  readonly id: string;
  readonly label: string;
  readonly global: boolean;
}

export interface TopologyGraph {
  readonly groups: ReadonlyArray<GraphGroup>;
  readonly nodes: ReadonlyArray<GraphNode>;
  readonly edges: ReadonlyArray<GraphEdge>;
}

function isRepartition(topic: string): boolean {
  return topic.endsWith('-repartition');
}

/** Builds the graph of a description (ours, or one parsed from Java's text). */
export function topologyGraph(description: TopologyDescription): TopologyGraph {
  const groups: GraphGroup[] = [];
  const nodes = new Map<string, GraphNode>();
  const edges: GraphEdge[] = [];
  const edgeKeys = new Set<string>();
  const storeUsers = new Map<string, string[]>();
  const topicReaders = new Map<string, string[]>();
  const topicWriters = new Map<string, string[]>();

  const addEdge = (from: string, to: string, kind: GraphEdge['kind']): void => {
    const key = `${from}\u0000${to}\u0000${kind}`;
    if (edgeKeys.has(key)) return;
    edgeKeys.add(key);
    edges.push({ from, to, kind });
  };
  const addTopic = (topic: string): string => {
    const id = `topic:${topic}`;
    if (!nodes.has(id)) nodes.set(id, { id, kind: 'topic', label: topic, group: null, internal: isRepartition(topic) ? 'repartition' : null, details: [] });
    return id;
  };
  const addStore = (store: string, group: string, user: string): string => {
    const id = `store:${store}`;
    if (!nodes.has(id)) nodes.set(id, { id, kind: 'store', label: store, group, internal: null, details: [] });
    const users = storeUsers.get(store) ?? [];
    users.push(user);
    storeUsers.set(store, users);
    return id;
  };
  const push = (map: Map<string, string[]>, k: string, v: string): void => {
    const l = map.get(k) ?? [];
    l.push(v);
    map.set(k, l);
  };

  const items: Array<{ id: number; global: boolean; nodes: TopologyDescription['subtopologies'][number]['nodes'] }> = [
    ...description.subtopologies.map((s) => ({ id: s.id, global: false, nodes: s.nodes })),
    ...globalStoresOf(description).map((g) => ({ id: g.id, global: true, nodes: [g.source, g.processor] })),
  ].sort((a, b) => a.id - b.id);

  for (const item of items) {
    const group = `group:${item.id}`;
    groups.push({ id: group, label: item.global ? `Sub-topology: ${item.id} (global store)` : `Sub-topology: ${item.id}`, global: item.global });
    for (const n of item.nodes) {
      const id = `node:${n.name}`;
      const details: Array<readonly [string, string]> = [
        ['type', n.type],
        ['sub-topology', String(item.id) + (item.global ? ' (global store, no tasks)' : '')],
      ];
      if (n.type === 'source') {
        const src = n as unknown as { topicSet: ReadonlySet<string> | null; topicPattern: RegExp | null };
        if (src.topicSet) {
          details.push(['topics', [...src.topicSet].join(', ')]);
          for (const t of src.topicSet) {
            addEdge(addTopic(t), id, 'flow');
            push(topicReaders, t, n.name);
          }
        } else if (src.topicPattern) {
          details.push(['topic pattern', src.topicPattern.source]);
          addEdge(addTopic(`/${src.topicPattern.source}/`), id, 'flow');
        }
      } else if (n.type === 'processor') {
        const stores = [...(n as unknown as { stores: ReadonlySet<string> }).stores];
        if (stores.length > 0) details.push(['stores', stores.join(', ')]);
        for (const s of stores) addEdge(id, addStore(s, group, n.name), 'store');
      } else {
        const sink = n as unknown as { topic: string | null; topicNameExtractor: unknown };
        if (sink.topic !== null) {
          details.push(['topic', sink.topic]);
          addEdge(id, addTopic(sink.topic), 'flow');
          push(topicWriters, sink.topic, n.name);
        } else {
          details.push(['topic name extractor', String(sink.topicNameExtractor)]);
        }
      }
      if (n.predecessors.length > 0) details.push(['predecessors', n.predecessors.map((p) => p.name).join(', ')]);
      if (n.successors.length > 0) details.push(['successors', n.successors.map((p) => p.name).join(', ')]);
      nodes.set(id, { id, kind: n.type, label: n.name, group, internal: null, details });
      for (const s of n.successors) addEdge(id, `node:${s.name}`, 'flow');
    }
  }
  // changelogs: one per store, written by the store; a global store has none (its source topic is its log)
  const globalGroups = new Set(groups.filter((gr) => gr.global).map((gr) => gr.id));
  for (const [store, users] of storeUsers) {
    const storeNode = nodes.get(`store:${store}`)!;
    if (globalGroups.has(storeNode.group ?? '')) {
      nodes.set(storeNode.id, { ...storeNode, details: [['type', 'global state store'], ['used by', [...new Set(users)].join(', ')], ['restored from', 'its source topic']] });
      continue;
    }
    const changelog = `${store}-changelog`;
    const id = `topic:${changelog}`;
    nodes.set(storeNode.id, { ...storeNode, details: [['type', 'state store'], ['used by', [...new Set(users)].join(', ')], ['changelog', `<application.id>-${changelog}`]] });
    nodes.set(id, { id, kind: 'topic', label: changelog, group: null, internal: 'changelog', details: [['type', 'changelog topic (internal)'], ['store', store], ['name', `<application.id>-${changelog}`]] });
    addEdge(storeNode.id, id, 'changelog');
  }
  for (const [id, n] of nodes) {
    if (n.kind !== 'topic' || n.internal === 'changelog') continue;
    const topic = n.label;
    const details: Array<readonly [string, string]> = [['type', n.internal === 'repartition' ? 'repartition topic (internal)' : 'topic']];
    if (n.internal === 'repartition') details.push(['name', `<application.id>-${topic}`]);
    const writers = topicWriters.get(topic);
    const readers = topicReaders.get(topic);
    if (writers) details.push(['written by', writers.join(', ')]);
    if (readers) details.push(['read by', readers.join(', ')]);
    nodes.set(id, { ...n, details });
  }
  return { groups, nodes: [...nodes.values()], edges };
}
