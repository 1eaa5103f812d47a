/**
 * WordCount end to end on a broker (bundled by default; KSTREAMS_BROKER=kafka for Apache Kafka): internal topics
 * are created, the counts on the output topic equal the expected counts, and the client moves through its states.
 */
import type { Kafka } from 'kafkajs';
import { firstValueFrom } from 'rxjs';
import { KafkaStreams, MissingSourceTopicException, State } from '@kstreams/streams';
import { captureLogs } from '@kstreams/test-utils';
import { startTestBroker, type TestBroker } from '../support/broker';
import { createKafka, createTopic, withAdmin } from '../support/kafka-client';
import { uniqueName } from '../support/unique-name';
import { decodeLong, produceLines, tempStateDir, TopicWatcher, waitForCounts, wordCountTopology, wordLines } from './e2e-support';

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

test('WordCount counts every word of the input', async () => {
  const app = uniqueName('wc');
  const input = `${app}-input`;
  const output = `${app}-output`;
  await createTopic(kafka, input, 3);
  await createTopic(kafka, output, 3);
  const { lines, expected } = wordLines(2000);
  await produceLines(kafka, input, lines.map((l, i) => [`k${i}`, l] as const));

  const state = tempStateDir();
  const streams = new KafkaStreams(wordCountTopology(input, output), {
    applicationId: app,
    bootstrapServers: broker.bootstrapServers,
    stateDir: state.dir,
    commitIntervalMs: 200,
  });
  const states: State[] = [];
  streams.setStateListener((s) => states.push(s));
  const watcher = await TopicWatcher.start(kafka, output, decodeLong);
  try {
    await streams.start();
    await waitForCounts(watcher, expected, 60_000);
    expect(new Map([...watcher.latest].filter(([k]) => expected.has(k)))).toEqual(expected);
    expect(streams.state()).toBe(State.RUNNING);
    const metrics = await firstValueFrom(streams.metrics$(50));
    expect(metrics.find((m) => m.group === 'stream-thread-metrics' && m.name === 'process-total')?.value).toBeGreaterThanOrEqual(lines.length);
    // internal topics: repartition (delete) and changelog (compact), 3 partitions each
    const topics = await withAdmin(kafka, async (admin) => {
      const names = (await admin.listTopics()).filter((t) => t.startsWith(app));
      const meta = await admin.fetchTopicMetadata({ topics: names });
      return new Map(meta.topics.map((t) => [t.name, t.partitions.length]));
    });
    expect(topics.get(`${app}-KSTREAM-AGGREGATE-STATE-STORE-0000000003-repartition`)).toBe(3);
    expect(topics.get(`${app}-KSTREAM-AGGREGATE-STATE-STORE-0000000003-changelog`)).toBe(3);
  } finally {
    await streams.close();
    await watcher.stop();
    state.remove();
  }
  expect(streams.state()).toBe(State.NOT_RUNNING);
  expect(states).toEqual([State.REBALANCING, State.RUNNING, State.PENDING_SHUTDOWN, State.NOT_RUNNING]);
});

test('a missing source topic fails start() with a message naming it', async () => {
  const app = uniqueName('wc-missing');
  const state = tempStateDir();
  const streams = new KafkaStreams(wordCountTopology(`${app}-nope`, `${app}-out`), {
    applicationId: app,
    bootstrapServers: broker.bootstrapServers,
    stateDir: state.dir,
  });
  const logs = captureLogs();
  try {
    await expect(streams.start()).rejects.toThrow(MissingSourceTopicException);
    await expect(streams.start()).rejects.toThrow(/can only be started once/);
    expect(streams.state()).toBe(State.ERROR);
  } finally {
    logs.stop();
    state.remove();
  }
  expect(logs.records.filter((r) => r.level === 'error').map((r) => [r.message, r.error?.slice(0, 30)])).toEqual([['Failed to start the streams client', 'Missing source topics. [wc-mis']]);
});
