/**
 * Classic consumer-group coordinator (the protocol kafkajs speaks): members join with MEMBER_ID_REQUIRED,
 * JoinGroup responses are parked until every member has rejoined or the rebalance timeout passes, the
 * leader's SyncGroup assignment is handed to every member, heartbeats keep sessions alive and report
 * rebalances, and offset commits are checked against member and generation. State machine and error
 * choices follow Kafka's GroupCoordinator/GroupMetadata. Group metadata (generation, leader, members,
 * assignments) is stored with the offsets whenever a group becomes Stable or Empty, as Kafka stores it in
 * __consumer_offsets; after a restart the group is loaded as it was, members keep their ids and
 * generation (their heartbeats succeed), and members that do not come back expire by session timeout.
 */
import { randomUUID } from 'node:crypto';
import { ErrorCode, type ErrorCodeValue } from '@kstreams/protocol/errors';
import type { JoinGroupRequest, JoinGroupResponse } from '@kstreams/protocol/messages/join-group';
import type { SyncGroupRequest, SyncGroupResponse } from '@kstreams/protocol/messages/sync-group';
import type { HeartbeatRequest } from '@kstreams/protocol/messages/heartbeat';
import type { LeaveGroupRequest, LeaveGroupResponse } from '@kstreams/protocol/messages/leave-group';
import type { DescribeGroupsResponse } from '@kstreams/protocol/messages/describe-groups';
import type { GroupSnapshot, OffsetStore } from './offset-store';

export type GroupState = 'Empty' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable' | 'Dead';

interface Member {
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  protocols: { name: string; metadata: Buffer }[];
  assignment: Buffer;
  awaitingJoin: ((r: JoinGroupResponse) => void) | null;
  awaitingSync: ((r: SyncGroupResponse) => void) | null;
  sessionTimer: NodeJS.Timeout | null;
}

class Group {
  state: GroupState = 'Empty';
  generationId = 0;
  protocolType: string | null = null;
  protocolName: string | null = null;
  leaderId: string | null = null;
  readonly members = new Map<string, Member>();
  readonly pendingMembers = new Map<string, NodeJS.Timeout>();
  joinTimer: NodeJS.Timeout | null = null;
  syncTimer: NodeJS.Timeout | null = null;
  initialDelayUntil = 0;

  constructor(readonly groupId: string) {}
}

export interface GroupCoordinatorOptions {
  offsets: OffsetStore;
  initialRebalanceDelayMs: number;
  minSessionTimeoutMs: number;
  maxSessionTimeoutMs: number;
}

export interface ClientInfo {
  clientId: string;
  clientHost: string;
}

const EMPTY = Buffer.alloc(0);
/** Kafka's "not requested" value for authorized-operations fields. */
const NO_AUTHORIZED_OPERATIONS = -2147483648;
/** setTimeout's largest delay; larger values would fire at once. */
const MAX_TIMER_MS = 0x7fffffff;

function timerMs(ms: number): number {
  return Math.max(0, Math.min(ms, MAX_TIMER_MS));
}

export class GroupCoordinator {
  private readonly groups = new Map<string, Group>();

  constructor(private readonly opts: GroupCoordinatorOptions) {
    for (const [groupId, snap] of opts.offsets.groupMetadata()) {
      const group = new Group(groupId);
      group.protocolType = snap.protocolType;
      group.protocolName = snap.protocolName;
      group.generationId = snap.generationId;
      group.leaderId = snap.leaderId;
      for (const m of snap.members) {
        const member: Member = {
          memberId: m.memberId,
          groupInstanceId: m.groupInstanceId,
          clientId: m.clientId,
          clientHost: m.clientHost,
          sessionTimeoutMs: m.sessionTimeoutMs,
          rebalanceTimeoutMs: m.rebalanceTimeoutMs,
          protocols: m.protocols.map(([name, meta]) => ({ name, metadata: Buffer.from(meta, 'base64') })),
          assignment: Buffer.from(m.assignment, 'base64'),
          awaitingJoin: null,
          awaitingSync: null,
          sessionTimer: null,
        };
        group.members.set(m.memberId, member);
        this.resetSession(group, member);
      }
      group.state = group.members.size > 0 ? 'Stable' : 'Empty';
      this.groups.set(groupId, group);
    }
  }

