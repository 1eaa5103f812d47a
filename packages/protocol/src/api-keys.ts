/**
 * The APIs this broker serves and their version ranges: from the oldest version Kafka 4 still serves up
 * to the newest version of Kafka's message specs whose semantics this broker implements (which is what
 * Kafka 4.1's Java client prefers, since clients pick min(their max, broker max)); kafkajs and other
 * clients pick lower versions from the same ranges. scripts/generate-messages.mjs reads the `served`
 * table below to generate the message codecs, so keep its one-entry-per-line layout.
 */
import * as messages from './messages';

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
  OffsetForLeaderEpoch: 23,
  AddPartitionsToTxn: 24,
  AddOffsetsToTxn: 25,
  EndTxn: 26,
  TxnOffsetCommit: 28,
  DescribeConfigs: 32,
  AlterConfigs: 33,
  DescribeLogDirs: 35,
  CreatePartitions: 37,
  DeleteGroups: 42,
  IncrementalAlterConfigs: 44,
  OffsetDelete: 47,
  DescribeCluster: 60,
  DescribeProducers: 61,
  DescribeTransactions: 65,
  ListTransactions: 66,
  ConsumerGroupHeartbeat: 68,
} as const;

export type ApiKeyValue = (typeof ApiKey)[keyof typeof ApiKey];

export interface ApiVersionRange {
  readonly apiKey: number;
  readonly name: string;
  readonly minVersion: number;
  readonly maxVersion: number;
  /** First flexible version (KIP-482: compact encodings, tagged fields, header v2/v1), or -1. */
  readonly flexibleSince: number;
}

// Why some stop below the spec's newest: AddPartitionsToTxn v4+ is the broker-to-broker batch form; EndTxn v5 / Produce v12 are
// transaction version 2 (KIP-890 part 2), which this broker does not advertise as a feature.
const served: Record<keyof typeof ApiKey, [number, number]> = {
  Produce: [3, 11],
  Fetch: [4, 17],
  ListOffsets: [1, 10],
  Metadata: [0, 12],
  OffsetCommit: [2, 9],
  OffsetFetch: [1, 9],
  FindCoordinator: [0, 6],
  JoinGroup: [0, 9],
  Heartbeat: [0, 4],
  LeaveGroup: [0, 5],
  SyncGroup: [0, 5],
  DescribeGroups: [0, 5],
  ListGroups: [0, 5],
  ApiVersions: [0, 4],
  CreateTopics: [0, 7],
  DeleteTopics: [0, 6],
  DeleteRecords: [0, 2],
  InitProducerId: [0, 5],
  OffsetForLeaderEpoch: [2, 4],
  AddPartitionsToTxn: [0, 3],
  AddOffsetsToTxn: [0, 4],
  EndTxn: [0, 4],
  TxnOffsetCommit: [0, 4],
  DescribeConfigs: [0, 4],
  AlterConfigs: [0, 2],
  DescribeLogDirs: [1, 4],
  CreatePartitions: [0, 3],
  DeleteGroups: [0, 2],
  IncrementalAlterConfigs: [0, 1],
  OffsetDelete: [0, 0],
  DescribeCluster: [0, 1],
  DescribeProducers: [0, 0],
  DescribeTransactions: [0, 0],
  ListTransactions: [0, 1],
  ConsumerGroupHeartbeat: [0, 1],
};

const flexibleByKey = new Map<number, number>(Object.values(messages).map((m) => [m.apiKey, m.flexibleSince]));

export const SUPPORTED_APIS: readonly ApiVersionRange[] = (Object.keys(served) as (keyof typeof ApiKey)[])
  .map((name) => ({
    apiKey: ApiKey[name],
    name,
    minVersion: served[name][0],
    maxVersion: served[name][1],
    flexibleSince: flexibleByKey.get(ApiKey[name]) ?? -1,
  }))
  .sort((a, b) => a.apiKey - b.apiKey);

const byKey = new Map(SUPPORTED_APIS.map((a) => [a.apiKey, a]));

export function apiRange(apiKey: number): ApiVersionRange | undefined {
  return byKey.get(apiKey);
}

/** Whether `version` of `apiKey` uses the flexible encodings (and request header v2 / response header v1). */
export function isFlexible(range: ApiVersionRange, version: number): boolean {
  return range.flexibleSince >= 0 && version >= range.flexibleSince;
}
