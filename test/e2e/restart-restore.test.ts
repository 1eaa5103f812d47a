/**
 * Stop and restart: a restarted WordCount resumes from its committed offsets (no input is counted twice after a
 * clean close) and its store comes back from the local checkpoint, or from the changelog when the local state is
 * gone. Counts stay exact across all three runs.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Kafka } from 'kafkajs';
import type { StateRestoreListener, TopicPartition } from '@kstreams/streams';
import { KafkaStreams, State } from '@kstreams/streams';
import { startTestBroker, type TestBroker } from '../support/broker';
import { createKafka, createTopic, withAdmin } from '../support/kafka-client';
import { uniqueName } from '../support/unique-name';
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

class RecordingRestoreListener implements StateRestoreListener {
  readonly started: Array<{ tp: TopicPartition; store: string; start: number; end: number }> = [];
  readonly ended: Array<{ tp: TopicPartition; store: string; total: number }> = [];
  batches = 0;
  onRestoreStart(tp: TopicPartition, store: string, start: number, end: number): void {
    this.started.push({ tp, store, start, end });
  }
  onBatchRestored(): void {
    this.batches++;
  }
  onRestoreEnd(tp: TopicPartition, store: string, total: number): void {
    this.ended.push({ tp, store, total });
  }
  get total(): number {
    return this.ended.reduce((n, e) => n + e.total, 0);
  }
}

function merge(...maps: ReadonlyMap<string, number>[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of maps) for (const [k, v] of m) out.set(k, (out.get(k) ?? 0) + v);
  return out;
}

test('restart resumes from committed offsets and restores the store from checkpoint or changelog', async () => {
  const app = uniqueName('wc-restart');
  const input = `${app}-input`;
  const output = `${app}-output`;
  await createTopic(kafka, input, 2);
  await createTopic(kafka, output, 2);
  const batch1 = wordLines(600, 11);
  const batch2 = wordLines(400, 22);
  const batch3 = wordLines(300, 33);
  const localState = tempStateDir();
  const freshState = tempStateDir();
  const watcher = await TopicWatcher.start(kafka, output, decodeLong);
  const run = async (stateDir: string, expected: ReadonlyMap<string, number>): Promise<RecordingRestoreListener> => {
    const listener = new RecordingRestoreListener();
    const streams = new KafkaStreams(wordCountTopology(input, output, 'counts'), {
      applicationId: app,
      bootstrapServers: broker.bootstrapServers,
      stateDir,
      commitIntervalMs: 200,
    });
    streams.setGlobalStateRestoreListener(listener);
    try {
      await streams.start();
      await waitForCounts(watcher, expected, 60_000);
    } finally {
      await streams.close();
    }
    expect(streams.state()).toBe(State.NOT_RUNNING);
    return listener;
  };
  try {
    await produceLines(kafka, input, batch1.lines.map((l) => [null, l] as const));
    const first = await run(localState.dir, batch1.expected);
    expect(first.total).toBe(0); // nothing to restore on a fresh changelog
    // the count store's task (sub-topology 1) wrote a Kafka-format checkpoint for its changelog partition
    const checkpoint = join(localState.dir, app, '1_0', '.checkpoint');
    expect(existsSync(checkpoint)).toBe(true);
    expect(readFileSync(checkpoint, 'utf8')).toMatch(new RegExp(`^0\\n1\\n${app}-counts-changelog 0 \\d+\\n$`));
    // offsets are committed with Kafka Streams' metadata: magic byte 2 and the partition time
    const committed = await withAdmin(kafka, (admin) => admin.fetchOffsets({ groupId: app, topics: [input] }));
    for (const p of committed[0]!.partitions) {
      const meta = Buffer.from(p.metadata ?? '', 'base64');
      expect(meta.readUInt8(0)).toBe(2);
      expect(Number(meta.readBigInt64BE(1))).toBeGreaterThan(0);
    }

    // second run, same state directory: restored from the checkpoint on (nothing left to replay)
    await produceLines(kafka, input, batch2.lines.map((l) => [null, l] as const));
    const second = await run(localState.dir, merge(batch1.expected, batch2.expected));
    expect(second.total).toBe(0);

    // third run, empty state directory: the store is rebuilt from its changelog
    await produceLines(kafka, input, batch3.lines.map((l) => [null, l] as const));
    const all = merge(batch1.expected, batch2.expected, batch3.expected);
    const third = await run(freshState.dir, all);
    expect(third.total).toBeGreaterThan(0);
    expect(third.ended.every((e) => e.store === 'counts' && e.tp.topic === `${app}-counts-changelog`)).toBe(true);

    // exact: a record counted twice would push some count above its expected value
    expect(new Map([...watcher.latest].filter(([k]) => all.has(k)))).toEqual(all);
  } finally {
    await watcher.stop();
    localState.remove();
    freshState.remove();
  }
});
