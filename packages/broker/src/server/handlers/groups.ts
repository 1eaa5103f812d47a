/** Consumer-group APIs: Join/Sync/Heartbeat/Leave (classic), ConsumerGroupHeartbeat (KIP-848), OffsetCommit/OffsetFetch/OffsetDelete, Describe/List/DeleteGroups. */
import { ApiKey } from '@kstreams/protocol/api-keys';
import { ErrorCode } from '@kstreams/protocol/errors';
import * as consumerGroupHeartbeat from '@kstreams/protocol/messages/consumer-group-heartbeat';
import * as deleteGroups from '@kstreams/protocol/messages/delete-groups';
import * as describeGroups from '@kstreams/protocol/messages/describe-groups';
import * as heartbeat from '@kstreams/protocol/messages/heartbeat';
import * as joinGroup from '@kstreams/protocol/messages/join-group';
import * as leaveGroup from '@kstreams/protocol/messages/leave-group';
import * as listGroups from '@kstreams/protocol/messages/list-groups';
import * as offsetCommit from '@kstreams/protocol/messages/offset-commit';
import * as offsetDelete from '@kstreams/protocol/messages/offset-delete';
import * as offsetFetch from '@kstreams/protocol/messages/offset-fetch';
import * as syncGroup from '@kstreams/protocol/messages/sync-group';
import { Writer } from '@kstreams/protocol/writer';
import type { Broker } from '../broker';
import { route, type Route } from '../router';

function handleOffsetCommit(req: offsetCommit.OffsetCommitRequest, b: Broker): offsetCommit.OffsetCommitResponse {
  // a KIP-848 group checks the member epoch; a classic group the generation
  const errorCode = b.consumerGroups.isConsumerGroup(req.groupId)
    ? b.consumerGroups.validateCommit(req.groupId, req.generationIdOrMemberEpoch, req.memberId)
    : b.groups.validateCommit(req.groupId, req.generationIdOrMemberEpoch, req.memberId);
  if (errorCode === ErrorCode.NONE) {
    b.offsets.commit(
      req.groupId,
      req.topics.flatMap((t) =>
        t.partitions.map((p) => ({ topic: t.name, partition: p.partitionIndex, offset: p.committedOffset, metadata: p.committedMetadata ?? '' })),
      ),
    );
  }
  return {
    throttleTimeMs: 0,
    topics: req.topics.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode })) })),
  };
}

type FetchedPartition = { partitionIndex: number; committedOffset: number; committedLeaderEpoch: number; metadata: string | null; errorCode: number };

/** One group's committed offsets; with requireStable (v7+) a partition with a pending transactional commit answers UNSTABLE_OFFSET_COMMIT. */
function fetchGroupOffsets(
  groupId: string,
  requested: readonly { name: string; partitionIndexes: number[] }[] | null,
  requireStable: boolean,
  b: Broker,
): { name: string; partitions: FetchedPartition[] }[] {
  const entry = (topic: string, partition: number): FetchedPartition => {
    if (requireStable && b.txns.hasPendingOffset(groupId, topic, partition)) {
      return { partitionIndex: partition, committedOffset: -1, committedLeaderEpoch: -1, metadata: '', errorCode: ErrorCode.UNSTABLE_OFFSET_COMMIT };
    }
    const c = b.offsets.get(groupId, topic, partition);
    return { partitionIndex: partition, committedOffset: c?.offset ?? -1, committedLeaderEpoch: -1, metadata: c?.metadata ?? '', errorCode: ErrorCode.NONE };
  };
  if (requested === null) {
    const byTopic = new Map<string, number[]>();
    for (const o of b.offsets.all(groupId)) byTopic.set(o.topic, [...(byTopic.get(o.topic) ?? []), o.partition]);
    return [...byTopic].map(([name, parts]) => ({ name, partitions: parts.map((p) => entry(name, p)) }));
  }
  return requested.map((t) => ({ name: t.name, partitions: t.partitionIndexes.map((p) => entry(t.name, p)) }));
}

