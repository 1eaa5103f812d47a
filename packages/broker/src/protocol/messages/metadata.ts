/** Metadata (key 3) v6. */
import { array, bool, int16, int32, nullableArray, nullableString, string, struct, type Infer } from '../schema';

export const request = struct({ topics: nullableArray(struct({ name: string })), allowAutoTopicCreation: bool });
export const response = struct({
  throttleTimeMs: int32,
  brokers: array(struct({ nodeId: int32, host: string, port: int32, rack: nullableString })),
  clusterId: nullableString,
  controllerId: int32,
  topics: array(
    struct({
      errorCode: int16,
      name: string,
      isInternal: bool,
      partitions: array(
        struct({
          errorCode: int16,
          partitionIndex: int32,
          leaderId: int32,
          replicaNodes: array(int32),
          isrNodes: array(int32),
          offlineReplicas: array(int32),
        }),
      ),
    }),
  ),
});
export type MetadataRequest = Infer<typeof request>;
export type MetadataResponse = Infer<typeof response>;
