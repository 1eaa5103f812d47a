/** OffsetCommit (key 8) v5. */
import { array, int16, int32, int64, nullableString, string, struct, type Infer } from '../schema';

export const request = struct({
  groupId: string,
  generationId: int32,
  memberId: string,
  topics: array(
    struct({
      name: string,
      partitions: array(struct({ partitionIndex: int32, committedOffset: int64, committedMetadata: nullableString })),
    }),
  ),
});
export const partitionErrors = array(
  struct({ name: string, partitions: array(struct({ partitionIndex: int32, errorCode: int16 })) }),
);
export const response = struct({ throttleTimeMs: int32, topics: partitionErrors });
export type OffsetCommitRequest = Infer<typeof request>;
export type OffsetCommitResponse = Infer<typeof response>;
export type TopicPartitionErrors = Infer<typeof partitionErrors>;
