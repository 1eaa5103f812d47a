/**
 * The runtime's record collectors: what a task's sinks and changelogs send is partitioned at once (Kafka's default
 * partitioner: murmur2 of the key, round-robin for null keys) and encoded straight into the task producer's record
 * batches ({@link TaskProducer.append}), which go out in the background; {@link ProducerSink} waits for the
 * acknowledgements at commit (and when the producer's buffer is full). Changelog offsets acknowledged by the broker
 * are kept for checkpoints. Under exactly-once each task has its own transactional producer, under at-least-once
 * all tasks share one. A failed send that is not about the records themselves (broker gone, delivery timeout,
 * fenced producer) marks the tasks corrupted, so they are closed dirty and revived, as Kafka Streams does.
 */
import { StreamsException, TaskCorruptedException } from '../errors';
import { log } from '../logger';
import type { ProductionExceptionHandler } from './exception-handlers';
import { HandlerResponse } from './exception-handlers';
import type { KafkaClient } from './kafka-client';
import { isRecordError } from './kafka-client';
import { partitionForKey } from './partitioner';
import type { OutgoingRecord, RecordCollector } from './record-collector';
import type { PartitionBuffer } from './producer/kafka-producer';
import type { TaskProducer } from './task-producer';

/** Thrown when sends of some tasks failed for a reason other than the records: those tasks must be revived. */
export class TaskSendFailure extends TaskCorruptedException {
  override readonly name: string = 'TaskCorruptedException';
  constructor(
    readonly taskIds: readonly string[],
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Partition counts known to the runtime, shared by all collectors. */
export class PartitionCounts {
  readonly #counts = new Map<string, number>();
  constructor(private readonly client: KafkaClient) {}

  get(topic: string): number | null {
    return this.#counts.get(topic) ?? null;
  }

  set(topic: string, n: number): void {
    this.#counts.set(topic, n);
  }

  readonly #roundRobin = new Map<string, number>();

  /** Kafka's default partitioner for a topic of `n` partitions: murmur2 of the key, round-robin without a key. */
  partition(topic: string, key: Buffer | null, n: number): number {
    if (key !== null) return partitionForKey(key, n);
    const next = ((this.#roundRobin.get(topic) ?? -1) + 1) % n;
    this.#roundRobin.set(topic, next);
    return next;
  }

  /** Looks up topics not known yet, leaving out the ones that do not exist (they fail at first send). */
  async prefetch(topics: Iterable<string>): Promise<void> {
    const unknown = [...new Set(topics)].filter((t) => !this.#counts.has(t));
    if (unknown.length === 0) return;
    for (const [t, n] of await this.client.partitionCounts(unknown)) this.#counts.set(t, n);
  }

  /** Looks up topics not known yet. */
  async ensure(topics: Iterable<string>): Promise<void> {
    const unknown = [...new Set(topics)].filter((t) => !this.#counts.has(t));
    if (unknown.length === 0) return;
    const found = await this.client.partitionCounts(unknown);
    for (const [t, n] of found) this.#counts.set(t, n);
    for (const t of unknown) {
      if (!this.#counts.has(t)) throw new StreamsException(`Topic ${t} not present in metadata: a sink writes to a topic that does not exist; create it first.`);
    }
  }
}

/** One task's output: records go straight into its producer's batches; changelog offsets come back after a flush. */
export class TaskRecordCollector implements RecordCollector {
  /** Records whose topic's partition count was not known yet when sent (partitioned at the next flush). */
  #pending: OutgoingRecord[] = [];
  /** Records appended since the last flush. */
  #appended = 0;
  /** Output partitions this task wrote to (their acknowledged offsets feed `changelogOffsets`). */
  readonly #touched = new Set<PartitionBuffer>();
  #lastTouched: PartitionBuffer | null = null;
  /** Last changelog offset acknowledged per `topic:partition` (for checkpoints). */
  readonly changelogOffsets = new Map<string, number>();

  constructor(
    readonly taskId: string,
    private readonly counts: PartitionCounts,
    /** The producer this task's records go through. */
    readonly producer: TaskProducer,
  ) {}

  send(record: OutgoingRecord): void {
    let partition = record.partition;
    if (partition === null) {
      const n = this.counts.get(record.topic);
      if (n === null) {
        this.#pending.push(record);
        return;
      }
      partition = this.counts.partition(record.topic, record.key, n);
    }
    this.#append(record, partition);
  }

  #append(r: OutgoingRecord, partition: number): void {
    const buffer = this.producer.append(r.topic, partition, r.key, r.value, r.timestamp, r.headers.size === 0 ? null : r.headers);
    this.#appended++;
    if (buffer !== this.#lastTouched) {
      this.#lastTouched = buffer;
      this.#touched.add(buffer);
    }
  }

  /** Topics of records waiting for their partition count. */
  pendingTopics(): string[] {
    return this.#pending.map((r) => r.topic);
  }

  /** Partitions and appends the records that waited for their topic's partition count. */
  appendPending(): void {
    const pending = this.#pending;
    this.#pending = [];
    for (const r of pending) this.#append(r, this.counts.partition(r.topic, r.key, this.counts.get(r.topic)!));
  }

  /** After a flush: acknowledged changelog offsets, and nothing counted as buffered. */
  flushed(): void {
    this.#appended = 0;
    for (const b of this.#touched) {
      if (b.lastOffset >= 0 && b.topic.endsWith('-changelog')) this.changelogOffsets.set(`${b.topic}:${b.partition}`, b.lastOffset);
    }
  }

  partitionsFor(topic: string): number | null {
    return this.counts.get(topic);
  }

  /** Records sent since the last flush (appended or waiting for a partition count). */
  get size(): number {
    return this.#appended + this.#pending.length;
  }

  /**
   * Forgets the task's output (dirty close). Records already in a shared (at-least-once) producer's batches still
   * go out, as with Kafka's producer; a transactional producer's are dropped by its abort.
   */
  clear(): void {
    this.#pending = [];
    this.#appended = 0;
  }
}

/** Waits for producers' acknowledgements and applies the production exception handler to failed batches. */
export class ProducerSink {
  constructor(
    private readonly counts: PartitionCounts,
    private readonly handler: ProductionExceptionHandler,
  ) {}

  /**
   * Sends everything the given collectors' producers hold and waits for the broker's acks. Throws
   * {@link TaskSendFailure} naming the tasks whose sends failed for a reason other than their records.
   */
  async flush(collectors: Iterable<TaskRecordCollector>): Promise<void> {
    const byProducer = new Map<TaskProducer, TaskRecordCollector[]>();
    const topics: string[] = [];
    for (const c of collectors) {
      topics.push(...c.pendingTopics());
      let list = byProducer.get(c.producer);
      if (!list) {
        list = [];
        byProducer.set(c.producer, list);
      }
      list.push(c);
    }
    if (byProducer.size === 0) return;
    if (topics.length > 0) await this.counts.ensure(topics);
    for (const list of byProducer.values()) for (const c of list) c.appendPending();
    const results = await Promise.allSettled([...byProducer].map(([producer, list]) => this.#flushThrough(producer, list)));
    const failed: string[] = [];
    let firstError: unknown = null;
    for (let i = 0; i < results.length; i++) {
      const r = results[i]!;
      if (r.status === 'fulfilled') continue;
      if (!(r.reason instanceof TaskSendFailure)) throw r.reason;
      failed.push(...r.reason.taskIds);
      firstError ??= r.reason;
    }
    if (failed.length > 0) {
      throw new TaskSendFailure(failed, (firstError as Error).message, { cause: (firstError as Error).cause });
    }
  }

  async #flushThrough(producer: TaskProducer, collectors: readonly TaskRecordCollector[]): Promise<void> {
    const taskIds = collectors.map((c) => c.taskId);
    const failures = await producer.flush();
    for (const c of collectors) c.flushed();
    let corrupted: Error | null = null;
    for (const f of failures) {
      const { first, error } = f;
      if (!isRecordError(error)) {
        corrupted ??= error;
        continue;
      }
      const response = this.handler.handle(
        { topic: first.topic, partition: first.partition, offset: -1, timestamp: first.timestamp, processorNodeId: null, taskId: taskIds[0]! },
        { topic: first.topic, key: first.key, value: first.value },
        error,
      );
      if (response !== HandlerResponse.CONTINUE) {
        throw new StreamsException(
          `Error encountered sending ${f.recordCount} record(s) to topic ${first.topic} (first: partition ${first.partition}, timestamp ${first.timestamp}) due to: ${error.message}. ` +
            'Exception handler choose to FAIL the processing, no more records would be sent.',
          { cause: error },
        );
      }
      log.warn(`Error sending ${f.recordCount} record(s) to ${first.topic}; the production exception handler chose to CONTINUE, dropping them: ${error.message}`);
    }
    const fatal = producer.fatalError;
    if (fatal !== null && !producer.transactional) {
      // an idempotent producer lost its sequence: start it over; the tasks process their records again
      await producer.reset();
      corrupted ??= fatal;
    } else if (fatal !== null) {
      corrupted ??= fatal;
    }
    if (corrupted !== null) {
      const first = failures[0]?.first;
      throw new TaskSendFailure(
        taskIds,
        `Error sending records${first ? ` to topic ${first.topic}` : ''} (tasks ${taskIds.join(', ')}): ${corrupted.message}; the tasks will be closed dirty and revived`,
        { cause: corrupted },
      );
    }
  }
}
