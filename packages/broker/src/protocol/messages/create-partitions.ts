/** CreatePartitions (key 37) v1: grow a topic to `count` partitions. */
import { array, bool, int16, int32, nullableArray, nullableString, string, struct, type Infer } from '../schema';

export const request = struct({
  topics: array(struct({ name: string, count: int32, assignments: nullableArray(struct({ brokerIds: array(int32) })) })),
  timeoutMs: int32,
  validateOnly: bool,
});
export const response = struct({
  throttleTimeMs: int32,
  results: array(struct({ name: string, errorCode: int16, errorMessage: nullableString })),
});
export type CreatePartitionsResponse = Infer<typeof response>;
