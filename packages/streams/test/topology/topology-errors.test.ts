import {
  Consumed,
  LogAndContinueExceptionHandler,
  Produced,
  Record,
  Serdes,
  Stores,
  StreamsBuilder,
  StreamsException,
  Topology,
  TopologyException,
} from '@kstreams/streams';
import type { Processor, ProcessorContext } from '@kstreams/streams';
import { TopologyTestDriver } from '@kstreams/test-utils';
import { L, S, withDriver } from '../dsl/driver';

const noop = () => ({ process() {} });

describe('invalid topologies throw TopologyException naming the node', () => {
  it('duplicate node names', () => {
    const t = new Topology().addSource('src', 'a');
    expect(() => t.addSource('src', 'b')).toThrow(new TopologyException('Processor src is already added.'));
    expect(() => t.addProcessor('src', noop, 'src')).toThrow(TopologyException);
  });

  it('unknown parents and processors as their own parent', () => {
    const t = new Topology().addSource('src', 'a');
    expect(() => t.addProcessor('p', noop, 'nope')).toThrow('Invalid topology: Predecessor processor nope is not added yet for p');
    expect(() => t.addProcessor('q', noop, 'q')).toThrow('Invalid topology: Processor q cannot be a predecessor of itself.');
  });

  it('a sink or processor without parents, and a sink used as parent', () => {
    const t = new Topology().addSource('src', 'a').addSink('out', 'topic', 'src');
    expect(() => t.addSink('s2', 'topic')).toThrow('Invalid topology: Sink s2 must have at least one parent');
    expect(() => t.addProcessor('p', noop)).toThrow('Invalid topology: Processor p must have at least one parent');
    expect(() => t.addProcessor('p', noop, 'out')).toThrow('Invalid topology: Sink out cannot be used a parent.');
  });

  it('a topic subscribed by two sources, and a source without topics', () => {
    const t = new Topology().addSource('one', 'shared');
    expect(() => t.addSource('two', 'shared')).toThrow('Invalid topology: Topic shared has already been registered by another source.');
    expect(() => t.addSource('three')).toThrow('Invalid topology: You must provide at least one topic');
    const b = new StreamsBuilder();
    b.stream('dup');
    b.stream('dup');
    expect(() => b.build()).toThrow('Invalid topology: Topic dup has already been registered by another source.');
  });

  it('unknown or unconnectable stores', () => {
    const t = new Topology().addSource('src', 'a').addProcessor('p', noop, 'src');
    expect(() => t.connectProcessorAndStateStores('p', 'missing')).toThrow('Invalid topology: StateStore missing is not added yet.');
    expect(() => t.connectProcessorAndStateStores('nope', 'missing')).toThrow('Invalid topology: Processor nope is not added yet.');
    const builder = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore('s'), S, S);
    t.addStateStore(builder, 'p');
    expect(() => t.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore('s'), S, S))).toThrow(
      'Invalid topology: A different StateStore has already been added with the name s',
    );
    expect(() => t.connectProcessorAndStateStores('src', 's')).toThrow('cannot connect a state store s to a source node or a sink node.');
  });

  it('a processor reading a store it is not connected to', () => {
    const t = new Topology()
      .addSource('src', 'a')
      .addProcessor('p', () => ({
        init(ctx: ProcessorContext<never, never>) {
          ctx.getStateStore('other');
        },
        process() {},
      }), 'src')
      .addProcessor('q', noop, 'src')
      .addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore('other'), S, S), 'q');
    expect(() => new TopologyTestDriver(t)).toThrow(/Processor p has no access to StateStore other/);
  });

  it('illegal names', () => {
    const b = new StreamsBuilder();
    expect(() => b.stream('a', Consumed.as('bad name!'))).toThrow(/Name "bad name!" is illegal/);
  });
});

