import { BufferConfig, Consumed, EmitStrategy, Materialized, Produced, StreamsBuilder, Suppressed, TimeWindows } from '@kstreams/streams';
import { drain, L, S, withDriver } from './helpers';

function countOnClose(windows: TimeWindows) {
  const b = new StreamsBuilder();
  b.stream<string, string>('in', Consumed.with(S, S))
    .groupByKey()
    .windowedBy(windows)
    .emitStrategy(EmitStrategy.onWindowClose())
    .count(Materialized.as<string, number>('counts'))
    .toStream()
    .map((k, v) => ({ key: k.toString(), value: v }))
    .to('out', Produced.with(S, L));
  return b.build();
}

describe('EmitStrategy.onWindowClose() on time windows', () => {
  it('emits each window once, its final count, when stream time reaches end + grace', () => {
    withDriver(countOnClose(TimeWindows.ofSizeAndGrace(10, 5)), (d) => {
      const t = d.createInputTopic('in', S.serializer(), S.serializer());
      const out = d.createOutputTopic('out', S.deserializer(), L.deserializer());
      t.pipeInput('a', 'v', 1);
      t.pipeInput('a', 'v', 8);
      t.pipeInput('b', 'v', 9);
      t.pipeInput('a', 'v', 14);
      t.pipeInput('a', 'v', 2); // still inside grace
      expect(drain(out)).toEqual([]);
      t.pipeInput('c', 'v', 15);
      expect(drain(out)).toEqual(['[a@0/10]=3@8', '[b@0/10]=1@9']);
      t.pipeInput('c', 'v', 40);
      expect(drain(out)).toEqual(['[a@10/20]=1@14', '[c@10/20]=1@15']);
    });
  });

  it('hopping windows close one after another', () => {
    withDriver(countOnClose(TimeWindows.ofSizeWithNoGrace(10).advanceBy(5)), (d) => {
      const t = d.createInputTopic('in', S.serializer(), S.serializer());
      const out = d.createOutputTopic('out', S.deserializer(), L.deserializer());
      t.pipeInput('a', 'v', 7);
      t.pipeInput('a', 'v', 10);
      expect(drain(out)).toEqual(['[a@0/10]=1@7']);
      t.pipeInput('a', 'v', 15);
      expect(drain(out)).toEqual(['[a@5/15]=2@10']);
    });
  });
});

describe('windowCloseIdleMs (kstreams extension): idle partitions close their windows', () => {
  function suppressedCount() {
    const b = new StreamsBuilder();
    b.stream<string, string>('in', Consumed.with(S, S))
      .groupByKey()
      .windowedBy(TimeWindows.ofSizeAndGrace(10, 5))
      .count()
      .suppress(Suppressed.untilWindowCloses(BufferConfig.unbounded()))
      .toStream()
      .map((k, v) => ({ key: k.toString(), value: v }))
      .to('out', Produced.with(S, L));
    return b.build();
  }

  it('off by default: without new records the last window never closes (Kafka Streams behaviour)', () => {
    withDriver(suppressedCount(), (d) => {
      d.createInputTopic('in', S.serializer(), S.serializer()).pipeInput('a', 'v', 3);
      d.advanceWallClockTime(3_600_000);
      expect(drain(d.createOutputTopic('out', S.deserializer(), L.deserializer()))).toEqual([]);
    });
  });

  it('suppress: after the idle period stream time follows the wall clock and closes the window', () => {
    withDriver(
      suppressedCount(),
      (d) => {
        const out = d.createOutputTopic('out', S.deserializer(), L.deserializer());
        d.createInputTopic('in', S.serializer(), S.serializer()).pipeInput('a', 'v', 3);
        // checked by a wall-clock punctuation every min(idle, 1000) ms; window [0,10) closes at stream time 15
        d.advanceWallClockTime(1_000);
        expect(drain(out)).toEqual([]); // idle exactly 1000 ms: stream time not advanced yet
        d.advanceWallClockTime(1_000);
        expect(drain(out)).toEqual(['[a@0/10]=1@3']); // stream time 3 + 1000
      },
      { windowCloseIdleMs: 1000 },
    );
  });

  it('a new record restarts the idle period', () => {
    withDriver(
      suppressedCount(),
      (d) => {
        const out = d.createOutputTopic('out', S.deserializer(), L.deserializer());
        const t = d.createInputTopic('in', S.serializer(), S.serializer());
        t.pipeInput('a', 'v', 3);
        d.advanceWallClockTime(900);
        t.pipeInput('a', 'v', 4);
        // at 1900 the record is idle for exactly 1000 ms (counted from 0, it would be 1900)
        d.advanceWallClockTime(1_000);
        expect(drain(out)).toEqual([]);
        d.advanceWallClockTime(1_000);
        expect(drain(out)).toEqual(['[a@0/10]=2@4']);
      },
      { windowCloseIdleMs: 1000 },
    );
  });

  it('emit-on-close aggregations close windows the same way', () => {
    withDriver(
      countOnClose(TimeWindows.ofSizeAndGrace(10, 5)),
      (d) => {
        const out = d.createOutputTopic('out', S.deserializer(), L.deserializer());
        d.createInputTopic('in', S.serializer(), S.serializer()).pipeInput('a', 'v', 3);
        d.advanceWallClockTime(500);
        expect(drain(out)).toEqual([]);
        d.advanceWallClockTime(500);
        expect(drain(out)).toEqual(['[a@0/10]=1@3']);
      },
      { windowCloseIdleMs: 500 },
    );
  });
});
