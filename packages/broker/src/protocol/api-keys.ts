/**
 * The APIs this broker serves and the one version of each it speaks: kafkajs 2.2.4's highest.
 * kafkajs picks min(its max, broker max) and ignores the broker's min, so one version per API is enough.
 */
export const ApiKey = {
  Produce: 0,
  Fetch: 1,
  ListOffsets: 2,
  Metadata: 3,
  OffsetCommit: 8,
  OffsetFetch: 9,
  FindCoordinator: 10,
  JoinGroup: 11,
  Heartbeat: 12,
  LeaveGroup: 13,
  SyncGroup: 14,
  DescribeGroups: 15,
  ListGroups: 16,
  ApiVersions: 18,
  CreateTopics: 19,
  DeleteTopics: 20,
  DeleteRecords: 21,
  InitProducerId: 22,
  AddPartitionsToTxn: 24,
  AddOffsetsToTxn: 25,
  EndTxn: 26,
  TxnOffsetCommit: 28,
  DescribeConfigs: 32,
  AlterConfigs: 33,
  CreatePartitions: 37,
  DeleteGroups: 42,
} as const;

export type ApiKeyValue = (typeof ApiKey)[keyof typeof ApiKey];

export interface ApiVersionRange {
  readonly apiKey: number;
  readonly name: string;
  readonly minVersion: number;
  readonly maxVersion: number;
}

const served: Record<keyof typeof ApiKey, [number, number]> = {
  Produce: [7, 7],
  Fetch: [11, 11],
  ListOffsets: [3, 3],
  Metadata: [6, 6],
  OffsetCommit: [5, 5],
  OffsetFetch: [4, 4],
  FindCoordinator: [2, 2],
  JoinGroup: [5, 5],
  Heartbeat: [3, 3],
  LeaveGroup: [3, 3],
  SyncGroup: [3, 3],
  DescribeGroups: [2, 2],
  ListGroups: [2, 2],
  ApiVersions: [0, 2],
  CreateTopics: [3, 3],
  DeleteTopics: [1, 1],
  DeleteRecords: [1, 1],
  InitProducerId: [1, 1],
  AddPartitionsToTxn: [1, 1],
  AddOffsetsToTxn: [1, 1],
  EndTxn: [1, 1],
  TxnOffsetCommit: [1, 1],
  DescribeConfigs: [2, 2],
  AlterConfigs: [1, 1],
  CreatePartitions: [1, 1],
  DeleteGroups: [1, 1],
};

export const SUPPORTED_APIS: readonly ApiVersionRange[] = (Object.keys(served) as (keyof typeof ApiKey)[])
  .map((name) => ({ apiKey: ApiKey[name], name, minVersion: served[name][0], maxVersion: served[name][1] }))
  .sort((a, b) => a.apiKey - b.apiKey);

const byKey = new Map(SUPPORTED_APIS.map((a) => [a.apiKey, a]));

export function apiRange(apiKey: number): ApiVersionRange | undefined {
  return byKey.get(apiKey);
}
