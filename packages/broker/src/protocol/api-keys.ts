/**
 * The APIs this broker serves and their version ranges: every non-flexible (pre-KIP-482) version from
 * the oldest this broker reads up to kafkajs 2.2.4's highest. kafkajs picks min(its max, broker max),
 * so it always speaks the top of each range; older versions serve other tools and raw clients.
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
  Produce: [3, 8],
  Fetch: [4, 11],
  ListOffsets: [1, 5],
  Metadata: [0, 8],
  OffsetCommit: [2, 7],
  OffsetFetch: [1, 5],
  FindCoordinator: [0, 2],
  JoinGroup: [0, 5],
  Heartbeat: [0, 3],
  LeaveGroup: [0, 3],
  SyncGroup: [0, 3],
  DescribeGroups: [0, 4],
  ListGroups: [0, 2],
  ApiVersions: [0, 2],
  CreateTopics: [0, 4],
  DeleteTopics: [0, 3],
  DeleteRecords: [0, 1],
  InitProducerId: [0, 1],
  AddPartitionsToTxn: [0, 2],
  AddOffsetsToTxn: [0, 2],
  EndTxn: [0, 2],
  TxnOffsetCommit: [0, 2],
  DescribeConfigs: [0, 3],
  AlterConfigs: [0, 1],
  CreatePartitions: [0, 1],
  DeleteGroups: [0, 1],
};

export const SUPPORTED_APIS: readonly ApiVersionRange[] = (Object.keys(served) as (keyof typeof ApiKey)[])
  .map((name) => ({ apiKey: ApiKey[name], name, minVersion: served[name][0], maxVersion: served[name][1] }))
  .sort((a, b) => a.apiKey - b.apiKey);

const byKey = new Map(SUPPORTED_APIS.map((a) => [a.apiKey, a]));

export function apiRange(apiKey: number): ApiVersionRange | undefined {
  return byKey.get(apiKey);
}
