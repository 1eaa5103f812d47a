/**
 * Global tables and stores through the test driver (Kafka's GlobalKTableJoinsTest shapes and
 * InternalTopologyBuilderTest's global-store checks): lookups by a selected key, getters reaching global stores,
 * and the topology errors Kafka raises for global stores.
 */
import { Consumed, Materialized, Serdes, Stores, StreamsBuilder, Topology, TopologyException } from '@kstreams/streams';
import type { KeyValueStore, Processor, ProcessorContext, Record } from '@kstreams/streams';
import { S, drain, withDriver } from './helpers';

class Updater implements Processor<string, string> {
  #store!: KeyValueStore<string, string>;
  init(context: ProcessorContext): void {
    this.#store = context.getStateStore<KeyValueStore<string, string>>('rates');
  }
  process(record: Record<string, string>): void {
    this.#store.put(record.key, record.value);
  }
}

describe('GlobalKTable', () => {
  it('joins by the key the selector picks; the driver updates the global store at once (GlobalKTableJoinsTest)', () => {
    const b = new StreamsBuilder();
    const customers = b.globalTable<string, string>('customers', Materialized.as('customers-store'));
    b.stream<string, string>('orders')
      .leftJoin(customers, (_orderId, order) => order.split(':')[0]!, (order, customer) => `${order} by ${String(customer)}`)
      .to('out');
    withDriver(b.build(), (d) => {
      const c = d.createInputTopic('customers', S.serializer(), S.serializer());
      const o = d.createInputTopic('orders', S.serializer(), S.serializer());
      o.pipeInput('o1', 'c1:book', 1);
      c.pipeInput('c1', 'Alice', 2);
      o.pipeInput('o2', 'c1:pen', 3);
      expect(drain(d.createOutputTopic('out', S.deserializer(), S.deserializer()))).toEqual(['o1=c1:book by null@1', 'o2=c1:pen by Alice@3']);
      expect(d.getKeyValueStore<string, string>('customers-store')!.get('c1')).toBe('Alice');
      expect(b.build().describe().toString()).toContain('Sub-topology: 0 for global store (will not generate tasks)');
    });
  });

  it('a Processor-API global store is readable from any processor without connecting it', () => {
    const topology = new Topology()
      .addGlobalStore(
        Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore('rates'), Serdes.String(), Serdes.String()).withLoggingDisabled(),
        { name: 'rates-source', keyDeserializer: S.deserializer(), valueDeserializer: S.deserializer() },
        'rates',
        'rates-updater',
        () => new Updater(),
      )
      .addSource({ name: 'in', keyDeserializer: S.deserializer(), valueDeserializer: S.deserializer() }, 'amounts')
      .addProcessor(
        'convert',
        () => {
          let ctx!: ProcessorContext<string, string>;
          return {
            init: (c: ProcessorContext<string, string>) => {
              ctx = c;
            },
            process: (r: Record<string, string>) => {
              const rate = ctx.getStateStore<KeyValueStore<string, string>>('rates').get(r.key);
              ctx.forward(r.withValue(`${r.value}@${String(rate)}`));
            },
          };
        },
        'in',
      )
      .addSink({ name: 'sink', keySerializer: S.serializer(), valueSerializer: S.serializer() }, 'out', 'convert');
    withDriver(topology, (d) => {
      d.createInputTopic('rates', S.serializer(), S.serializer()).pipeInput('EUR', '1.1', 0);
      d.createInputTopic('amounts', S.serializer(), S.serializer()).pipeInput('EUR', '10', 1);
      expect(drain(d.createOutputTopic('out', S.deserializer(), S.deserializer()))).toEqual(['EUR=10@1.1@1']);
    });
  });

  it('refuses a logged global store, connecting a global store, and a topic read twice (InternalTopologyBuilder)', () => {
    const logged = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore('g'), S, S);
    expect(() => new Topology().addGlobalStore(logged, 's', 't', 'p', () => new Updater())).toThrow(
      new TopologyException('StateStore g for global table must not have logging enabled.'),
    );
    const t = new Topology().addGlobalStore(logged.withLoggingDisabled(), 's', 't', 'p', () => new Updater());
    t.addSource('src', 'other').addProcessor('x', () => new Updater(), 'src');
    expect(() => t.connectProcessorAndStateStores('x', 'g')).toThrow(
      'Global StateStore g can be used by a Processor without being specified; it should not be explicitly passed.',
    );
    expect(() => t.addSource('again', 't')).toThrow('Topic t has already been registered by another source.');
    expect(() => new Topology().addGlobalStore(logged.withLoggingDisabled(), 'same', 't', 'same', () => new Updater())).toThrow('sourceName and processorName must be different.');
  });

  it('StreamsBuilder.addGlobalStore disables logging itself and names source and processor from Consumed', () => {
    const b = new StreamsBuilder();
    b.addGlobalStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore('rates'), S, S), 'rates', Consumed.as<string, string>('fx'), () => new Updater());
    const text = b.build().describe().toString();
    expect(text).toBe(
      'Topologies:\n' +
        '   Sub-topology: 0 for global store (will not generate tasks)\n' +
        '    Source: fx-source (topics: [rates])\n' +
        '      --> fx\n' +
        '    Processor: fx (stores: [rates])\n' +
        '      --> none\n' +
        '      <-- fx-source\n',
    );
  });
});
