/** CreateTopics (key 19) v0–v4. */
import { array, bool, int16, int32, nullableString, since, string, struct, type Infer } from '../schema';

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
  validateOnly: since(1, bool, false),
});
export const response = struct({
  throttleTimeMs: since(2, int32, 0),
  topics: array(struct({ name: string, errorCode: int16, errorMessage: since(1, nullableString, null) })),
});
export type CreateTopicsRequest = Infer<typeof request>;
export type CreateTopicsResponse = Infer<typeof response>;
