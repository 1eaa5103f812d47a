/**
 * Pattern (regex) sources at runtime, on the bundled broker (`npm test`) and real Kafka (run-suite.sh): the pattern
 * is matched against the cluster's topics at start, never against this application's own internal topics, and
 * every `metadata.max.age.ms` after; a topic created later is picked up (the instance rejoins with the new
 * subscription) and its records are counted. Tasks group pattern topics by partition number, as Kafka does.
 */
import type { Kafka } from 'kafkajs';
import { KafkaStreams, State } from '@kstreams/streams';
import { startTestBroker, type TestBroker } from '../support/broker';
import { createKafka, createTopic } from '../support/kafka-client';
import { uniqueName } from '../support/unique-name';
import { waitFor } from '../support/wait-for';
import { decodeLong, produceLines, tempStateDir, TopicWatcher, waitForCounts, wordCountTopology, wordLines } from './e2e-support';

jest.setTimeout(180_000);

let broker: TestBroker;
let kafka: Kafka;
beforeAll(async () => {
  broker = await startTestBroker();
  kafka = createKafka(broker.bootstrapServers);
});
afterAll(async () => {
  await broker?.close();
});

function topicsOfTask(streams: KafkaStreams, id: string): string[] {
  const task = streams.metadataForLocalThreads()[0]?.activeTasks.find((t) => t.taskId === id);
  return (task?.topicPartitions ?? []).map((tp) => `${tp.topic}-${tp.partition}`).sort();
}

test('a pattern source follows a topic created after the start, and its records are counted', async () => {
  const app = uniqueName('regex');
  const first = `${app}-orders-a`;
  const later = `${app}-orders-b`;
  const output = `out-${app}`;
  await createTopic(kafka, first, 2);
  await createTopic(kafka, output, 1);
  const state = tempStateDir();
  // `${app}-.*` also matches this application's repartition and changelog topics: those are never subscribed as sources
  const streams = new KafkaStreams(wordCountTopology(new RegExp(`${app}-.*`), output, 'counts'), {
    applicationId: app,
    bootstrapServers: broker.bootstrapServers,
    stateDir: state.dir,
    commitIntervalMs: 200,
    'consumer.metadata.max.age.ms': 1000,
  });
  const states: State[] = [];
  streams.setStateListener((s) => states.push(s));
  const watcher = await TopicWatcher.start(kafka, output, decodeLong);
  try {
    await streams.start();
    const batch1 = wordLines(300, 21);
    await produceLines(kafka, first, batch1.lines.map((l, i) => [`a${i}`, l] as const));
    await waitForCounts(watcher, batch1.expected, 60_000);
    await waitFor(() => streams.state() === State.RUNNING, 30_000, { description: 'RUNNING' });
    expect(streams.activeTaskIds().sort()).toEqual(['0_0', '0_1', '1_0', '1_1']);
    expect(topicsOfTask(streams, '0_0')).toEqual([`${first}-0`]);

    await createTopic(kafka, later, 1);
    const batch2 = wordLines(300, 22);
    await produceLines(kafka, later, batch2.lines.map((l, i) => [`b${i}`, l] as const));
    const total = new Map(batch1.expected);
    for (const [w, n] of batch2.expected) total.set(w, (total.get(w) ?? 0) + n);
    // the new topic is found at a metadata refresh, and counted once (the rejoin commits first)
    await waitForCounts(watcher, total, 90_000);
    await waitFor(() => streams.state() === State.RUNNING && topicsOfTask(streams, '0_0').length === 2, 30_000, {
      description: `task 0_0 reading partition 0 of both pattern topics (${JSON.stringify(streams.metadataForLocalThreads())})`,
    });
    // partition grouping as Kafka's: task p of the sub-topology reads partition p of every matched topic
    expect(topicsOfTask(streams, '0_0')).toEqual([`${first}-0`, `${later}-0`]);
    expect(topicsOfTask(streams, '0_1')).toEqual([`${first}-1`]);
    expect(streams.activeTaskIds().sort()).toEqual(['0_0', '0_1', '1_0', '1_1']);
    expect(states).not.toContain(State.ERROR);
  } finally {
    await streams.close();
    await watcher.stop();
    state.remove();
  }
});
