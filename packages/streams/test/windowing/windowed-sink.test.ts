import { Consumed, Grouped, StreamsBuilder, TimeWindows, WindowedSerdes } from '@kstreams/streams';
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
});