/** v0-v7 ask for one group; v8+ for several, each answered with its own error code. */
function handleOffsetFetch(req: offsetFetch.OffsetFetchRequest, b: Broker, version: number): offsetFetch.OffsetFetchResponse {
  if (version >= 8) {
    return {
      throttleTimeMs: 0,
      groups: req.groups.map((g) => ({
        groupId: g.groupId,
        topics: fetchGroupOffsets(g.groupId, g.topics, req.requireStable, b),
        errorCode: g.groupId === '' ? ErrorCode.INVALID_GROUP_ID : ErrorCode.NONE,
      })),
    };
  }
  return { throttleTimeMs: 0, topics: fetchGroupOffsets(req.groupId, req.topics, req.requireStable, b), errorCode: ErrorCode.NONE };
}

/** OffsetDelete (KIP-496): a group's offsets go unless its live consumers subscribe to the topic. */
function handleOffsetDelete(req: offsetDelete.OffsetDeleteRequest, b: Broker): offsetDelete.OffsetDeleteResponse {
  const fail = (errorCode: number): offsetDelete.OffsetDeleteResponse => ({ errorCode, throttleTimeMs: 0, topics: [] });
  if (req.groupId === '') return fail(ErrorCode.INVALID_GROUP_ID);
  const sub = b.groups.subscriptions(req.groupId);
  if (!sub.exists) return fail(ErrorCode.GROUP_ID_NOT_FOUND);
  const deleted: { topic: string; partition: number }[] = [];
  const topics = req.topics.map((t) => ({
    name: t.name,
    partitions: t.partitions.map((p) => {
      if (sub.topics.has(t.name)) return { partitionIndex: p.partitionIndex, errorCode: ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC };
      if (!b.logs.partition(t.name, p.partitionIndex)) return { partitionIndex: p.partitionIndex, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION };
      deleted.push({ topic: t.name, partition: p.partitionIndex });
      return { partitionIndex: p.partitionIndex, errorCode: ErrorCode.NONE };
    }),
  }));
  b.offsets.deletePartitions(req.groupId, deleted);
  return { errorCode: ErrorCode.NONE, throttleTimeMs: 0, topics };
}

/** A KIP-848 group described through the classic DescribeGroups: assignments in the consumer protocol's format. */
function describeConsumerGroup(groupId: string, b: Broker): describeGroups.DescribeGroupsResponse['groups'][number] | null {
  const d = b.consumerGroups.describe(groupId);
  if (!d) return null;
  return {
    errorCode: ErrorCode.NONE,
    groupId,
    groupState: d.state,
    protocolType: 'consumer',
    protocolData: '',
    members: d.members.map((m) => ({
      memberId: m.memberId,
      groupInstanceId: m.instanceId,
      clientId: m.clientId,
      clientHost: m.clientHost,
      memberMetadata: Buffer.alloc(0),
      memberAssignment: encodeConsumerAssignment(m.assignment),
    })),
  };
}

/** ConsumerProtocolAssignment v0: int16 version, [topic, [partition]], user data (empty). */
function encodeConsumerAssignment(a: Map<string, number[]>): Buffer {
  const w = new Writer();
  w.int16(0).int32(a.size);
  for (const [t, ps] of a) {
    w.string(t).int32(ps.length);
    for (const p of ps) w.int32(p);
  }
  w.int32(-1);
  return w.toBuffer();
}

