/**
 * Owns the active tasks of one KafkaStreams instance (Kafka's `TaskManager` + `StoreChangelogReader`): creates
 * tasks for an assignment (synchronously, before the first fetch of the new generation), restores their stores
 * from the changelogs from the checkpoint on, buffers fetched records, decides which tasks may process, commits
 * (flush stores and caches, flush the producer, commit offsets, write checkpoints) and closes revoked tasks.
 */
import { StreamsException } from '../errors';
import { log } from '../logger';
import type { StateDirectory } from '../state/state-directory';
import type { ThreadCache } from '../state/thread-cache';
import { isConfigurableStoreBuilder } from '../dsl/store-materializer';
import type { InternalTopologyBuilder } from '../topology/internal-topology-builder';
import type { TopicLayout } from './internal-topic-manager';
import type { StateStore } from '../state/state-store';
import type { FetchedBatch, GroupConsumer, KafkaClient, PartitionOffset, PartitionReader } from './kafka-client';
import { isRebalanceError } from './kafka-client';
import type { StreamsMetrics } from './metrics';
import type { PartitionCounts, ProducerSink } from './record-collector-impl';
import { TaskRecordCollector } from './record-collector-impl';
import type { StateRestoreListener, TopicPartition } from './state-restore-listener';
import { StreamTask } from './stream-task';
import type { TaskSpec } from './streams-partition-assignor';
import { tasksFor } from './streams-partition-assignor';
import type { TaskSettings } from './task-settings';
import { decodePartitionTime, encodePartitionTime } from './topic-partition-metadata';

export interface TaskManagerOptions {
  readonly builder: InternalTopologyBuilder;
  readonly layout: TopicLayout;
  readonly settings: TaskSettings;
  readonly client: KafkaClient;
  readonly stateDirectory: StateDirectory;
  readonly counts: PartitionCounts;
  readonly sink: ProducerSink;
  readonly metrics: StreamsMetrics;
  readonly cache: ThreadCache;
  readonly restoreListener: () => StateRestoreListener | null;
  readonly maxTaskIdleMs: number;
  readonly wallClock: () => number;
  /** The global stores, kept by the global thread (Kafka's GlobalStreamThread). */
  readonly globalStores?: ReadonlyMap<string, StateStore> | undefined;
}

export type TaskState = 'RESTORING' | 'RUNNING' | 'CLOSED';

/** How long a task with an empty, possibly lagging partition waits for it before processing anyway. */
const ENFORCED_PROCESSING_AFTER_MS = 500;

/** Reads the state afresh (it changes across awaits, which TypeScript's narrowing does not see). */
function isClosed(t: ActiveTask): boolean {
  return t.state === 'CLOSED';
}

function tpKey(topic: string, partition: number): string {
  return `${topic}:${partition}`;
}

/** An active task with its runtime bookkeeping. */
export class ActiveTask {
  state: TaskState = 'RESTORING';
  /** Partitions that reported more data on the broker than fetched so far. */
  readonly lagging = new Set<string>();
  /** Partitions known caught up (delivered a batch up to the high watermark, or were waited for). */
  readonly caughtUp = new Set<string>();
  blockedSince = -1;

  constructor(
    readonly spec: TaskSpec,
    readonly task: StreamTask,
    readonly collector: TaskRecordCollector,
    readonly hasPersistentStores: boolean,
  ) {}

  get id(): string {
    return this.spec.id;
  }
}

export class TaskManager {
  readonly #o: TaskManagerOptions;
  readonly #tasks = new Map<string, ActiveTask>();
  readonly #byPartition = new Map<string, ActiveTask>();
  readonly #reader: PartitionReader;

  constructor(options: TaskManagerOptions) {
    this.#o = options;
    this.#reader = options.client.partitionReader();
  }

  get tasks(): ReadonlyMap<string, ActiveTask> {
    return this.#tasks;
  }

