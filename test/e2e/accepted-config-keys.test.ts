/**
 * The runtime half of the accepted-keys test (packages/streams/test/runtime/accepted-config-keys.test.ts names
 * these tests by title): the settings whose effect shows only while an application runs against a broker.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Kafka } from 'kafkajs';
import { ConsoleLogger, Consumed, KafkaStreams, Produced, Serdes, State, StreamsBuilder, setLogLevel, setLogger } from '@kstreams/streams';
import type { StreamsConfigProps } from '@kstreams/streams';
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

/** Runs WordCount with `props` until the counts of one small input are out; `inspect` runs while it is RUNNING. */
async function runWordCount(app: string, props: Partial<StreamsConfigProps>, inspect: (stateDir: string) => Promise<void>): Promise<void> {
  const input = `${app}-in`;
  const output = `${app}-out`;
  await createTopic(kafka, input, 2);
  await createTopic(kafka, output, 1);
  const state = tempStateDir();
  const streams = new KafkaStreams(wordCountTopology(input, output, 'counts'), {
    applicationId: app,
    bootstrapServers: broker.bootstrapServers,
    stateDir: state.dir,
    commitIntervalMs: 100,
    ...props,
  } as StreamsConfigProps);
  const watcher = await TopicWatcher.start(kafka, output, decodeLong);
  try {
    await streams.start();
    const { lines, expected } = wordLines(50, 7);
    await produceLines(kafka, input, lines.map((l) => [null, l] as const));
    await waitForCounts(watcher, expected, 60_000);
    await inspect(state.dir);
  } finally {
    await streams.close();
    await watcher.stop();
    state.remove();
  }
}

test('applicationId, clientId, stateDir and topic.* shape the group, members, task directories and internal topics', async () => {
  const app = uniqueName('keys-shape');
  await runWordCount(app, { clientId: `${app}-custom-client`, 'topic.max.message.bytes': '123456' }, async (stateDir) => {
    // applicationId: the consumer group, and the prefix of the internal topics
    const groups = await withAdmin(kafka, (admin) => admin.describeGroups([app]));
    expect(groups.groups[0]!.state).toBe('Stable');
    // clientId: the prefix of the client ids of its clients
    expect(groups.groups[0]!.members.map((m) => m.clientId)).toEqual([`${app}-custom-client`]);
    // stateDir: <stateDir>/<applicationId>/<taskId> holds the stateful tasks' stores
    expect(readdirSync(join(stateDir, app)).filter((d) => d.startsWith('1_')).sort()).toEqual(['1_0', '1_1']);
    expect(existsSync(join(stateDir, app, '1_0', 'rocksdb', 'counts'))).toBe(true);
    // topic.*: applied to the internal topics created
    const configs = await withAdmin(kafka, (admin) =>
      admin.describeConfigs({ includeSynonyms: false, resources: [{ type: 2, name: `${app}-counts-changelog`, configNames: ['max.message.bytes'] }] }),
    );
    expect(configs.resources[0]!.configEntries.find((e) => e.configName === 'max.message.bytes')?.configValue).toBe('123456');
  });
});

test('kafkajs options reach the kafkajs client', async () => {
  const app = uniqueName('keys-kafkajs');
  await runWordCount(app, { kafkajs: { clientId: `${app}-from-kafkajs-options` } }, async () => {
    const groups = await withAdmin(kafka, (admin) => admin.describeGroups([app]));
    expect(groups.groups[0]!.members.map((m) => m.clientId)).toEqual([`${app}-from-kafkajs-options`]);
  });
});

