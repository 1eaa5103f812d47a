/**
 * The topology as a Mermaid flowchart: one subgraph per sub-topology, sources as stadiums, sinks as
 * trapezoids, stores as cylinders, topics as flags; internal topics and changelog links dashed.
 */
import type { TopologyDescription } from '../topology-description';
import { topologyGraph, type GraphNode } from './topology-graph';

function quote(label: string): string {
  return `"${label.replace(/"/g, '#quot;')}"`;
}

function shape(n: GraphNode, id: string): string {
  const l = quote(n.label);
  switch (n.kind) {
    case 'source':
      return `${id}([${l}])`;
    case 'processor':
      return `${id}[${l}]`;
    case 'sink':
      return `${id}[/${l}\\]`;
    case 'store':
      return `${id}[(${l})]`;
    case 'topic':
      return `${id}>${l}]`;
  }
}

/** Mermaid `flowchart` text for a description. */
export function toMermaid(description: TopologyDescription): string {
  const g = topologyGraph(description);
  const ids = new Map<string, string>();
  g.nodes.forEach((n, i) => ids.set(n.id, `${n.kind === 'topic' ? 't' : n.kind === 'store' ? 's' : 'n'}${i}`));
  const out: string[] = ['flowchart TB'];
  for (const group of g.groups) {
    out.push(`  subgraph ${group.id.replace(':', '')}[${quote(group.label)}]`);
    for (const n of g.nodes) if (n.group === group.id) out.push(`    ${shape(n, ids.get(n.id)!)}`);
    out.push('  end');
  }
  for (const n of g.nodes) if (n.group === null) out.push(`  ${shape(n, ids.get(n.id)!)}`);
  for (const e of g.edges) {
    const arrow = e.kind === 'flow' ? '-->' : e.kind === 'store' ? '---' : '-.->';
    out.push(`  ${ids.get(e.from)} ${arrow} ${ids.get(e.to)}`);
  }
  out.push('  classDef internal stroke-dasharray: 5 5,fill:#fff7e0;');
  out.push('  classDef store fill:#eef6ff;');
  const internal = g.nodes.filter((n) => n.internal !== null).map((n) => ids.get(n.id)!);
  if (internal.length > 0) out.push(`  class ${internal.join(',')} internal;`);
  const stores = g.nodes.filter((n) => n.kind === 'store').map((n) => ids.get(n.id)!);
  if (stores.length > 0) out.push(`  class ${stores.join(',')} store;`);
  return out.join('\n') + '\n';
}
