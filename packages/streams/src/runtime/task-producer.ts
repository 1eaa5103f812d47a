/**
 * The producer behind a task's output (Kafka's `StreamsProducer`), as one small interface: kstreams' own
 * {@link KafkaProducer} (producer/kafka-producer.ts) implements it. Under exactly-once every active task owns one
 * transactional producer (`transactional.id = <applicationId>-<taskId>`); under at-least-once all tasks share one
 * plain (or idempotent) producer whose transaction calls do nothing.
 */
import type { HeadersLike } from '@kstreams/protocol/batch-builder';
import type { PartitionOffset } from './kafka-client';
import type { PartitionBuffer, SendFailure } from './producer/kafka-producer';

export interface TaskProducer {
  /** Whether `begin`/`sendOffsets`/`commit`/`abort` act (exactly-once). */
  readonly transactional: boolean;
  /** Whether a transaction is open (records or offsets were added since the last commit/abort). */
  readonly inTransaction: boolean;
  /** Records appended and not yet acknowledged or failed. */
  readonly bufferedRecords: number;
  /** Whether the buffered records reached `buffer.memory` (flush before appending more). */
  readonly full: boolean;
  /** An error that makes the producer unusable until `reset` (or, when transactional, replacement), or null. */
  readonly fatalError: Error | null;
  /**
   * Connects; a transactional producer also registers its transactional id (InitProducerId), which fences any
   * older producer with the same id and completes its dangling transaction.
   */
  connect(): Promise<void>;
  /** Opens a transaction if none is open (no-op when not transactional). */
  begin(): Promise<void>;
  /**
   * Encodes one record into its partition's open batch (inside the open transaction when transactional); it is
   * sent in the background. Returns the partition's buffer, whose `lastOffset` is acknowledged after a flush.
   */
  append(topic: string, partition: number, key: Buffer | null, value: Buffer | null, timestamp: number, headers: HeadersLike | null): PartitionBuffer;
  /** Sends everything appended and waits for the acknowledgements; the batches that failed. */
  flush(): Promise<SendFailure[]>;
  /** Starts a non-transactional producer over after a fatal error (unsent records are dropped). */
  reset(): Promise<void>;
  /** Adds consumed offsets (next offset to read, with metadata) to the open transaction. */
  sendOffsets(groupId: string, offsets: readonly PartitionOffset[]): Promise<void>;
  /** Commits the open transaction (no-op when none is open). */
  commit(): Promise<void>;
  /** Aborts the open transaction (no-op when none is open). */
  abort(): Promise<void>;
  /** Disconnects; never throws. A closed producer is not used again (a new one is created). */
  close(): Promise<void>;
}

/** Thrown when a send or commit took longer than `delivery.timeout.ms`. */
export class DeliveryTimeoutError extends Error {
  override readonly name = 'DeliveryTimeoutError';
}
