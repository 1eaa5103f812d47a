/** KIP-848 consumer groups: server-side assignment, revoke-before-assign reconciliation, epochs, leave. */
import { ConsumerGroupCoordinator } from '../src/coordinator/consumer-group-coordinator';
import { ErrorCode } from '@kstreams/protocol/errors';
import type { ConsumerGroupHeartbeatRequest, ConsumerGroupHeartbeatResponse } from '@kstreams/protocol/messages/consumer-group-heartbeat';

const ids: Record<string, string> = { t: 'aa'.repeat(16), u: 'bb'.repeat(16) };
const counts: Record<string, number> = { t: 4, u: 2 };
const client = { clientId: 'c', clientHost: '/127.0.0.1' };

function hb(overrides: Partial<ConsumerGroupHeartbeatRequest>): ConsumerGroupHeartbeatRequest {
  return {
    groupId: 'g',
    memberId: '',
    memberEpoch: 0,
    instanceId: null,
    rackId: null,
    rebalanceTimeoutMs: 30000,
    subscribedTopicNames: null,
    subscribedTopicRegex: null,
    serverAssignor: null,
    topicPartitions: null,
    ...overrides,
  };
}

function owned(r: ConsumerGroupHeartbeatResponse): string[] {
  const name = (id: string): string => Object.keys(ids).find((k) => ids[k] === id)!;
  return (r.assignment?.topicPartitions ?? []).flatMap((tp) => tp.partitions.map((p) => `${name(tp.topicId)}-${p}`)).sort();
}

describe('consumer group coordinator (KIP-848)', () => {
  let cg: ConsumerGroupCoordinator;
  beforeEach(() => {
    cg = new ConsumerGroupCoordinator({
      partitions: (t) => counts[t] ?? 0,
      topicId: (t) => ids[t] ?? null,
      topicName: (id) => Object.keys(ids).find((k) => ids[k] === id) ?? null,
    });
  });
  afterEach(() => cg.close());

  it('assigns everything to one member, then moves half to a second only after the first revokes it', () => {
    const a1 = cg.heartbeat(hb({ memberId: 'a', subscribedTopicNames: ['t'] }), client);
    expect(a1).toMatchObject({ errorCode: 0, memberId: 'a', memberEpoch: 1, heartbeatIntervalMs: 5000 });
    expect(owned(a1)).toEqual(['t-0', 't-1', 't-2', 't-3']);
    const b1 = cg.heartbeat(hb({ memberId: 'b', subscribedTopicNames: ['t'] }), client);
    // b's partitions are still a's: b is at the new epoch with nothing yet
    expect(b1.memberEpoch).toBe(2);
    expect(owned(b1)).toEqual([]);
    // a is told to give two up and stays at epoch 1 until it confirms
    const a2 = cg.heartbeat(hb({ memberId: 'a', memberEpoch: 1 }), client);
    expect(a2.memberEpoch).toBe(1);
    expect(owned(a2)).toHaveLength(2);
    const kept = owned(a2);
    const a3 = cg.heartbeat(hb({ memberId: 'a', memberEpoch: 1, topicPartitions: [{ topicId: ids['t']!, partitions: kept.map((x) => Number(x.split('-')[1])) }] }), client);
    expect(a3.memberEpoch).toBe(2);
    const b2 = cg.heartbeat(hb({ memberId: 'b', memberEpoch: 2 }), client);
    expect([...owned(b2), ...kept].sort()).toEqual(['t-0', 't-1', 't-2', 't-3']);
    expect(owned(b2)).toHaveLength(2);
    expect(cg.list()).toEqual([{ groupId: 'g', protocolType: 'consumer', groupState: 'Stable', groupType: 'consumer' }]);
    expect(cg.validateCommit('g', 2, 'b')).toBe(ErrorCode.NONE);
    expect(cg.validateCommit('g', 1, 'b')).toBe(113);
  });

  it('range assignor per topic; fences a wrong epoch; a leaving member frees its partitions', () => {
    cg.heartbeat(hb({ memberId: 'a', subscribedTopicNames: ['t', 'u'], serverAssignor: 'range' }), client);
    expect(cg.heartbeat(hb({ memberId: 'a', memberEpoch: 7 }), client).errorCode).toBe(ErrorCode.FENCED_MEMBER_EPOCH);
    expect(cg.heartbeat(hb({ memberId: 'x', memberEpoch: 3 }), client).errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect(cg.heartbeat(hb({ memberId: 'z', subscribedTopicNames: ['t'], serverAssignor: 'sticky' }), client).errorCode).toBe(ErrorCode.UNSUPPORTED_ASSIGNOR);
    expect(cg.heartbeat(hb({ memberId: 'a', memberEpoch: -1 }), client)).toMatchObject({ errorCode: 0, memberEpoch: -1 });
    const b = cg.heartbeat(hb({ memberId: 'b', subscribedTopicNames: ['t', 'u'], serverAssignor: 'range' }), client);
    expect(owned(b)).toEqual(['t-0', 't-1', 't-2', 't-3', 'u-0', 'u-1']);
  });
});
