import { Consumed, EmitStrategy, Materialized, Produced, SlidingWindows, StreamsBuilder } from '@kstreams/streams';
import { drain, droppedRecords, L, S, withDriver } from './helpers';

function aggregateTopology(windows: SlidingWindows, onClose = false) {
  const b = new StreamsBuilder();
  const windowed = b.stream<string, string>('topic', Consumed.with(S, S)).groupByKey().windowedBy(windows);
  (onClose ? windowed.emitStrategy(EmitStrategy.onWindowClose()) : windowed)
    .aggregate(() => '0', (_k, v, agg) => `${agg}+${v}`, Materialized.as<string, string>('store-name').withValueSerde(S).withCachingDisabled())
    .toStream()
    .map((k, v) => ({ key: k.toString(), value: v }))
    .to('out', Produced.with(S, S));
  return b.build();
}

/** Output grouped by window start as `value@ts`, as Kafka's test gathers it. */
function byWindowStart(records: string[]): Map<number, string[]> {
  const out = new Map<number, string[]>();
  for (const r of records) {
    const m = /^\[A@(\d+)\/\d+\]=(.*)$/.exec(r)!;
    const start = Number(m[1]);
    out.set(start, [...(out.get(start) ?? []), m[2]!].sort());
  }
  return out;
}

const input = [
  ['1', 10],
  ['2', 10],
  ['3', 14],
  ['4', 15],
  ['5', 20],
  ['6', 22],
  ['7', 30],
] as const;

