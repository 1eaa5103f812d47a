/**
 * Task balance: two instances of a two-sub-topology groupBy app (4 input partitions) split the stateful tasks
 * evenly (two each), even though the first instance ran all eight tasks before the second joined.
 */
import type { Kafka } from 'kafkajs';
import { KafkaStreams, State } from '@kstreams/streams';
import { startTestBroker, type TestBroker } from '../support/broker';
import { createKafka, createTopic } from '../support/kafka-client';
import { uniqueName } from '../support/unique-name';
import { waitFor } from '../support/wait-for';
import { decodeLong, produceLines, tempStateDir, TopicWatcher, waitForCounts, wordCountTopology, wordLines } from './e2e-support';

jest.setTimeout(150_000);

// kafkajs logs each heartbeat answered "rebalancing" while the second instance joins: expected, so kept quiet
process.env['KSTREAMS_KAFKAJS_LOG_LEVEL'] = 'nothing';

let broker: TestBroker;
let kafka: Kafka;

beforeAll(async () => {
  broker = await startTestBroker();
  kafka = createKafka(broker.bootstrapServers);
});

afterAll(async () => {
  await broker?.close();
});

test('two instances of a groupBy app run two stateful tasks each', async () => {
  const app = uniqueName('balance');
  const input = `${app}-in`;
  const output = `${app}-out`;
  await createTopic(kafka, input, 4);
  await createTopic(kafka, output, 1);
  const dirs = [tempStateDir(), tempStateDir()];
  const instances = dirs.map(
    (d) =>
      new KafkaStreams(wordCountTopology(input, output, 'counts'), {
        applicationId: app,
        bootstrapServers: broker.bootstrapServers,
        stateDir: d.dir,
        commitIntervalMs: 100,
        'consumer.session.timeout.ms': 6000,
        'consumer.heartbeat.interval.ms': 300,
      }),
  );
  const [a, b] = instances as [KafkaStreams, KafkaStreams];
  const watcher = await TopicWatcher.start(kafka, output, decodeLong);
  try {
    await a.start();
    await waitFor(() => a.state() === State.RUNNING && a.activeTaskIds().length === 8, 60_000, { description: 'the first instance running all 8 tasks' });
    const first = wordLines(200, 1);
    await produceLines(kafka, input, first.lines.map((l) => [`k${l.length}`, l] as const));
    await waitForCounts(watcher, first.expected, 60_000);

    await b.start();
    await waitFor(
      () =>
        instances.every((s) => s.state() === State.RUNNING) &&
        new Set([...a.activeTaskIds(), ...b.activeTaskIds()]).size === 8 &&
        a.activeTaskIds().length + b.activeTaskIds().length === 8,
      90_000,
      { description: `both RUNNING with the 8 tasks split (a: ${a.activeTaskIds()}, b: ${b.activeTaskIds()})` },
    );
    const stateful = (s: KafkaStreams) => s.activeTaskIds().filter((t) => t.startsWith('1_'));
    expect(stateful(a)).toHaveLength(2);
    expect(stateful(b)).toHaveLength(2);
    expect(a.activeTaskIds()).toHaveLength(4);
    expect(b.activeTaskIds()).toHaveLength(4);

    // and they keep counting correctly across the split
    const second = wordLines(200, 2);
    await produceLines(kafka, input, second.lines.map((l) => [`k${l.length}`, l] as const));
    const total = new Map(first.expected);
    for (const [w, n] of second.expected) total.set(w, (total.get(w) ?? 0) + n);
    await waitForCounts(watcher, total, 60_000, 'atLeast');
  } finally {
    for (const s of instances) await s.close();
    await watcher.stop();
    for (const d of dirs) d.remove();
  }
});
