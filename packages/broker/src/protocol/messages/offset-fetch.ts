/** OffsetFetch (key 9) v4. A null topic list asks for every committed offset of the group. */
import { array, int16, int32, int64, nullableArray, nullableString, string, struct, type Infer } from '../schema';

export const request = struct({
  groupId: string,
  topics: nullableArray(struct({ name: string, partitionIndexes: array(int32) })),
});
export const response = struct({
  throttleTimeMs: int32,
  topics: array(
    struct({
      name: string,
      partitions: array(
        struct({ partitionIndex: int32, committedOffset: int64, metadata: nullableString, errorCode: int16 }),
      ),
    }),
  ),
  errorCode: int16,
});
export type OffsetFetchRequest = Infer<typeof request>;
export type OffsetFetchResponse = Infer<typeof response>;
