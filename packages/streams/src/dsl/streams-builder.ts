/**
 * `StreamsBuilder`: the DSL entry point. `stream()` and `table()` start handles; `build()` compiles the
 * recorded graph into a `Topology`.
 */
import { TopologyException } from '../errors';
import { KTableSourceSupplier } from '../processor/operators/ktable-source';
import type { StateStore } from '../state/state-store';
import type { StoreBuilder } from '../state/store-builder';
import { Topology } from '../topology/topology';
import { Consumed } from './consumed';
import { KStreamImpl } from './internals/kstream-impl';
import { KTableImpl } from './internals/ktable-impl';
import { InternalStreamsBuilder } from './internal-streams-builder';
import type { KStream } from './kstream';
import type { KTable } from './ktable';
import type { Materialized } from './materialized';
import { materializedInternal } from './materialized';
import { keyValueStoreBuilder } from './store-materializer';

export class StreamsBuilder {
  readonly #internal = new InternalStreamsBuilder();
  #topology: Topology | null = null;

  #checkOpen(): void {
    if (this.#topology) throw new TopologyException('The StreamsBuilder was already built; create a new one to define another topology.');
  }

  /**
   * A stream of the records of one or more topics (or of every topic matching a RegExp).
   * @example const lines = builder.stream<string, string>('streams-plaintext-input')
   */
  stream<K, V>(topics: string | ReadonlyArray<string> | RegExp, consumed?: Consumed<K, V>): KStream<K, V> {
    this.#checkOpen();
    const c = (consumed ?? Consumed.with<K, V>(null, null)).props;
    const pattern = topics instanceof RegExp ? topics : null;
    const list = topics instanceof RegExp ? [] : typeof topics === 'string' ? [topics] : [...topics];
    if (!pattern && list.length === 0) throw new TopologyException('You must provide at least one topic');
    const name = this.#internal.nameOrGenerate(c.name, 'KSTREAM-SOURCE-');
    const node = this.#internal.addNode([this.#internal.root], {
      kind: 'stream-source',
      name,
      topics: list,
      pattern,
      keyDeserializer: (c.keySerde?.deserializer() ?? null) as never,
      valueDeserializer: (c.valueSerde?.deserializer() ?? null) as never,
      timestampExtractor: c.timestampExtractor,
      offsetReset: c.offsetReset,
    });
    return new KStreamImpl<K, V>(this.#internal, node, c.keySerde, c.valueSerde, false);
  }

  /**
   * A table of the latest value per key of a topic (a changelog). Materialized only when named or when a
   * downstream operator needs it.
   * @example const users = builder.table('users', Consumed.with(Serdes.String(), Serdes.Json<User>()))
   */
  table<K, V>(topic: string, consumed?: Consumed<K, V> | Materialized<K, V>, materialized?: Materialized<K, V>): KTable<K, V> {
    this.#checkOpen();
    if (typeof topic !== 'string' || topic.length === 0) throw new TopologyException('table() needs one topic name.');
    const c = (consumed instanceof Consumed ? consumed : Consumed.with<K, V>(null, null)).props;
    const m = consumed instanceof Consumed ? (materialized ?? null) : (consumed ?? null);
    const mi = materializedInternal(m, () => this.#internal.newStoreName(`${topic}-`));
    // Kafka 4.1's InternalStreamsBuilder.table: the source is `<name>-source`, the table processor `<name>`.
    const sourceName = this.#internal.suffixedNameOrGenerate(c.name, '-source', 'KSTREAM-SOURCE-');
    const tableName = this.#internal.nameOrGenerate(c.name, 'KTABLE-SOURCE-');
    const storeName = mi.storeName!;
    const keySerde = mi.props.keySerde ?? c.keySerde;
    const valueSerde = mi.props.valueSerde ?? c.valueSerde;
    const supplier = new KTableSourceSupplier<K, V>(storeName, mi.queryable ? storeName : null);
    const node = this.#internal.addNode([this.#internal.root], {
      kind: 'table-source',
      name: tableName,
      sourceName,
      topic,
      supplier: supplier as never,
      storeBuilder: () => keyValueStoreBuilder(storeName, { ...mi.props, keySerde, valueSerde } as never),
      keyDeserializer: (c.keySerde?.deserializer() ?? null) as never,
      valueDeserializer: (c.valueSerde?.deserializer() ?? null) as never,
      timestampExtractor: c.timestampExtractor,
      offsetReset: c.offsetReset,
    });
    return new KTableImpl<K, V>(this.#internal, node, keySerde, valueSerde, supplier, mi.queryable ? storeName : null, null);
  }

  /** Adds a store that processors (`process`, `processValues`) connect to by name. */
  addStateStore(builder: StoreBuilder<StateStore>): this {
    this.#checkOpen();
    this.#internal.addStateStore(builder);
    return this;
  }

  /** Compiles the topology. Later calls return the same topology. */
  build(): Topology {
    this.#topology ??= new Topology(this.#internal.build());
    return this.#topology;
  }
}
