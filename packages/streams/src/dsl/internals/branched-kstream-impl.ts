/**
 * `KStream.split()`: a splitter node (`KSTREAM-BRANCH-n`) with one pass-through child per branch, named
 * `<splitter><branch name>` or `<splitter><index>` (1-based; the default branch is index 0).
 */
import type { Predicate } from '../../processor/operators/functions';
import { KStreamBranch } from '../../processor/operators/kstream-branch';
import { KStreamPassThrough } from '../../processor/operators/kstream-pass-through';
import { Branched } from '../branched';
import type { BranchedKStream } from '../branched-kstream';
import type { GraphNode } from '../graph/graph-node';
import type { KStream } from '../kstream';
import { KStreamImpl } from './kstream-impl';

export class BranchedKStreamImpl<K, V> implements BranchedKStream<K, V> {
  readonly #predicates: Array<Predicate<K, V>> = [];
  readonly #childNames: string[] = [];
  #hasDefault = false;
  readonly #outputs = new Map<string, KStream<K, V>>();
  readonly #splitter: GraphNode;

  constructor(
    private readonly source: KStreamImpl<K, V>,
    private readonly splitterName: string,
  ) {
    const predicates = this.#predicates;
    const childNames = this.#childNames;
    const hasDefault = () => this.#hasDefault;
    this.#splitter = source.builder.addNode([source.node], {
      kind: 'processor',
      name: splitterName,
      supplier: () =>
        new KStreamBranch<K, V>([...predicates], childNames.slice(0, predicates.length), hasDefault() ? childNames[childNames.length - 1]! : null) as never,
      storeBuilders: [],
      connectedStores: [],
    });
  }

  branch(predicate: Predicate<K, V>, branched?: Branched<K, V>): BranchedKStream<K, V> {
    if (typeof predicate !== 'function') throw new TypeError('predicate must be a function');
    this.#predicates.push(predicate);
    this.#createBranch(branched ?? Branched.as<K, V>(null as never), this.#predicates.length, branched === undefined);
    return this;
  }

  defaultBranch(branched?: Branched<K, V>): Map<string, KStream<K, V>> {
    this.#hasDefault = true;
    this.#createBranch(branched ?? Branched.as<K, V>(null as never), 0, branched === undefined);
    return this.#outputs;
  }

  noDefaultBranch(): Map<string, KStream<K, V>> {
    return this.#outputs;
  }

  #createBranch(branched: Branched<K, V>, index: number, unnamed: boolean): void {
    const childName = this.splitterName + (unnamed || branched.name === null ? String(index) : branched.name);
    this.#childNames.push(childName);
    this.source.builder.newProcessorName(childName); // burns one index, as Kafka Streams does
    const node = this.source.builder.addNode([this.#splitter], {
      kind: 'processor',
      name: childName,
      supplier: () => new KStreamPassThrough() as never,
      storeBuilders: [],
      connectedStores: [],
    });
    const branch = new KStreamImpl<K, V>(this.source.builder, node, this.source.keySerde, this.source.valueSerde, this.source.repartitionRequired);
    if (!unnamed && branched.chain) {
      const result = branched.chain(branch);
      if (!branched.isConsumer && result) this.#outputs.set(childName, result);
    } else {
      this.#outputs.set(childName, branch);
    }
  }
}
