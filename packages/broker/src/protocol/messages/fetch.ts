/** Fetch (key 1) v4–v11. Record data is written as the stored batch buffers, unchanged. */
import { array, int16, int32, int64, int8, nullableArray, recordChunks, since, string, struct, type Infer } from '../schema';

export const request = struct({
  replicaId: int32,
  maxWaitMs: int32,
  minBytes: int32,
  maxBytes: int32,
  isolationLevel: int8,
  sessionId: since(7, int32, 0),
  sessionEpoch: since(7, int32, -1),
  topics: array(
    struct({
      topic: string,
      partitions: array(
        struct({
          partition: int32,
          currentLeaderEpoch: since(9, int32, -1),
          fetchOffset: int64,
          logStartOffset: since(5, int64, -1),
          partitionMaxBytes: int32,
        }),
      ),
    }),
  ),
  forgottenTopics: since(7, array(struct({ topic: string, partitions: array(int32) })), []),
  rackId: since(11, string, ''),
});
export const abortedTransaction = struct({ producerId: int64, firstOffset: int64 });
export const partitionResponse = struct({
  partitionIndex: int32,
  errorCode: int16,
  highWatermark: int64,
  lastStableOffset: int64,
  logStartOffset: since(5, int64, -1),
  abortedTransactions: nullableArray(abortedTransaction),
  preferredReadReplica: since(11, int32, -1),
  records: recordChunks,
});
export const response = struct({
  throttleTimeMs: int32,
  errorCode: since(7, int16, 0),
  sessionId: since(7, int32, 0),
  responses: array(struct({ topic: string, partitions: array(partitionResponse) })),
});
export type FetchRequest = Infer<typeof request>;
export type FetchResponse = Infer<typeof response>;
export type FetchPartitionResponse = Infer<typeof partitionResponse>;
