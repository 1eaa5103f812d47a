/**
 * Scale-out and fail-over: two WordCount instances (child processes on the built packages) with one applicationId
 * split the tasks; when one is SIGKILLed mid-stream the other takes all tasks over, restores their stores from the
 * changelogs, and every input word is counted at least once (at-least-once: duplicates are possible and reported).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { Kafka } from 'kafkajs';
import { startTestBroker, type TestBroker } from '../support/broker';
import { createKafka, createTopic, withAdmin } from '../support/kafka-client';
import { uniqueName } from '../support/unique-name';
import { waitFor } from '../support/wait-for';
import { decodeLong, produceLines, tempStateDir, TopicWatcher, waitForCounts, wordLines } from './e2e-support';

jest.setTimeout(180_000);

const REPO = resolve(__dirname, '..', '..');
const FIXTURE = join(__dirname, 'fixtures', 'wordcount-instance.js');
const STREAMS_DIST = join(REPO, 'packages', 'streams', 'dist', 'index.js');

interface Instance {
  readonly child: ChildProcess;
  /** The latest report: state and active tasks. */
  last: { state: string; tasks: string[] } | null;
  readonly stderr: string[];
  readonly exited: Promise<void>;
}

function launch(env: Record<string, string>): Instance {
  const child = spawn(process.execPath, [FIXTURE], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const instance: Instance = {
    child,
    last: null,
    stderr: [],
    exited: new Promise((r) => child.once('exit', () => r())),
  };
  createInterface({ input: child.stdout! }).on('line', (line) => {
    try {
      instance.last = JSON.parse(line) as { state: string; tasks: string[] };
    } catch {
      // not a report
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    instance.stderr.push(chunk.toString());
    if (instance.stderr.length > 200) instance.stderr.shift();
  });
  return instance;
}

async function stop(instance: Instance, signal: NodeJS.Signals): Promise<void> {
  if (instance.child.exitCode !== null || instance.child.signalCode !== null) return;
  instance.child.kill(signal);
  await instance.exited;
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

test('two instances split the tasks, and the survivor of a SIGKILL takes them over with every input counted', async () => {
  const app = uniqueName('wc-scale');
  const input = `${app}-input`;
  const output = `${app}-output`;
  await createTopic(kafka, input, 4);
  await createTopic(kafka, output, 2);
  const allTasks = ['0_0', '0_1', '0_2', '0_3', '1_0', '1_1', '1_2', '1_3'];
  const dirA = tempStateDir();
  const dirB = tempStateDir();
  const common = { WC_APP_ID: app, WC_BOOTSTRAP: broker.bootstrapServers, WC_INPUT: input, WC_OUTPUT: output, WC_COMMIT_MS: '300' };
  const watcher = await TopicWatcher.start(kafka, output, decodeLong);
  // A commits rarely, so when it is killed it has flushed output (its 20,000-record output buffer overflows)
  // for input whose offsets it has not committed yet: the survivor processes that input again.
  const a = launch({ ...common, WC_STATE_DIR: dirA.dir, WC_COMMIT_MS: '4000' });
  const b = launch({ ...common, WC_STATE_DIR: dirB.dir });
  const exit = (i: Instance): string => (i.child.exitCode === null && i.child.signalCode === null ? 'alive' : `exited ${i.child.exitCode ?? i.child.signalCode}`);
  const describe = (): string => `A=${JSON.stringify(a.last)} (${exit(a)}) B=${JSON.stringify(b.last)} (${exit(b)})\nA stderr: ${a.stderr.join('').slice(-2000)}\nB stderr: ${b.stderr.join('').slice(-2000)}`;
  try {
    const batch1 = wordLines(3000, 5);
    await produceLines(kafka, input, batch1.lines.map((l, i) => [`line-${i}`, l] as const));
    // both run, with disjoint task sets covering every task
    await waitFor(
      () => {
        if (a.last?.state !== 'RUNNING' || b.last?.state !== 'RUNNING') return false;
        const ta = a.last.tasks;
        const tb = b.last.tasks;
        if (ta.length === 0 || tb.length === 0 || ta.some((t) => tb.includes(t))) return false;
        return [...ta, ...tb].sort().join() === allTasks.join();
      },
      120_000,
      { description: `two instances splitting ${allTasks.length} tasks (${describe()})`, intervalMs: 100 },
    );
    expect(a.last!.tasks.length).toBe(4);
    expect(b.last!.tasks.length).toBe(4);
    await waitForCounts(watcher, batch1.expected, 60_000, 'atLeast');

    // kill A mid-stream: once half of the second batch went through the repartition topic
    const repartition = `${app}-KSTREAM-AGGREGATE-STATE-STORE-0000000003-repartition`;
    const repartitioned = async (): Promise<number> =>
      withAdmin(kafka, async (admin) => (await admin.fetchTopicOffsets(repartition)).reduce((n, p) => n + Number(p.high), 0));
    const before = await repartitioned();
    const batch2 = wordLines(8000, 6);
    const batch2Words = [...batch2.expected.values()].reduce((x, y) => x + y, 0);
    await produceLines(kafka, input, batch2.lines.map((l, i) => [`line2-${i}`, l] as const));
    await waitFor(async () => (await repartitioned()) - before >= batch2Words / 2, 60_000, { description: 'half of batch 2 repartitioned', intervalMs: 20 });
    await stop(a, 'SIGKILL');
    await waitFor(() => b.last?.state === 'RUNNING' && b.last.tasks.join() === allTasks.join(), 60_000, {
      description: `the survivor running every task (${describe()})`,
      intervalMs: 100,
    });
    const expected = new Map(batch1.expected);
    for (const [k, v] of batch2.expected) expected.set(k, (expected.get(k) ?? 0) + v);
    await waitForCounts(watcher, expected, 90_000, 'atLeast');
    let duplicates = 0;
    for (const [k, v] of expected) duplicates += watcher.latest.get(k)! - v;
    const total = [...expected.values()].reduce((x, y) => x + y, 0);
    console.log(`scale-out: ${total} words, ${duplicates} counted more than once after the SIGKILL (at-least-once: A commits every 4 s and the survivor redoes its uncommitted input)`);
    expect(duplicates).toBeGreaterThanOrEqual(0);
  } finally {
    await stop(a, 'SIGKILL');
    await stop(b, 'SIGTERM');
    await watcher.stop();
    dirA.remove();
    dirB.remove();
  }
});