  activeTaskIds(): string[] {
    return [...this.#tasks.keys()].sort();
  }

  /** Task directories with state on disk (for sticky assignment). */
  cachedTaskIds(): string[] {
    try {
      return this.#o.stateDirectory.listTaskDirectories();
    } catch {
      return [];
    }
  }

  allRunning(): boolean {
    for (const t of this.#tasks.values()) if (t.state !== 'RUNNING') return false;
    return true;
  }

  // ---- assignment ----

  /**
   * Applies a new assignment synchronously: revoked tasks leave the routing table (closed later by
   * {@link closeTasks}), kept tasks drop their buffers (the consumer reads again from the committed offsets), and
   * new tasks are created in RESTORING.
   */
  assign(assignment: ReadonlyMap<string, readonly number[]>): { revoked: ActiveTask[]; created: ActiveTask[] } {
    const assigned = new Set<string>();
    for (const [topic, ps] of assignment) for (const p of ps) assigned.add(tpKey(topic, p));
    const specs = tasksFor(this.#o.layout.subtopologies, this.#o.layout.partitionCounts).filter((s) =>
      s.topicPartitions.some((tp) => assigned.has(tpKey(tp.topic, tp.partition))),
    );
    const wanted = new Map(specs.map((s) => [s.id, s]));
    const revoked: ActiveTask[] = [];
    for (const [id, t] of this.#tasks) {
      if (!wanted.has(id)) {
        revoked.push(t);
        this.#tasks.delete(id);
      } else {
        t.task.clearBuffers();
        t.lagging.clear();
        t.caughtUp.clear();
        t.blockedSince = -1;
      }
    }
    const created: ActiveTask[] = [];
    for (const spec of specs) {
      if (this.#tasks.has(spec.id)) continue;
      const t = this.#createTask(spec);
      this.#tasks.set(spec.id, t);
      created.push(t);
    }
    this.#byPartition.clear();
    for (const t of this.#tasks.values()) for (const tp of t.spec.topicPartitions) this.#byPartition.set(tpKey(tp.topic, tp.partition), t);
    return { revoked, created };
  }

  #createTask(spec: TaskSpec): ActiveTask {
    const o = this.#o;
    const topology = o.builder.buildTopology([spec.subtopology]);
    for (const b of topology.storeBuilders) if (isConfigurableStoreBuilder(b)) b.configure({ defaultDslStore: o.settings.defaultDslStore });
    const hasStores = topology.storeBuilders.length > 0;
    let dir: string | null = null;
    if (hasStores) {
      o.stateDirectory.lock(spec.id);
      dir = o.stateDirectory.taskDir(spec.id);
    }
    const collector = new TaskRecordCollector(spec.id, o.counts);
    const task = new StreamTask({
      taskId: spec.id,
      applicationId: o.settings.applicationId,
      partition: spec.partition,
      topology,
      appConfigs: o.settings.appConfigs,
      defaultKeySerde: o.settings.defaultKeySerde,
      defaultValueSerde: o.settings.defaultValueSerde,
      defaultTimestampExtractor: o.settings.defaultTimestampExtractor,
      deserializationHandler: o.settings.deserializationHandler,
      collector,
      metrics: o.metrics,
      stateDir: dir,
      wallClock: o.wallClock,
      cache: o.cache,
      globalStores: o.globalStores,
    });
    try {
      task.initialize();
    } catch (e) {
      try {
        task.close();
      } catch {
        // the initialization error is the one to report
      }
      if (hasStores) o.stateDirectory.unlock(spec.id);
      throw e;
    }
    let persistent = false;
    for (const s of task.stores.values()) if (s.persistent()) persistent = true;
    log.info(`Task ${spec.id} created (partitions ${spec.topicPartitions.map((tp) => `${tp.topic}-${tp.partition}`).join(', ')})`);
    return new ActiveTask(spec, task, collector, persistent);
  }

  // ---- restoration ----

  /**
   * Restores the stores of the given tasks from their changelogs, then marks them RUNNING. Runs beside processing
   * (other tasks keep running and the consumer keeps heartbeating); a task closed meanwhile stops restoring.
   */
  async restore(tasks: readonly ActiveTask[]): Promise<void> {
    if (tasks.length === 0) return;
    await this.#initializeTaskTimes(tasks);
    for (const t of tasks) {
      if (t.state !== 'RESTORING') continue;
      await this.#restoreTask(t);
      if (t.state === 'RESTORING') t.state = 'RUNNING';
    }
  }

  /** Starts each input partition's time from the partition time committed with its offset. */
  async #initializeTaskTimes(tasks: readonly ActiveTask[]): Promise<void> {
    const topics = new Set<string>();
    for (const t of tasks) for (const tp of t.spec.topicPartitions) topics.add(tp.topic);
    const committed = await this.#o.client.committedOffsets(this.#o.settings.applicationId, [...topics]);
    for (const t of tasks) {
      for (const tp of t.spec.topicPartitions) {
        const time = decodePartitionTime(committed.get(tpKey(tp.topic, tp.partition))?.metadata);
        if (time >= 0 && !isClosed(t)) t.task.initializePartitionTime(tp.topic, tp.partition, time);
      }
    }
  }

  async #restoreTask(t: ActiveTask): Promise<void> {
    const listener = this.#o.restoreListener();
    const checkpoint = new Map<string, number>();
    if (t.hasPersistentStores) {
      for (const e of this.#o.stateDirectory.checkpoint(t.id).read()) checkpoint.set(tpKey(e.topic, e.partition), e.offset);
    }
    for (const [storeName, reg] of t.task.registeredStores) {
      if (reg.changelogTopic === null) continue;
      const tp: TopicPartition = { topic: reg.changelogTopic, partition: t.spec.partition };
      const key = tpKey(tp.topic, tp.partition);
      const ends = (await this.#o.client.endOffsets(tp.topic)).get(tp.partition);
      if (ends === undefined) throw new StreamsException(`Changelog partition ${tp.topic}-${tp.partition} of store ${storeName} (task ${t.id}) does not exist.`);
      const checkpointed = reg.store.persistent() ? checkpoint.get(key) : undefined;
      let offset = checkpointed !== undefined && checkpointed >= 0 ? checkpointed + 1 : ends.low;
      if (offset < ends.low) offset = ends.low;
      const end = ends.high;
      if (offset >= end) {
        if (end > 0) t.collector.changelogOffsets.set(key, end - 1);
        continue;
      }
      const start = offset;
      const toRestore = end - start;
      listener?.onRestoreStart?.(tp, storeName, start, end);
      log.info(`Restoring store ${storeName} of task ${t.id} from ${tp.topic}-${tp.partition}, offsets ${start} to ${end} (${toRestore} records)`);
      let total = 0;
      let stalls = 0;
      const maxRounds = toRestore + 1000;
      for (let round = 0; offset < end && round < maxRounds; round++) {
        if (t.state === 'CLOSED') {
          listener?.onRestoreSuspended?.(tp, storeName, total);
          return;
        }
        const { records, nextOffset } = await this.#reader.read(tp.topic, tp.partition, offset);
        if (isClosed(t)) {
          listener?.onRestoreSuspended?.(tp, storeName, total);
          return;
        }
        const batch: Array<{ key: Buffer; value: Buffer | null; timestamp: number }> = [];
        let last = offset - 1;
        for (const r of records) {
          if (r.offset >= end) break;
          last = r.offset;
          if (r.key !== null) batch.push({ key: r.key, value: r.value, timestamp: r.timestamp });
        }
        if (batch.length > 0) reg.restore(batch);
        total += batch.length;
        if (nextOffset <= offset) {
          if (++stalls > 200) throw new StreamsException(`Restoring ${tp.topic}-${tp.partition} made no progress at offset ${offset} (end ${end}).`);
          continue;
        }
        stalls = 0;
        offset = Math.min(nextOffset, end);
        listener?.onBatchRestored?.(tp, storeName, Math.max(last, offset - 1), batch.length);
        log.info(`Restored ${total} / ${toRestore} records of store ${storeName} (task ${t.id})`);
      }
      if (offset < end) throw new StreamsException(`Restoring ${tp.topic}-${tp.partition} stopped at offset ${offset} before its end ${end}.`);
      t.collector.changelogOffsets.set(key, end - 1);
      listener?.onRestoreEnd?.(tp, storeName, total);
      log.info(`Restoration of store ${storeName} (task ${t.id}) complete: ${total} records restored`);
    }
  }

  // ---- input and processing ----

  /** Buffers a fetched batch into its task; returns the task, or null when the partition is not ours (stale). */
  addBatch(batch: FetchedBatch): ActiveTask | null {
    const key = tpKey(batch.topic, batch.partition);
    const t = this.#byPartition.get(key);
    if (!t || t.state === 'CLOSED') return null;
    if (batch.records.length > 0) {
      t.task.addRecords(batch.topic, batch.partition, batch.records);
      const next = batch.records[batch.records.length - 1]!.offset + 1;
      if (next < batch.highWatermark) {
        t.lagging.add(key);
        t.caughtUp.delete(key);
      } else {
        t.lagging.delete(key);
        t.caughtUp.add(key);
      }
    }
    return t;
  }

  /** The task owning `topic:partition`, or null. */
  taskForPartitionKey(key: string): ActiveTask | null {
    return this.#byPartition.get(key) ?? null;
  }

  /** Whether a task may process now (Kafka's time synchronisation with max.task.idle.ms). */
  #processable(t: ActiveTask, now: number): boolean {
    if (t.state !== 'RUNNING' || !t.task.hasRecordsQueued()) return false;
    const tps = t.spec.topicPartitions;
    if (tps.length === 1 || this.#o.maxTaskIdleMs < 0) return true;
    let blocked = false;
    for (const tp of tps) {
      if (t.task.bufferedFor(tp.topic, tp.partition) > 0) continue;
      const key = tpKey(tp.topic, tp.partition);
      if (t.caughtUp.has(key)) continue;
      blocked = true;
    }
    if (!blocked) {
      t.blockedSince = -1;
      return true;
    }
    if (t.blockedSince < 0) t.blockedSince = now;
    if (now - t.blockedSince >= Math.max(this.#o.maxTaskIdleMs, ENFORCED_PROCESSING_AFTER_MS)) {
      for (const tp of tps) {
        const key = tpKey(tp.topic, tp.partition);
        if (t.task.bufferedFor(tp.topic, tp.partition) === 0) {
          t.caughtUp.add(key);
          t.lagging.delete(key);
        }
      }
      t.blockedSince = -1;
      return true;
    }
    return false;
  }

  /** Processes up to `budget` records over all processable tasks; returns how many were processed. */
  process(budget: number): number {
    let n = 0;
    const now = this.#o.wallClock();
    for (const t of this.#tasks.values()) {
      while (n < budget && this.#processable(t, now)) {
        t.task.process();
        n++;
        t.task.maybePunctuateStreamTime();
      }
    }
    return n;
  }

  /** Whether any running task has buffered records. */
  hasBuffered(): boolean {
    for (const t of this.#tasks.values()) if (t.state === 'RUNNING' && t.task.hasRecordsQueued()) return true;
    return false;
  }

  punctuateWallClock(): void {
    for (const t of this.#tasks.values()) if (t.state === 'RUNNING') t.task.maybePunctuateSystemTime();
  }

  /** Records buffered by the collectors of all tasks. */
  outgoingBuffered(): number {
    let n = 0;
    for (const t of this.#tasks.values()) n += t.collector.size;
    return n;
  }

  async flushOutput(): Promise<void> {
    await this.#o.sink.flush([...this.#tasks.values()].map((t) => t.collector));
  }

  commitRequested(): boolean {
    for (const t of this.#tasks.values()) if (t.task.commitRequested) return true;
    return false;
  }

  // ---- commit ----

  /**
   * Commits the given tasks (all running ones by default) under at-least-once: flush stores and caches, flush the
   * producer, commit offsets, write checkpoints. Returns false when the group was rebalancing (nothing committed).
   */
  async commit(consumer: GroupConsumer, tasks: readonly ActiveTask[] = [...this.#tasks.values()]): Promise<boolean> {
    const committing = tasks.filter((t) => t.state === 'RUNNING' && (t.task.commitNeeded || t.task.commitRequested));
    if (committing.length === 0) return true;
    const offsets: PartitionOffset[] = [];
    for (const t of committing) {
      for (const o of t.task.prepareCommit().values()) {
        const time = t.task.partitionTime(o.topic, o.partition);
        offsets.push(time >= 0 ? { ...o, metadata: encodePartitionTime(time) } : o);
      }
    }
    await this.#o.sink.flush(committing.map((t) => t.collector));
    try {
      await consumer.commit(offsets);
    } catch (e) {
      if (isRebalanceError(e)) {
        log.warn(`Offset commit of tasks ${committing.map((t) => t.id).join(', ')} failed because the group is rebalancing; their records will be processed again`);
        return false;
      }
      throw e;
    }
    for (const t of committing) {
      t.task.postCommit();
      this.#checkpoint(t);
    }
    return true;
  }

  #checkpoint(t: ActiveTask): void {
    if (!t.hasPersistentStores) return;
    const entries: Array<{ topic: string; partition: number; offset: number }> = [];
    for (const reg of t.task.registeredStores.values()) {
      if (reg.changelogTopic === null || !reg.store.persistent()) continue;
      const offset = t.collector.changelogOffsets.get(tpKey(reg.changelogTopic, t.spec.partition));
      if (offset !== undefined) entries.push({ topic: reg.changelogTopic, partition: t.spec.partition, offset });
    }
    if (entries.length > 0) this.#o.stateDirectory.checkpoint(t.id).write(entries);
  }

  // ---- close ----

  /** Closes tasks cleanly (commit, checkpoint, close stores); a task that fails to commit is closed dirty. */
  async closeTasks(tasks: readonly ActiveTask[], consumer: GroupConsumer | null): Promise<void> {
    for (const t of tasks) {
      if (t.state === 'CLOSED') continue;
      let clean = true;
      if (consumer && t.state === 'RUNNING') {
        try {
          clean = await this.commit(consumer, [t]);
        } catch (e) {
          log.warn(`Commit of task ${t.id} failed while closing it; closing it dirty`, e);
          clean = false;
        }
      } else if (t.state === 'RESTORING') {
        clean = true;
      }
      this.#close(t, clean);
    }
  }

  /** Closes tasks without committing; their local state is wiped (it may hold uncommitted updates). */
  closeDirty(tasks: readonly ActiveTask[]): void {
    for (const t of tasks) this.#close(t, false);
  }

  #close(t: ActiveTask, clean: boolean): void {
    if (t.state === 'CLOSED') return;
    const wasRestoring = t.state === 'RESTORING';
    t.state = 'CLOSED';
    t.collector.clear();
    this.#tasks.delete(t.id);
    for (const tp of t.spec.topicPartitions) {
      const k = tpKey(tp.topic, tp.partition);
      if (this.#byPartition.get(k) === t) this.#byPartition.delete(k);
    }
    try {
      t.task.close();
    } catch (e) {
      log.warn(`Error closing task ${t.id}`, e);
      clean = false;
    }
    const dirs = this.#o.stateDirectory;
    if (dirs.isLocked(t.id)) {
      if (!clean && !wasRestoring && t.task.registeredStores.size > 0) {
        try {
          dirs.wipeTask(t.id);
        } catch (e) {
          log.warn(`Could not wipe the state of task ${t.id}`, e);
        }
      }
      dirs.unlock(t.id);
    }
    log.info(`Task ${t.id} closed ${clean ? 'cleanly' : 'dirty'}`);
  }

  /** Closes every task: cleanly with a final commit when a consumer is given, else dirty. */
  async closeAll(consumer: GroupConsumer | null): Promise<void> {
    const all = [...this.#tasks.values()];
    if (consumer) await this.closeTasks(all, consumer);
    else this.closeDirty(all);
  }

  async shutdown(): Promise<void> {
    await this.#reader.close();
  }
}
