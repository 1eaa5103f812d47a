/**
 * Standby replicas (`num.standby.replicas`): two instances of a counting app with one large store (one task). The
 * instance running the active task is a child process; the other (this process) holds a standby of it, kept from
 * the changelog, queryable with stale stores enabled and announced in the query metadata as a standby host. When
 * the active instance is SIGKILLed the survivor takes the task over from its standby's checkpoint and restores only
 * the tail of the changelog. The same run without a standby restores the whole changelog. Records restored and
 * seconds are printed for both; the assertions are on counts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { Kafka } from 'kafkajs';
import type { StateRestoreListener, TopicPartition } from '@kstreams/streams';
import { Consumed, KafkaStreams, Materialized, QueryableStoreTypes, Serdes, State, StoreQueryParameters, StreamsBuilder } from '@kstreams/streams';
import { startTestBroker, type TestBroker } from '../support/broker';
import { createKafka, createTopic, withAdmin } from '../support/kafka-client';
import { uniqueName } from '../support/unique-name';
import { waitFor } from '../support/wait-for';
import { produceLines, tempStateDir } from './e2e-support';

jest.setTimeout(300_000);

const REPO = resolve(__dirname, '..', '..');
const FIXTURE = join(__dirname, 'fixtures', 'standby-instance.js');
const STREAMS_DIST = join(REPO, 'packages', 'streams', 'dist', 'index.js');
/**
 * Keys in the store before the kill (one record each; STANDBY_STORE_KEYS overrides it for a larger measurement), and
 * keys written after the standby caught up.
 */
const STORE_KEYS = Number(process.env['STANDBY_STORE_KEYS'] ?? 30_000);
const TAIL_KEYS = 2_000;

interface Child {
  readonly child: ChildProcess;
  last: { state: string; tasks: string[]; standbys: string[] } | null;
  readonly stderr: string[];
  readonly exited: Promise<void>;
}