test('commitIntervalMs decides when offsets are committed', async () => {
  const committed = async (group: string, topic: string) =>
    withAdmin(kafka, async (admin) => (await admin.fetchOffsets({ groupId: group, topics: [topic] }))[0]!.partitions.map((p) => Number(p.offset)));
  const fast = uniqueName('keys-commit-fast');
  await runWordCount(fast, { commitIntervalMs: 100 }, async () => {
    await waitFor(async () => (await committed(fast, `${fast}-in`)).some((o) => o > 0), 30_000, { description: 'a commit within 100 ms intervals' });
  });
  const slow = uniqueName('keys-commit-slow');
  await createTopic(kafka, `${slow}-in`, 2);
  await createTopic(kafka, `${slow}-out`, 1);
  const state = tempStateDir();
  const streams = new KafkaStreams(wordCountTopology(`${slow}-in`, `${slow}-out`, 'counts'), {
    applicationId: slow,
    bootstrapServers: broker.bootstrapServers,
    stateDir: state.dir,
    commitIntervalMs: 3_600_000,
  });
  try {
    await streams.start();
    const { lines } = wordLines(50, 7);
    await produceLines(kafka, `${slow}-in`, lines.map((l) => [null, l] as const));
    const processed = () => streams.metrics().find((m) => m.group === 'stream-thread-metrics' && m.name === 'process-total')?.value ?? 0;
    await waitFor(() => processed() >= lines.length, 60_000, { description: 'the input lines processed' });
    // processed, but an hour-long interval has not passed: nothing committed yet
    expect(await committed(slow, `${slow}-in`)).toEqual([-1, -1]);
    // a clean close commits
    await streams.close();
    expect((await committed(slow, `${slow}-in`)).reduce((a, b) => a + b, 0)).toBe(lines.length);
  } finally {
    await streams.close();
    state.remove();
  }
});

test('replicationFactor is used for internal topics', async () => {
  const app = uniqueName('keys-rf');
  await createTopic(kafka, `${app}-in`, 1);
  const state = tempStateDir();
  process.env['KSTREAMS_KAFKAJS_LOG_LEVEL'] = 'nothing'; // kafkajs logs the refused CreateTopics itself
  // a single broker cannot hold three replicas: creating the internal topics fails, so start() rejects
  const streams = new KafkaStreams(wordCountTopology(`${app}-in`, `${app}-out`, 'counts'), {
    applicationId: app,
    bootstrapServers: broker.bootstrapServers,
    stateDir: state.dir,
    replicationFactor: 3,
  });
  const errors: string[] = [];
  setLogger({ error: (m, e) => errors.push(`${m}: ${e instanceof Error ? e.message : String(e)}`), warn: () => undefined, info: () => undefined, debug: () => undefined });
  try {
    await expect(streams.start()).rejects.toThrow();
    expect(streams.state()).toBe(State.ERROR);
    expect(errors).toEqual(['Failed to start the streams client: Topic creation errors']);
    const topics = await withAdmin(kafka, (admin) => admin.listTopics());
    expect(topics.filter((t) => t.startsWith(`${app}-counts`))).toEqual([]);
  } finally {
    setLogger(new ConsoleLogger());
    delete process.env['KSTREAMS_KAFKAJS_LOG_LEVEL'];
    await streams.close();
    state.remove();
  }
});

test('pollMs, consumer.* and main.consumer.* reach the kafkajs consumer', async () => {
  // consumer.auto.offset.reset=latest: records written before the group first joined are skipped
  const app = uniqueName('keys-reset');
  const input = `${app}-in`;
  const output = `${app}-out`;
  await createTopic(kafka, input, 1);
  await createTopic(kafka, output, 1);
  await produceLines(kafka, input, [['early', 'before the start']]);
  const b = new StreamsBuilder();
  b.stream<string, string>(input, Consumed.with(Serdes.String(), Serdes.String())).to(output, Produced.with(Serdes.String(), Serdes.String()));
  const state = tempStateDir();
  const streams = new KafkaStreams(b.build(), {
    applicationId: app,
    bootstrapServers: broker.bootstrapServers,
    stateDir: state.dir,
    pollMs: 50,
    commitIntervalMs: 100,
    'consumer.auto.offset.reset': 'latest',
    'main.consumer.session.timeout.ms': 10_000,
  });
  const watcher = await TopicWatcher.start(kafka, output, (v) => v?.toString('utf8') ?? '');
  try {
    await streams.start();
    await waitFor(() => streams.state() === State.RUNNING, 30_000, { description: 'RUNNING' });
    // the group has joined and positioned at the end; what comes now is processed
    await waitFor(async () => (await withAdmin(kafka, (a) => a.describeGroups([app]))).groups[0]!.state === 'Stable', 30_000);
    await produceLines(kafka, input, [['late', 'after the start']]);
    await waitFor(() => watcher.latest.has('late'), 30_000, { description: 'the record written after the start' });
    expect([...watcher.latest.keys()]).toEqual(['late']);
  } finally {
    await streams.close();
    await watcher.stop();
    state.remove();
  }
});