/** Forwards an object where the sink expects a number. */
class ToObject implements Processor<string, string, string, unknown> {
  #ctx!: ProcessorContext<string, unknown>;
  init(ctx: ProcessorContext<string, unknown>): void {
    this.#ctx = ctx;
  }
  process(r: Record<string, string>): void {
    this.#ctx.forward(r.withValue({ not: 'a string' }));
  }
}

describe('bad records', () => {
  function longCounter(): Topology {
    const b = new StreamsBuilder();
    b.stream<string, number>('in', Consumed.with(S, L)).to('out', Produced.with(S, L));
    return b.build();
  }

  it('a record that cannot be deserialized fails with LogAndFail (the default), naming where it was', () => {
    const logs = withDriver(longCounter(), (d) => {
      const raw = d.createInputTopic('in', S.serializer(), S.serializer());
      expect(() => raw.pipeInput('k', 'not-a-long')).toThrow(/Deserialization exception handler is set to fail.*in-0 offset 0/);
    });
    expect(logs.records.map((r) => [r.level, r.message, r.error])).toEqual([
      ['error', 'Exception caught during Deserialization, taskId: 0_0, topic: in, partition: 0, offset: 0', 'Size of data received by LongDeserializer is not 8 (topic "in", got 10 bytes)'],
    ]);
  });

  it('LogAndContinue skips it and counts it as dropped; good records still flow', () => {
    const logs = withDriver(
      longCounter(),
      (d) => {
        d.createInputTopic('in', S.serializer(), S.serializer()).pipeInput('k', 'not-a-long');
        d.createInputTopic('in', S.serializer(), L.serializer()).pipeInput('k', 42);
        expect(d.createOutputTopic('out', S.deserializer(), L.deserializer()).readValuesToList()).toEqual([42]);
        expect(d.metrics().find((m) => m.name === 'dropped-records-total')?.value).toBe(1);
      },
      { deserializationExceptionHandler: new LogAndContinueExceptionHandler() },
    );
    expect(logs.records.map((r) => [r.level, r.message])).toEqual([['warn', 'Exception caught during Deserialization, taskId: 0_0, topic: in, partition: 0, offset: 0']]);
  });

  it('an exception in user code surfaces as StreamsException naming the processor and record', () => {
    const b = new StreamsBuilder();
    b.stream<string, string>('in', Consumed.with(S, S))
      .mapValues((v) => {
        if (v === 'boom') throw new Error('user bug');
        return v;
      })
      .to('out');
    withDriver(b.build(), (d) => {
      const input = d.createInputTopic('in', S.serializer(), S.serializer());
      input.pipeInput('k', 'fine');
      let error: unknown;
      try {
        input.pipeInput('k', 'boom');
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(StreamsException);
      expect((error as Error).message).toMatch(/processor=KSTREAM-MAPVALUES-0000000001, topic=in, partition=0, offset=1, error=Error: user bug/);
      expect(((error as Error).cause as Error).message).toBe('user bug');
    });
  });

  it('a value the sink serializer cannot handle names the sink and the topic', () => {
    const t = new Topology()
      .addSource('src', 'in')
      .addProcessor('p', () => new ToObject(), 'src')
      .addSink({ name: 'sink', valueSerializer: Serdes.Long().serializer() as never }, 'out', 'p');
    withDriver(t, (d) => {
      expect(() => d.createInputTopic('in', S.serializer(), S.serializer()).pipeInput('k', 'v')).toThrow(/Error serializing record to topic out in sink sink/);
    });
  });

  it('piping to a topic the topology does not read', () => {
    withDriver(longCounter(), (d) => {
      expect(() => d.createInputTopic('elsewhere', S.serializer(), S.serializer()).pipeInput('x')).toThrow('Unknown topic: elsewhere');
    });
  });

  it('a config key that does not exist', () => {
    expect(() => new TopologyTestDriver(longCounter(), { 'commit.intervall.ms': 5 } as never)).toThrow(/commit\.intervall\.ms/);
  });
});