  /**
   * Stores the group's metadata when it becomes Stable or Empty. An Empty group stays (with its generation)
   * until deleted; Kafka too removes it only in its periodic offsets-expiration pass.
   */
  private persist(group: Group): void {
    const snap: GroupSnapshot = {
      protocolType: group.protocolType,
      protocolName: group.protocolName,
      generationId: group.generationId,
      leaderId: group.leaderId,
      members: [...group.members.values()].map((m) => ({
        memberId: m.memberId,
        groupInstanceId: m.groupInstanceId,
        clientId: m.clientId,
        clientHost: m.clientHost,
        sessionTimeoutMs: m.sessionTimeoutMs,
        rebalanceTimeoutMs: m.rebalanceTimeoutMs,
        protocols: m.protocols.map((p) => [p.name, p.metadata.toString('base64')] as [string, string]),
        assignment: m.assignment.toString('base64'),
      })),
    };
    this.opts.offsets.saveGroup(group.groupId, snap);
  }

  // ---------------------------------------------------------------- JoinGroup

  /**
   * JoinGroup. From v4 a new member first gets MEMBER_ID_REQUIRED with its id (KIP-394); older
   * versions join at once with a generated id. v0 has no rebalance timeout: the session timeout serves.
   */
  joinGroup(joinReq: JoinGroupRequest, client: ClientInfo, apiVersion = 5): Promise<JoinGroupResponse> | JoinGroupResponse {
    const req = joinReq.rebalanceTimeoutMs < 0 ? { ...joinReq, rebalanceTimeoutMs: joinReq.sessionTimeoutMs } : joinReq;
    const fail = (errorCode: ErrorCodeValue, memberId = req.memberId): JoinGroupResponse => ({
      throttleTimeMs: 0,
      errorCode,
      generationId: -1,
      protocolName: '',
      leader: '',
      memberId,
      members: [],
    });
    if (req.groupId === '') return fail(ErrorCode.INVALID_GROUP_ID);
    if (req.sessionTimeoutMs < this.opts.minSessionTimeoutMs || req.sessionTimeoutMs > this.opts.maxSessionTimeoutMs) {
      return fail(ErrorCode.INVALID_SESSION_TIMEOUT);
    }
    let group = this.groups.get(req.groupId);
    if (!group) {
      if (req.memberId !== '') return fail(ErrorCode.UNKNOWN_MEMBER_ID);
      group = new Group(req.groupId);
      this.groups.set(req.groupId, group);
    }
    if (!this.protocolsCompatible(group, req)) return fail(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);

    if (req.memberId === '' && apiVersion < 4) {
      return this.joinGroup({ ...req, memberId: this.addPending(group, `${client.clientId}-${randomUUID()}`, req.sessionTimeoutMs) }, client, apiVersion);
    }
    if (req.memberId === '') {
      // KIP-394: hand out a member id first; the client rejoins with it
      const memberId = this.addPending(group, `${client.clientId}-${randomUUID()}`, req.sessionTimeoutMs);
      return fail(ErrorCode.MEMBER_ID_REQUIRED, memberId);
    }

    const pending = group.pendingMembers.get(req.memberId);
    if (pending) {
      clearTimeout(pending);
      group.pendingMembers.delete(req.memberId);
      const member: Member = {
        memberId: req.memberId,
        groupInstanceId: req.groupInstanceId,
        clientId: client.clientId,
        clientHost: client.clientHost,
        sessionTimeoutMs: req.sessionTimeoutMs,
        rebalanceTimeoutMs: req.rebalanceTimeoutMs,
        protocols: req.protocols,
        assignment: EMPTY,
        awaitingJoin: null,
        awaitingSync: null,
        sessionTimer: null,
      };
      if (group.members.size === 0) group.protocolType = req.protocolType;
      group.members.set(member.memberId, member);
      if (group.leaderId === null) group.leaderId = member.memberId;
      return this.parkJoin(group, member, true);
    }

    const member = group.members.get(req.memberId);
    if (!member) return fail(ErrorCode.UNKNOWN_MEMBER_ID);
    const changed = !sameProtocols(member.protocols, req.protocols);
    member.protocols = req.protocols;
    member.sessionTimeoutMs = req.sessionTimeoutMs;
    member.rebalanceTimeoutMs = req.rebalanceTimeoutMs;
    switch (group.state) {
      case 'PreparingRebalance':
        return this.parkJoin(group, member, false);
      case 'CompletingRebalance':
      case 'Stable':
        if (changed || (group.state === 'Stable' && member.memberId === group.leaderId)) return this.parkJoin(group, member, true);
        this.resetSession(group, member);
        return {
          throttleTimeMs: 0,
          errorCode: ErrorCode.NONE,
          generationId: group.generationId,
          protocolType: group.protocolType,
          protocolName: group.protocolName ?? '',
          leader: group.leaderId ?? '',
          memberId: member.memberId,
          members: member.memberId === group.leaderId ? this.memberList(group) : [],
        };
      default:
        return fail(ErrorCode.UNKNOWN_MEMBER_ID);
    }
  }