test('maxTaskIdleMs holds a task back while one of its inputs has no data', async () => {
  // one task reads two topics; only one of them has data
  const app = uniqueName('keys-idle');
  const left = `${app}-left`;
  const right = `${app}-right`;
  await createTopic(kafka, left, 1);
  await createTopic(kafka, right, 1);
  await produceLines(kafka, left, [['k', 'v']]);
  const run = (suffix: string, maxTaskIdleMs: number) => {
    const b = new StreamsBuilder();
    b.stream<string, string>([left, right], Consumed.with(Serdes.String(), Serdes.String())).to(`${app}-${suffix}`, Produced.with(Serdes.String(), Serdes.String()));
    const state = tempStateDir();
    return { state, streams: new KafkaStreams(b.build(), { applicationId: `${app}-${suffix}`, bootstrapServers: broker.bootstrapServers, stateDir: state.dir, maxTaskIdleMs, commitIntervalMs: 100 }) };
  };
  await createTopic(kafka, `${app}-eager`, 1);
  await createTopic(kafka, `${app}-patient`, 1);
  const eager = run('eager', 0);
  const patient = run('patient', 3_600_000);
  const eagerOut = await TopicWatcher.start(kafka, `${app}-eager`, (v) => v?.toString('utf8') ?? '');
  const patientOut = await TopicWatcher.start(kafka, `${app}-patient`, (v) => v?.toString('utf8') ?? '');
  try {
    await patient.streams.start();
    await eager.streams.start();
    await waitFor(() => patient.streams.state() === State.RUNNING, 30_000, { description: 'the patient app RUNNING' });
    // the eager app processes the lone record (after Kafka's short enforced-processing wait) ...
    await waitFor(() => eagerOut.latest.get('k') === 'v', 60_000, { description: 'the eager app to process the record' });
    // ... while the app that may idle for an hour still waits for its empty input
    expect(patientOut.records).toBe(0);
    // data on the other input releases it
    await produceLines(kafka, right, [['r', 'w']]);
    await waitFor(() => patientOut.latest.get('k') === 'v', 60_000, { description: 'the patient app released by data on both inputs' });
  } finally {
    for (const a of [eager, patient]) {
      await a.streams.close();
      a.state.remove();
    }
    await eagerOut.stop();
    await patientOut.stop();
  }
});

test('bufferedRecordsPerPartition pauses a partition whose buffer is full', async () => {
  const app = uniqueName('keys-buffered');
  const input = `${app}-in`;
  const output = `${app}-out`;
  await createTopic(kafka, input, 1);
  await createTopic(kafka, output, 1);
  const { lines, expected } = wordLines(3000, 5);
  await produceLines(kafka, input, lines.map((l) => [null, l] as const));
  const paused: Array<{ buffered: number; batch: number }> = [];
  let resumed = 0;
  // the pause/resume lines are logged at debug: raise the level for this test and put it back after
  const levelBefore = setLogLevel('debug');
  const loggerBefore = setLogger({
    error: () => undefined,
    warn: () => undefined,
    info: () => undefined,
    debug: (m) => {
      const p = /^Paused fetching .*: (\d+) records buffered after a batch of (\d+)$/.exec(m);
      if (p) paused.push({ buffered: Number(p[1]), batch: Number(p[2]) });
      if (m.startsWith('Resumed fetching ')) resumed++;
    },
  });
  const state = tempStateDir();
  const bound = 20;
  const streams = new KafkaStreams(wordCountTopology(input, output, 'counts'), {
    applicationId: app,
    bootstrapServers: broker.bootstrapServers,
    stateDir: state.dir,
    commitIntervalMs: 100,
    bufferedRecordsPerPartition: bound,
    'consumer.max.partition.fetch.bytes': 2048, // small fetches, so the buffer fills many times
  });
  const watcher = await TopicWatcher.start(kafka, output, decodeLong);
  try {
    await streams.start();
    await waitForCounts(watcher, expected, 90_000);
    expect(paused.length).toBeGreaterThan(0);
    expect(resumed).toBeGreaterThan(0);
    // a partition is paused as soon as its buffer passes the bound, so before the batch that filled it, it held
    // at most `bound` records: the buffer never exceeds the bound plus one fetch
    for (const p of paused) expect(p.buffered - p.batch).toBeLessThanOrEqual(bound);
  } finally {
    await streams.close();
    await watcher.stop();
    setLogger(loggerBefore);
    setLogLevel(levelBefore ?? 'warn');
    state.remove();
  }
});
