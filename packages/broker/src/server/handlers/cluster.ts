/**
 * Cluster and storage introspection for Kafka's tools and clients: DescribeCluster, DescribeLogDirs
 * (kafka-log-dirs), OffsetForLeaderEpoch (the consumer's log-truncation check after a leader change;
 * this single node has had one leader epoch, 0, for every partition).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ApiKey } from '@kstreams/protocol/api-keys';
import { ErrorCode } from '@kstreams/protocol/errors';
import * as describeCluster from '@kstreams/protocol/messages/describe-cluster';
import * as describeLogDirs from '@kstreams/protocol/messages/describe-log-dirs';
import * as offsetForLeaderEpoch from '@kstreams/protocol/messages/offset-for-leader-epoch';
import type { Broker } from '../broker';
import { route, type Route } from '../router';

const NO_AUTHORIZED_OPERATIONS = -2147483648;

function handleDescribeLogDirs(req: describeLogDirs.DescribeLogDirsRequest, b: Broker): describeLogDirs.DescribeLogDirsResponse {
  const wanted = req.topics === null ? null : new Map(req.topics.map((t) => [t.topic, new Set(t.partitions)]));
  const topics: describeLogDirs.DescribeLogDirsResponse['results'][number]['topics'] = [];
  for (const topic of b.logs.topics.values()) {
    const parts = wanted === null ? null : wanted.get(topic.name);
    if (parts === undefined) continue;
    const partitions = topic.partitions
      .filter((p) => parts === null || parts.has(p.index))
      .map((p) => ({ partitionIndex: p.index, partitionSize: p.log.sizeInBytes, offsetLag: 0, isFutureKey: false }));
    if (partitions.length > 0) topics.push({ name: topic.name, partitions });
  }
  let totalBytes = -1;
  let usableBytes = -1;
  try {
    const st = fs.statfsSync(b.options.dataDir);
    totalBytes = st.blocks * st.bsize;
    usableBytes = st.bavail * st.bsize;
  } catch {
    // statfs unsupported here: Kafka's "unknown" (-1)
  }
  return {
    throttleTimeMs: 0,
    errorCode: ErrorCode.NONE,
    results: [{ errorCode: ErrorCode.NONE, logDir: path.join(b.options.dataDir, 'logs'), topics, totalBytes, usableBytes }],
  };
}

function handleOffsetForLeaderEpoch(req: offsetForLeaderEpoch.OffsetForLeaderEpochRequest, b: Broker): offsetForLeaderEpoch.OffsetForLeaderEpochResponse {
  return {
    throttleTimeMs: 0,
    topics: req.topics.map((t) => ({
      topic: t.topic,
      partitions: t.partitions.map((pr) => {
        const p = b.logs.partition(t.topic, pr.partition);
        if (!p) return { errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, partition: pr.partition, leaderEpoch: -1, endOffset: -1 };
        if (pr.currentLeaderEpoch > 0) return { errorCode: ErrorCode.UNKNOWN_LEADER_EPOCH, partition: pr.partition, leaderEpoch: -1, endOffset: -1 };
        // epoch 0 (or any later one the client assumes) ends at the log end; no earlier epoch exists
        if (pr.leaderEpoch < 0) return { errorCode: ErrorCode.NONE, partition: pr.partition, leaderEpoch: -1, endOffset: -1 };
        return { errorCode: ErrorCode.NONE, partition: pr.partition, leaderEpoch: 0, endOffset: p.highWatermark };
      }),
    })),
  };
}

export const clusterRoutes: [number, Route<unknown, unknown>][] = [
  [
    ApiKey.DescribeCluster,
    route({
      request: describeCluster.request,
      response: describeCluster.response,
      handle: (r, c) => ({
        throttleTimeMs: 0,
        errorCode: ErrorCode.NONE,
        errorMessage: null,
        endpointType: r.endpointType,
        clusterId: c.broker.clusterId,
        controllerId: c.broker.options.nodeId,
        brokers: [{ brokerId: c.broker.options.nodeId, host: c.broker.options.advertisedHost, port: c.broker.port, rack: null }],
        clusterAuthorizedOperations: NO_AUTHORIZED_OPERATIONS,
      }),
    }),
  ],
  [
    ApiKey.DescribeLogDirs,
    route({ request: describeLogDirs.request, response: describeLogDirs.response, handle: (r, c) => handleDescribeLogDirs(r, c.broker) }),
  ],
  [
    ApiKey.OffsetForLeaderEpoch,
    route({
      request: offsetForLeaderEpoch.request,
      response: offsetForLeaderEpoch.response,
      handle: (r, c) => handleOffsetForLeaderEpoch(r, c.broker),
    }),
  ],
];
