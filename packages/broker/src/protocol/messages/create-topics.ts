/** CreateTopics (key 19) v3. */
import { array, bool, int16, int32, nullableString, string, struct, type Infer } from '../schema';

export const request = struct({
  topics: array(
    struct({
      name: string,
      numPartitions: int32,
      replicationFactor: int16,
      assignments: array(struct({ partitionIndex: int32, brokerIds: array(int32) })),
      configs: array(struct({ name: string, value: nullableString })),
    }),
  ),
  timeoutMs: int32,
  validateOnly: bool,
});
export const response = struct({
  throttleTimeMs: int32,
  topics: array(struct({ name: string, errorCode: int16, errorMessage: nullableString })),
});
export type CreateTopicsRequest = Infer<typeof request>;
export type CreateTopicsResponse = Infer<typeof response>;
