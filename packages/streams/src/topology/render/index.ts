/** Pictures of a topology: Mermaid, Graphviz DOT and a self-contained HTML page, from ours or Java's describe(). */
export { toMermaid } from './mermaid';
export { toDot } from './dot';
export { toHtml, graphToHtml, type HtmlOptions, type LiveStats } from './html';
export { topologyGraph, type TopologyGraph, type GraphNode, type GraphEdge, type GraphGroup, type GraphNodeKind } from './topology-graph';