  /** Registers a member id handed out but not yet joined; it expires with the session timeout. */
  private addPending(group: Group, memberId: string, sessionTimeoutMs: number): string {
    const timer = setTimeout(() => {
      group.pendingMembers.delete(memberId);
      this.tryCompleteJoin(group);
    }, timerMs(sessionTimeoutMs));
    timer.unref();
    group.pendingMembers.set(memberId, timer);
    return memberId;
  }

  private protocolsCompatible(group: Group, req: JoinGroupRequest): boolean {
    if (req.protocolType === '' || req.protocols.length === 0) return false;
    if (group.members.size === 0) return true;
    if (group.protocolType !== req.protocolType) return false;
    const names = new Set(req.protocols.map((p) => p.name));
    return this.candidateProtocols(group).some((p) => names.has(p));
  }

  private candidateProtocols(group: Group): string[] {
    let common: string[] | null = null;
    for (const m of group.members.values()) {
      const names = m.protocols.map((p) => p.name);
      common = common === null ? names : common.filter((n) => names.includes(n));
    }
    return common ?? [];
  }

  private parkJoin(group: Group, member: Member, rebalance: boolean): Promise<JoinGroupResponse> {
    return new Promise((resolve) => {
      if (member.awaitingJoin) member.awaitingJoin(this.joinError(group, member, ErrorCode.REBALANCE_IN_PROGRESS));
      member.awaitingJoin = resolve;
      if (rebalance && group.state !== 'PreparingRebalance') this.prepareRebalance(group);
      else this.tryCompleteJoin(group);
    });
  }

  private joinError(_group: Group, member: Member, errorCode: ErrorCodeValue): JoinGroupResponse {
    return { throttleTimeMs: 0, errorCode, generationId: -1, protocolName: '', leader: '', memberId: member.memberId, members: [] };
  }

  private memberList(group: Group): JoinGroupResponse['members'] {
    return [...group.members.values()].map((m) => ({
      memberId: m.memberId,
      groupInstanceId: m.groupInstanceId,
      metadata: m.protocols.find((p) => p.name === group.protocolName)?.metadata ?? EMPTY,
    }));
  }

