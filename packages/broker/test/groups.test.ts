/** Classic group coordinator: member ids, rebalances, generations, sync, heartbeats, sessions, offsets. */
import { GroupCoordinator } from '../src/coordinator/group-coordinator';
import { OffsetStore } from '../src/coordinator/offset-store';
import { ErrorCode } from '@kstreams/protocol/errors';
import type { JoinGroupRequest, JoinGroupResponse } from '@kstreams/protocol/messages/join-group';
import { removeDir, tempDir, waitFor } from './support';

const client = { clientId: 'c', clientHost: '/127.0.0.1' };

function joinReq(memberId: string, overrides: Partial<JoinGroupRequest> = {}): JoinGroupRequest {
  return {
    groupId: 'g',
    sessionTimeoutMs: 10_000,
    rebalanceTimeoutMs: 10_000,
    memberId,
    groupInstanceId: null,
    protocolType: 'consumer',
    protocols: [{ name: 'range', metadata: Buffer.from(memberId || 'new') }],
    reason: null,
    ...overrides,
  };
}

describe('group coordinator', () => {
  let dir: string;
  let offsets: OffsetStore;
  let gc: GroupCoordinator;
  beforeEach(() => {
    dir = tempDir();
    offsets = new OffsetStore(dir);
    gc = new GroupCoordinator({ offsets, initialRebalanceDelayMs: 0, minSessionTimeoutMs: 10, maxSessionTimeoutMs: 1_800_000 });
  });
  afterEach(() => {
    gc.close();
    offsets.close();
    removeDir(dir);
  });

  /** Joins as a new member through the MEMBER_ID_REQUIRED round trip. */
  async function newMember(overrides: Partial<JoinGroupRequest> = {}): Promise<{ memberId: string; join: Promise<JoinGroupResponse> }> {
    const first = await gc.joinGroup(joinReq('', overrides), client);
    expect(first.errorCode).toBe(ErrorCode.MEMBER_ID_REQUIRED);
    expect(first.memberId).toMatch(/^c-/);
    return { memberId: first.memberId, join: Promise.resolve(gc.joinGroup(joinReq(first.memberId, overrides), client)) };
  }

  it('forms a group: member id required, leader gets the members, sync hands out assignments', async () => {
    const a = await newMember();
    const ja = await a.join;
    expect(ja).toMatchObject({ errorCode: 0, generationId: 1, leader: a.memberId, memberId: a.memberId, protocolName: 'range' });
    expect(ja.members.map((m) => m.memberId)).toEqual([a.memberId]);
    const sync = await gc.syncGroup({ groupId: 'g', generationId: 1, memberId: a.memberId, groupInstanceId: null, protocolType: null, protocolName: null, assignments: [{ memberId: a.memberId, assignment: Buffer.from('all') }] });
    expect(sync.assignment.toString()).toBe('all');
    expect(gc.describe('g')).toMatchObject({ groupState: 'Stable', protocolType: 'consumer', protocolData: 'range' });
  });

  it('rebalances when a second member joins: heartbeat says REBALANCE_IN_PROGRESS, both rejoin at the next generation', async () => {
    const a = await newMember();
    await a.join;
    await gc.syncGroup({ groupId: 'g', generationId: 1, memberId: a.memberId, groupInstanceId: null, protocolType: null, protocolName: null, assignments: [] });
    const b = await newMember();
    // b's join is parked until a rejoins
    expect(gc.heartbeat({ groupId: 'g', generationId: 1, memberId: a.memberId, groupInstanceId: null })).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    expect(gc.describe('g').groupState).toBe('PreparingRebalance');
    const ja = await gc.joinGroup(joinReq(a.memberId), client);
    const jb = await b.join;
    expect(ja.generationId).toBe(2);
    expect(jb.generationId).toBe(2);
    expect(ja.leader).toBe(a.memberId);
    expect(ja.members).toHaveLength(2);
    expect(jb.members).toHaveLength(0);
    // follower's sync waits for the leader's
    const followerSync = Promise.resolve(gc.syncGroup({ groupId: 'g', generationId: 2, memberId: b.memberId, groupInstanceId: null, protocolType: null, protocolName: null, assignments: [] }));
    const leaderSync = await gc.syncGroup({
      groupId: 'g',
      generationId: 2,
      protocolType: null,
      protocolName: null,
      memberId: a.memberId,
      groupInstanceId: null,
      assignments: [
        { memberId: a.memberId, assignment: Buffer.from('A') },
        { memberId: b.memberId, assignment: Buffer.from('B') },
      ],
    });
    expect(leaderSync.assignment.toString()).toBe('A');
    expect((await followerSync).assignment.toString()).toBe('B');
    expect(gc.heartbeat({ groupId: 'g', generationId: 1, memberId: a.memberId, groupInstanceId: null })).toBe(ErrorCode.ILLEGAL_GENERATION);
    expect(gc.heartbeat({ groupId: 'g', generationId: 2, memberId: 'ghost', groupInstanceId: null })).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect(gc.heartbeat({ groupId: 'g', generationId: 2, memberId: b.memberId, groupInstanceId: null })).toBe(ErrorCode.NONE);
  });

  it('keeps membership, generation and assignments across a coordinator restart; absent members expire', async () => {
    const a = await newMember({ sessionTimeoutMs: 5000 });
    await a.join;
    await gc.syncGroup({ groupId: 'g', generationId: 1, memberId: a.memberId, groupInstanceId: null, protocolType: null, protocolName: null, assignments: [] });
    const b = await newMember({ sessionTimeoutMs: 80 });
    const ja = await gc.joinGroup(joinReq(a.memberId, { sessionTimeoutMs: 5000 }), client);
    await b.join;
    const bSync = Promise.resolve(gc.syncGroup({ groupId: 'g', generationId: 2, memberId: b.memberId, groupInstanceId: null, protocolType: null, protocolName: null, assignments: [] }));
    await gc.syncGroup({
      groupId: 'g',
      generationId: 2,
      memberId: a.memberId,
      groupInstanceId: null,
      protocolType: null,
      protocolName: null,
      assignments: [
        { memberId: a.memberId, assignment: Buffer.from('A') },
        { memberId: b.memberId, assignment: Buffer.from('B') },
      ],
    });
    expect(ja.generationId).toBe(2);
    expect((await bSync).assignment.toString()).toBe('B');
    // "restart": a new store and coordinator over the same directory
    gc.close();
    offsets.close();
    offsets = new OffsetStore(dir);
    gc = new GroupCoordinator({ offsets, initialRebalanceDelayMs: 0, minSessionTimeoutMs: 10, maxSessionTimeoutMs: 1_800_000 });
    expect(gc.describe('g')).toMatchObject({ groupState: 'Stable', protocolType: 'consumer', protocolData: 'range' });
    expect(gc.describe('g').members.map((m) => [m.memberId, m.memberAssignment.toString()])).toEqual([
      [a.memberId, 'A'],
      [b.memberId, 'B'],
    ]);
    // a comes back at its generation and is accepted; b never does and expires, which starts a rebalance
    expect(gc.heartbeat({ groupId: 'g', generationId: 2, memberId: a.memberId, groupInstanceId: null })).toBe(ErrorCode.NONE);
    expect(gc.validateCommit('g', 2, a.memberId)).toBe(ErrorCode.NONE);
    await waitFor(() => gc.describe('g').groupState === 'PreparingRebalance', 5000, 'b to expire');
    expect(gc.heartbeat({ groupId: 'g', generationId: 2, memberId: a.memberId, groupInstanceId: null })).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    const again = await gc.joinGroup(joinReq(a.memberId, { sessionTimeoutMs: 5000 }), client);
    expect(again).toMatchObject({ errorCode: 0, generationId: 3, leader: a.memberId });
  });

  it('removes a member whose session expires and rebalances the rest', async () => {
    const a = await newMember({ sessionTimeoutMs: 60 });
    await a.join;
    await gc.syncGroup({ groupId: 'g', generationId: 1, memberId: a.memberId, groupInstanceId: null, protocolType: null, protocolName: null, assignments: [] });
    const b = await newMember({ sessionTimeoutMs: 5000 });
    // a never heartbeats again: its session ends, b's parked join completes alone
    const jb = await b.join;
    expect(jb.errorCode).toBe(0);
    expect(jb.generationId).toBe(2);
    expect(jb.leader).toBe(b.memberId);
    expect(jb.members.map((m) => m.memberId)).toEqual([b.memberId]);
  });

  it('leaves and empties the group; DeleteGroups then works, not before', async () => {
    const a = await newMember();
    await a.join;
    expect(gc.deleteGroup('g')).toBe(ErrorCode.NON_EMPTY_GROUP);
    const left = gc.leaveGroup({ groupId: 'g', memberId: '', members: [{ memberId: a.memberId, groupInstanceId: null, reason: null }, { memberId: 'x', groupInstanceId: null, reason: null }] });
    expect(left.members!.map((m) => m.errorCode)).toEqual([ErrorCode.NONE, ErrorCode.UNKNOWN_MEMBER_ID]);
    expect(gc.describe('g').groupState).toBe('Empty');
    expect(gc.deleteGroup('g')).toBe(ErrorCode.NONE);
    expect(gc.deleteGroup('g')).toBe(ErrorCode.GROUP_ID_NOT_FOUND);
  });

  it('checks offset commits against member and generation; simple commits need an empty group', async () => {
    expect(gc.validateCommit('solo', -1, '')).toBe(ErrorCode.NONE);
    expect(gc.validateCommit('nobody', 3, 'm')).toBe(ErrorCode.ILLEGAL_GENERATION);
    const a = await newMember();
    await a.join;
    expect(gc.validateCommit('g', 1, a.memberId)).toBe(ErrorCode.REBALANCE_IN_PROGRESS); // CompletingRebalance
    await gc.syncGroup({ groupId: 'g', generationId: 1, memberId: a.memberId, groupInstanceId: null, protocolType: null, protocolName: null, assignments: [] });
    expect(gc.validateCommit('g', 1, a.memberId)).toBe(ErrorCode.NONE);
    expect(gc.validateCommit('g', 0, a.memberId)).toBe(ErrorCode.ILLEGAL_GENERATION);
    expect(gc.validateCommit('g', 1, 'other')).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect(gc.validateCommit('g', -1, '')).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
  });

  it('refuses bad session timeouts, unknown members and incompatible protocols', async () => {
    expect((await gc.joinGroup(joinReq('', { sessionTimeoutMs: 1 }), client)).errorCode).toBe(ErrorCode.INVALID_SESSION_TIMEOUT);
    expect((await gc.joinGroup(joinReq('who'), client)).errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    const a = await newMember();
    await a.join;
    const other = await gc.joinGroup(joinReq('', { protocolType: 'connect' }), client);
    expect(other.errorCode).toBe(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
  });

  it('waits group.initial.rebalance.delay.ms before forming a new group', async () => {
    const delayed = new GroupCoordinator({ offsets, initialRebalanceDelayMs: 500, minSessionTimeoutMs: 10, maxSessionTimeoutMs: 1_800_000 });
    const first = await delayed.joinGroup(joinReq(''), client);
    const join = Promise.resolve(delayed.joinGroup(joinReq(first.memberId), client));
    // without the delay the lone first member would already have formed generation 1
    expect(delayed.describe('g').groupState).toBe('PreparingRebalance');
    const second = await delayed.joinGroup(joinReq(''), client);
    const join2 = Promise.resolve(delayed.joinGroup(joinReq(second.memberId), client));
    const [r1, r2] = await Promise.all([join, join2]);
    expect(r1.generationId).toBe(1);
    expect(r2.generationId).toBe(1);
    expect([r1.members.length, r2.members.length].sort()).toEqual([0, 2]);
    delayed.close();
  });
});

describe('offset store', () => {
  it('persists commits and deletions across reopen', () => {
    const dir = tempDir();
    try {
      let store = new OffsetStore(dir);
      store.commit('g', [{ topic: 't', partition: 0, offset: 5, metadata: 'm' }]);
      store.commit('g', [{ topic: 't', partition: 0, offset: 7, metadata: null }, { topic: 'u', partition: 1, offset: 1, metadata: '' }]);
      store.commit('h', [{ topic: 't', partition: 0, offset: 1, metadata: '' }]);
      store.deleteGroup('h');
      store.deleteTopic('u');
      store.close();
      store = new OffsetStore(dir);
      expect(store.get('g', 't', 0)?.offset).toBe(7);
      expect(store.get('g', 'u', 1)).toBeUndefined();
      expect(store.hasGroup('h')).toBe(false);
      expect(store.groupIds()).toEqual(['g']);
      store.close();
    } finally {
      removeDir(dir);
    }
  });
});
