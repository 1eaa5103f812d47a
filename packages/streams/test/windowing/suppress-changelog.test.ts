import { BufferConfig, Consumed, Grouped, Materialized, Serdes, StreamsBuilder, Suppressed, TimeWindows, type Windowed } from '@kstreams/streams';
import { S, withDriver } from './helpers';

describe('suppress buffer changelog', () => {
  it("carries Kafka's v=3 format header on buffered values and none on tombstones", () => {
    const b = new StreamsBuilder();
    b.stream<string, string>('input', Consumed.with(S, S))
      .groupBy((k: string) => k, Grouped.with(S, S))
      .windowedBy(TimeWindows.ofSizeAndGrace(10, 0))
      .count(Materialized.as<string, number>('counts').withCachingDisabled())
      .suppress(Suppressed.untilWindowCloses<Windowed<string>>(BufferConfig.unbounded()).withName('final'));
    withDriver(b.build(), (d) => {
      const input = d.createInputTopic('input', S.serializer(), S.serializer());
      input.pipeInput('k', 'v', 0); // buffered: a value record on the changelog
      input.pipeInput('k', 'v', 10); // closes [0,10): evicted, a tombstone; [10,20) buffered
      const changelog = d.createOutputTopic('windowing-test-final-store-changelog', Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer());
      const records = changelog.readRecordsToList();
      const values = records.filter((r) => r.value !== null);
      const tombstones = records.filter((r) => r.value === null);
      expect(values.length).toBeGreaterThan(0);
      expect(tombstones.length).toBeGreaterThan(0);
      for (const r of values) expect([...(r.headers.lastHeader('v')?.value ?? [])]).toEqual([3]);
      for (const r of tombstones) expect(r.headers.lastHeader('v')).toBeUndefined();
    });
  });
});