  private prepareRebalance(group: Group): void {
    if (group.state === 'CompletingRebalance') {
      for (const m of group.members.values()) {
        if (m.awaitingSync) {
          m.awaitingSync({ throttleTimeMs: 0, errorCode: ErrorCode.REBALANCE_IN_PROGRESS, assignment: EMPTY });
          m.awaitingSync = null;
        }
      }
    }
    if (group.syncTimer) clearTimeout(group.syncTimer);
    group.syncTimer = null;
    const wasEmpty = group.state === 'Empty';
    group.state = 'PreparingRebalance';
    let rebalanceTimeout = 0;
    for (const m of group.members.values()) rebalanceTimeout = Math.max(rebalanceTimeout, m.rebalanceTimeoutMs);
    if (group.joinTimer) clearTimeout(group.joinTimer);
    if (wasEmpty && this.opts.initialRebalanceDelayMs > 0) {
      group.initialDelayUntil = Date.now() + this.opts.initialRebalanceDelayMs;
      group.joinTimer = setTimeout(() => this.onInitialDelay(group, rebalanceTimeout), timerMs(this.opts.initialRebalanceDelayMs));
    } else {
      group.initialDelayUntil = 0;
      group.joinTimer = setTimeout(() => this.completeJoin(group), timerMs(rebalanceTimeout));
    }
    group.joinTimer.unref();
    this.tryCompleteJoin(group);
  }

  private onInitialDelay(group: Group, rebalanceTimeout: number): void {
    group.joinTimer = null;
    if (group.state !== 'PreparingRebalance') return;
    if (this.allJoined(group)) {
      this.completeJoin(group);
    } else {
      group.joinTimer = setTimeout(() => this.completeJoin(group), timerMs(rebalanceTimeout));
      group.joinTimer.unref();
    }
  }

  private allJoined(group: Group): boolean {
    if (group.pendingMembers.size > 0) return false;
    for (const m of group.members.values()) if (!m.awaitingJoin) return false;
    return true;
  }

  private tryCompleteJoin(group: Group): void {
    if (group.state !== 'PreparingRebalance') return;
    if (Date.now() < group.initialDelayUntil) return;
    if (this.allJoined(group)) this.completeJoin(group);
  }

  private completeJoin(group: Group): void {
    if (group.state !== 'PreparingRebalance') return;
    if (group.joinTimer) clearTimeout(group.joinTimer);
    group.joinTimer = null;
    for (const m of [...group.members.values()]) if (!m.awaitingJoin) this.removeMember(group, m);
    group.generationId++;
    if (group.members.size === 0) {
      group.state = 'Empty';
      group.protocolName = null;
      group.leaderId = null;
      this.persist(group);
      return;
    }
    group.state = 'CompletingRebalance';
    group.protocolName = this.selectProtocol(group);
    if (group.leaderId === null || !group.members.has(group.leaderId)) group.leaderId = group.members.keys().next().value!;
    const all = this.memberList(group);
    let rebalanceTimeout = 0;
    for (const m of group.members.values()) {
      rebalanceTimeout = Math.max(rebalanceTimeout, m.rebalanceTimeoutMs);
      const resolve = m.awaitingJoin!;
      m.awaitingJoin = null;
      this.resetSession(group, m);
      resolve({
        throttleTimeMs: 0,
        errorCode: ErrorCode.NONE,
        generationId: group.generationId,
        protocolType: group.protocolType,
        protocolName: group.protocolName,
        leader: group.leaderId,
        memberId: m.memberId,
        members: m.memberId === group.leaderId ? all : [],
      });
    }
    const generation = group.generationId;
    group.syncTimer = setTimeout(() => this.onSyncTimeout(group, generation), timerMs(rebalanceTimeout));
    group.syncTimer.unref();
  }

  private selectProtocol(group: Group): string {
    const candidates = this.candidateProtocols(group);
    const votes = new Map<string, number>();
    for (const m of group.members.values()) {
      const vote = m.protocols.find((p) => candidates.includes(p.name))?.name;
      if (vote) votes.set(vote, (votes.get(vote) ?? 0) + 1);
    }
    let best = candidates[0] ?? '';
    for (const c of candidates) if ((votes.get(c) ?? 0) > (votes.get(best) ?? 0)) best = c;
    return best;
  }

  private onSyncTimeout(group: Group, generation: number): void {
    group.syncTimer = null;
    if (group.state !== 'CompletingRebalance' || group.generationId !== generation) return;
    for (const m of [...group.members.values()]) if (!m.awaitingSync) this.removeMember(group, m);
    this.afterMembershipChange(group);
  }

