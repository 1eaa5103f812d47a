/** ListOffsets (key 2) v1–v5. Timestamp -1 = latest (LSO for read_committed), -2 = earliest. */
import { array, int16, int32, int64, int8, since, string, struct, type Infer } from '../schema';

export const request = struct({
  replicaId: int32,
  isolationLevel: since(2, int8, 0),
  topics: array(
    struct({
      name: string,
      partitions: array(struct({ partitionIndex: int32, currentLeaderEpoch: since(4, int32, -1), timestamp: int64 })),
    }),
  ),
});
export const response = struct({
  throttleTimeMs: since(2, int32, 0),
  topics: array(
    struct({
      name: string,
      partitions: array(
        struct({ partitionIndex: int32, errorCode: int16, timestamp: int64, offset: int64, leaderEpoch: since(4, int32, -1) }),
      ),
    }),
  ),
});
export type ListOffsetsRequest = Infer<typeof request>;
export type ListOffsetsResponse = Infer<typeof response>;
