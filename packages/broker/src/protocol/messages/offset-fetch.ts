/** OffsetFetch (key 9) v1–v5. A null topic list (v2+) asks for every committed offset of the group. */
import { array, int16, int32, int64, nullableArray, nullableString, since, string, struct, type Infer } from '../schema';

export const request = struct({
  groupId: string,
  topics: nullableArray(struct({ name: string, partitionIndexes: array(int32) })),
});
export const response = struct({
  throttleTimeMs: since(3, int32, 0),
  topics: array(
    struct({
      name: string,
      partitions: array(
        struct({
          partitionIndex: int32,
          committedOffset: int64,
          committedLeaderEpoch: since(5, int32, -1),
          metadata: nullableString,
          errorCode: int16,
        }),
      ),
    }),
  ),
  errorCode: since(2, int16, 0),
});
export type OffsetFetchRequest = Infer<typeof request>;
export type OffsetFetchResponse = Infer<typeof response>;
