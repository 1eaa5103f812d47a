/** Metadata (key 3) v0–v8. In v0 an empty topic list means every topic (null came in v1). */
import { array, bool, int16, int32, nullableArray, nullableString, since, string, struct, versions, type Infer } from '../schema';

export const request = struct({
  topics: nullableArray(struct({ name: string })),
  allowAutoTopicCreation: since(4, bool, true),
  includeClusterAuthorizedOperations: versions(8, 10, bool, false),
  includeTopicAuthorizedOperations: since(8, bool, false),
});
export const response = struct({
  throttleTimeMs: since(3, int32, 0),
  brokers: array(struct({ nodeId: int32, host: string, port: int32, rack: since(1, nullableString, null) })),
  clusterId: since(2, nullableString, null),
  controllerId: since(1, int32, -1),
  topics: array(
    struct({
      errorCode: int16,
      name: string,
      isInternal: since(1, bool, false),
      partitions: array(
        struct({
          errorCode: int16,
          partitionIndex: int32,
          leaderId: int32,
          leaderEpoch: since(7, int32, -1),
          replicaNodes: array(int32),
          isrNodes: array(int32),
          offlineReplicas: since(5, array(int32), []),
        }),
      ),
      topicAuthorizedOperations: since(8, int32, -2147483648),
    }),
  ),
  clusterAuthorizedOperations: versions(8, 10, int32, -2147483648),
});
export type MetadataRequest = Infer<typeof request>;
export type MetadataResponse = Infer<typeof response>;
