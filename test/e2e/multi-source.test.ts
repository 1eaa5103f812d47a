/**
 * A task reading two topics (one sub-topology with a two-topic source): its partitions are picked by lowest head
 * timestamp, and a partition with no data never stalls the task (Kafka's enforced processing after the idle wait).
 */
import type { Kafka } from 'kafkajs';
import { Consumed, Grouped, KafkaStreams, Produced, Serdes, StreamsBuilder } from '@kstreams/streams';
import { startTestBroker, type TestBroker } from '../support/broker';
import { createKafka, createTopic } from '../support/kafka-client';
import { uniqueName } from '../support/unique-name';
import { decodeLong, produceLines, tempStateDir, TopicWatcher, waitForCounts } from './e2e-support';

jest.setTimeout(120_000);

let broker: TestBroker;
let kafka: Kafka;

beforeAll(async () => {
  broker = await startTestBroker();
  kafka = createKafka(broker.bootstrapServers);
});

afterAll(async () => {
  await broker?.close();
});

test('a two-topic source counts both topics; an empty topic does not stall its tasks', async () => {
  const app = uniqueName('multi');
  const left = `${app}-left`;
  const right = `${app}-right`;
  const output = `${app}-out`;
  await createTopic(kafka, left, 2);
  await createTopic(kafka, right, 2);
  await createTopic(kafka, output, 1);
  const builder = new StreamsBuilder();
  builder
    .stream<string, string>([left, right], Consumed.with(Serdes.String(), Serdes.String()))
    .groupBy((_k, v) => v, Grouped.with(Serdes.String(), Serdes.String()))
    .count()
    .toStream()
    .to(output, Produced.with(Serdes.String(), Serdes.Long()));
  const state = tempStateDir();
  const streams = new KafkaStreams(builder.build(), { applicationId: app, bootstrapServers: broker.bootstrapServers, stateDir: state.dir, commitIntervalMs: 100 });
  const watcher = await TopicWatcher.start(kafka, output, decodeLong);
  try {
    await streams.start();
    expect(streams.activeTaskIds()).toEqual(['0_0', '0_1', '1_0', '1_1']);
    // only the left topic has data: the tasks must still process it
    await produceLines(kafka, left, Array.from({ length: 100 }, (_, i) => [`l${i}`, i % 2 === 0 ? 'even' : 'odd'] as const));
    await waitForCounts(watcher, new Map([['even', 50], ['odd', 50]]), 60_000);
    await produceLines(kafka, right, Array.from({ length: 60 }, (_, i) => [`r${i}`, i % 3 === 0 ? 'even' : 'odd'] as const));
    await waitForCounts(watcher, new Map([['even', 70], ['odd', 90]]), 60_000);
  } finally {
    await streams.close();
    await watcher.stop();
    state.remove();
  }
});
