/**
 * Owns the active tasks of one KafkaStreams instance (Kafka's `TaskManager` + `StoreChangelogReader`): creates
 * tasks for an assignment (synchronously, before the first fetch of the new generation), restores their stores
 * from the changelogs from the checkpoint on, buffers fetched records, decides which tasks may process, commits
 * (flush stores and caches, flush the producer, commit offsets, write checkpoints) and closes revoked tasks.
 * Under exactly-once each task owns a transactional producer: a new task first fences its predecessor
 * (InitProducerId), then reads the committed offsets and positions the consumer there, then restores
 * (read_committed, to the last stable offset); a commit sends the task's output, changelog and repartition records
 * and its consumed offsets in one transaction. A task whose send or commit fails is closed dirty (state wiped) and
 * revived the same way.
 */
import { rmSync } from 'node:fs';
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
import { TaskRecordCollector, TaskSendFailure } from './record-collector-impl';
import type { StateRestoreListener, TopicPartition } from './state-restore-listener';
import { StreamTask } from './stream-task';
import type { TaskSpec } from './streams-partition-assignor';
import { tasksFor } from './streams-partition-assignor';
import type { TaskProducer } from './task-producer';
import { streamTaskSettings, type TaskSettings } from './task-settings';
import { decodePartitionTime, decodeProcessorMetadata, encodeTopicPartitionMetadata } from './topic-partition-metadata';

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
  /** Told after a task's offsets were committed (interactive-query change feeds emit then). */
  readonly onCommitted?: (taskId: string) => void;
  /** `processing.guarantee=exactly_once_v2`. */
  readonly eos: boolean;
  /** The producer of a new task: its own transactional one under exactly-once, the shared one otherwise. */
  readonly producerFor: (taskId: string) => TaskProducer;
  /** Where a partition without a committed offset starts (the source's reset policy). */
  readonly resetToEarliest: (topic: string) => boolean;
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
  /** Input is dropped until the consumer was positioned for this task (exactly-once, revived tasks). */
  awaitingSeek = false;
  /** Where the consumer was positioned for each input partition (`topic:partition` -> next offset). */
  readonly positions = new Map<string, number>();

  constructor(
    readonly spec: TaskSpec,
    readonly task: StreamTask,
    readonly collector: TaskRecordCollector,
    readonly hasPersistentStores: boolean,
    /** Checkpointed changelog offsets read (and removed) at creation under exactly-once; null otherwise. */
    readonly eosCheckpoint: ReadonlyMap<string, number> | null,
  ) {}

  get producer(): TaskProducer {
    return this.collector.producer;
  }

  get id(): string {
    return this.spec.id;
  }
}

export class TaskManager {
  readonly #o: TaskManagerOptions;
  readonly #tasks = new Map<string, ActiveTask>();
  readonly #byPartition = new Map<string, ActiveTask>();
  readonly #reader: PartitionReader;
  readonly #repartitionTopics: ReadonlySet<string>;
  /** Last committed offset of each owned repartition partition, by `topic:partition` (what may be purged). */
  readonly #committedRepartition = new Map<string, PartitionOffset>();

  constructor(options: TaskManagerOptions) {
    this.#o = options;
    this.#reader = options.client.partitionReader();
    this.#repartitionTopics = new Set(options.layout.repartitionTopics);
  }

