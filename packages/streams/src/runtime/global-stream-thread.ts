/**
 * Global stores at runtime (Kafka's `GlobalStreamThread` + `GlobalStateManagerImpl`): one task over the global
 * stores' sources and processors, run outside the consumer group on every instance. `start()` reads every
 * partition of every global topic from the beginning up to its end offset before resolving (processing does not
 * start until global state is complete); then a loop keeps reading new records. Stream tasks read the stores
 * through `stores`. The stores are rebuilt from their topics at each start: this implementation keeps no
 * checkpoint for them (a deliberate difference, see the README).
 */
import { StreamsException } from '../errors';
import { log } from '../logger';
import type { StateStore } from '../state/state-store';
import type { StateDirectory } from '../state/state-directory';
import type { ThreadCache } from '../state/thread-cache';
import type { InternalTopologyBuilder } from '../topology/internal-topology-builder';
import { isConfigurableStoreBuilder } from '../dsl/store-materializer';
import type { KafkaClient, PartitionReader } from './kafka-client';
import { MissingSourceTopicException } from './internal-topic-manager';
import type { StreamsMetrics } from './metrics';
import type { RecordCollector } from './record-collector';
import type { TaskSettings } from './task-settings';
import { StreamTask } from './stream-task';

/** The id of the global task and of its state directory. */
export const GLOBAL_TASK_ID = 'global';

/** Global processors must not write to topics (Kafka refuses sinks in a global sub-topology). */
const NO_OUTPUT: RecordCollector = {
  send: (record) => {
    throw new StreamsException(`A global store's processor tried to write to topic ${record.topic}; global processors cannot forward to sinks.`);
  },
  partitionsFor: () => null,
};

export interface GlobalTaskOptions {
  readonly builder: InternalTopologyBuilder;
  readonly settings: TaskSettings;
  readonly metrics: StreamsMetrics;
  readonly stateDir: string | null;
  readonly wallClock: () => number;
  readonly cache: ThreadCache | null;
  readonly appConfigs?: Readonly<{ [key: string]: unknown }>;
}

/** The task that keeps the global stores, or null when the topology has none (shared with the test driver). */
export function createGlobalTask(o: GlobalTaskOptions): StreamTask | null {
  const topology = o.builder.buildGlobalTopology();
  if (topology === null) return null;
  for (const b of topology.storeBuilders) if (isConfigurableStoreBuilder(b)) b.configure({ defaultDslStore: o.settings.defaultDslStore });
  const task = new StreamTask({
    taskId: GLOBAL_TASK_ID,
    applicationId: o.settings.applicationId,
    partition: 0,
    topology,
    appConfigs: o.appConfigs ?? o.settings.appConfigs,
    defaultKeySerde: o.settings.defaultKeySerde,
    defaultValueSerde: o.settings.defaultValueSerde,
    defaultTimestampExtractor: o.settings.defaultTimestampExtractor,
    deserializationHandler: o.settings.deserializationHandler,
    collector: NO_OUTPUT,
    metrics: o.metrics,
    stateDir: o.stateDir,
    wallClock: o.wallClock,
    cache: o.cache,
  });
  task.initialize();
  return task;
}

/** Processes everything queued in a global task and flushes its stores' caches. */
export function drainGlobalTask(task: StreamTask): void {
  while (task.hasRecordsQueued()) task.process();
  task.prepareCommit();
  task.postCommit();
}

export interface GlobalStreamThreadOptions extends Omit<GlobalTaskOptions, 'stateDir'> {
  readonly client: KafkaClient;
  readonly stateDirectory: StateDirectory;
  /** How long one fetch waits for new records while keeping up. */
  readonly pollMs: number;
}

export class GlobalStreamThread {
  readonly #o: GlobalStreamThreadOptions;
  #task: StreamTask | null = null;
  #reader: PartitionReader | null = null;
  readonly #positions = new Map<string, { topic: string; partition: number; offset: number }>();
  #running = false;
  #loop: Promise<void> | null = null;
  #failure: unknown = null;

  constructor(options: GlobalStreamThreadOptions) {
    this.#o = options;
  }

  /** The global stores by name (empty before `start`). */
  get stores(): ReadonlyMap<string, StateStore> {
    return this.#task?.stores ?? new Map();
  }

  /** The error that stopped the keep-up loop, if any. */
  get failure(): unknown {
    return this.#failure;
  }

  /** Opens the stores and restores them completely from their topics; then keeps them up to date in the background. */
  async start(): Promise<void> {
    const o = this.#o;
    const topics = [...o.builder.globalTopics()];
    const counts = await o.client.partitionCounts(topics);
    const missing = topics.filter((t) => !counts.has(t));
    if (missing.length > 0) throw new MissingSourceTopicException(`Global topics not found: [${missing.join(', ')}]`);
    o.stateDirectory.lock(GLOBAL_TASK_ID);
    // no checkpoint is kept: rebuild from the topics (a RocksDB store left from a previous run is stale)
    o.stateDirectory.wipeTask(GLOBAL_TASK_ID);
    this.#task = createGlobalTask({ ...o, stateDir: o.stateDirectory.taskDir(GLOBAL_TASK_ID) });
    this.#reader = o.client.partitionReader();
    const ends: Array<{ topic: string; partition: number; end: number }> = [];
    for (const topic of topics) {
      const offsets = await o.client.endOffsets(topic);
      for (const [partition, { low, high }] of offsets) {
        this.#positions.set(`${topic}:${partition}`, { topic, partition, offset: low });
        ends.push({ topic, partition, end: high });
      }
    }
    for (const { topic, partition, end } of ends) {
      const pos = this.#positions.get(`${topic}:${partition}`)!;
      while (pos.offset < end) await this.#readOnce(pos);
    }
    log.info(`Global state restored from ${topics.join(', ')}`);
    this.#running = true;
    this.#loop = this.#keepUp();
  }

  async #readOnce(pos: { topic: string; partition: number; offset: number }): Promise<number> {
    const { records, nextOffset } = await this.#reader!.read(pos.topic, pos.partition, pos.offset);
    pos.offset = nextOffset;
    if (records.length > 0) {
      this.#task!.addRecords(pos.topic, pos.partition, records);
      drainGlobalTask(this.#task!);
    }
    return records.length;
  }

  async #keepUp(): Promise<void> {
    while (this.#running) {
      try {
        let read = 0;
        for (const pos of this.#positions.values()) {
          if (!this.#running) return;
          read += await this.#readOnce(pos);
        }
        // the fetch itself long-polls briefly; with nothing new, wait a poll interval before the next round
        if (read === 0 && this.#running) await new Promise((r) => setTimeout(r, this.#o.pollMs));
      } catch (e) {
        if (!this.#running) return;
        this.#failure = e;
        log.error('The global stream thread failed; global stores stop receiving updates', e);
        this.#running = false;
      }
    }
  }

  async close(): Promise<void> {
    this.#running = false;
    await this.#loop;
    this.#loop = null;
    try {
      this.#task?.close();
    } finally {
      this.#task = null;
      await this.#reader?.close();
      this.#reader = null;
      this.#o.stateDirectory.unlock(GLOBAL_TASK_ID);
    }
  }
}
