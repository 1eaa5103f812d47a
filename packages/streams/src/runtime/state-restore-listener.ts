/**
 * Kafka Streams' `StateRestoreListener`: told when a store starts restoring from its changelog, after each
 * restored batch, and when it is done. Set one with `KafkaStreams.setGlobalStateRestoreListener`.
 */

/** A topic partition. */
export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

export interface StateRestoreListener {
  /** Restoration of `storeName` from `topicPartition` starts at `startingOffset`; it ends before `endingOffset`. */
  onRestoreStart?(topicPartition: TopicPartition, storeName: string, startingOffset: number, endingOffset: number): void;
  /** A batch was restored; `batchEndOffset` is the offset of its last record. */
  onBatchRestored?(topicPartition: TopicPartition, storeName: string, batchEndOffset: number, numRestored: number): void;
  /** The store is restored; `totalRestored` records were applied. */
  onRestoreEnd?(topicPartition: TopicPartition, storeName: string, totalRestored: number): void;
  /** Restoration stopped early because the task moved away. */
  onRestoreSuspended?(topicPartition: TopicPartition, storeName: string, totalRestored: number): void;
}