  /** Committed offsets of the repartition partitions of running tasks: records below them may be deleted. */
  purgeableOffsets(): PartitionOffset[] {
    const out: PartitionOffset[] = [];
    for (const [key, o] of this.#committedRepartition) {
      const t = this.#byPartition.get(key);
      if (t !== undefined && t.state === 'RUNNING') out.push({ topic: o.topic, partition: o.partition, offset: o.offset });
    }
    return out;
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
  assign(assignment: ReadonlyMap<string, readonly number[]>): { revoked: ActiveTask[]; kept: ActiveTask[]; created: ActiveTask[] } {
    const assigned = new Set<string>();
    for (const [topic, ps] of assignment) for (const p of ps) assigned.add(tpKey(topic, p));
    const specs = tasksFor(this.#o.layout.subtopologies, this.#o.layout.partitionCounts).filter((s) =>
      s.topicPartitions.some((tp) => assigned.has(tpKey(tp.topic, tp.partition))),
    );
    const wanted = new Map(specs.map((s) => [s.id, s]));
    const revoked: ActiveTask[] = [];
    const kept: ActiveTask[] = [];
    for (const [id, t] of this.#tasks) {
      if (!wanted.has(id)) {
        revoked.push(t);
        this.#tasks.delete(id);
      } else {
        t.task.clearBuffers();
        t.lagging.clear();
        t.caughtUp.clear();
        t.blockedSince = -1;
        // the consumer goes back to the committed offsets after a rejoin; under exactly-once it is moved back
        // to where this task stands first (see repositionKept)
        if (this.#o.eos) t.awaitingSeek = true;
        kept.push(t);
      }
    }
    const created: ActiveTask[] = [];
    for (const spec of specs) {
      if (this.#tasks.has(spec.id)) continue;
      const t = this.#createTask(spec);
      if (this.#o.eos) t.awaitingSeek = true;
      this.#tasks.set(spec.id, t);
      created.push(t);
    }
    this.#reindex();
    return { revoked, kept, created };
  }

  #reindex(): void {
    this.#byPartition.clear();
    for (const t of this.#tasks.values()) for (const tp of t.spec.topicPartitions) this.#byPartition.set(tpKey(tp.topic, tp.partition), t);
  }

  /**
   * Exactly-once, after a rejoin: commits what kept tasks processed, then positions the consumer where each of
   * them stands (kafkajs went back to the committed offsets, which may predate this commit). Tasks whose commit
   * fails are revived; returns those new tasks (to position and restore).
   */
  async repositionKept(kept: readonly ActiveTask[], consumer: GroupConsumer): Promise<ActiveTask[]> {
    const live = kept.filter((t) => !isClosed(t) && this.#tasks.get(t.id) === t);
    if (live.length === 0) return [];
    let revived: ActiveTask[] = [];
    try {
      await this.commit(consumer, live.filter((t) => t.state === 'RUNNING'));
    } catch (e) {
      if (!(e instanceof TaskSendFailure)) throw e;
      revived = await this.revive(e.taskIds);
    }
    for (const t of live) {
      if (isClosed(t) || !t.awaitingSeek) continue;
      for (const tp of t.spec.topicPartitions) {
        const key = tpKey(tp.topic, tp.partition);
        const consumed = t.task.consumedOffset(tp.topic, tp.partition);
        const position = consumed >= 0 ? consumed + 1 : t.positions.get(key);
        if (position === undefined) continue;
        t.positions.set(key, position);
        consumer.seek(tp.topic, tp.partition, position);
      }
      t.task.clearBuffers();
      t.awaitingSeek = false;
    }
    return revived;
  }

  /**
   * Closes the given tasks dirty (their open transactions are dropped and their producers closed; local state is
   * wiped) and creates them again, awaiting a position: Kafka's handling of a corrupted or fenced task. Returns the
   * new tasks, to pass to {@link restore} with the consumer.
   */
  async revive(taskIds: readonly string[]): Promise<ActiveTask[]> {
    const out: ActiveTask[] = [];
    for (const id of new Set(taskIds)) {
      const old = this.#tasks.get(id);
      if (!old || isClosed(old)) continue;
      log.warn(`Task ${id} is corrupted (its send or commit failed); closing it dirty and reviving it from the committed offsets`);
      const transactional = old.producer.transactional;
      this.#close(old, false);
      if (transactional) await old.producer.close();
      if (this.#tasks.has(id)) continue;
      const t = this.#createTask(old.spec);
      t.awaitingSeek = true;
      this.#tasks.set(id, t);
      out.push(t);
    }
    this.#reindex();
    return out;
  }

  #createTask(spec: TaskSpec): ActiveTask {
    const o = this.#o;
    const topology = o.builder.buildTopology([spec.subtopology]);
    for (const b of topology.storeBuilders) if (isConfigurableStoreBuilder(b)) b.configure({ defaultDslStore: o.settings.defaultDslStore });
    const hasStores = topology.storeBuilders.length > 0;
    let dir: string | null = null;
    let eosCheckpoint: Map<string, number> | null = null;
    if (hasStores) {
      o.stateDirectory.lock(spec.id);
      dir = o.stateDirectory.taskDir(spec.id);
      if (o.eos) {
        // Kafka's rule under exactly-once: the checkpoint is read, then removed (a crash from now on leaves none);
        // a store without one may hold uncommitted writes, so it is wiped and restored from the changelog.
        try {
          const checkpoint = o.stateDirectory.checkpoint(spec.id);
          const entries = checkpoint.read();
          eosCheckpoint = new Map(entries.map((e) => [tpKey(e.topic, e.partition), e.offset]));
          if (entries.length === 0) o.stateDirectory.wipeTask(spec.id);
          else rmSync(checkpoint.path, { force: true });
        } catch (e) {
          o.stateDirectory.unlock(spec.id);
          throw e;
        }
      }
    }
    const producer = o.producerFor(spec.id);
    const collector = new TaskRecordCollector(spec.id, o.counts, producer);
    const task = new StreamTask({
      taskId: spec.id,
      ...streamTaskSettings(o.settings),
      partition: spec.partition,
      topology,
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
      if (producer.transactional) void producer.close();
      throw e;
    }
    let persistent = false;
    for (const s of task.stores.values()) if (s.persistent()) persistent = true;
    log.info(`Task ${spec.id} created (partitions ${spec.topicPartitions.map((tp) => `${tp.topic}-${tp.partition}`).join(', ')})`);
    return new ActiveTask(spec, task, collector, persistent, eosCheckpoint);
  }

  // ---- restoration ----

  /**
   * Restores the stores of the given tasks from their changelogs, then marks them RUNNING. Runs beside processing
   * (other tasks keep running and the consumer keeps heartbeating); a task closed meanwhile stops restoring.
   */
  async restore(tasks: readonly ActiveTask[], consumer: GroupConsumer): Promise<void> {
    if (tasks.length === 0) return;
    if (tasks.some((t) => t.awaitingSeek)) await this.#position(tasks, consumer);
    else await this.#initializeTaskTimes(tasks);
    for (const t of tasks) {
      if (t.state !== 'RESTORING') continue;
      await this.#restoreTask(t);
      if (t.state === 'RESTORING') t.state = 'RUNNING';
    }
  }

  /**
   * Fences older producers of the tasks (exactly-once), then reads the committed offsets and positions the
   * consumer there (dropping anything fetched before), and starts partition times from the committed metadata.
   */
  async #position(tasks: readonly ActiveTask[], consumer: GroupConsumer): Promise<void> {
    await Promise.all(tasks.map((t) => (t.producer.transactional && !isClosed(t) ? t.producer.connect() : Promise.resolve())));
    const topics = new Set<string>();
    for (const t of tasks) for (const tp of t.spec.topicPartitions) topics.add(tp.topic);
    const committed = await this.#o.client.committedOffsets(this.#o.settings.applicationId, [...topics]);
    for (const t of tasks) {
      if (isClosed(t)) continue;
      for (const tp of t.spec.topicPartitions) {
        const key = tpKey(tp.topic, tp.partition);
        const c = committed.get(key);
        const offset = c !== undefined && c.offset >= 0 ? c.offset : this.#o.resetToEarliest(tp.topic) ? -2 : -1;
        if (offset >= 0) t.positions.set(key, offset);
        consumer.seek(tp.topic, tp.partition, offset);
        const time = decodePartitionTime(c?.metadata);
        if (time >= 0) t.task.initializePartitionTime(tp.topic, tp.partition, time);
      }
      t.task.clearBuffers();
      t.awaitingSeek = false;
    }
  }

  /** Starts each input partition's time from the partition time committed with its offset. */
  async #initializeTaskTimes(tasks: readonly ActiveTask[]): Promise<void> {
    const topics = new Set<string>();
    for (const t of tasks) for (const tp of t.spec.topicPartitions) topics.add(tp.topic);
    const committed = await this.#o.client.committedOffsets(this.#o.settings.applicationId, [...topics]);
    for (const t of tasks) {
      for (const tp of t.spec.topicPartitions) {
        const metadata = committed.get(tpKey(tp.topic, tp.partition))?.metadata;
        const time = decodePartitionTime(metadata);
        if (time >= 0 && !isClosed(t)) t.task.initializePartitionTime(tp.topic, tp.partition, time);
        if (!isClosed(t)) t.task.initializeProcessorMetadata(decodeProcessorMetadata(metadata));
      }
    }
  }

  async #restoreTask(t: ActiveTask): Promise<void> {
    const listener = this.#o.restoreListener();
    const checkpoint = new Map<string, number>(t.eosCheckpoint ?? []);
    if (t.hasPersistentStores && t.eosCheckpoint === null) {
      for (const e of this.#o.stateDirectory.checkpoint(t.id).read()) checkpoint.set(tpKey(e.topic, e.partition), e.offset);
    }
    for (const [storeName, reg] of t.task.registeredStores) {
      if (reg.changelogTopic === null) continue;
      const tp: TopicPartition = { topic: reg.changelogTopic, partition: t.spec.partition };
      const key = tpKey(tp.topic, tp.partition);
      const ends = await this.#reader.offsets(tp.topic, tp.partition).catch((e: unknown) => {
        if (e instanceof StreamsException) throw new StreamsException(`Changelog partition ${tp.topic}-${tp.partition} of store ${storeName} (task ${t.id}) does not exist.`);
        throw e;
      });
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
    if (!t || t.state === 'CLOSED' || t.awaitingSeek) return null;
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

  /** Whether a task's producer holds `buffer.memory` worth of unacknowledged records. */
  outputFull(): boolean {
    for (const t of this.#tasks.values()) if (t.producer.full) return true;
    return false;
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
   * Commits the given tasks (all running ones by default). At-least-once: flush stores and caches, flush the
   * producer, commit offsets, write checkpoints; returns false when the group was rebalancing (nothing
   * committed). Exactly-once: per task and in parallel, flush into its open transaction, add the consumed offsets,
   * commit the transaction. Throws {@link TaskSendFailure} naming the tasks whose sends or commits failed.
   */
  async commit(consumer: GroupConsumer, tasks: readonly ActiveTask[] = [...this.#tasks.values()]): Promise<boolean> {
    const committing = tasks.filter((t) => t.state === 'RUNNING' && (t.task.commitNeeded || t.task.commitRequested || t.producer.inTransaction));
    if (committing.length === 0) return true;
    if (this.#o.eos) {
      await this.#commitTransactions(committing);
      return true;
    }
    const offsets: PartitionOffset[] = [];
    for (const t of committing) offsets.push(...this.#offsetsToCommit(t));
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
    for (const o of offsets) if (this.#repartitionTopics.has(o.topic)) this.#committedRepartition.set(tpKey(o.topic, o.partition), o);
    for (const t of committing) {
      t.task.postCommit();
      this.#checkpoint(t);
      this.#o.onCommitted?.(t.id);
    }
    return true;
  }

  /** Offsets to commit for a task (flushing its stores and caches first), with the partition time as metadata. */
  #offsetsToCommit(t: ActiveTask): PartitionOffset[] {
    const offsets: PartitionOffset[] = [];
    for (const o of t.task.prepareCommit().values()) {
      const time = t.task.partitionTime(o.topic, o.partition);
      offsets.push(time >= 0 ? { ...o, metadata: encodeTopicPartitionMetadata(time, t.task.processorMetadata) } : o);
    }
    return offsets;
  }

  async #commitTransactions(committing: readonly ActiveTask[]): Promise<void> {
    const groupId = this.#o.settings.applicationId;
    const results = await Promise.allSettled(
      committing.map(async (t) => {
        const offsets = this.#offsetsToCommit(t);
        await this.#o.sink.flush([t.collector]);
        try {
          await t.producer.sendOffsets(groupId, offsets);
          await t.producer.commit();
        } catch (e) {
          const error = e instanceof Error ? e : new Error(String(e));
          throw new TaskSendFailure([t.id], `Committing the transaction of task ${t.id} failed: ${error.message}`, { cause: error });
        }
        t.task.postCommit();
        this.#o.onCommitted?.(t.id);
      }),
    );
    const failed: string[] = [];
    let first: TaskSendFailure | null = null;
    for (const r of results) {
      if (r.status === 'fulfilled') continue;
      if (!(r.reason instanceof TaskSendFailure)) throw r.reason;
      failed.push(...r.reason.taskIds);
      first ??= r.reason;
    }
    if (first !== null) throw new TaskSendFailure(failed, first.message, { cause: first.cause });
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
          // under exactly-once the checkpoint is written only here, on a clean close (store == committed changelog)
          if (clean && this.#o.eos) this.#checkpoint(t);
        } catch (e) {
          log.warn(`Commit of task ${t.id} failed while closing it; closing it dirty`, e);
          clean = false;
        }
      } else if (t.state === 'RESTORING') {
        clean = true;
      }
      this.#close(t, clean);
      if (t.producer.transactional) await t.producer.close();
    }
  }

  /** Closes tasks without committing; their local state is wiped (it may hold uncommitted updates). */
  async closeDirty(tasks: readonly ActiveTask[]): Promise<void> {
    for (const t of tasks) this.#close(t, false);
    await Promise.all(tasks.map((t) => (t.producer.transactional ? t.producer.close() : Promise.resolve())));
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
      this.#committedRepartition.delete(k);
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
    else await this.closeDirty(all);
  }

  async shutdown(): Promise<void> {
    await this.#reader.close();
  }
}
