import { Consumed, Grouped, Produced, SessionWindows, StreamsBuilder, TimeWindows, WindowedSerdes } from '@kstreams/streams';
import { SessionWindow, TimeWindow, Windowed } from '@kstreams/streams';
import { internalBuilderOf, partitionForKey } from '@kstreams/streams/internal';
import type { SinkNode } from '../../src/processor/processor-node';
import { L, S, withDriver } from './helpers';

describe('windowed results to a topic', () => {
  it('toStream().to(topic) without Produced writes Kafka\'s time-windowed key bytes (the table\'s key serde)', () => {
    const b = new StreamsBuilder();
    b.stream<string, string>('in', Consumed.with(S, S))
      .groupByKey(Grouped.with(S, S))
      .windowedBy(TimeWindows.ofSizeWithNoGrace(100))
      .count()
      .toStream()
      .to('out');
    withDriver(b.build(), (d) => {
      d.createInputTopic('in', S.serializer(), S.serializer()).pipeInput('k', 'v', 250);
      const serde = WindowedSerdes.timeWindowedSerdeFrom(S, 100);
      const bytes = d.createOutputTopic('out', { deserialize: (_t: string, x: Buffer | null) => x }, L.deserializer()).readRecord().key!;
      expect(bytes.toString('hex')).toBe('6b' + '00000000000000c8');
      d.createInputTopic('in', S.serializer(), S.serializer()).pipeInput('k', 'v', 260);
      const rec = d.createOutputTopic('out', serde.deserializer(), L.deserializer()).readRecord();
      expect(rec.key!.toString()).toBe('[k@200/300]');
      expect(rec.value).toBe(2);
    });
  });

  it('a sink with windowed keys and no partitioner partitions by the inner key, as Kafka\'s WindowedStreamPartitioner', () => {
    const b = new StreamsBuilder();
    const grouped = b.stream<string, string>('in', Consumed.with(S, S)).groupByKey(Grouped.with(S, S));
    grouped.windowedBy(TimeWindows.ofSizeWithNoGrace(100)).count().toStream().to('time-out');
    grouped.windowedBy(SessionWindows.ofInactivityGapWithNoGrace(100)).count().toStream().to('session-out');
    const nodes = internalBuilderOf(b.build()).buildTopology().nodes;
    const sink = (topic: string): SinkNode => nodes.find((n) => (n as SinkNode).topic === topic) as SinkNode;
    for (const key of ['k', 'user-42', 'alpha', 'zeta']) {
      const expected = partitionForKey(Buffer.from(key), 16);
      for (const start of [0, 100, 1_000_000]) {
        expect(sink('time-out').partitioner!('time-out', new Windowed(key, new TimeWindow(start, start + 100)), 1, 16)).toBe(expected);
        expect(sink('session-out').partitioner!('session-out', new Windowed(key, new SessionWindow(start, start + 5)), 1, 16)).toBe(expected);
      }
    }
    // hashing the whole windowed key would scatter a key's windows (this pair of windows lands apart that way)
    const whole = (start: number): number => partitionForKey(WindowedSerdes.timeWindowedSerdeFrom(S, 100).serializer().serialize('t', new Windowed('k', new TimeWindow(start, start + 100)))!, 16);
    expect(new Set([0, 100, 200, 300, 400].map(whole)).size).toBeGreaterThan(1);
  });

  it('a sink keeps the partitioner given in Produced, and plain keys get none (the collector hashes the key bytes)', () => {
    const b = new StreamsBuilder();
    const stream = b.stream<string, string>('in', Consumed.with(S, S));
    stream.groupByKey(Grouped.with(S, S)).windowedBy(TimeWindows.ofSizeWithNoGrace(100)).count().toStream().to('time-out', Produced.streamPartitioner(() => 3));
    stream.to('plain-out');
    const nodes = internalBuilderOf(b.build()).buildTopology().nodes;
    const sink = (topic: string): SinkNode => nodes.find((n) => (n as SinkNode).topic === topic) as SinkNode;
    expect(sink('time-out').partitioner!('time-out', new Windowed('k', new TimeWindow(0, 100)), 1, 16)).toBe(3);
    expect(sink('plain-out').partitioner).toBeNull();
  });
});
