import { BufferConfig, Consumed, Materialized, Produced, Serdes, StreamsBuilder, Suppressed, TimeWindows, keyValue } from '@kstreams/streams';
import { TopologyTestDriver } from '@kstreams/test-utils';

const S = Serdes.String();

describe("metrics in the test driver: Kafka Streams' names and tags", () => {
  it('per processor node process-total, task process-total and record-lateness, suppression-emit-total, store rates', () => {
    const b = new StreamsBuilder();
    b.stream<string, string>('in', Consumed.with(S, S))
      .groupByKey()
      .windowedBy(TimeWindows.ofSizeWithNoGrace(10))
      .count(Materialized.as('counts'))
      .suppress(Suppressed.untilWindowCloses(BufferConfig.unbounded()))
      .toStream()
      .map((k, v) => keyValue(k.key(), v))
      .to('out', Produced.with(S, Serdes.Long()));
    const driver = new TopologyTestDriver(b.build(), { applicationId: 'metrics-test', defaultDslStore: 'in_memory' });
    try {
      const input = driver.createInputTopic('in', S.serializer(), S.serializer());
      input.pipeInput('a', 'x', 1);
      input.pipeInput('a', 'x', 5); // window [0,10) still open
      input.pipeInput('b', 'x', 3); // 2 ms late behind stream time 5
      input.pipeInput('a', 'x', 25); // closes [0,10): emits a and b
      const m = driver.metrics();
      const find = (group: string, name: string, tags: { [k: string]: string }) =>
        m.find((v) => v.group === group && v.name === name && Object.entries(tags).every(([k, t]) => v.tags[k] === t))?.value;
      const node = (id: string, name = 'process-total') => find('stream-processor-node-metrics', name, { 'thread-id': 'main', 'task-id': '0_0', 'processor-node-id': id });
      expect(node('KSTREAM-SOURCE-0000000000')).toBe(4);
      expect(find('stream-task-metrics', 'process-total', { 'task-id': '0_0' })).toBe(4);
      const suppress = m.find((v) => v.name === 'suppression-emit-total');
      expect(suppress?.group).toBe('stream-processor-node-metrics');
      expect(suppress?.value).toBe(2);
      expect(find('stream-task-metrics', 'record-lateness-max', { 'task-id': '0_0' })).toBe(2);
      expect(find('stream-task-metrics', 'record-lateness-avg', { 'task-id': '0_0' })).toBe(0.5);
      expect(m.some((v) => v.group === 'stream-state-metrics' && v.name === 'put-rate' && v.tags['in-memory-window-state-id'] === 'counts')).toBe(true);
    } finally {
      driver.close();
    }
  });
});
