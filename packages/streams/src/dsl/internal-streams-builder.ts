/**
 * The one mutable registry behind a `StreamsBuilder`: the name counter and the logical graph. Handles
 * (`KStream`, `KTable`, …) are immutable and only add nodes here.
 */
import type { StateStore } from '../state/state-store';
import type { StoreBuilder } from '../state/store-builder';
import { InternalTopologyBuilder } from '../topology/internal-topology-builder';
import { compile } from './graph/compile';
import { validateName } from './named';
import type { GraphNode, RootNode, StateStoreGraphNode } from './graph/graph-node';

/** Distributes `Omit` over a union, so each node kind keeps its own fields. */
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** A graph node as given to `addNode`: everything but the graph links. */
export type NewGraphNode = DistributiveOmit<Exclude<GraphNode, RootNode>, 'buildPriority' | 'parents' | 'children' | 'written'>;

export class InternalStreamsBuilder {
  #index = 0;
  #priority = 0;
  readonly root: RootNode = { kind: 'root', buildPriority: this.#priority++, parents: [], children: [], written: false };
  readonly #stateStores: StateStoreGraphNode[] = [];
  #built = false;

  /** `prefix` + a 10-digit index, e.g. `KSTREAM-FILTER-0000000003`. */
  newProcessorName(prefix: string): string {
    return prefix + String(this.#index++).padStart(10, '0');
  }

  /**
   * The name of a DSL operation: the user's name when given, else a generated `prefix` + index. An index is used
   * up either way (Kafka's `NamedInternal.orElseGenerateWithPrefix`: "we still need to burn index for the
   * operation"), so every name generated after a named operation is the one Kafka Streams generates. Every DSL
   * operation that accepts a `Named` (or a name in `Consumed`, `Produced`, `Grouped`) names itself through this.
   */
  nameOrGenerate(name: string | null | undefined, prefix: string): string {
    const generated = this.newProcessorName(prefix);
    return name ?? generated;
  }

  /**
   * `<name><suffix>` when the user gave a name, else a generated `prefix` + index; an index is used up either way
   * (Kafka's `NamedInternal.suffixWithOrElseGet`). The suffixed name is validated as a `Named` is.
   */
  suffixedNameOrGenerate(name: string | null | undefined, suffix: string, prefix: string): string {
    const generated = this.newProcessorName(prefix);
    if (name === null || name === undefined) return generated;
    validateName(name + suffix);
    return name + suffix;
  }

  /** `prefix` + `STATE-STORE-` + a 10-digit index, e.g. `KSTREAM-AGGREGATE-STATE-STORE-0000000003`. */
  newStoreName(prefix: string): string {
    return `${prefix}STATE-STORE-${String(this.#index++).padStart(10, '0')}`;
  }

  /** Adds a node below the given parents (the root for sources) and returns it. */
  addNode<N extends NewGraphNode>(parents: ReadonlyArray<GraphNode>, node: N): N & GraphNode {
    const full = { ...node, buildPriority: this.#priority++, parents: [...parents], children: [], written: false } as unknown as N & GraphNode;
    for (const p of parents) p.children.push(full);
    return full;
  }

  /** Adds an existing node below one more parent (a shared repartition node, a merge). */
  link(parent: GraphNode, child: GraphNode): void {
    if (!child.parents.includes(parent)) child.parents.push(parent);
    if (!parent.children.includes(child)) parent.children.push(child);
  }

  addStateStore(builder: StoreBuilder<StateStore>): void {
    this.#stateStores.push({ kind: 'state-store', storeBuilder: builder, buildPriority: this.#priority++, parents: [], children: [], written: false });
  }

  /** Compiles the graph into a physical topology builder (once). */
  build(): InternalTopologyBuilder {
    if (this.#built) throw new Error('InternalStreamsBuilder.build() called twice');
    this.#built = true;
    const builder = new InternalTopologyBuilder();
    compile(this.root, this.#stateStores, builder);
    return builder;
  }
}
