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
import type { ProcessorSupplier } from '../processor/api';
import type { GlobalKTable } from './global-ktable';
import { GlobalKTableImpl } from './internals/global-ktable-impl';
import type { InternalStreamsBuilder as Names } from './internal-streams-builder';
import { validateName } from './named';

/** Kafka's `NamedInternal.suffixWithOrElseGet(suffix, provider, prefix)`: an index is drawn even when named. */
function suffixOrGenerate(names: Names, name: string | null, suffix: string, prefix: string): string {
  const generated = names.newProcessorName(prefix);
  if (name === null) return generated;
  validateName(name + suffix);
  return name + suffix;
}

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

  /**
   * A table replicated in full on every instance, read from `topic` (its store always materialized, never
   * change-logged: the topic is its changelog). Streams join it by any key without co-partitioning.
   * @example const products = builder.globalTable('products', Consumed.with(Serdes.String(), Serdes.Json<Product>()))
   */
  globalTable<K, V>(topic: string, consumed?: Consumed<K, V> | Materialized<K, V>, materialized?: Materialized<K, V>): GlobalKTable<K, V> {
    this.#checkOpen();
    if (typeof topic !== 'string' || topic.length === 0) throw new TopologyException('globalTable() needs one topic name.');
    const c = (consumed instanceof Consumed ? consumed : Consumed.with<K, V>(null, null)).props;
    const m = consumed instanceof Consumed ? (materialized ?? null) : (consumed ?? null);
    const mi = materializedInternal(m, () => this.#internal.newStoreName(`${topic}-`));
    const sourceName = suffixOrGenerate(this.#internal, c.name, '-source', 'KSTREAM-SOURCE-');
    const generated = this.#internal.newProcessorName('KTABLE-SOURCE-');
    const processorName = c.name ?? generated;
    const storeName = mi.storeName!;
    // always the serdes of Consumed, and no changelog (Kafka's InternalStreamsBuilder.globalTable)
    const props = { ...mi.props, keySerde: c.keySerde, valueSerde: c.valueSerde, loggingEnabled: false };
    const supplier = new KTableSourceSupplier<K, V>(storeName, storeName);
    this.#internal.addNode([this.#internal.root], {
      kind: 'global-store',
      name: processorName,
      sourceName,
      topic,
      storeBuilder: keyValueStoreBuilder(storeName, props as never),
      supplier: supplier as never,
      keyDeserializer: (c.keySerde?.deserializer() ?? null) as never,
      valueDeserializer: (c.valueSerde?.deserializer() ?? null) as never,
      timestampExtractor: c.timestampExtractor,
      offsetReset: null,
    });
    return new GlobalKTableImpl<K, V>(this.#internal, storeName, mi.queryable ? storeName : null);
  }

  /**
   * Adds a global store kept by your own processor from `topic` (Kafka's `addGlobalStore`); its logging is
   * disabled (the topic is its changelog). Any processor may read it without connecting it.
   */
  addGlobalStore<KIn, VIn>(storeBuilder: StoreBuilder<StateStore>, topic: string, consumed: Consumed<KIn, VIn>, stateUpdateSupplier: ProcessorSupplier<KIn, VIn, never, never>): this {
    this.#checkOpen();
    if (storeBuilder == null) throw new TopologyException("storeBuilder can't be null");
    if (!(consumed instanceof Consumed)) throw new TopologyException("consumed can't be null");
    const c = consumed.props;
    const sourceName = suffixOrGenerate(this.#internal, c.name, '-source', 'KSTREAM-SOURCE-');
    const generated = this.#internal.newProcessorName('KTABLE-SOURCE-');
    this.#internal.addNode([this.#internal.root], {
      kind: 'global-store',
      name: c.name ?? generated,
      sourceName,
      topic,
      storeBuilder: storeBuilder.withLoggingDisabled(),
      supplier: stateUpdateSupplier as never,
      keyDeserializer: (c.keySerde?.deserializer() ?? null) as never,
      valueDeserializer: (c.valueSerde?.deserializer() ?? null) as never,
      timestampExtractor: c.timestampExtractor,
      offsetReset: null,
    });
    return this;
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
