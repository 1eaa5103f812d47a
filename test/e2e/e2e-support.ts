/**
 * Helpers of the end-to-end suites: feeding input topics, watching an output topic's latest value per key, the
 * WordCount topology and its expected counts, and temporary state directories.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
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
      // a mismatch throws, so that a timeout names the key, what it expected and what it saw
      for (const [k, n] of expected) {
        const got = watcher.latest.get(k);
        if (got === undefined) throw new Error(`no count yet for ${k} (expected ${n})`);
        if (mode === 'exact' ? got !== n : got < n) throw new Error(`${k}: ${got}, expected ${mode === 'exact' ? '' : 'at least '}${n}`);
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

/** A WordCount instance (test/e2e/fixtures/wordcount-instance.js) running as a child process on the built packages. */
export interface WordCountInstance {
  readonly child: ChildProcess;
  /** The latest report: state and active tasks. */
  last: { state: string; tasks: string[] } | null;
  /** Every state it reported, in order. */
  readonly states: string[];
  readonly stderr: string[];
  readonly exited: Promise<void>;
}

export const WORDCOUNT_FIXTURE = join(__dirname, 'fixtures', 'wordcount-instance.js');

/** Starts a WordCount instance; `env` holds its WC_* settings (see the fixture). */
export function launchWordCount(env: Record<string, string>): WordCountInstance {
  const child = spawn(process.execPath, [WORDCOUNT_FIXTURE], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const instance: WordCountInstance = {
    child,
    last: null,
    states: [],
    stderr: [],
    exited: new Promise((r) => child.once('exit', () => r())),
  };
  createInterface({ input: child.stdout! }).on('line', (line) => {
    try {
      const report = JSON.parse(line) as { state: string; tasks: string[] };
      instance.last = report;
      instance.states.push(report.state);
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

export function isAlive(instance: WordCountInstance): boolean {
  return instance.child.exitCode === null && instance.child.signalCode === null;
}

/** Sends `signal` and waits for the exit (no-op when it has exited already). */
export async function stopInstance(instance: WordCountInstance, signal: NodeJS.Signals): Promise<void> {
  if (!isAlive(instance)) return;
  instance.child.kill(signal);
  await instance.exited;
}

/** One line per instance, for failure messages: last report, liveness and stderr tail. */
export function describeInstances(instances: ReadonlyArray<WordCountInstance>): string {
  return instances
    .map((i, n) => `#${n}: ${JSON.stringify(i.last)} (${isAlive(i) ? 'alive' : `exited ${i.child.exitCode ?? i.child.signalCode}`}) stderr: ${i.stderr.join('').slice(-1500)}`)
    .join('\n');
}

/**
 * Produces WordCount input continuously (chunks of lines, acks=all) until stopped, riding out broker outages:
 * a chunk counts in `expected` only once acknowledged (a failed send may still have been written, which can only
 * raise the counts, so `expected` is a lower bound of the truth).
 */
export class InputLoad {
  readonly expected = new Map<string, number>();
  ackedLines = 0;
  failedSends = 0;
  #stopped = false;
  readonly #done: Promise<void>;

  /** `pauseMs` between chunks paces the load (default 100 lines every 100 ms at most). */
  constructor(kafka: Kafka, topic: string, options: { linesPerChunk?: number; seed?: number; pauseMs?: number } = {}) {
    this.#done = this.#run(kafka, topic, options.linesPerChunk ?? 100, options.seed ?? 1, options.pauseMs ?? 100);
  }

  async #run(kafka: Kafka, topic: string, linesPerChunk: number, seed: number, pauseMs: number): Promise<void> {
    const producer = kafka.producer({ createPartitioner: defaultPartitioner, retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 1000 } });
    let connected = false;
    for (let chunk = 0; !this.#stopped; chunk++) {
      const { lines, expected } = wordLines(linesPerChunk, seed * 100_000 + chunk);
      try {
        if (!connected) {
          await producer.connect();
          connected = true;
        }
        await producer.send({ topic, acks: -1, messages: lines.map((value, i) => ({ key: `c${chunk}-${i}`, value })) });
        this.ackedLines += lines.length;
        for (const [w, n] of expected) this.expected.set(w, (this.expected.get(w) ?? 0) + n);
      } catch {
        this.failedSends++;
        await new Promise((r) => setTimeout(r, 500)); // back off while the broker is away
      }
      await new Promise((r) => setTimeout(r, pauseMs));
    }
    await producer.disconnect().catch(() => undefined);
  }

  /** Waits until `lines` more lines were acknowledged than when called. */
  async advanced(lines: number, timeoutMs: number): Promise<void> {
    const target = this.ackedLines + lines;
    await waitFor(() => this.ackedLines >= target, timeoutMs, { description: `${lines} more input lines acknowledged` });
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#done;
  }
}
