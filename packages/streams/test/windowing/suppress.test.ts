import {
  BufferConfig,
  Consumed,
  Grouped,
  Materialized,
  Produced,
  SessionWindows,
  SlidingWindows,
  StreamsBuilder,
  StreamsException,
  Suppressed,
  TimeWindows,
  type KTable,
  type Windowed,
} from '@kstreams/streams';
import type { TopologyTestDriver } from '@kstreams/test-utils';
import { drain, L, S, withDriver } from './helpers';

function raw(d: TopologyTestDriver): string[] {
  return drain(d.createOutputTopic('output-raw', S.deserializer(), L.deserializer()));
}
function suppressed(d: TopologyTestDriver): string[] {
  return drain(d.createOutputTopic('output-suppressed', S.deserializer(), L.deserializer()));
}

/** Kafka's SuppressScenarioTest topologies: raw and suppressed outputs of one windowed count. */
function scenario(counts: (b: StreamsBuilder) => KTable<Windowed<string>, number>, suppress: Suppressed<Windowed<string>>) {
  const b = new StreamsBuilder();
  const table = counts(b);
  table.suppress(suppress).toStream().map((k, v) => ({ key: k.toString(), value: v })).to('output-suppressed', Produced.with(S, L));
  table.toStream().map((k, v) => ({ key: k.toString(), value: v })).to('output-raw', Produced.with(S, L));
  return b.build();
}

