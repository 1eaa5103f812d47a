/**
 * A second instance joining mid-stream: the group rebalances, the first instance commits what it processed before
 * it rejoins (kafkajs awaits kstreams' revocation hook before its JoinGroup, as Kafka's consumer calls
 * onPartitionsRevoked), the tasks split 4/4, and every word is counted exactly once: a clean handover under
 * at-least-once reprocesses nothing.
 */
import type { Kafka } from 'kafkajs';
import { KafkaStreams, State } from '@kstreams/streams';
import { startTestBroker, type TestBroker } from '../support/broker';
import { createKafka, createTopic } from '../support/kafka-client';
import { uniqueName } from '../support/unique-name';
import { waitFor } from '../support/wait-for';
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

test('an instance joining mid-stream takes over half the tasks; every word is counted', async () => {
  const app = uniqueName('handover');
  const input = `${app}-in`;
  const output = `${app}-out`;
  await createTopic(kafka, input, 4);
  await createTopic(kafka, output, 1);
  const dirs = [tempStateDir(), tempStateDir()];
  const mk = (dir: string): KafkaStreams =>
    new KafkaStreams(wordCountTopology(input, output), {
      applicationId: app,
      bootstrapServers: broker.bootstrapServers,
      stateDir: dir,
      commitIntervalMs: 1000,
      'consumer.heartbeat.interval.ms': 300,
    });
  const a = mk(dirs[0]!.dir);
  const b = mk(dirs[1]!.dir);
  const watcher = await TopicWatcher.start(kafka, output, decodeLong);
  const batch = wordLines(20000, 3);
  try {
    // The first half goes in before the second instance exists and the second half after it joined, so the
    // handover happens mid-stream however fast the first instance works through its half.
    const records = batch.lines.map((l, i) => [`k${i}`, l] as const);
    const half = records.length / 2;
    await a.start();
    await produceLines(kafka, input, records.slice(0, half));
    await waitFor(() => watcher.records > 0, 30_000, { description: 'the first instance producing output' });
    await b.start();
    await produceLines(kafka, input, records.slice(half));
    await waitFor(() => a.state() === State.RUNNING && b.state() === State.RUNNING && a.activeTaskIds().length === 4, 30_000, {
      description: 'both instances running four tasks each',
    });
    expect([...a.activeTaskIds(), ...b.activeTaskIds()].sort()).toEqual(['0_0', '0_1', '0_2', '0_3', '1_0', '1_1', '1_2', '1_3']);
    await waitForCounts(watcher, batch.expected, 60_000, 'atLeast');
    let dup = 0;
    for (const [k, v] of batch.expected) dup += watcher.latest.get(k)! - v;
    expect({ wordsCountedTwice: dup }).toEqual({ wordsCountedTwice: 0 });
  } finally {
    await a.close();
    await b.close();
    await watcher.stop();
    for (const d of dirs) d.remove();
  }
});
