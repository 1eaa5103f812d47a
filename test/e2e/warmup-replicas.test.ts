/**
 * Warm-up replicas and probing rebalances (`max.warmup.replicas`, `probing.rebalance.interval.ms`, Kafka's
 * HighAvailabilityTaskAssignor): a second instance without state joins one whose count stores are far beyond
 * `acceptable.recovery.lag`. Its share of the stateful tasks stays with the first instance, which keeps serving
 * them, while the newcomer builds warm-up replicas from the changelogs; at the probing rebalance (the shortest
 * interval Kafka allows, 60 s) the caught-up warm-ups take their tasks, and every word is counted. Without
 * warm-ups the newcomer would take the tasks at once and restore them from the start while they stand still.
 */
import type { Kafka } from 'kafkajs';
import { KafkaStreams, State } from '@kstreams/streams';
import { startTestBroker, type TestBroker } from '../support/broker';
import { createKafka, createTopic } from '../support/kafka-client';
import { uniqueName } from '../support/unique-name';
import { waitFor } from '../support/wait-for';
import { decodeLong, produceLines, tempStateDir, TopicWatcher, waitForCounts, wordCountTopology, wordLines } from './e2e-support';

jest.setTimeout(240_000);
let broker: TestBroker;
let kafka: Kafka;
beforeAll(async () => {
  broker = await startTestBroker();
  kafka = createKafka(broker.bootstrapServers);
});
afterAll(async () => {
  await broker?.close();
});

const PROBING_MS = 60_000;

test('a new instance warms up the stateful tasks it is due, and takes them at the probing rebalance once caught up', async () => {
  const app = uniqueName('warmup');
  const input = `${app}-in`;
  const output = `${app}-out`;
  await createTopic(kafka, input, 2);
  await createTopic(kafka, output, 1);
  const dirs = [tempStateDir(), tempStateDir()];
  const mk = (dir: string): KafkaStreams =>
    new KafkaStreams(wordCountTopology(input, output), {
      applicationId: app,
      bootstrapServers: broker.bootstrapServers,
      stateDir: dir,
      commitIntervalMs: 500,
      statestoreCacheMaxBytes: 0, // every count update goes to the changelog: thousands of records per store
      acceptableRecoveryLag: 100,
      probingRebalanceIntervalMs: PROBING_MS,
      'consumer.heartbeat.interval.ms': 300,
    });
  const a = mk(dirs[0]!.dir);
  const b = mk(dirs[1]!.dir);
  const watcher = await TopicWatcher.start(kafka, output, decodeLong);
  const first = wordLines(2000, 5, 3000);
  const second = wordLines(500, 11, 3000);
  const expected = new Map(first.expected);
  for (const [w, n] of second.expected) expected.set(w, (expected.get(w) ?? 0) + n);
  const standbysOf = (s: KafkaStreams): string[] => s.metadataForLocalThreads().flatMap((t) => t.standbyTasks.map((x) => x.taskId)).sort();
  try {
    await a.start();
    await produceLines(kafka, input, first.lines.map((l, i) => [`k${i}`, l] as const));
    await waitForCounts(watcher, first.expected, 60_000, 'atLeast');
    await waitFor(() => a.state() === State.RUNNING, 30_000, { description: 'the first instance running' });

    const joinedAt = Date.now();
    await b.start();
    // the newcomer runs its share of the stateless tasks at once, but none of the stateful ones: it warms them up
    await waitFor(() => b.state() === State.RUNNING && a.state() === State.RUNNING && standbysOf(b).length > 0, 60_000, {
      description: 'the second instance running with warm-up replicas',
    });
    expect(a.activeTaskIds().filter((id) => id.startsWith('1_')).sort()).toEqual(['1_0', '1_1']);
    expect(b.activeTaskIds().filter((id) => id.startsWith('1_'))).toEqual([]);
    expect(standbysOf(b)).toEqual(expect.arrayContaining([expect.stringMatching(/^1_/)]));
    // input keeps flowing while the tasks wait to move: the first instance counts it
    await produceLines(kafka, input, second.lines.map((l, i) => [`m${i}`, l] as const));

    // the probing rebalance: the caught-up warm-up takes its task; stateful tasks end split one each
    await waitFor(
      () => b.activeTaskIds().some((id) => id.startsWith('1_')) && a.activeTaskIds().some((id) => id.startsWith('1_')) && b.state() === State.RUNNING,
      PROBING_MS + 60_000,
      { description: 'a stateful task moving to the second instance at the probing rebalance' },
    );
    expect(Date.now() - joinedAt).toBeGreaterThanOrEqual(PROBING_MS - 5_000);
    expect([...a.activeTaskIds(), ...b.activeTaskIds()].sort()).toEqual(['0_0', '0_1', '1_0', '1_1']);
    expect(standbysOf(b).filter((id) => b.activeTaskIds().includes(id))).toEqual([]);
    await waitForCounts(watcher, expected, 60_000, 'atLeast');
  } finally {
    await a.close();
    await b.close();
    await watcher.stop();
    for (const d of dirs) d.remove();
  }
});