describe('suppress(untilWindowCloses): final results only', () => {
  it('time windows (verbatim, SuppressScenarioTest.shouldSupportFinalResultsForTimeWindows)', () => {
    const topology = scenario(
      (b) =>
        b
          .stream<string, string>('input', Consumed.with(S, S))
          .groupBy((k: string) => k, Grouped.with(S, S))
          .windowedBy(TimeWindows.ofSizeAndGrace(2, 1))
          .count(Materialized.as<string, number>('counts').withCachingDisabled()),
      Suppressed.untilWindowCloses(BufferConfig.unbounded()),
    );
    withDriver(topology, (d) => {
      const input = d.createInputTopic('input', S.serializer(), S.serializer());
      input.pipeInput('k1', 'v1', 0);
      input.pipeInput('k1', 'v1', 1);
      input.pipeInput('k1', 'v1', 2);
      input.pipeInput('k1', 'v1', 1);
      input.pipeInput('k1', 'v1', 0);
      input.pipeInput('k1', 'v1', 5);
      // late for [0,2): dropped everywhere
      input.pipeInput('k1', 'v1', 0);
      expect(raw(d)).toEqual(['[k1@0/2]=1@0', '[k1@0/2]=2@1', '[k1@2/4]=1@2', '[k1@0/2]=3@1', '[k1@0/2]=4@1', '[k1@4/6]=1@5']);
      expect(suppressed(d)).toEqual(['[k1@0/2]=4@1', '[k1@2/4]=1@2']);
    });
  });

  it('time windows with a large jump (verbatim, SuppressScenarioTest.shouldSupportFinalResultsForTimeWindowsWithLargeJump)', () => {
    const topology = scenario(
      (b) =>
        b
          .stream<string, string>('input', Consumed.with(S, S))
          .groupBy((k: string) => k, Grouped.with(S, S))
          .windowedBy(TimeWindows.ofSizeAndGrace(2, 2))
          .count(Materialized.as<string, number>('counts').withCachingDisabled().withKeySerde(S)),
      Suppressed.untilWindowCloses(BufferConfig.unbounded()),
    );
    withDriver(topology, (d) => {
      const input = d.createInputTopic('input', S.serializer(), S.serializer());
      for (const ts of [0, 1, 2, 0, 3, 0, 4, 0, 30]) input.pipeInput('k1', 'v1', ts);
      expect(raw(d)).toEqual([
        '[k1@0/2]=1@0',
        '[k1@0/2]=2@1',
        '[k1@2/4]=1@2',
        '[k1@0/2]=3@1',
        '[k1@2/4]=2@3',
        '[k1@0/2]=4@1',
        '[k1@4/6]=1@4',
        '[k1@30/32]=1@30',
      ]);
      expect(suppressed(d)).toEqual(['[k1@0/2]=4@1', '[k1@2/4]=2@3', '[k1@4/6]=1@4']);
    });
  });

  it('sliding windows (verbatim, SuppressScenarioTest.shouldSupportFinalResultsForSlidingWindows)', () => {
    const topology = scenario(
      (b) =>
        b
          .stream<string, string>('input', Consumed.with(S, S))
          .groupBy((k: string) => k, Grouped.with(S, S))
          .windowedBy(SlidingWindows.ofTimeDifferenceAndGrace(5, 15))
          .count(Materialized.as<string, number>('counts').withCachingDisabled().withKeySerde(S)),
      Suppressed.untilWindowCloses(BufferConfig.unbounded()),
    );
    withDriver(topology, (d) => {
      const input = d.createInputTopic('input', S.serializer(), S.serializer());
      for (const ts of [10, 11, 10, 13, 10, 24, 5, 7, 90]) input.pipeInput('k1', 'v1', ts);
      // Kafka sorts the raw output by key string, then timestamp
      const sorted = raw(d)
        .map((r) => ({ r, key: r.slice(0, r.indexOf('=')), ts: Number(r.slice(r.lastIndexOf('@') + 1)) }))
        .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.ts - b.ts))
        .map((x) => x.r);
      expect(sorted).toEqual([
        '[k1@11/16]=1@11',
        '[k1@11/16]=2@13',
        '[k1@12/17]=1@13',
        '[k1@19/24]=1@24',
        '[k1@5/10]=1@10',
        '[k1@5/10]=2@10',
        '[k1@5/10]=3@10',
        '[k1@5/10]=4@10',
        '[k1@5/10]=5@10',
        '[k1@6/11]=2@11',
        '[k1@6/11]=3@11',
        '[k1@6/11]=4@11',
        '[k1@6/11]=5@11',
        '[k1@8/13]=4@13',
        '[k1@8/13]=5@13',
        '[k1@85/90]=1@90',
      ]);
      expect(suppressed(d)).toEqual(['[k1@5/10]=5@10', '[k1@6/11]=5@11', '[k1@8/13]=5@13', '[k1@11/16]=2@13', '[k1@12/17]=1@13', '[k1@19/24]=1@24']);
    });
  });

  it('session windows (verbatim, SuppressScenarioTest.shouldSupportFinalResultsForSessionWindows)', () => {
    const topology = scenario(
      (b) =>
        b
          .stream<string, string>('input', Consumed.with(S, S))
          .groupBy((k: string) => k, Grouped.with(S, S))
          .windowedBy(SessionWindows.ofInactivityGapWithNoGrace(5))
          .count(Materialized.as<string, number>('counts').withCachingDisabled()),
      Suppressed.untilWindowCloses(BufferConfig.unbounded()),
    );
    withDriver(topology, (d) => {
      const input = d.createInputTopic('input', S.serializer(), S.serializer());
      input.pipeInput('k1', 'v1', 0);
      input.pipeInput('k1', 'v1', 5);
      input.pipeInput('k1', 'v1', 1);
      input.pipeInput('k2', 'v1', 11);
      input.pipeInput('k1', 'v1', 5);
      input.pipeInput('k1', 'v1', 30);
      expect(raw(d)).toEqual([
        '[k1@0/0]=1@0',
        '[k1@0/0]=null@0',
        '[k1@0/5]=2@5',
        '[k1@0/5]=null@5',
        '[k1@0/5]=3@5',
        '[k2@11/11]=1@11',
        '[k1@30/30]=1@30',
      ]);
      expect(suppressed(d)).toEqual(['[k1@0/5]=3@5', '[k2@11/11]=1@11']);
    });
  });

  it('a window is emitted at stream time end + grace, not one ms earlier', () => {
    const topology = scenario(
      (b) => b.stream<string, string>('input', Consumed.with(S, S)).groupByKey().windowedBy(TimeWindows.ofSizeAndGrace(10, 5)).count(),
      Suppressed.untilWindowCloses(BufferConfig.unbounded()),
    );
    withDriver(topology, (d) => {
      const input = d.createInputTopic('input', S.serializer(), S.serializer());
      input.pipeInput('a', 'v', 3);
      input.pipeInput('b', 'v', 14);
      expect(suppressed(d)).toEqual([]);
      input.pipeInput('b', 'v', 15);
      expect(suppressed(d)).toEqual(['[a@0/10]=1@3']);
    });
  });

  it('shutDownWhenFull fails the task with Kafka\'s message once the buffer is over maxRecords', () => {
    const topology = scenario(
      (b) => b.stream<string, string>('input', Consumed.with(S, S)).groupByKey().windowedBy(TimeWindows.ofSizeAndGrace(10, 100)).count(),
      Suppressed.untilWindowCloses<Windowed<string>>(BufferConfig.maxRecords(1).shutDownWhenFull()).withName('final'),
    );
    withDriver(topology, (d) => {
      const input = d.createInputTopic('input', S.serializer(), S.serializer());
      input.pipeInput('a', 'v', 1);
      let error: unknown = null;
      try {
        input.pipeInput('b', 'v', 2);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(StreamsException);
      expect((error as Error).message).toMatch(/final buffer exceeded its max capacity\. Currently \[2\/1\] records and \[\d+\/9007199254740991\] bytes\./);
    });
  });
});