function launch(env: Record<string, string>): Child {
  const child = spawn(process.execPath, [FIXTURE], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const c: Child = { child, last: null, stderr: [], exited: new Promise((r) => child.once('exit', () => r())) };
  createInterface({ input: child.stdout! }).on('line', (line) => {
    try {
      c.last = JSON.parse(line) as Child['last'];
    } catch {
      // not a report
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    c.stderr.push(chunk.toString());
    if (c.stderr.length > 200) c.stderr.shift();
  });
  return c;
}

async function stop(c: Child, signal: NodeJS.Signals): Promise<void> {
  if (c.child.exitCode !== null || c.child.signalCode !== null) return;
  c.child.kill(signal);
  await c.exited;
}

class RestoreCounter implements StateRestoreListener {
  records = 0;
  startedAt = -1;
  endedAt = -1;
  onRestoreStart(_tp: TopicPartition, _store: string, _start: number, _end: number): void {
    if (this.startedAt < 0) this.startedAt = Date.now();
  }
  onRestoreEnd(_tp: TopicPartition, _store: string, total: number): void {
    this.records += total;
    this.endedAt = Date.now();
  }
  get seconds(): number {
    return this.startedAt < 0 ? 0 : (this.endedAt - this.startedAt) / 1000;
  }
}

let broker: TestBroker;
let kafka: Kafka;

beforeAll(async () => {
  if (!existsSync(STREAMS_DIST)) throw new Error(`${STREAMS_DIST} is missing: build first (npm run build)`);
  broker = await startTestBroker();
  kafka = createKafka(broker.bootstrapServers);
});

afterAll(async () => {
  await broker?.close();
});

interface Outcome {
  readonly restored: number;
  readonly restoreSeconds: number;
  readonly killToRunningSeconds: number;
}

type Guarantee = 'at_least_once' | 'exactly_once_v2';

async function failover(standbys: 0 | 1, guarantee: Guarantee = 'at_least_once'): Promise<Outcome> {
  const app = uniqueName(`standby-${standbys}`);
  const input = `${app}-in`;
  const store = 'big-counts';
  const changelog = `${app}-${store}-changelog`;
  await createTopic(kafka, input, 1);
  const childDir = tempStateDir();
  const ownDir = tempStateDir();
  const child = launch({
    SB_APP_ID: app,
    SB_BOOTSTRAP: broker.bootstrapServers,
    SB_INPUT: input,
    SB_STORE: store,
    SB_STATE_DIR: childDir.dir,
    SB_STANDBYS: String(standbys),
    SB_APPLICATION_SERVER: 'localhost:7001',
    SB_GUARANTEE: guarantee,
  });
  const builder = new StreamsBuilder();
  builder.stream(input, Consumed.with(Serdes.String(), Serdes.String())).groupByKey().count(Materialized.as(store));
  const survivor = new KafkaStreams(builder.build(), {
    applicationId: app,
    bootstrapServers: broker.bootstrapServers,
    stateDir: ownDir.dir,
    numStandbyReplicas: standbys,
    applicationServer: 'localhost:7002',
    processingGuarantee: guarantee,
    commitIntervalMs: 500,
    'consumer.session.timeout.ms': 6000,
    'consumer.heartbeat.interval.ms': 500,
  });
  const restores = new RestoreCounter();
  survivor.setGlobalStateRestoreListener(restores);
  const kv = QueryableStoreTypes.keyValueStore<string, number>();
  const exit = (): string => (child.child.exitCode === null && child.child.signalCode === null ? 'alive' : `exited ${child.child.exitCode ?? child.child.signalCode}`);
  const describe = (): string => `child=${JSON.stringify(child.last)} (${exit()}) survivor=${survivor.state()} ${survivor.activeTaskIds().join()}\nchild stderr: ${child.stderr.join('').slice(-2000)}`;
  const changelogEnd = async (): Promise<number> => withAdmin(kafka, async (admin) => (await admin.fetchTopicOffsets(changelog)).reduce((n, p) => n + Number(p.high), 0));
  const survivorStandbys = (): string[] => survivor.metadataForLocalThreads().flatMap((t) => t.standbyTasks.map((s) => s.taskId));
  try {
    await waitFor(() => child.last?.state === 'RUNNING' && child.last.tasks.join() === '0_0', 120_000, { description: `the child running task 0_0 (${describe()})`, intervalMs: 100 });
    await survivor.start();
    await waitFor(
      () => survivor.state() === State.RUNNING && child.last?.state === 'RUNNING' && child.last.tasks.join() === '0_0' && survivorStandbys().length === standbys,
      120_000,
      { description: `the child keeping the active task, the survivor ${standbys} standby (${describe()})`, intervalMs: 100 },
    );
    expect(survivor.activeTaskIds()).toEqual([]);
    await produceLines(kafka, input, Array.from({ length: STORE_KEYS }, (_, i) => [`k${i}`, 'v'] as const));
    await waitFor(async () => (await changelogEnd()) >= STORE_KEYS, 120_000, { description: `the child's store holding ${STORE_KEYS} keys (${describe()})`, intervalMs: 200 });

    if (standbys > 0) {
      // the standby catches up from the changelog; it is queryable only with stale stores enabled
      const stale = StoreQueryParameters.fromNameAndType(store, kv).enableStaleStores();
      await waitFor(() => survivor.store(stale).get(`k${STORE_KEYS - 1}`) === 1, 120_000, { description: 'the standby store catching up', intervalMs: 100 });
      expect(survivor.store(stale).approximateNumEntries()).toBe(STORE_KEYS);
      expect(() => survivor.store(StoreQueryParameters.fromNameAndType(store, kv)).get('k0')).toThrow(/may have migrated/);
      // the query metadata names this instance as the standby host of the key's partition
      const meta = await waitFor(() => {
        const m = survivor.queryMetadataForKey(store, 'k0', Serdes.String().serializer());
        return m !== null && m.standbyHosts().length > 0 ? m : null;
      }, 30_000, { description: 'query metadata with a standby host' });
      expect(meta.activeHost().toString()).toContain('7001');
      expect(meta.standbyHosts().map((h) => h.port())).toEqual([7002]);
      expect(survivor.streamsMetadataForStore(store).find((m) => m.hostInfo().port() === 7002)?.standbyStateStoreNames().has(store)).toBe(true);
    }

    // a tail written after the standby caught up, then the active instance dies
    await produceLines(kafka, input, Array.from({ length: TAIL_KEYS }, (_, i) => [`k${STORE_KEYS + i}`, 'v'] as const));
    await waitFor(async () => (await changelogEnd()) >= STORE_KEYS + TAIL_KEYS, 120_000, { description: `the tail in the changelog (${describe()})`, intervalMs: 100 });
    const killedAt = Date.now();
    await stop(child, 'SIGKILL');
    await waitFor(() => survivor.state() === State.RUNNING && survivor.activeTaskIds().join() === '0_0', 120_000, { description: `the survivor running task 0_0 (${describe()})`, intervalMs: 50 });
    const killToRunningSeconds = (Date.now() - killedAt) / 1000;
    const counts = survivor.store(StoreQueryParameters.fromNameAndType(store, kv));
    await waitFor(() => counts.get(`k${STORE_KEYS + TAIL_KEYS - 1}`) === 1, 30_000, { description: 'the last key counted' });
    expect(counts.approximateNumEntries()).toBe(STORE_KEYS + TAIL_KEYS);
    return { restored: restores.records, restoreSeconds: restores.seconds, killToRunningSeconds };
  } finally {
    await stop(child, 'SIGKILL');
    await survivor.close();
    childDir.remove();
    ownDir.remove();
  }
}

test('the survivor of a SIGKILL takes over from its standby and restores only the tail; without a standby, the whole changelog', async () => {
  const withStandby = await failover(1);
  const without = await failover(0);
  const size = STORE_KEYS + TAIL_KEYS;
  console.log(
    `standby failover (store of ${size} keys, ${broker.kind}): with one standby ${withStandby.restored} records restored in ${withStandby.restoreSeconds.toFixed(2)} s ` +
      `(kill to RUNNING ${withStandby.killToRunningSeconds.toFixed(1)} s); without ${without.restored} records in ${without.restoreSeconds.toFixed(2)} s ` +
      `(kill to RUNNING ${without.killToRunningSeconds.toFixed(1)} s; both include the 6 s session timeout)`,
  );
  expect(withStandby.restored).toBeLessThanOrEqual(TAIL_KEYS);
  expect(without.restored).toBeGreaterThanOrEqual(size);
});

test('under exactly_once_v2 the standby (read_committed, checkpoint only on a clean close) also spares the survivor a full restore', async () => {
  const eos = await failover(1, 'exactly_once_v2');
  console.log(`standby failover under exactly_once_v2 (${broker.kind}): ${eos.restored} records restored in ${eos.restoreSeconds.toFixed(2)} s (kill to RUNNING ${eos.killToRunningSeconds.toFixed(1)} s)`);
  expect(eos.restored).toBeLessThanOrEqual(TAIL_KEYS);
});

test('a task that moves away leaves a standby behind on its old instance, and the standbys follow the actives', async () => {
  const app = uniqueName('standby-move');
  const input = `${app}-in`;
  const store = 'counts';
  const changelog = `${app}-${store}-changelog`;
  const keys = 10_000;
  await createTopic(kafka, input, 2);
  const dirs = [tempStateDir(), tempStateDir()];
  const mk = (dir: string, port: number): { streams: KafkaStreams; restores: RestoreCounter } => {
    const builder = new StreamsBuilder();
    builder.stream(input, Consumed.with(Serdes.String(), Serdes.String())).groupByKey().count(Materialized.as(store));
    const streams = new KafkaStreams(builder.build(), {
      applicationId: app,
      bootstrapServers: broker.bootstrapServers,
      stateDir: dir,
      numStandbyReplicas: 1,
      applicationServer: `localhost:${port}`,
      commitIntervalMs: 300,
      'consumer.session.timeout.ms': 6000,
      'consumer.heartbeat.interval.ms': 300,
    });
    const restores = new RestoreCounter();
    streams.setGlobalStateRestoreListener(restores);
    return { streams, restores };
  };
  const a = mk(dirs[0]!.dir, 7101);
  const b = mk(dirs[1]!.dir, 7102);
  const standbysOf = (s: KafkaStreams): string[] => s.metadataForLocalThreads().flatMap((t) => t.standbyTasks.map((x) => x.taskId));
  const kv = QueryableStoreTypes.keyValueStore<string, number>();
  const stale = StoreQueryParameters.fromNameAndType(store, kv).enableStaleStores();
  try {
    await a.streams.start();
    await waitFor(() => a.streams.state() === State.RUNNING && a.streams.activeTaskIds().join() === '0_0,0_1', 60_000, { description: 'A running both tasks' });
    expect(standbysOf(a.streams)).toEqual([]); // no other instance to hold a copy
    await produceLines(kafka, input, Array.from({ length: keys }, (_, i) => [`k${i}`, 'v'] as const));
    await waitFor(async () => (await withAdmin(kafka, async (admin) => (await admin.fetchTopicOffsets(changelog)).reduce((n, p) => n + Number(p.high), 0))) >= keys, 60_000, {
      description: 'the store in the changelog',
      intervalMs: 100,
    });
    await b.streams.start();
    const split = (): boolean => {
      const [ta, tb] = [a.streams.activeTaskIds(), b.streams.activeTaskIds()];
      return (
        a.streams.state() === State.RUNNING && b.streams.state() === State.RUNNING && ta.length === 1 && tb.length === 1 &&
        standbysOf(a.streams).join() === tb.join() && standbysOf(b.streams).join() === ta.join()
      );
    };
    await waitFor(split, 60_000, { description: 'one active and the other task as standby on each instance', intervalMs: 100 });
    // A kept its copy of the task it gave up (as a standby, opened once its active task closed); B's standby caught up
    await waitFor(() => a.streams.store(stale).approximateNumEntries() === keys && b.streams.store(stale).approximateNumEntries() === keys, 60_000, {
      description: 'both instances holding every key (active + standby)',
    });
    const moved = b.streams.activeTaskIds()[0]!;
    const bRestoredBefore = b.restores.records;
    await a.streams.close();
    await waitFor(() => b.streams.state() === State.RUNNING && b.streams.activeTaskIds().join() === '0_0,0_1', 60_000, { description: 'B running both tasks' });
    expect(b.streams.store(StoreQueryParameters.fromNameAndType(store, kv)).approximateNumEntries()).toBe(keys);
    // the task B took over came from its standby: nothing (or a few records) to restore
    console.log(`standby move (${broker.kind}): B restored ${bRestoredBefore} records when it took task ${moved} without a copy, then ${b.restores.records - bRestoredBefore} taking the other from its standby`);
    expect(b.restores.records - bRestoredBefore).toBeLessThan(keys / 10);
  } finally {
    await a.streams.close();
    await b.streams.close();
    for (const d of dirs) d.remove();
  }
});

test('a moving active task goes to the instance with a caught-up standby, not to one with an old copy of its state', async () => {
  const app = uniqueName('standby-lag');
  const input = `${app}-in`;
  const store = 'counts';
  const changelog = `${app}-${store}-changelog`;
  await createTopic(kafka, input, 1);
  const dirs = [tempStateDir(), tempStateDir(), tempStateDir()];
  const mk = (dir: string): { streams: KafkaStreams; restores: RestoreCounter } => {
    const builder = new StreamsBuilder();
    builder.stream(input, Consumed.with(Serdes.String(), Serdes.String())).groupByKey().count(Materialized.as(store));
    const streams = new KafkaStreams(builder.build(), {
      applicationId: app,
      bootstrapServers: broker.bootstrapServers,
      stateDir: dir,
      numStandbyReplicas: 1,
      commitIntervalMs: 300,
      'consumer.session.timeout.ms': 6000,
      'consumer.heartbeat.interval.ms': 300,
    });
    const restores = new RestoreCounter();
    streams.setGlobalStateRestoreListener(restores);
    return { streams, restores };
  };
  const changelogEnd = async (): Promise<number> => withAdmin(kafka, async (admin) => (await admin.fetchTopicOffsets(changelog)).reduce((n, p) => n + Number(p.high), 0));
  const standbysOf = (s: KafkaStreams): string[] => s.metadataForLocalThreads().flatMap((t) => t.standbyTasks.map((x) => x.taskId));
  const running = (s: KafkaStreams, tasks: string): boolean => s.state() === State.RUNNING && s.activeTaskIds().join() === tasks;
  const all: KafkaStreams[] = [];
  try {
    // C runs the task first, on 1,000 keys, and stops: its directory keeps a copy 1,000 records long
    const c1 = mk(dirs[2]!.dir);
    all.push(c1.streams);
    await c1.streams.start();
    await produceLines(kafka, input, Array.from({ length: 1000 }, (_, i) => [`k${i}`, 'v'] as const));
    await waitFor(async () => running(c1.streams, '0_0') && (await changelogEnd()) >= 1000, 60_000, { description: 'C counting the first keys', intervalMs: 100 });
    await c1.streams.close();
    // A runs it, B keeps a standby; 20,000 more keys put C's copy 20,000 behind (more than acceptable.recovery.lag)
    const a = mk(dirs[0]!.dir);
    const b = mk(dirs[1]!.dir);
    all.push(a.streams, b.streams);
    await a.streams.start();
    await waitFor(() => running(a.streams, '0_0'), 60_000, { description: 'A running the task' });
    await b.streams.start();
    await waitFor(() => running(a.streams, '0_0') && b.streams.state() === State.RUNNING && standbysOf(b.streams).join() === '0_0', 60_000, { description: 'B holding the standby' });
    await produceLines(kafka, input, Array.from({ length: 20_000 }, (_, i) => [`k${1000 + i}`, 'v'] as const));
    const stale = StoreQueryParameters.fromNameAndType(store, QueryableStoreTypes.keyValueStore<string, number>()).enableStaleStores();
    await waitFor(() => b.streams.store(stale).approximateNumEntries() === 21_000, 60_000, { description: "B's standby caught up" });
    // C comes back: the standby stays with B (caught up), C's old copy is left alone
    const c2 = mk(dirs[2]!.dir);
    all.push(c2.streams);
    await c2.streams.start();
    await waitFor(
      () => running(a.streams, '0_0') && standbysOf(b.streams).join() === '0_0' && c2.streams.state() === State.RUNNING && standbysOf(c2.streams).length === 0,
      60_000,
      { description: 'three instances: A active, B standby, C idle' },
    );
    const bBefore = b.restores.records;
    await a.streams.close();
    await waitFor(() => running(b.streams, '0_0') || running(c2.streams, '0_0'), 60_000, { description: 'the task running again' });
    expect(b.streams.activeTaskIds()).toEqual(['0_0']);
    expect(c2.streams.activeTaskIds()).toEqual([]);
    expect(b.restores.records - bBefore).toBeLessThan(1000);
  } finally {
    for (const s of all) await s.close();
    for (const d of dirs) d.remove();
  }
});
