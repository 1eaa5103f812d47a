/** ListOffsets (key 2) v3. Timestamp -1 = latest (LSO for read_committed), -2 = earliest. */
import { array, int16, int32, int64, int8, string, struct, type Infer } from '../schema';

export const request = struct({
  replicaId: int32,
  isolationLevel: int8,
  topics: array(struct({ name: string, partitions: array(struct({ partitionIndex: int32, timestamp: int64 })) })),
});
export const response = struct({
  throttleTimeMs: int32,
  topics: array(
    struct({
      name: string,
      partitions: array(struct({ partitionIndex: int32, errorCode: int16, timestamp: int64, offset: int64 })),
    }),
  ),
});
export type ListOffsetsRequest = Infer<typeof request>;
export type ListOffsetsResponse = Infer<typeof response>;
