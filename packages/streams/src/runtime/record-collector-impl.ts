/**
 * The runtime's record collectors: each task buffers what its sinks and changelogs send (synchronously), and a
 * shared {@link ProducerSink} sends those buffers at batch boundaries and on commit. Records without a partition go
 * where Kafka's default partitioner puts them (murmur2 of the key; round-robin for null keys). Changelog offsets
 * acknowledged by the broker are kept for checkpoints. Each collector sends through its task's
 * {@link TaskProducer}: under exactly-once the task's own transactional producer, under at-least-once one shared
 * producer. A failed send that is not about the records themselves (broker gone, delivery timeout, fenced
 * producer) marks the tasks corrupted, so they are closed dirty and revived, as Kafka Streams does.
 */
import { StreamsException, TaskCorruptedException } from '../errors';
import { log } from '../logger';
import type { ProductionExceptionHandler } from './exception-handlers';
import { HandlerResponse } from './exception-handlers';
import type { KafkaClient, ProduceRecord } from './kafka-client';
import { isRecordError } from './kafka-client';
import { partitionForKey } from './partitioner';
import type { OutgoingRecord, RecordCollector } from './record-collector';
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

/** One task's outgoing buffer. */
export class TaskRecordCollector implements RecordCollector {
  buffer: OutgoingRecord[] = [];
  /** Last changelog offset acknowledged per `topic:partition` (for checkpoints). */
  readonly changelogOffsets = new Map<string, number>();

  constructor(
    readonly taskId: string,
    private readonly counts: PartitionCounts,
    /** The producer this task's records go through. */
    readonly producer: TaskProducer,
  ) {}

  send(record: OutgoingRecord): void {
    this.buffer.push(record);
  }

  partitionsFor(topic: string): number | null {
    return this.counts.get(topic);
  }

  get size(): number {
    return this.buffer.length;
  }

  /** Drops buffered records (dirty close). */
  clear(): void {
    this.buffer = [];
  }
}

const MAX_RECORDS_PER_SEND = 10_000;

/** Sends collectors' buffers through their producers (producers in parallel, each one's sends in order). */
export class ProducerSink {
  readonly #roundRobin = new Map<string, number>();
  #recordsSent = 0;

  constructor(
    private readonly counts: PartitionCounts,
    private readonly handler: ProductionExceptionHandler,
  ) {}

  get recordsSent(): number {
    return this.#recordsSent;
  }

  /**
   * Sends everything buffered by the given collectors and waits for the broker's acks. Throws
   * {@link TaskSendFailure} naming the tasks whose sends failed for a reason other than their records.
   */
  async flush(collectors: Iterable<TaskRecordCollector>): Promise<void> {
    const byProducer = new Map<TaskProducer, TaskRecordCollector[]>();
    const topics = new Set<string>();
    for (const c of collectors) {
      if (c.buffer.length === 0) continue;
      for (const r of c.buffer) if (r.partition === null) topics.add(r.topic);
      let list = byProducer.get(c.producer);
      if (!list) {
        list = [];
        byProducer.set(c.producer, list);
      }
      list.push(c);
    }
    if (byProducer.size === 0) return;
    await this.counts.ensure(topics);
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
    const work: Array<{ collector: TaskRecordCollector; records: OutgoingRecord[] }> = [];
    for (const c of collectors) {
      work.push({ collector: c, records: c.buffer });
      c.buffer = [];
    }
    // changelog topic:partition -> collector, to route acknowledged offsets back to their task
    const owners = new Map<string, TaskRecordCollector>();
    let batch: ProduceRecord[] = [];
    const sendBatch = async (): Promise<void> => {
      if (batch.length === 0) return;
      const records = batch;
      batch = [];
      try {
        const written = await producer.send(records);
        this.#recordsSent += records.length;
        for (const [k, w] of written) {
          const owner = owners.get(k);
          if (owner) owner.changelogOffsets.set(k, w.offset);
        }
      } catch (e) {
        const error = e instanceof Error ? e : new Error(String(e));
        const first = records[0]!;
        if (!isRecordError(e)) {
          throw new TaskSendFailure(
            work.map((w) => w.collector.taskId),
            `Error sending ${records.length} record(s) to topic ${first.topic} (tasks ${work.map((w) => w.collector.taskId).join(', ')}): ${error.message}; the tasks will be closed dirty and revived`,
            { cause: error },
          );
        }
        const response = this.handler.handle(
          { topic: first.topic, partition: first.partition, offset: -1, timestamp: first.timestamp, processorNodeId: null, taskId: work[0]!.collector.taskId },
          { topic: first.topic, key: first.key, value: first.value },
          error,
        );
        if (response !== HandlerResponse.CONTINUE) {
          throw new StreamsException(
            `Error encountered sending ${records.length} record(s) to topic ${first.topic} (first: partition ${first.partition}, timestamp ${first.timestamp}) due to: ${error.message}. ` +
              'Exception handler choose to FAIL the processing, no more records would be sent.',
            { cause: error },
          );
        }
        log.warn(`Error sending ${records.length} record(s) to ${first.topic}; the production exception handler chose to CONTINUE, dropping them: ${error.message}`);
      }
    };
    for (const w of work) {
      for (const r of w.records) {
        const partition = r.partition ?? this.#partition(r);
        if (r.topic.endsWith('-changelog')) owners.set(`${r.topic}:${partition}`, w.collector);
        batch.push({ topic: r.topic, partition, key: r.key, value: r.value, timestamp: r.timestamp, headers: r.headers });
        if (batch.length >= MAX_RECORDS_PER_SEND) await sendBatch();
      }
    }
    await sendBatch();
  }

  #partition(r: OutgoingRecord): number {
    const n = this.counts.get(r.topic)!;
    if (r.key !== null) return partitionForKey(r.key, n);
    const next = ((this.#roundRobin.get(r.topic) ?? -1) + 1) % n;
    this.#roundRobin.set(r.topic, next);
    return next;
  }
}