describe('SlidingWindows', () => {
  it('KStreamSlidingWindowAggregateTest.testAggregateSmallInput (emit on update)', () => {
    let out: string[] = [];
    withDriver(aggregateTopology(SlidingWindows.ofTimeDifferenceAndGrace(10, 5)), (d) => {
      const t = d.createInputTopic('topic', S.serializer(), S.serializer());
      for (const [v, ts] of input) t.pipeInput('A', v, ts);
      out = drain(d.createOutputTopic('out', S.deserializer(), S.deserializer()));
    });
    const expected = new Map<number, string[]>([
      [0, ['0+1@10', '0+1+2@10']],
      [4, ['0+1+2+3@14']],
      [5, ['0+1+2+3+4@15']],
      [10, ['0+1+2+3+4+5@20']],
      [11, ['0+3@14', '0+3+4@15', '0+3+4+5@20']],
      [12, ['0+3+4+5+6@22']],
      [15, ['0+4@15', '0+4+5@20', '0+4+5+6@22']],
      [16, ['0+5@20', '0+5+6@22']],
      [20, ['0+5+6+7@30']],
      [21, ['0+6@22', '0+6+7@30']],
      [23, ['0+7@30']],
    ]);
    for (const v of expected.values()) v.sort();
    expect(byWindowStart(out)).toEqual(expected);
  });

  it('KStreamSlidingWindowAggregateTest.testAggregateSmallInput (emit on window close)', () => {
    let out: string[] = [];
    withDriver(aggregateTopology(SlidingWindows.ofTimeDifferenceAndGrace(10, 5), true), (d) => {
      const t = d.createInputTopic('topic', S.serializer(), S.serializer());
      for (const [v, ts] of input) t.pipeInput('A', v, ts);
      out = drain(d.createOutputTopic('out', S.deserializer(), S.deserializer()));
    });
    expect(byWindowStart(out)).toEqual(
      new Map<number, string[]>([
        [0, ['0+1+2@10']],
        [4, ['0+1+2+3@14']],
        [5, ['0+1+2+3+4@15']],
        [10, ['0+1+2+3+4+5@20']],
        [11, ['0+3+4+5@20']],
        [12, ['0+3+4+5+6@22']],
      ]),
    );
  });

  it('records before the time difference share the [0, d] window', () => {
    let out: string[] = [];
    withDriver(aggregateTopology(SlidingWindows.ofTimeDifferenceAndGrace(10, 100)), (d) => {
      const t = d.createInputTopic('topic', S.serializer(), S.serializer());
      t.pipeInput('A', '1', 3);
      t.pipeInput('A', '2', 6);
      out = drain(d.createOutputTopic('out', S.deserializer(), S.deserializer()));
    });
    // 3 → [0,10]; 6 → [0,10] updated, 3's right window [4,14] created holding 6
    expect(out).toEqual(['[A@0/10]=0+1@3', '[A@4/14]=0+2@6', '[A@0/10]=0+1+2@6']);
  });

  it('drop boundary (Appendix A.5): d=10, no grace: a record at 0 is accepted at stream time 10, dropped at 11', () => {
    const run = (streamTime: number) => {
      let dropped = 0;
      let out: string[] = [];
      withDriver(aggregateTopology(SlidingWindows.ofTimeDifferenceWithNoGrace(10)), (d) => {
        const t = d.createInputTopic('topic', S.serializer(), S.serializer());
        t.pipeInput('B', 'x', streamTime);
        t.pipeInput('A', 'late', 0);
        out = drain(d.createOutputTopic('out', S.deserializer(), S.deserializer())).filter((r) => r.startsWith('[A'));
        dropped = droppedRecords(d);
      });
      return { out, dropped };
    };
    expect(run(10)).toEqual({ out: ['[A@0/10]=0+late@0'], dropped: 0 });
    const logged = run(11);
    expect(logged).toEqual({ out: [], dropped: 1 });
  });

  it('logs the expired sliding window with inclusive bounds', () => {
    const warnings = withDriver(aggregateTopology(SlidingWindows.ofTimeDifferenceWithNoGrace(10)), (d) => {
      const t = d.createInputTopic('topic', S.serializer(), S.serializer());
      t.pipeInput('B', 'x', 30);
      t.pipeInput('A', 'late', 5);
    });
    expect(warnings).toEqual([
      'Skipping record for expired window. topic=[topic] partition=[0] offset=[1] timestamp=[5] window=[5,15] expiration=[30] streamTime=[30]',
    ]);
  });

  it('count over sliding windows (Long values)', () => {
    const b = new StreamsBuilder();
    b.stream<string, string>('topic', Consumed.with(S, S))
      .groupByKey()
      .windowedBy(SlidingWindows.ofTimeDifferenceAndGrace(5, 10))
      .count(Materialized.as<string, number>('c').withCachingDisabled())
      .toStream()
      .map((k, v) => ({ key: k.toString(), value: v }))
      .to('out', Produced.with(S, L));
    let out: string[] = [];
    withDriver(b.build(), (d) => {
      const t = d.createInputTopic('topic', S.serializer(), S.serializer());
      t.pipeInput('k', 'v', 10);
      t.pipeInput('k', 'v', 12);
      out = drain(d.createOutputTopic('out', S.deserializer(), L.deserializer()));
    });
    expect(out).toEqual(['[k@5/10]=1@10', '[k@11/16]=1@12', '[k@7/12]=2@12']);
  });

  it('the store keeps windows for grace + 2 × timeDifference by default, so an out-of-order record still finds them (Kafka\'s SlidingWindowStoreMaterializer)', () => {
    let out: string[] = [];
    // in-memory store (the helper's default): windows expire exactly at the retention (by newest window start)
    withDriver(aggregateTopology(SlidingWindows.ofTimeDifferenceAndGrace(10, 20)), (d) => {
      const t = d.createInputTopic('topic', S.serializer(), S.serializer());
      t.pipeInput('A', 'a', 100);
      t.pipeInput('A', 'b', 130); // newest window start 120: a retention of 30 would drop [90,100], 40 keeps it
      t.pipeInput('A', 'c', 110); // not late; its window [100,110] must include a (found through [90,100])
      t.pipeInput('A', 'd', 111);
      out = drain(d.createOutputTopic('out', S.deserializer(), S.deserializer()));
    });
    // Kafka 4.1.1's output for the same input (test/interop, out-sliding-retention-in-memory)
    expect(out.slice(2)).toEqual(['[A@101/111]=0+c@110', '[A@100/110]=0+a+c@110', '[A@101/111]=0+c+d@111', '[A@111/121]=0+d@111']);
  });
});
