/**
 * Stream time survives a restart: a windowed count (10 s windows, no grace) commits its observed stream time
 * with its offsets (Kafka's TopicPartitionMetadata processor metadata); after a clean restart a record that was
 * already too late before it is still dropped instead of reopening a closed window.
 */
import type { Kafka } from 'kafkajs';
import { ConsoleLogger, Consumed, Grouped, KafkaStreams, Produced, Serdes, SessionWindows, State, StreamsBuilder, TimeWindows, setLogger } from '@kstreams/streams';
import { startTestBroker, type TestBroker } from '../support/broker';
import { createKafka, createTopic, defaultPartitioner } from '../support/kafka-client';
import { uniqueName } from '../support/unique-name';
import { waitFor } from '../support/wait-for';
import { tempStateDir, TopicWatcher } from './e2e-support';

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

// the dropped record is logged as Kafka logs it; the tests capture and check that line
const warnings: string[] = [];
beforeEach(() => {
  warnings.length = 0;
  setLogger({ error: () => undefined, warn: (m) => warnings.push(m), info: () => undefined, debug: () => undefined });
});
afterEach(() => setLogger(new ConsoleLogger()));

async function produceAt(topic: string, records: ReadonlyArray<readonly [string, number]>): Promise<void> {
  const producer = kafka.producer({ createPartitioner: defaultPartitioner });
  await producer.connect();
  try {
    await producer.send({ topic, acks: -1, messages: records.map(([key, ts]) => ({ key, value: 'x', timestamp: String(ts) })) });
  } finally {
    await producer.disconnect();
  }
}

test('a record too late before a restart is still dropped after it', async () => {
  // an hour ago, on a window boundary (recent enough for any retention)
  const T0 = Math.floor(Date.now() / 10_000) * 10_000 - 3_600_000;
  const app = uniqueName('stream-time');
  const input = `${app}-in`;
  const output = `${app}-out`;
  await createTopic(kafka, input, 1);
  await createTopic(kafka, output, 1);
  const b = new StreamsBuilder();
  b.stream<string, string>(input, Consumed.with(Serdes.String(), Serdes.String()))
    .groupByKey(Grouped.with(Serdes.String(), Serdes.String()))
    .windowedBy(TimeWindows.ofSizeWithNoGrace(10_000))
    .count()
    .toStream()
    .map((w, n) => ({ key: `${w.key()}@${w.window().start()}`, value: String(n) }))
    .to(output, Produced.with(Serdes.String(), Serdes.String()));
  const topology = b.build();
  const state = tempStateDir();
  const config = { applicationId: app, bootstrapServers: broker.bootstrapServers, stateDir: state.dir, commitIntervalMs: 100, statestoreCacheMaxBytes: 0 };
  const watcher = await TopicWatcher.start(kafka, output, (v) => v?.toString('utf8') ?? '');
  const dropped = (s: KafkaStreams) => s.metrics().find((m) => m.name === 'dropped-records-total')?.value ?? 0;
  try {
    const first = new KafkaStreams(topology, config);
    await first.start();
    await produceAt(input, [['k', T0], ['k', T0 + 5_000], ['k', T0 + 15_000]]); // stream time T0+15 s: window [T0, T0+10 s) is closed
    await waitFor(() => watcher.latest.get(`k@${T0 + 10_000}`) === '1', 60_000, { description: 'the count of window T0+10 s' });
    expect(watcher.history.get(`k@${T0}`)).toEqual(['1', '2']);
    await first.close();

    const second = new KafkaStreams(topology, config);
    await second.start();
    await waitFor(() => second.state() === State.RUNNING, 60_000, { description: 'RUNNING after the restart' });
    await produceAt(input, [['k', T0 + 3_000], ['k', T0 + 25_000]]); // T0+3 s was too late before the restart
    await waitFor(() => watcher.latest.get(`k@${T0 + 20_000}`) === '1', 60_000, { description: 'the count of window T0+20 s' });
    expect(watcher.history.get(`k@${T0}`)).toEqual(['1', '2']); // window [T0, T0+10 s) was not reopened
    expect(dropped(second)).toBe(1);
    expect(warnings.filter((w) => w.startsWith('Skipping record for expired window.') && w.includes(`timestamp=[${T0 + 3_000}]`))).toHaveLength(1);
    await second.close();
  } finally {
    await watcher.stop();
    state.remove();
  }
});

test('session windows: a record too late before a restart is still dropped after it', async () => {
  const T0 = Math.floor(Date.now() / 10_000) * 10_000 - 3_600_000;
  const app = uniqueName('session-time');
  const input = `${app}-in`;
  const output = `${app}-out`;
  await createTopic(kafka, input, 1);
  await createTopic(kafka, output, 1);
  const b = new StreamsBuilder();
  b.stream<string, string>(input, Consumed.with(Serdes.String(), Serdes.String()))
    .groupByKey(Grouped.with(Serdes.String(), Serdes.String()))
    .windowedBy(SessionWindows.ofInactivityGapWithNoGrace(5_000))
    .count()
    .toStream()
    .filter((_w, n) => n !== null)
    .map((w, n) => ({ key: `${w.key()}@${w.window().start()}`, value: String(n) }))
    .to(output, Produced.with(Serdes.String(), Serdes.String()));
  const topology = b.build();
  const state = tempStateDir();
  const config = { applicationId: app, bootstrapServers: broker.bootstrapServers, stateDir: state.dir, commitIntervalMs: 100, statestoreCacheMaxBytes: 0 };
  const watcher = await TopicWatcher.start(kafka, output, (v) => v?.toString('utf8') ?? '');
  try {
    const first = new KafkaStreams(topology, config);
    await first.start();
    await produceAt(input, [['k', T0], ['k', T0 + 20_000]]); // the session at T0 closed at stream time T0+5 s
    await waitFor(() => watcher.latest.get(`k@${T0 + 20_000}`) === '1', 60_000, { description: 'the second session' });
    await first.close();

    const second = new KafkaStreams(topology, config);
    await second.start();
    await produceAt(input, [['k', T0 + 1_000], ['k', T0 + 40_000]]); // T0+1 s would merge into the closed session
    await waitFor(() => watcher.latest.get(`k@${T0 + 40_000}`) === '1', 60_000, { description: 'the third session' });
    expect(watcher.history.get(`k@${T0}`)).toEqual(['1']);
    expect(second.metrics().find((m) => m.name === 'dropped-records-total')?.value).toBe(1);
    expect(warnings.filter((w) => w.startsWith('Skipping record for expired window.') && w.includes(`timestamp=[${T0 + 1_000}]`))).toHaveLength(1);
    await second.close();
  } finally {
    await watcher.stop();
    state.remove();
  }
});
