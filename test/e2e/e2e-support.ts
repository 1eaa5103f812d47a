/**
 * Helpers of the end-to-end suites: feeding input topics, watching an output topic's latest value per key, the
 * WordCount topology and its expected counts, and temporary state directories.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Consumer, Kafka } from 'kafkajs';
import { Consumed, Grouped, Materialized, Produced, Serdes, StreamsBuilder } from '@kstreams/streams';
import type { Topology } from '@kstreams/streams';
import { defaultPartitioner, fastConsumerConfig } from '../support/kafka-client';
import { uniqueName } from '../support/unique-name';
import { waitFor } from '../support/wait-for';

/** Produces `[key, value]` string records (null key allowed) in batches, acks=all. */
export async function produceLines(kafka: Kafka, topic: string, records: ReadonlyArray<readonly [string | null, string]>): Promise<void> {
  const producer = kafka.producer({ createPartitioner: defaultPartitioner });
  await producer.connect();
  try {
    for (let i = 0; i < records.length; i += 500) {
      await producer.send({
        topic,
        acks: -1,
        messages: records.slice(i, i + 500).map(([key, value]) => ({ key, value })),
      });
    }
  } finally {
    await producer.disconnect();
  }
}

/** Decodes Kafka's Long serde (8 bytes big-endian). */
export function decodeLong(value: Buffer | null): number {
  if (value === null || value.length !== 8) throw new Error(`not a Long: ${value?.toString('hex')}`);
  return Number(value.readBigInt64BE(0));
}

/** Follows a topic from the beginning, keeping the latest value per key and every value seen. */
export class TopicWatcher<V> {
  readonly latest = new Map<string, V>();
  readonly history = new Map<string, V[]>();
  records = 0;
  readonly #consumer: Consumer;

  private constructor(kafka: Kafka, readonly topic: string, private readonly decode: (value: Buffer | null) => V) {
    this.#consumer = kafka.consumer(fastConsumerConfig(uniqueName('e2e-watch')));
  }

  static async start<V>(kafka: Kafka, topic: string, decode: (value: Buffer | null) => V): Promise<TopicWatcher<V>> {
    const w = new TopicWatcher(kafka, topic, decode);
    await w.#consumer.connect();
    await w.#consumer.subscribe({ topic, fromBeginning: true });
    await w.#consumer.run({
      eachMessage: async ({ message }) => {
        const key = message.key?.toString('utf8') ?? '';
        const v = w.decode(message.value);
        w.records++;
        w.latest.set(key, v);
        let h = w.history.get(key);
        if (!h) {
          h = [];
          w.history.set(key, h);
        }
        h.push(v);
      },
    });
    return w;
  }

  async stop(): Promise<void> {
    await this.#consumer.disconnect();
  }
}

/** Waits until every expected key has at least (or exactly) its expected count as latest value. */
export async function waitForCounts(
  watcher: TopicWatcher<number>,
  expected: ReadonlyMap<string, number>,
  timeoutMs: number,
  mode: 'exact' | 'atLeast' = 'exact',
): Promise<void> {
  await waitFor(
    () => {
      for (const [k, n] of expected) {
        const got = watcher.latest.get(k);
        if (got === undefined) return false;
        if (mode === 'exact' ? got !== n : got < n) return false;
      }
      return true;
    },
    timeoutMs,
    {
      description: `counts on ${watcher.topic} (${mode})`,
      intervalMs: 100,
    },
  );
}

/** WordCount: lines → lowercase words → count per word → output (String, Long). `input` may be a pattern source. */
export function wordCountTopology(input: string | RegExp, output: string, storeName?: string): Topology {
  const builder = new StreamsBuilder();
  const consumed = Consumed.with(Serdes.String(), Serdes.String());
  const source = typeof input === 'string' ? builder.stream<string | null, string>(input, consumed) : builder.stream<string | null, string>(input, consumed);
  const grouped = source
    .flatMapValues((line) => line.toLowerCase().split(/\W+/).filter((w) => w.length > 0))
    .groupBy((_key, word) => word, Grouped.with(Serdes.String(), Serdes.String()));
  const counts = storeName === undefined ? grouped.count() : grouped.count(Materialized.as<string, number>(storeName));
  counts.toStream().to(output, Produced.with(Serdes.String(), Serdes.Long()));
  return builder.build();
}

/** `count` lines of words drawn from a small vocabulary, deterministic, with their expected word counts. */
export function wordLines(count: number, seed = 1, vocabulary = 50): { lines: string[]; expected: Map<string, number> } {
  const lines: string[] = [];
  const expected = new Map<string, number>();
  let x = seed;
  for (let i = 0; i < count; i++) {
    const words: string[] = [];
    const n = 1 + (i % 5);
    for (let j = 0; j < n; j++) {
      x = (x * 1103515245 + 12345) % 2147483648;
      const w = `w${x % vocabulary}`;
      words.push(w);
      expected.set(w, (expected.get(w) ?? 0) + 1);
    }
    lines.push(words.join(' '));
  }
  return { lines, expected };
}

export function tempStateDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'kstreams-e2e-state-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
