/**
 * The buffered records of one input partition of a task. The head record is deserialized and timestamped
 * when it reaches the head (bad records go to the deserialization handler there), so the task can pick the
 * partition whose head has the lowest timestamp.
 */
import { StreamsException } from '../errors';
import type { Headers } from '../processor/headers';
import { Record } from '../processor/record';
import type { SourceNode } from '../processor/processor-node';
import type { TimestampExtractor } from '../processor/timestamp-extractor';
import type { Deserializer } from '../serde/serde';
import type { DeserializationExceptionHandler } from './exception-handlers';
import { HandlerResponse } from './exception-handlers';
import { log } from '../logger';
import type { Sensor } from './metrics';

/** A record as consumed from a topic partition, still in bytes. */
export interface RawRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly timestamp: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: Headers;
}

/** A deserialized record ready to process, with where it came from. */

export interface RecordQueueOptions {
  readonly taskId: string;
  readonly source: SourceNode;
  readonly keyDeserializer: Deserializer<unknown>;
  readonly valueDeserializer: Deserializer<unknown>;
  readonly timestampExtractor: TimestampExtractor;
  readonly deserializationHandler: DeserializationExceptionHandler;
  readonly droppedRecords: Sensor;
}

export class RecordQueue {
  #buffer: RawRecord[] = [];
  #start = 0;
  #head: Record<unknown, unknown> | null = null;
  #headRaw: RawRecord | null = null;
  /** The consumed record behind the record the last `poll` returned. */
  polledRaw: RawRecord | null = null;
  /** Highest timestamp seen at the head of this partition; -1 while unknown. */
  partitionTime = -1;
  /** Offset of the last record of this partition the task processed (kept by `clear`); -1 while none. */
  consumedOffset = -1;

  constructor(
    readonly topic: string,
    readonly partition: number,
    private readonly options: RecordQueueOptions,
  ) {}

  get source(): SourceNode {
    return this.options.source;
  }

  add(records: Iterable<RawRecord>): void {
    for (const r of records) this.#buffer.push(r);
    if (this.#head === null) this.#updateHead();
  }

  /** Buffered records, including the head. */
  get size(): number {
    return this.#buffer.length - this.#start + (this.#head ? 1 : 0);
  }

  isEmpty(): boolean {
    return this.#head === null;
  }

  /** Timestamp of the head record, or -1 when empty. */
  headTimestamp(): number {
    return this.#head ? this.#head.timestamp : -1;
  }

  /** Drops every buffered record; `partitionTime` is kept. */
  clear(): void {
    this.#buffer = [];
    this.#start = 0;
    this.#head = null;
    this.#headRaw = null;
  }

  /** Takes the head record (deserialized, timestamped); its consumed record is `polledRaw` until the next poll. */
  poll(): Record<unknown, unknown> | null {
    const head = this.#head;
    this.polledRaw = this.#headRaw;
    this.#head = null;
    this.#headRaw = null;
    this.#updateHead();
    return head;
  }

  #updateHead(): void {
    const o = this.options;
    while (this.#head === null && this.#start < this.#buffer.length) {
      const raw = this.#buffer[this.#start++]!;
      if (this.#start > 1024 && this.#start * 2 > this.#buffer.length) {
        this.#buffer = this.#buffer.slice(this.#start);
        this.#start = 0;
      }
      let key: unknown;
      let value: unknown;
      try {
        key = o.keyDeserializer.deserialize(raw.topic, raw.key, raw.headers);
        value = o.valueDeserializer.deserialize(raw.topic, raw.value, raw.headers);
      } catch (e) {
        const error = e instanceof Error ? e : new Error(String(e));
        const context = { topic: raw.topic, partition: raw.partition, offset: raw.offset, timestamp: raw.timestamp, processorNodeId: o.source.name, taskId: o.taskId };
        let response: HandlerResponse;
        try {
          response = o.deserializationHandler.handle(context, raw, error);
        } catch (handlerError) {
          throw new StreamsException(`Fatal user code error in deserialization error callback for record at ${raw.topic}-${raw.partition} offset ${raw.offset}`, { cause: handlerError });
        }
        if (response === HandlerResponse.FAIL) {
          throw new StreamsException(
            `Deserialization exception handler is set to fail upon a deserialization error of the record at ${raw.topic}-${raw.partition} offset ${raw.offset} ` +
              `(source node ${o.source.name}): ${error.message}. If you would rather have the streaming pipeline continue after a deserialization error, ` +
              'please set the deserialization.exception.handler appropriately.',
            { cause: error },
          );
        }
        o.droppedRecords.increment();
        continue;
      }

      const timestamp = o.timestampExtractor.extract(
        { topic: raw.topic, partition: raw.partition, offset: raw.offset, timestamp: raw.timestamp, key, value },
        this.partitionTime,
      );
      if (timestamp < 0 || !Number.isFinite(timestamp)) {
        log.warn(
          `Skipping record due to negative extracted timestamp. topic=[${raw.topic}] partition=[${raw.partition}] offset=[${raw.offset}] ` +
            `extractedTimestamp=[${timestamp}] extractor=[${o.timestampExtractor.constructor.name}]`,
        );
        o.droppedRecords.increment();
        continue;
      }
      if (timestamp > this.partitionTime) this.partitionTime = timestamp;
      this.#head = new Record(key, value, timestamp, raw.headers);
      this.#headRaw = raw;
    }
  }
}
