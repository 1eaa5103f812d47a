/**
 * Shared setup of the fault suites (test/faults, run by test/kafka/run-suite.sh on real Kafka and on the bundled
 * broker; `npm test` leaves them out for their length): a restartable broker per KSTREAMS_BROKER, two WordCount
 * instances as child processes and a continuous input load.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Kafka } from 'kafkajs';
import { createKafka, createTopic } from '../support/kafka-client';
import type { TestBroker } from '../support/broker';
import { uniqueName } from '../support/unique-name';
import { waitFor } from '../support/wait-for';
import { decodeLong, describeInstances, InputLoad, launchWordCount, stopInstance, tempStateDir, TopicWatcher, waitForCounts, type WordCountInstance } from '../e2e/e2e-support';

const STREAMS_DIST = join(resolve(__dirname, '..', '..'), 'packages', 'streams', 'dist', 'index.js');

export function requireBuild(): void {
  if (!existsSync(STREAMS_DIST)) throw new Error(`${STREAMS_DIST} is missing: build first (npm run build)`);
}

/** A WordCount application of `slots` instances (each slot keeps its state dir across restarts) under input load. */
export class WordCountCluster {
  readonly app = uniqueName('faults');
  readonly input = `${this.app}-in`;
  readonly output = `${this.app}-out`;
  readonly instances: WordCountInstance[] = [];
  /** Every instance ever launched (restarts included), for the no-ERROR check. */
  readonly launched: WordCountInstance[] = [];
  readonly #dirs: Array<{ dir: string; remove(): void }> = [];
  readonly kafka: Kafka;
  load: InputLoad | null = null;

  constructor(readonly broker: TestBroker, private readonly slots = 2) {
    this.kafka = createKafka(broker.bootstrapServers, { retry: { initialRetryTime: 200, maxRetryTime: 3000, retries: 30 } });
  }

  async start(): Promise<void> {
    await createTopic(this.kafka, this.input, 4);
    await createTopic(this.kafka, this.output, 2);
    for (let i = 0; i < this.slots; i++) {
      this.#dirs.push(tempStateDir());
      this.launch(i);
    }
    this.load = new InputLoad(this.kafka, this.input);
    await this.allRunning(180_000, 'both instances RUNNING with every task');
  }

  launch(slot: number): WordCountInstance {
    const instance = launchWordCount({
      WC_APP_ID: this.app,
      WC_BOOTSTRAP: this.broker.bootstrapServers,
      WC_INPUT: this.input,
      WC_OUTPUT: this.output,
      WC_STATE_DIR: this.#dirs[slot]!.dir,
      WC_COMMIT_MS: '500',
    });
    this.instances[slot] = instance;
    this.launched.push(instance);
    return instance;
  }

  /** Waits until every current instance reports RUNNING and together they run all 8 tasks. */
  async allRunning(timeoutMs: number, description: string): Promise<void> {
    await waitFor(
      () => {
        if (!this.instances.every((i) => i.last?.state === 'RUNNING')) return false;
        return this.instances.flatMap((i) => i.last!.tasks).sort().join() === '0_0,0_1,0_2,0_3,1_0,1_1,1_2,1_3';
      },
      timeoutMs,
      { description: `${description}\n${describeInstances(this.instances)}`, intervalMs: 200 },
    );
  }

  /** Stops the load, then waits until every count on the output is at least what was acknowledged as input. */
  async countsAtLeastTheTruth(timeoutMs: number): Promise<{ words: number; duplicates: number }> {
    await this.load!.stop();
    const expected = this.load!.expected;
    const watcher = await TopicWatcher.start(this.kafka, this.output, decodeLong);
    try {
      await waitForCounts(watcher, expected, timeoutMs, 'atLeast');
      let words = 0;
      let duplicates = 0;
      for (const [w, n] of expected) {
        words += n;
        duplicates += watcher.latest.get(w)! - n;
      }
      return { words, duplicates };
    } finally {
      await watcher.stop();
    }
  }

  /** The states every launched instance reported that are ERROR or PENDING_ERROR, with its stderr. */
  errors(): string[] {
    return this.launched.filter((i) => i.states.some((s) => s === 'ERROR' || s === 'PENDING_ERROR')).map((i) => `${i.states.join('>')}: ${i.stderr.join('').slice(-3000)}`);
  }

  async close(): Promise<void> {
    await this.load?.stop();
    await Promise.all(this.instances.map((i) => stopInstance(i, 'SIGKILL')));
    for (const d of this.#dirs) d.remove();
  }
}
