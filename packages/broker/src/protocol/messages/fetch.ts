/** Fetch (key 1) v11. Record data is written as the stored batch buffers, unchanged. */
import { array, int16, int32, int64, int8, nullableArray, recordChunks, string, struct, type Infer } from '../schema';

export const request = struct({
  replicaId: int32,
  maxWaitMs: int32,
  minBytes: int32,
  maxBytes: int32,
  isolationLevel: int8,
  sessionId: int32,
  sessionEpoch: int32,
  topics: array(
    struct({
      topic: string,
      partitions: array(
        struct({
          partition: int32,
          currentLeaderEpoch: int32,
          fetchOffset: int64,
          logStartOffset: int64,
          partitionMaxBytes: int32,
        }),
      ),
    }),
  ),
  forgottenTopics: array(struct({ topic: string, partitions: array(int32) })),
  rackId: string,
});
export const abortedTransaction = struct({ producerId: int64, firstOffset: int64 });
export const partitionResponse = struct({
  partitionIndex: int32,
  errorCode: int16,
  highWatermark: int64,
  lastStableOffset: int64,
  logStartOffset: int64,
  abortedTransactions: nullableArray(abortedTransaction),
  preferredReadReplica: int32,
  records: recordChunks,
});
export const response = struct({
  throttleTimeMs: int32,
  errorCode: int16,
  sessionId: int32,
  responses: array(struct({ topic: string, partitions: array(partitionResponse) })),
});
export type FetchRequest = Infer<typeof request>;
export type FetchResponse = Infer<typeof response>;
export type FetchPartitionResponse = Infer<typeof partitionResponse>;
