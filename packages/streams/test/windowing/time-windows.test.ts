import { Consumed, Materialized, Produced, StreamsBuilder, TimeWindows, type KTable, type Windowed } from '@kstreams/streams';
import { drain, droppedRecords, L, S, withDriver } from './helpers';

/** `stream('in').groupByKey().windowedBy(windows).count(...)` printed as `[k@start/end]` to topic `out`. */
function countTopology(windows: TimeWindows, materialized = Materialized.as<string, number>('counts').withCachingDisabled()) {
  const b = new StreamsBuilder();
  const table: KTable<Windowed<string>, number> = b.stream<string, string>('in', Consumed.with(S, S)).groupByKey().windowedBy(windows).count(materialized);
  table.toStream().map((k, v) => ({ key: k.toString(), value: v })).to('out', Produced.with(S, L));
  return b.build();
}

describe('TimeWindows: tumbling', () => {
  it('SuppressScenarioTest raw output: count per window, last-record timestamp, late record after grace dropped', () => {
    // Kafka's SuppressScenarioTest.shouldSupportFinalResultsForTimeWindows, without the suppress
    let out: string[] = [];
    let dropped = 0;
    withDriver(countTopology(TimeWindows.ofSizeAndGrace(2, 1)), (d) => {
      const input = d.createInputTopic('in', S.serializer(), S.serializer());
      for (const ts of [0, 1, 2, 1, 0, 5, 0]) input.pipeInput('k1', 'v', ts);
      out = drain(d.createOutputTopic('out', S.deserializer(), L.deserializer()));
      dropped = droppedRecords(d);
    });
    expect(out).toEqual(['[k1@0/2]=1@0', '[k1@0/2]=2@1', '[k1@2/4]=1@2', '[k1@0/2]=3@1', '[k1@0/2]=4@1', '[k1@4/6]=1@5']);
    expect(dropped).toBe(1);
  });

  it('KStreamWindowAggregateTest: logs exactly what Kafka logs for records after grace', () => {
    let out: string[] = [];
    let dropped = 0;
    const b = new StreamsBuilder();
    b.stream<string, string>('topic', Consumed.with(S, S))
      .groupByKey()
      .windowedBy(TimeWindows.ofSizeAndGrace(10, 90).advanceBy(10))
      .aggregate(() => '', (_k, v, agg) => agg + '+' + v, Materialized.as<string, string>('agg').withCachingDisabled().withValueSerde(S))
      .toStream()
      .map((k, v) => ({ key: k.toString(), value: v }))
      .to('output', Produced.with(S, S));
    const logged = withDriver(b.build(), (d) => {
      const input = d.createInputTopic('topic', S.serializer(), S.serializer());
      input.pipeInput('k', '100', 200);
      input.pipeInput('k', '0', 100);
      input.pipeInput('k', '1', 101);
      input.pipeInput('k', '2', 102);
      input.pipeInput('k', '3', 103);
      input.pipeInput('k', '4', 104);
      input.pipeInput('k', '5', 105);
      input.pipeInput('k', '6', 6);
      out = drain(d.createOutputTopic('output', S.deserializer(), S.deserializer()));
      dropped = droppedRecords(d);
    });
    expect(out).toEqual(['[k@200/210]=+100@200']);
    expect(dropped).toBe(7);
    expect(logged).toEqual([
      'Skipping record for expired window. topic=[topic] partition=[0] offset=[1] timestamp=[100] window=[100,110) expiration=[110] streamTime=[200]',
      'Skipping record for expired window. topic=[topic] partition=[0] offset=[2] timestamp=[101] window=[100,110) expiration=[110] streamTime=[200]',
      'Skipping record for expired window. topic=[topic] partition=[0] offset=[3] timestamp=[102] window=[100,110) expiration=[110] streamTime=[200]',
      'Skipping record for expired window. topic=[topic] partition=[0] offset=[4] timestamp=[103] window=[100,110) expiration=[110] streamTime=[200]',
      'Skipping record for expired window. topic=[topic] partition=[0] offset=[5] timestamp=[104] window=[100,110) expiration=[110] streamTime=[200]',
      'Skipping record for expired window. topic=[topic] partition=[0] offset=[6] timestamp=[105] window=[100,110) expiration=[110] streamTime=[200]',
      'Skipping record for expired window. topic=[topic] partition=[0] offset=[7] timestamp=[6] window=[0,10) expiration=[110] streamTime=[200]',
    ]);
  });

  describe('boundaries (size 10, grace 5)', () => {
    const run = (timestamps: number[]) => {
      let out: string[] = [];
      let dropped = 0;
      withDriver(countTopology(TimeWindows.ofSizeAndGrace(10, 5)), (d) => {
        const input = d.createInputTopic('in', S.serializer(), S.serializer());
        for (const ts of timestamps) input.pipeInput('k', 'v', ts);
        out = drain(d.createOutputTopic('out', S.deserializer(), L.deserializer()));
        dropped = droppedRecords(d);
      });
      return { out, dropped };
    };

    it('a record exactly at the window end belongs to the next window', () => {
      expect(run([0, 10]).out).toEqual(['[k@0/10]=1@0', '[k@10/20]=1@10']);
    });

    it('an out-of-order record inside grace updates its window (stream time 14 < end 10 + grace 5)', () => {
      expect(run([0, 14, 3])).toEqual({ out: ['[k@0/10]=1@0', '[k@10/20]=1@14', '[k@0/10]=2@3'], dropped: 0 });
    });

    it('at stream time exactly end + grace the window is closed', () => {
      expect(run([0, 15, 3])).toEqual({ out: ['[k@0/10]=1@0', '[k@10/20]=1@15'], dropped: 1 });
    });

    it('one ms before end + grace the window is still open', () => {
      expect(run([0, 14, 9]).out).toEqual(['[k@0/10]=1@0', '[k@10/20]=1@14', '[k@0/10]=2@9']);
    });

    it('without grace, a record for a window whose end equals stream time is dropped (Appendix A.5)', () => {
      let dropped = 0;
      let out: string[] = [];
      withDriver(countTopology(TimeWindows.ofSizeWithNoGrace(10)), (d) => {
        const input = d.createInputTopic('in', S.serializer(), S.serializer());
        input.pipeInput('k', 'v', 10);
        input.pipeInput('k', 'v', 9);
        out = drain(d.createOutputTopic('out', S.deserializer(), L.deserializer()));
        dropped = droppedRecords(d);
      });
      expect(out).toEqual(['[k@10/20]=1@10']);
      expect(dropped).toBe(1);
    });
  });

  it('the store forgets windows past retention (size + grace by default), as Kafka', () => {
    withDriver(countTopology(TimeWindows.ofSizeWithNoGrace(10)), (d) => {
      const input = d.createInputTopic('in', S.serializer(), S.serializer());
      input.pipeInput('a', 'v', 1);
      const store = d.getTimestampedWindowStore<string, number>('counts')!;
      expect(store.fetch('a', 0)?.value).toBe(1);
      input.pipeInput('a', 'v', 12);
      expect(store.fetch('a', 0)).toBeNull();
      expect(store.fetch('a', 10)?.value).toBe(1);
    });
  });

  it('keys are windowed independently and the store holds each window with its max timestamp', () => {
    withDriver(countTopology(TimeWindows.ofSizeWithNoGrace(10), Materialized.as<string, number>('counts').withRetention(100)), (d) => {
      const input = d.createInputTopic('in', S.serializer(), S.serializer());
      input.pipeInput('a', 'v', 1);
      input.pipeInput('b', 'v', 2);
      input.pipeInput('a', 'v', 7);
      input.pipeInput('a', 'v', 12);
      const store = d.getTimestampedWindowStore<string, number>('counts')!;
      expect(store.fetch('a', 0)?.toString()).toBe('<2,7>');
      expect(store.fetch('b', 0)?.toString()).toBe('<1,2>');
      expect(store.fetch('a', 10)?.toString()).toBe('<1,12>');
      const all = store.fetchAll(0, 20);
      expect([...all].map((kv) => `${kv.key.toString()}=${kv.value.value}`)).toEqual(['[a@0/10]=2', '[b@0/10]=1', '[a@10/20]=1']);
      const plain = d.getWindowStore<string, number>('counts')!;
      expect([...plain.fetch('a', 0, 20)].map((kv) => `${kv.key}:${kv.value}`)).toEqual(['0:2', '10:1']);
      expect([...plain.backwardFetch('a', 0, 20)].map((kv) => `${kv.key}:${kv.value}`)).toEqual(['10:1', '0:2']);
    });
  });
});