  // ---------------------------------------------------------------- SyncGroup

  syncGroup(req: SyncGroupRequest): Promise<SyncGroupResponse> | SyncGroupResponse {
    const fail = (errorCode: ErrorCodeValue): SyncGroupResponse => ({ throttleTimeMs: 0, errorCode, assignment: EMPTY });
    const group = this.groups.get(req.groupId);
    if (!group) return fail(ErrorCode.UNKNOWN_MEMBER_ID);
    const member = group.members.get(req.memberId);
    if (!member) return fail(ErrorCode.UNKNOWN_MEMBER_ID);
    if (req.generationId !== group.generationId) return fail(ErrorCode.ILLEGAL_GENERATION);
    switch (group.state) {
      case 'PreparingRebalance':
        return fail(ErrorCode.REBALANCE_IN_PROGRESS);
      case 'Stable':
        this.resetSession(group, member);
        return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, protocolType: group.protocolType, protocolName: group.protocolName, assignment: member.assignment };
      case 'CompletingRebalance':
        this.resetSession(group, member);
        return new Promise((resolve) => {
          if (member.awaitingSync) member.awaitingSync(fail(ErrorCode.REBALANCE_IN_PROGRESS));
          member.awaitingSync = resolve;
          if (member.memberId !== group.leaderId) return;
          const given = new Map(req.assignments.map((a) => [a.memberId, a.assignment]));
          for (const m of group.members.values()) m.assignment = given.get(m.memberId) ?? EMPTY;
          group.state = 'Stable';
          if (group.syncTimer) clearTimeout(group.syncTimer);
          group.syncTimer = null;
          this.persist(group);
          for (const m of group.members.values()) {
            if (m.awaitingSync) {
              const r = m.awaitingSync;
              m.awaitingSync = null;
              r({ throttleTimeMs: 0, errorCode: ErrorCode.NONE, protocolType: group.protocolType, protocolName: group.protocolName, assignment: m.assignment });
            }
          }
        });
      default:
        return fail(ErrorCode.UNKNOWN_MEMBER_ID);
    }
  }

  // ---------------------------------------------------------------- Heartbeat / LeaveGroup

  heartbeat(req: HeartbeatRequest): ErrorCodeValue {
    const group = this.groups.get(req.groupId);
    if (!group) return ErrorCode.UNKNOWN_MEMBER_ID;
    const member = group.members.get(req.memberId);
    if (!member) return ErrorCode.UNKNOWN_MEMBER_ID;
    if (req.generationId !== group.generationId) return ErrorCode.ILLEGAL_GENERATION;
    this.resetSession(group, member);
    if (group.state === 'PreparingRebalance') return ErrorCode.REBALANCE_IN_PROGRESS;
    return ErrorCode.NONE;
  }

  leaveGroup(req: LeaveGroupRequest): LeaveGroupResponse {
    const group = this.groups.get(req.groupId);
    const members: LeaveGroupResponse['members'] = [];
    // v0-v2 name one member, v3 a list
    const leaving = req.members.length > 0 ? req.members : [{ memberId: req.memberId, groupInstanceId: null }];
    for (const m of leaving) {
      let errorCode: ErrorCodeValue = ErrorCode.UNKNOWN_MEMBER_ID;
      if (group) {
        const pending = group.pendingMembers.get(m.memberId);
        const member = group.members.get(m.memberId);
        if (pending) {
          clearTimeout(pending);
          group.pendingMembers.delete(m.memberId);
          errorCode = ErrorCode.NONE;
        } else if (member) {
          this.removeMember(group, member);
          errorCode = ErrorCode.NONE;
        }
      }
      members.push({ memberId: m.memberId, groupInstanceId: m.groupInstanceId, errorCode });
    }
    if (group) this.afterMembershipChange(group);
    // v0-v2 carry no per-member results: the single member's error is the response's error
    const errorCode = req.members.length > 0 ? ErrorCode.NONE : (members[0]?.errorCode ?? ErrorCode.NONE);
    return { throttleTimeMs: 0, errorCode, members };
  }

  private removeMember(group: Group, m: Member): void {
    if (m.sessionTimer) clearTimeout(m.sessionTimer);
    m.sessionTimer = null;
    if (m.awaitingJoin) m.awaitingJoin(this.joinError(group, m, ErrorCode.UNKNOWN_MEMBER_ID));
    if (m.awaitingSync) m.awaitingSync({ throttleTimeMs: 0, errorCode: ErrorCode.UNKNOWN_MEMBER_ID, assignment: EMPTY });
    m.awaitingJoin = null;
    m.awaitingSync = null;
    group.members.delete(m.memberId);
    if (group.leaderId === m.memberId) group.leaderId = null;
  }

  private afterMembershipChange(group: Group): void {
    if (group.state === 'Stable' || group.state === 'CompletingRebalance') this.prepareRebalance(group);
    else if (group.state === 'PreparingRebalance') this.tryCompleteJoin(group);
    if (group.members.size === 0 && group.state !== 'PreparingRebalance') {
      group.state = 'Empty';
      this.persist(group);
    }
  }

  private resetSession(group: Group, m: Member): void {
    if (m.sessionTimer) {
      m.sessionTimer.refresh();
      return;
    }
    m.sessionTimer = setTimeout(() => this.onSessionExpired(group, m), timerMs(m.sessionTimeoutMs));
    m.sessionTimer.unref();
  }

  private onSessionExpired(group: Group, m: Member): void {
    if (group.members.get(m.memberId) !== m) return;
    if (m.awaitingJoin || m.awaitingSync) {
      // a parked member is alive by definition; its request's own timeout governs it
      m.sessionTimer?.refresh();
      return;
    }
    this.removeMember(group, m);
    this.afterMembershipChange(group);
  }

  // ---------------------------------------------------------------- offsets

  /** Validates an OffsetCommit's member and generation; returns the error for every partition. */
  validateCommit(groupId: string, generationId: number, memberId: string): ErrorCodeValue {
    if (groupId === '') return ErrorCode.INVALID_GROUP_ID;
    let group = this.groups.get(groupId);
    if (!group) {
      if (generationId >= 0) return ErrorCode.ILLEGAL_GENERATION;
      group = new Group(groupId);
      this.groups.set(groupId, group);
    }
    if (generationId < 0 && group.state === 'Empty') return ErrorCode.NONE;
    const member = group.members.get(memberId);
    if (!member) return ErrorCode.UNKNOWN_MEMBER_ID;
    if (generationId !== group.generationId) return ErrorCode.ILLEGAL_GENERATION;
    if (group.state === 'CompletingRebalance') return ErrorCode.REBALANCE_IN_PROGRESS;
    this.resetSession(group, member);
    return ErrorCode.NONE;
  }

  /**
   * TxnOffsetCommit v3+'s member check (KIP-447): a member this coordinator knows must be in the current
   * generation; an unknown group or member is left to the transaction (Kafka checks the same way).
   */
  validateTxnMember(groupId: string, generationId: number, memberId: string): ErrorCodeValue {
    const group = this.groups.get(groupId);
    if (!group || group.state === 'Empty') return ErrorCode.NONE;
    if (!group.members.has(memberId)) return ErrorCode.UNKNOWN_MEMBER_ID;
    if (generationId !== group.generationId) return ErrorCode.ILLEGAL_GENERATION;
    return ErrorCode.NONE;
  }

  // ---------------------------------------------------------------- admin

  /** Whether the group exists (members or committed offsets), and the topics its live consumer members subscribe to. */
  subscriptions(groupId: string): { exists: boolean; topics: Set<string> } {
    const group = this.groups.get(groupId);
    const topics = new Set<string>();
    if (group && group.protocolType === 'consumer') {
      for (const m of group.members.values()) {
        const meta = m.protocols.find((p) => p.name === group.protocolName)?.metadata ?? m.protocols[0]?.metadata;
        if (meta) for (const t of subscribedTopics(meta)) topics.add(t);
      }
    }
    return { exists: (group !== undefined && group.state !== 'Dead') || this.opts.offsets.hasGroup(groupId), topics };
  }

  describe(groupId: string): DescribeGroupsResponse['groups'][number] {
    const group = this.groups.get(groupId);
    if (!group) {
      const known = this.opts.offsets.hasGroup(groupId);
      return {
        errorCode: ErrorCode.NONE,
        groupId,
        groupState: known ? 'Empty' : 'Dead',
        protocolType: '',
        protocolData: '',
        members: [],
        authorizedOperations: NO_AUTHORIZED_OPERATIONS,
      };
    }
    const stable = group.state === 'Stable';
    return {
      errorCode: ErrorCode.NONE,
      groupId,
      groupState: group.state,
      protocolType: group.protocolType ?? '',
      protocolData: stable ? (group.protocolName ?? '') : '',
      members: [...group.members.values()].map((m) => ({
        memberId: m.memberId,
        groupInstanceId: m.groupInstanceId,
        clientId: m.clientId,
        clientHost: m.clientHost,
        memberMetadata: stable ? (m.protocols.find((p) => p.name === group.protocolName)?.metadata ?? EMPTY) : EMPTY,
        memberAssignment: stable ? m.assignment : EMPTY,
      })),
      authorizedOperations: NO_AUTHORIZED_OPERATIONS,
    };
  }

  /** Every group: groups known only by their committed offsets are Empty classic groups. */
  list(): { groupId: string; protocolType: string; groupState: string; groupType: string }[] {
    const out = new Map<string, { groupId: string; protocolType: string; groupState: string; groupType: string }>();
    for (const g of this.opts.offsets.groupIds()) out.set(g, { groupId: g, protocolType: '', groupState: 'Empty', groupType: 'classic' });
    for (const g of this.groups.values()) {
      if (g.state !== 'Dead') out.set(g.groupId, { groupId: g.groupId, protocolType: g.protocolType ?? '', groupState: g.state, groupType: 'classic' });
    }
    return [...out.values()];
  }

  deleteGroup(groupId: string): ErrorCodeValue {
    if (groupId === '') return ErrorCode.INVALID_GROUP_ID;
    const group = this.groups.get(groupId);
    if (!group && !this.opts.offsets.hasGroup(groupId)) return ErrorCode.GROUP_ID_NOT_FOUND;
    if (group && (group.members.size > 0 || group.state !== 'Empty')) return ErrorCode.NON_EMPTY_GROUP;
    this.groups.delete(groupId);
    this.opts.offsets.deleteGroup(groupId);
    return ErrorCode.NONE;
  }

  close(): void {
    for (const g of this.groups.values()) {
      if (g.joinTimer) clearTimeout(g.joinTimer);
      if (g.syncTimer) clearTimeout(g.syncTimer);
      for (const t of g.pendingMembers.values()) clearTimeout(t);
      for (const m of g.members.values()) if (m.sessionTimer) clearTimeout(m.sessionTimer);
    }
    this.groups.clear();
  }
}

/** The topics of a consumer-protocol Subscription (int16 version, then an array of int16-length strings); [] if unreadable. */
function subscribedTopics(meta: Buffer): string[] {
  try {
    let at = 2;
    const n = meta.readInt32BE(at);
    at += 4;
    const out: string[] = [];
    for (let i = 0; i < n && i < 100_000; i++) {
      const len = meta.readInt16BE(at);
      at += 2;
      out.push(meta.toString('utf8', at, at + len));
      at += len;
    }
    return out;
  } catch {
    return [];
  }
}

function sameProtocols(a: readonly { name: string; metadata: Buffer }[], b: readonly { name: string; metadata: Buffer }[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((p, i) => p.name === b[i]!.name && p.metadata.equals(b[i]!.metadata));
}
