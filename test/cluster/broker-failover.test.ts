/**
 * Broker failover on a real 3-broker Kafka cluster (test/kafka/kafka.sh with KAFKA_BROKERS=3, started by
 * run-suite.sh, which passes KSTREAMS_CLUSTER and KSTREAMS_KAFKA_SH): WordCount runs with replication factor 3;
 * the broker leading its input and changelog partitions is SIGKILLed mid-stream; the app carries on through the
 * new leaders and no counted word is lost (at-least-once: counts are at least the truth).
 */
import { execFile } from 'node:child_process';
import { Kafka, logLevel } from 'kafkajs';
import { KafkaStreams, State } from '@kstreams/streams';
import { decodeLong, produceLines, tempStateDir, TopicWatcher, waitForCounts, wordCountTopology, wordLines } from '../e2e/e2e-support';
import { uniqueName } from '../support/unique-name';
import { waitFor } from '../support/wait-for';

jest.setTimeout(300_000);

function env(name: string): string {
  const v = process.env[name];
  if (v === undefined || v === '') throw new Error(`${name} is not set: run this suite through test/kafka/run-suite.sh`);
  return v;
}

const BROKERS = env('KSTREAMS_CLUSTER').split(',');
const KAFKA_SH = env('KSTREAMS_KAFKA_SH');
const VICTIM = 2;

function kafkaSh(...args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('bash', [KAFKA_SH, ...args], { env: process.env, timeout: 180_000 }, (err, stdout, stderr) =>
      err ? reject(new Error(`kafka.sh ${args.join(' ')}: ${err.message}\n${stderr}`)) : resolve(stdout.trim()),
    );
  });
}

const kafka = new Kafka({ clientId: uniqueName('failover'), brokers: BROKERS, logLevel: logLevel.NOTHING, retry: { retries: 20, maxRetryTime: 2000 } });

// The broker kill makes kafkajs (ours and the test's clients) log connection errors by design; keep them out of
// the output (the outcome is asserted on the counts and states instead).
process.env['KSTREAMS_KAFKAJS_LOG_LEVEL'] = 'nothing';

afterAll(async () => {
  // leave the cluster whole for whatever runs after this file (run-suite.sh stops it right after)
  if (process.env['KSTREAMS_CLUSTER_RESTORE'] === '1') await kafkaSh('start-node', String(VICTIM));
});

test('killing the broker that leads the input and changelog partitions loses no counted word', async () => {
  expect(BROKERS).toHaveLength(3);
  const app = uniqueName('failover');
  const input = `${app}-in`;
  const output = `${app}-out`;
  const changelog = `${app}-counts-changelog`;
  const repartition = `${app}-counts-repartition`;
  // Input and changelog (pre-created as Kafka Streams allows) are led by the victim; the repartition topic is
  // created by the app with replication factor 3.
  const ledByVictim = [0, 1].map((partition) => ({ partition, replicas: [VICTIM, ...[1, 2, 3].filter((n) => n !== VICTIM)] }));
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: [
        { topic: input, replicaAssignment: ledByVictim },
        { topic: changelog, replicaAssignment: ledByVictim, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] },
        { topic: output, numPartitions: 1, replicationFactor: 3 },
      ],
    });
  } finally {
    await admin.disconnect();
  }

  const state = tempStateDir();
  const streams = new KafkaStreams(wordCountTopology(input, output, 'counts'), {
    applicationId: app,
    bootstrapServers: BROKERS,
    stateDir: state.dir,
    replicationFactor: 3,
    commitIntervalMs: 200,
    'consumer.session.timeout.ms': 10_000,
    'consumer.heartbeat.interval.ms': 1000,
  });
  const states: State[] = [];
  streams.setStateListener((s) => states.push(s));
  const watcher = await TopicWatcher.start(kafka, output, decodeLong);
  try {
    await streams.start();
    const first = wordLines(600, 11);
    await produceLines(kafka, input, first.lines.map((l, i) => [`k${i}`, l] as const));
    await waitForCounts(watcher, first.expected, 120_000, 'atLeast');

    const meta = await (async () => {
      const a = kafka.admin();
      await a.connect();
      try {
        return (await a.fetchTopicMetadata({ topics: [input, changelog, repartition] })).topics;
      } finally {
        await a.disconnect();
      }
    })();
    const byName = new Map(meta.map((t) => [t.name, t.partitions]));
    expect(byName.get(repartition)!.map((p) => p.replicas.length)).toEqual([3, 3]); // replicationFactor 3 acts
    expect(byName.get(input)!.map((p) => p.leader)).toEqual([VICTIM, VICTIM]);
    expect(byName.get(changelog)!.map((p) => p.leader)).toEqual([VICTIM, VICTIM]);

    // the leader dies while more input keeps coming
    const second = wordLines(600, 12);
    const producing = produceLines(kafka, input, second.lines.map((l, i) => [`m${i}`, l] as const));
    await kafkaSh('kill', String(VICTIM));
    await producing;
    const total = new Map(first.expected);
    for (const [w, n] of second.expected) total.set(w, (total.get(w) ?? 0) + n);
    await waitForCounts(watcher, total, 180_000, 'atLeast');
    expect(states).not.toContain(State.ERROR);
    await waitFor(() => streams.state() === State.RUNNING, 60_000, { description: 'RUNNING after the failover' });
  } finally {
    await streams.close();
    await watcher.stop();
    state.remove();
  }
});
