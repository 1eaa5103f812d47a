import { Produced, PunctuationType, Record, Serdes, Stores, StreamsBuilder, Topology } from '@kstreams/streams';
import type { FixedKeyProcessor, FixedKeyProcessorContext, FixedKeyRecord, KeyValueStore, Processor, ProcessorContext } from '@kstreams/streams';
import { L, S, withDriver } from '../dsl/driver';

/** Counts words into a store and forwards each new count (the WordCountProcessorDemo processor). */
class WordCounter implements Processor<string, string, string, number> {
  #context!: ProcessorContext<string, number>;
  #store!: KeyValueStore<string, number>;
  init(context: ProcessorContext<string, number>): void {
    this.#context = context;
    this.#store = context.getStateStore('Counts');
  }
  process(record: Record<string, string>): void {
    for (const word of record.value.toLowerCase().split(/\W+/).filter(Boolean)) {
      const count = (this.#store.get(word) ?? 0) + 1;
      this.#store.put(word, count);
      this.#context.forward(new Record(word, count, record.timestamp));
    }
  }
}

/** Sends `left` values to child L and the rest to R, recording where each record came from. */
class Router implements Processor<string, string, string, string> {
  #ctx!: ProcessorContext<string, string>;
  constructor(private readonly meta: string[]) {}
  init(ctx: ProcessorContext<string, string>): void {
    this.#ctx = ctx;
  }
  process(r: Record<string, string>): void {
    const m = this.#ctx.recordMetadata()!;
    this.meta.push(`${m.topic}/${m.partition}/${m.offset}`);
    this.#ctx.forward(r, r.value === 'left' ? 'L' : 'R');
  }
}

/** Re-keys each record by its value, with the value's length as the new value. */
class LengthByValue implements Processor<string, string, string, number> {
  #ctx!: ProcessorContext<string, number>;
  init(ctx: ProcessorContext<string, number>): void {
    this.#ctx = ctx;
  }
  process(r: Record<string, string>): void {
    this.#ctx.forward(new Record(r.value, r.value.length, r.timestamp));
  }
}

describe('Processor API', () => {
  it('runs a processor with a connected store and forwards to the sink', () => {
    const topology = new Topology()
      .addSource({ name: 'Source', keyDeserializer: S.deserializer(), valueDeserializer: S.deserializer() }, 'lines')
      .addProcessor('Process', () => new WordCounter(), 'Source')
      .addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore('Counts'), S, L), 'Process')
      .addSink({ name: 'Sink', keySerializer: S.serializer(), valueSerializer: L.serializer() }, 'counts', 'Process');
    withDriver(topology, (d) => {
      d.createInputTopic('lines', S.serializer(), S.serializer()).pipeInput('a b a');
      expect(d.createOutputTopic('counts', S.deserializer(), L.deserializer()).readKeyValuesToList()).toEqual([
        { key: 'a', value: 1 },
        { key: 'b', value: 1 },
        { key: 'a', value: 2 },
      ]);
      expect(d.getKeyValueStore<string, number>('Counts')!.get('a')).toBe(2);
    });
  });

  it('fires STREAM_TIME punctuations as Kafka Streams does (0, 10, 100 for records at 0,5,9,10,11,100)', () => {
    const fired: number[] = [];
    const topology = new Topology()
      .addSource('src', 'in')
      .addProcessor('p', () => ({
        init(ctx: ProcessorContext<never, never>) {
          ctx.schedule(10, PunctuationType.STREAM_TIME, (ts) => fired.push(ts));
        },
        process() {},
      }), 'src');
    withDriver(topology, (d) => {
      const input = d.createInputTopic('in', S.serializer(), S.serializer());
      for (const ts of [0, 5, 9, 10, 11, 100]) input.pipeInput('k', 'v', ts);
      expect(fired).toEqual([0, 10, 100]);
    });
  });

  it('fires WALL_CLOCK_TIME punctuations when wall-clock time advances, and cancel stops them', () => {
    const fired: number[] = [];
    const topology = new Topology()
      .addSource('src', 'in')
      .addProcessor('p', () => ({
        init(ctx: ProcessorContext<string, string>) {
          const schedule = ctx.schedule(1000, PunctuationType.WALL_CLOCK_TIME, (ts) => {
            fired.push(ts);
            ctx.forward(new Record('tick', String(ts), ts));
            if (fired.length === 2) schedule.cancel();
          });
        },
        process() {},
      }), 'src')
      .addSink('sink', 'ticks', 'p');
    withDriver(
      topology,
      (d) => {
        d.advanceWallClockTime(999);
        expect(fired).toEqual([]);
        d.advanceWallClockTime(1);
        d.advanceWallClockTime(2500); // one firing at 3500: missed ones are skipped, not replayed
        d.advanceWallClockTime(5000);
        expect(fired).toEqual([1000, 3500]);
        expect(d.createOutputTopic('ticks', S.deserializer(), S.deserializer()).readValuesToList()).toEqual(['1000', '3500']);
      },
      {},
    );
  });

  it('forward(record, childName) reaches only the named child; recordMetadata names the input', () => {
    const meta: string[] = [];
    const topology = new Topology()
      .addSource('src', 'in')
      .addProcessor('router', () => new Router(meta), 'src')
      .addSink('L', 'left', 'router')
      .addSink('R', 'right', 'router');
    withDriver(topology, (d) => {
      const input = d.createInputTopic('in', S.serializer(), S.serializer());
      input.pipeInput('k', 'left');
      input.pipeInput('k', 'right');
      expect(d.createOutputTopic('left', S.deserializer(), S.deserializer()).readValuesToList()).toEqual(['left']);
      expect(d.createOutputTopic('right', S.deserializer(), S.deserializer()).readValuesToList()).toEqual(['right']);
      expect(meta).toEqual(['in/0/0', 'in/0/1']);
    });
  });

  it('KStream.process and processValues run processors with stores from the builder', () => {
    class Dedupe implements FixedKeyProcessor<string, string, string> {
      #ctx!: FixedKeyProcessorContext<string, string>;
      #seen!: KeyValueStore<string, string>;
      init(ctx: FixedKeyProcessorContext<string, string>): void {
        this.#ctx = ctx;
        this.#seen = ctx.getStateStore('seen');
      }
      process(r: FixedKeyRecord<string, string>): void {
        if (this.#seen.get(r.key) === r.value) return;
        this.#seen.put(r.key, r.value);
        this.#ctx.forward(r.withValue(r.value.toUpperCase()));
      }
    }
    const b = new StreamsBuilder();
    b.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore('seen'), S, S));
    b.stream<string, string>('in')
      .processValues(() => new Dedupe(), 'seen')
      .process<string, number>(() => new LengthByValue())
      .to('out', Produced.with(S, Serdes.Long()));
    withDriver(b.build(), (d) => {
      const input = d.createInputTopic('in', S.serializer(), S.serializer());
      input.pipeInput('k', 'ab');
      input.pipeInput('k', 'ab');
      input.pipeInput('k', 'abc');
      expect(d.createOutputTopic('out', S.deserializer(), L.deserializer()).readKeyValuesToList()).toEqual([
        { key: 'AB', value: 2 },
        { key: 'ABC', value: 3 },
      ]);
    });
  });
});
