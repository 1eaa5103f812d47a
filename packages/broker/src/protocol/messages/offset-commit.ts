/** OffsetCommit (key 8) v2–v7. */
import { array, int16, int32, int64, nullableString, since, string, struct, versions, type Infer } from '../schema';

export const request = struct({
  groupId: string,
  generationId: int32,
  memberId: string,
  groupInstanceId: since(7, nullableString, null),
  retentionTimeMs: versions(2, 4, int64, -1),
  topics: array(
    struct({
      name: string,
      partitions: array(
        struct({
          partitionIndex: int32,
          committedOffset: int64,
          committedLeaderEpoch: since(6, int32, -1),
          committedMetadata: nullableString,
        }),
      ),
    }),
  ),
});
export const partitionErrors = array(
  struct({ name: string, partitions: array(struct({ partitionIndex: int32, errorCode: int16 })) }),
);
export const response = struct({ throttleTimeMs: since(3, int32, 0), topics: partitionErrors });
export type OffsetCommitRequest = Infer<typeof request>;
export type OffsetCommitResponse = Infer<typeof response>;
export type TopicPartitionErrors = Infer<typeof partitionErrors>;
