/**
 * The producer behind a task's output (Kafka's `StreamsProducer`), as one small interface so the transport can be
 * replaced (kafkajs today). Under exactly-once every active task owns one transactional producer
 * (`transactional.id = <applicationId>-<taskId>`); under at-least-once all tasks share one plain producer whose
 * transaction calls do nothing.
 */
import type { PartitionOffset, ProduceRecord, WrittenOffsets } from './kafka-client';

export interface TaskProducer {
  /** Whether `begin`/`sendOffsets`/`commit`/`abort` act (exactly-once). */
  readonly transactional: boolean;
  /** Whether a transaction is open (records or offsets were added since the last commit/abort). */
  readonly inTransaction: boolean;
  /**
   * Connects; a transactional producer also registers its transactional id (InitProducerId), which fences any
   * older producer with the same id and completes its dangling transaction.
   */
  connect(): Promise<void>;
  /** Opens a transaction if none is open (no-op when not transactional). */
  begin(): Promise<void>;
  /** Sends records (acks=all), inside the open transaction when transactional; the last offset per partition. */
  send(records: readonly ProduceRecord[]): Promise<WrittenOffsets>;
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
