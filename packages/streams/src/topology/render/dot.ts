/**
 * The topology as Graphviz DOT: one cluster per sub-topology; processor nodes as boxes, stores as cylinders,
 * topics as folders; internal (repartition, changelog) topics dashed and changelog links dashed.
 */
import type { TopologyDescription } from '../topology-description';
import { topologyGraph, type GraphNode } from './topology-graph';

function q(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

const SHAPE: Record<GraphNode['kind'], string> = {
  source: 'shape=box, style="rounded,filled", fillcolor="#e8f5e9"',
  processor: 'shape=box, style="filled", fillcolor="#ffffff"',
  sink: 'shape=box, style="rounded,filled", fillcolor="#fce4ec"',
  store: 'shape=cylinder, style="filled", fillcolor="#eef6ff"',
  topic: 'shape=folder, style="filled", fillcolor="#f5f5f5"',
};

function node(n: GraphNode): string {
  const attrs = n.internal !== null ? SHAPE.topic.replace('style="filled"', 'style="filled,dashed"').replace('#f5f5f5', '#fff7e0') : SHAPE[n.kind];
  const label = q(n.label).slice(0, -1) + (n.internal !== null ? `\\n(${n.internal})"` : '"');
  return `${q(n.id)} [label=${label}, ${attrs}];`;
}

/** Graphviz `digraph` text for a description. */
export function toDot(description: TopologyDescription): string {
  const g = topologyGraph(description);
  const out: string[] = ['digraph topology {', '  rankdir=TB;', '  node [fontname="Helvetica", fontsize=11];', '  edge [fontname="Helvetica", fontsize=9];'];
  g.groups.forEach((group, i) => {
    out.push(`  subgraph cluster_${i} {`, `    label=${q(group.label)};`, `    style="rounded${group.global ? ',dashed' : ''}";`);
    for (const n of g.nodes) if (n.group === group.id) out.push(`    ${node(n)}`);
    out.push('  }');
  });
  for (const n of g.nodes) if (n.group === null) out.push(`  ${node(n)}`);
  for (const e of g.edges) {
    const attrs = e.kind === 'flow' ? '' : e.kind === 'store' ? ' [dir=none, style=dotted]' : ' [style=dashed, label="changelog"]';
    out.push(`  ${q(e.from)} -> ${q(e.to)}${attrs};`);
  }
  out.push('}');
  return out.join('\n') + '\n';
}
