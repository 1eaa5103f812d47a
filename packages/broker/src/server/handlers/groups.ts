/** Consumer-group APIs: Join/Sync/Heartbeat/Leave, OffsetCommit/OffsetFetch, Describe/List/DeleteGroups. */
import { ApiKey } from '../../protocol/api-keys';
import { ErrorCode } from '../../protocol/errors';
import * as deleteGroups from '../../protocol/messages/delete-groups';
import * as describeGroups from '../../protocol/messages/describe-groups';
import * as heartbeat from '../../protocol/messages/heartbeat';
import * as joinGroup from '../../protocol/messages/join-group';
import * as leaveGroup from '../../protocol/messages/leave-group';
import * as listGroups from '../../protocol/messages/list-groups';
import * as offsetCommit from '../../protocol/messages/offset-commit';
import * as offsetFetch from '../../protocol/messages/offset-fetch';
import * as syncGroup from '../../protocol/messages/sync-group';
import type { Broker } from '../broker';
import { route, type Route } from '../router';

function handleOffsetCommit(req: offsetCommit.OffsetCommitRequest, b: Broker): offsetCommit.OffsetCommitResponse {
  const errorCode = b.groups.validateCommit(req.groupId, req.generationId, req.memberId);
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

function handleOffsetFetch(req: offsetFetch.OffsetFetchRequest, b: Broker): offsetFetch.OffsetFetchResponse {
  const entry = (topic: string, partition: number): offsetFetch.OffsetFetchResponse['topics'][number]['partitions'][number] => {
    const c = b.offsets.get(req.groupId, topic, partition);
    return { partitionIndex: partition, committedOffset: c?.offset ?? -1, committedLeaderEpoch: -1, metadata: c?.metadata ?? '', errorCode: ErrorCode.NONE };
  };
  let topics: offsetFetch.OffsetFetchResponse['topics'];
  if (req.topics === null) {
    const byTopic = new Map<string, number[]>();
    for (const o of b.offsets.all(req.groupId)) byTopic.set(o.topic, [...(byTopic.get(o.topic) ?? []), o.partition]);
    topics = [...byTopic].map(([name, parts]) => ({ name, partitions: parts.map((p) => entry(name, p)) }));
  } else {
    topics = req.topics.map((t) => ({ name: t.name, partitions: t.partitionIndexes.map((p) => entry(t.name, p)) }));
  }
  return { throttleTimeMs: 0, topics, errorCode: ErrorCode.NONE };
}

export const groupRoutes: [number, Route<unknown, unknown>][] = [
  [
    ApiKey.JoinGroup,
    route({
      request: joinGroup.request,
      response: joinGroup.response,
      handle: (r, c) => c.broker.groups.joinGroup(r, { clientId: c.clientId, clientHost: c.clientHost }, c.apiVersion),
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
  [ApiKey.OffsetFetch, route({ request: offsetFetch.request, response: offsetFetch.response, handle: (r, c) => handleOffsetFetch(r, c.broker) })],
  [
    ApiKey.DescribeGroups,
    route({
      request: describeGroups.request,
      response: describeGroups.response,
      handle: (r, c) => ({ throttleTimeMs: 0, groups: r.groups.map((g) => c.broker.groups.describe(g)) }),
    }),
  ],
  [
    ApiKey.ListGroups,
    route({
      request: listGroups.request,
      response: listGroups.response,
      handle: (_r, c) => ({ throttleTimeMs: 0, errorCode: ErrorCode.NONE, groups: c.broker.groups.list() }),
    }),
  ],
  [
    ApiKey.DeleteGroups,
    route({
      request: deleteGroups.request,
      response: deleteGroups.response,
      handle: (r, c) => ({
        throttleTimeMs: 0,
        results: r.groupsNames.map((groupId) => ({ groupId, errorCode: c.broker.groups.deleteGroup(groupId) })),
      }),
    }),
  ],
];
