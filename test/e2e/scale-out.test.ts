/**
 * Scale-out and fail-over: two WordCount instances (child processes on the built packages) with one applicationId
 * split the tasks; when one is SIGKILLed mid-stream the other takes all tasks over, restores their stores from the
 * changelogs, and every input word is counted at least once (at-least-once: duplicates are possible and reported).
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Kafka } from 'kafkajs';
import { startTestBroker, type TestBroker } from '../support/broker';
import { createKafka, createTopic, withAdmin } from '../support/kafka-client';
import { uniqueName } from '../support/unique-name';
import { waitFor } from '../support/wait-for';
import {
  decodeLong,
  describeInstances,
  launchWordCount as launch,
  produceLines,
  stopInstance as stop,
  tempStateDir,
  TopicWatcher,
  waitForCounts,
  wordLines,
} from './e2e-support';

jest.setTimeout(180_000);

const REPO = resolve(__dirname, '..', '..');
const STREAMS_DIST = join(REPO, 'packages', 'streams', 'dist', 'index.js');

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
  const describe = (): string => describeInstances([a, b]);
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