describe('TimeWindows: hopping', () => {
  it('one record updates every window containing it', () => {
    let out: string[] = [];
    withDriver(countTopology(TimeWindows.ofSizeAndGrace(10, 20).advanceBy(5)), (d) => {
      const input = d.createInputTopic('in', S.serializer(), S.serializer());
      input.pipeInput('k', 'v', 7);
      input.pipeInput('k', 'v', 12);
      input.pipeInput('k', 'v', 3);
      out = drain(d.createOutputTopic('out', S.deserializer(), L.deserializer()));
    });
    // 7 is in [0,10) and [5,15); 12 in [5,15) and [10,20); 3 only in [0,10) (window [-5,5) does not exist)
    expect(out).toEqual(['[k@0/10]=1@7', '[k@5/15]=1@7', '[k@5/15]=2@12', '[k@10/20]=1@12', '[k@0/10]=2@7']);
  });

  it('drops per window: the closed ones are logged and counted, the open ones updated', () => {
    let out: string[] = [];
    let dropped = 0;
    const warnings = withDriver(countTopology(TimeWindows.ofSizeWithNoGrace(10).advanceBy(5)), (d) => {
      const input = d.createInputTopic('in', S.serializer(), S.serializer());
      input.pipeInput('k', 'v', 12);
      input.pipeInput('k', 'v', 8); // [0,10) closed at stream time 12, [5,15) open
      out = drain(d.createOutputTopic('out', S.deserializer(), L.deserializer()));
      dropped = droppedRecords(d);
    });
    expect(out).toEqual(['[k@5/15]=1@12', '[k@10/20]=1@12', '[k@5/15]=2@12']);
    expect(dropped).toBe(1);
    expect(warnings).toEqual([
      'Skipping record for expired window. topic=[in] partition=[0] offset=[1] timestamp=[8] window=[0,10) expiration=[12] streamTime=[12]',
    ]);
  });
});
