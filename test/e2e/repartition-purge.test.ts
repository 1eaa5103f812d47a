/**
 * Repartition purging: while WordCount runs, the records of its repartition topic below the committed offsets are
 * deleted every `repartition.purge.interval.ms` (DeleteRecords), so the topic's log start offsets advance.
 */
import type { Kafka } from 'kafkajs';
import { KafkaStreams } from '@kstreams/streams';
import { startTestBroker, type TestBroker } from '../support/broker';
import { createKafka, createTopic, withAdmin } from '../support/kafka-client';
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

async function offsetsOf(topic: string): Promise<Array<{ partition: number; low: number; high: number }>> {
  return withAdmin(kafka, async (admin) =>
    (await admin.fetchTopicOffsets(topic)).map((o) => ({ partition: o.partition, low: Number(o.low), high: Number(o.high) })).sort((a, b) => a.partition - b.partition),
  );
}

test('the repartition topic log start offsets advance to the committed offsets while the app runs', async () => {
  const app = uniqueName('purge');
  const input = `${app}-in`;
  const output = `${app}-out`;
  const repartition = `${app}-counts-repartition`;
  await createTopic(kafka, input, 2);
  await createTopic(kafka, output, 1);
  const state = tempStateDir();
  const streams = new KafkaStreams(wordCountTopology(input, output, 'counts'), {
    applicationId: app,
    bootstrapServers: broker.bootstrapServers,
    stateDir: state.dir,
    commitIntervalMs: 100,
    repartitionPurgeIntervalMs: 200,
  });
  const watcher = await TopicWatcher.start(kafka, output, decodeLong);
  try {
    await streams.start();
    // two rounds of input: the second round's commits purge what the first round left
    const first = wordLines(400, 1);
    await produceLines(kafka, input, first.lines.map((l) => [null, l] as const));
    await waitForCounts(watcher, first.expected, 60_000);
    const before = await offsetsOf(repartition);
    expect(before.some((p) => p.high > 0)).toBe(true);

    const second = wordLines(400, 2);
    await produceLines(kafka, input, second.lines.map((l) => [null, l] as const));
    const total = new Map(first.expected);
    for (const [w, n] of second.expected) total.set(w, (total.get(w) ?? 0) + n);
    await waitForCounts(watcher, total, 60_000);
    // every partition that received records is purged up to (at least) what the first round wrote
    const purged = await waitFor(
      async () => {
        const now = await offsetsOf(repartition);
        const done = now.every((p, i) => before[i]!.high === 0 || p.low >= before[i]!.high);
        return done ? now : null;
      },
      60_000,
      { description: `log start offsets of ${repartition} to reach ${JSON.stringify(before)}` },
    );
    for (const p of purged) expect(p.low).toBeLessThanOrEqual(p.high);
    expect(purged.some((p) => p.low > 0)).toBe(true);
  } finally {
    await streams.close();
    await watcher.stop();
    state.remove();
  }
});

test('nothing is purged before repartition.purge.interval.ms has passed', async () => {
  const app = uniqueName('nopurge');
  const input = `${app}-in`;
  const output = `${app}-out`;
  await createTopic(kafka, input, 1);
  await createTopic(kafka, output, 1);
  const state = tempStateDir();
  const streams = new KafkaStreams(wordCountTopology(input, output, 'counts'), {
    applicationId: app,
    bootstrapServers: broker.bootstrapServers,
    stateDir: state.dir,
    commitIntervalMs: 100,
    repartitionPurgeIntervalMs: 3_600_000,
  });
  const watcher = await TopicWatcher.start(kafka, output, decodeLong);
  try {
    await streams.start();
    const { lines, expected } = wordLines(200, 3);
    await produceLines(kafka, input, lines.map((l) => [null, l] as const));
    await waitForCounts(watcher, expected, 60_000);
    const offsets = await offsetsOf(`${app}-counts-repartition`);
    expect(offsets.map((p) => p.low)).toEqual([0]);
    expect(offsets[0]!.high).toBeGreaterThan(0);
  } finally {
    await streams.close();
    await watcher.stop();
    state.remove();
  }
});