export const groupRoutes: [number, Route<unknown, unknown>][] = [
  [
    ApiKey.ConsumerGroupHeartbeat,
    route({
      request: consumerGroupHeartbeat.request,
      response: consumerGroupHeartbeat.response,
      handle: (r, c) => {
        if (c.broker.groups.list().some((g) => g.groupId === r.groupId && g.groupState !== 'Empty')) {
          return {
            throttleTimeMs: 0,
            errorCode: ErrorCode.GROUP_ID_NOT_FOUND,
            errorMessage: `Group ${r.groupId} is a classic group with members, not a consumer group.`,
            memberId: r.memberId,
            memberEpoch: -1,
            heartbeatIntervalMs: 0,
            assignment: null,
          };
        }
        return c.broker.consumerGroups.heartbeat(r, { clientId: c.clientId, clientHost: c.clientHost });
      },
    }),
  ],
  [
    ApiKey.JoinGroup,
    route({
      request: joinGroup.request,
      response: joinGroup.response,
      handle: (r, c) => {
        // a classic member cannot join a KIP-848 group that has members (Kafka answers the same)
        if (c.broker.consumerGroups.describe(r.groupId)?.members.length) {
          return { throttleTimeMs: 0, errorCode: ErrorCode.INCONSISTENT_GROUP_PROTOCOL, generationId: -1, protocolName: null, leader: '', memberId: r.memberId, members: [] };
        }
        return c.broker.groups.joinGroup(r, { clientId: c.clientId, clientHost: c.clientHost }, c.apiVersion);
      },
    }),
  ],
  [ApiKey.SyncGroup, route({ request: syncGroup.request, response: syncGroup.response, handle: (r, c) => c.broker.groups.syncGroup(r) })],
  [
    ApiKey.Heartbeat,
    route({
      request: heartbeat.request,
      response: heartbeat.response,
      handle: (r, c) => ({ throttleTimeMs: 0, errorCode: c.broker.groups.heartbeat(r) }),
    }),
  ],
  [ApiKey.LeaveGroup, route({ request: leaveGroup.request, response: leaveGroup.response, handle: (r, c) => c.broker.groups.leaveGroup(r) })],
  [ApiKey.OffsetCommit, route({ request: offsetCommit.request, response: offsetCommit.response, handle: (r, c) => handleOffsetCommit(r, c.broker) })],
  [ApiKey.OffsetFetch, route({ request: offsetFetch.request, response: offsetFetch.response, handle: (r, c) => handleOffsetFetch(r, c.broker, c.apiVersion) })],
  [ApiKey.OffsetDelete, route({ request: offsetDelete.request, response: offsetDelete.response, handle: (r, c) => handleOffsetDelete(r, c.broker) })],
  [
    ApiKey.DescribeGroups,
    route({
      request: describeGroups.request,
      response: describeGroups.response,
      handle: (r, c) => ({ throttleTimeMs: 0, groups: r.groups.map((g) => describeConsumerGroup(g, c.broker) ?? c.broker.groups.describe(g)) }),
    }),
  ],
  [
    ApiKey.ListGroups,
    route({
      request: listGroups.request,
      response: listGroups.response,
      // v4 filters by state, v5 by type (both case-insensitive in Kafka); empty filters match every group
      handle: (r, c) => ({
        throttleTimeMs: 0,
        errorCode: ErrorCode.NONE,
        groups: [...c.broker.groups.list().filter((g) => !c.broker.consumerGroups.isConsumerGroup(g.groupId)), ...c.broker.consumerGroups.list()]
          .filter((g) => r.statesFilter.length === 0 || r.statesFilter.some((s) => s.toLowerCase() === g.groupState.toLowerCase()))
          .filter((g) => r.typesFilter.length === 0 || r.typesFilter.some((t) => t.toLowerCase() === g.groupType)),
      }),
    }),
  ],
  [
    ApiKey.DeleteGroups,
    route({
      request: deleteGroups.request,
      response: deleteGroups.response,
      handle: (r, c) => ({
        throttleTimeMs: 0,
        results: r.groupsNames.map((groupId) => {
          const kip848 = c.broker.consumerGroups.deleteGroup(groupId);
          if (kip848 === ErrorCode.NON_EMPTY_GROUP) return { groupId, errorCode: kip848 };
          if (kip848 === ErrorCode.NONE) {
            c.broker.offsets.deleteGroup(groupId);
            return { groupId, errorCode: ErrorCode.NONE };
          }
          return { groupId, errorCode: c.broker.groups.deleteGroup(groupId) };
        }),
      }),
    }),
  ],
];