describe('suppress(untilTimeLimit)', () => {
  function topology(bufferConfig: BufferConfig) {
    const b = new StreamsBuilder();
    b.stream<string, string>('input', Consumed.with(S, S))
      .groupByKey()
      .count(Materialized.as<string, number>('counts').withCachingDisabled())
      .suppress(Suppressed.untilTimeLimit(10, bufferConfig))
      .toStream()
      .to('output-suppressed', Produced.with(S, L));
    return b.build();
  }

  it('emits the latest value of a key once the time limit passed since its first buffered update', () => {
    withDriver(topology(BufferConfig.unbounded()), (d) => {
      const input = d.createInputTopic('input', S.serializer(), S.serializer());
      input.pipeInput('a', 'v', 0);
      input.pipeInput('a', 'v', 5);
      input.pipeInput('b', 'v', 9);
      expect(suppressed(d)).toEqual([]);
      // buffer time of a is 0 (its first update): at stream time 10 it is due; its value is the latest (2 @ 5)
      input.pipeInput('c', 'v', 10);
      expect(suppressed(d)).toEqual(['a=2@5']);
      input.pipeInput('c', 'v', 30);
      expect(suppressed(d)).toEqual(['b=1@9', 'c=2@30']);
    });
  });

  it('emitEarlyWhenFull: maxRecords evicts the oldest key early', () => {
    withDriver(topology(BufferConfig.maxRecords(2)), (d) => {
      const input = d.createInputTopic('input', S.serializer(), S.serializer());
      input.pipeInput('a', 'v', 0);
      input.pipeInput('b', 'v', 1);
      expect(suppressed(d)).toEqual([]);
      input.pipeInput('c', 'v', 2);
      expect(suppressed(d)).toEqual(['a=1@0']);
    });
  });

  it('emitEarlyWhenFull: maxBytes bounds the buffer by serialized size', () => {
    withDriver(topology(BufferConfig.maxBytes(1)), (d) => {
      const input = d.createInputTopic('input', S.serializer(), S.serializer());
      input.pipeInput('a', 'v', 0);
      expect(suppressed(d)).toEqual(['a=1@0']);
    });
  });

  it('the buffer is change-logged: puts as records, evictions as tombstones; withLoggingDisabled logs nothing', () => {
    withDriver(topology(BufferConfig.unbounded()), (d) => {
      const input = d.createInputTopic('input', S.serializer(), S.serializer());
      input.pipeInput('a', 'v', 0);
      input.pipeInput('b', 'v', 10);
      const log = d.createOutputTopic('windowing-test-KTABLE-SUPPRESS-STATE-STORE-0000000003-changelog', S.deserializer(), { deserialize: (_t: string, b: Buffer | null) => b });
      const records = log.readRecordsToList();
      // the second commit logs a's tombstone and b's put in the order Kafka's HashSet<Bytes> of dirty keys iterates
      expect(records.map((r) => [r.key, r.value === null ? null : 'value'])).toEqual([
        ['a', 'value'],
        ['a', null],
        ['b', 'value'],
      ]);
    });
    withDriver(topology(BufferConfig.unbounded().withLoggingDisabled()), (d) => {
      d.createInputTopic('input', S.serializer(), S.serializer()).pipeInput('a', 'v', 0);
      expect([...d.producedTopicNames()].filter((t) => t.includes('SUPPRESS'))).toEqual([]);
    });
  });
});
