/**
 * What every DSL join shares: Kafka's naming rule (a given name still burns a generated index), the source
 * nodes a handle's sub-topology reads (for co-partitioning), and the repartition a key-changed stream gets
 * before it joins (`repartitionForJoin`, whose node a stream reuses for later joins of the same name).
 */
import type { Serde } from '../../serde/serde';
import type { GraphNode, RepartitionGraphNode } from '../graph/graph-node';
import type { InternalStreamsBuilder } from '../internal-streams-builder';
import { addRepartitionNode, repartitionNames } from './repartition';

/** Kafka's `NamedInternal.orElseGenerateWithPrefix`: the index is drawn even when a name is given. */
export function orElseGenerate(builder: InternalStreamsBuilder, name: string | null | undefined, prefix: string): string {
  const generated = builder.newProcessorName(prefix);
  return name ?? generated;
}

/** The source nodes feeding `node` within its sub-topology (stopping at sources and repartition topics). */
export function subTopologySourceNodes(node: GraphNode): string[] {
  const out: string[] = [];
  const seen = new Set<GraphNode>();
  const visit = (n: GraphNode): void => {
    if (seen.has(n)) return;
    seen.add(n);
    switch (n.kind) {
      case 'stream-source':
        out.push(n.name);
        return;
      case 'table-source':
      case 'repartition':
        out.push(n.sourceName);
        return;
      case 'root':
      case 'state-store':
        return;
      case 'processor':
        if (n.subTopologySources !== undefined) {
          out.push(...n.subTopologySources);
          return;
        }
        for (const p of n.parents) visit(p);
        return;
      default:
        for (const p of n.parents) visit(p);
    }
  };
  visit(node);
  return out;
}

/** A stream handle as the join code needs it. */
export interface JoinableStream {
  readonly builder: InternalStreamsBuilder;
  readonly node: GraphNode;
  readonly name: string;
  readonly keySerde: Serde<unknown> | null;
  readonly valueSerde: Serde<unknown> | null;
  readonly repartitionRequired: boolean;
}

const joinRepartitions = new WeakMap<object, { name: string; node: RepartitionGraphNode }>();

/**
 * Kafka's `KStreamImpl.repartitionForJoin`: always draws the three repartition names (topology compatibility),
 * but a stream joined twice under its own generated name reuses its first repartition node.
 */
export function repartitionForJoin(stream: JoinableStream, repartitionName: string, keySerde: Serde<unknown> | null, valueSerde: Serde<unknown> | null): RepartitionGraphNode {
  const names = repartitionNames(stream.builder, repartitionName);
  const cached = joinRepartitions.get(stream);
  if (cached !== undefined && stream.name === repartitionName) return cached.node;
  const node = addRepartitionNode(stream.builder, stream.node, names, {
    keySerde,
    valueSerializer: valueSerde?.serializer() ?? null,
    valueDeserializer: valueSerde?.deserializer() ?? null,
    partitioner: null,
    numberOfPartitions: null,
    withFilter: true,
  });
  joinRepartitions.set(stream, { name: repartitionName, node });
  return node;
}
