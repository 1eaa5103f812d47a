/**
 * KIP-848 consumer groups (`group.protocol=consumer`): members heartbeat with ConsumerGroupHeartbeat and
 * the broker assigns partitions itself (the `uniform` or `range` server assignor). A change of members,
 * subscriptions or partition counts bumps the group epoch and recomputes the target assignment; each
 * member then reconciles towards it: partitions it must give up are revoked first (it keeps its epoch
 * until its next heartbeat no longer owns them), and it receives a partition only once no other member
 * owns it, at which point it moves to the group epoch. Membership lives in memory (members rejoin with
 * epoch 0 after a broker restart); committed offsets go through the same OffsetStore as classic groups.
 */
import { randomUUID } from 'node:crypto';
import { ErrorCode, type ErrorCodeValue } from '@kstreams/protocol/errors';
import type { ConsumerGroupHeartbeatRequest, ConsumerGroupHeartbeatResponse } from '@kstreams/protocol/messages/consumer-group-heartbeat';

/** Kafka's group.consumer.heartbeat.interval.ms and group.consumer.session.timeout.ms defaults. */
export const CONSUMER_HEARTBEAT_INTERVAL_MS = 5000;
export const CONSUMER_SESSION_TIMEOUT_MS = 45_000;
const ASSIGNORS = ['uniform', 'range'] as const;
const STALE_MEMBER_EPOCH = 113;

type Assignment = Map<string, Set<number>>;

interface Member {
  memberId: string;
  instanceId: string | null;
  clientId: string;
  clientHost: string;
  epoch: number;
  previousEpoch: number;
  subscribed: string[];
  assignor: string | null;
  assigned: Assignment;
  /** Partitions the member was told to give up and has not yet confirmed releasing. */
  revoking: Assignment;
  lastSent: string;
  sessionTimer: NodeJS.Timeout | null;
}

class ConsumerGroup {
  groupEpoch = 0;
  /** topic → partition count the target was computed for */
  metadata = '';
  target = new Map<string, Assignment>();
  readonly members = new Map<string, Member>();
  constructor(readonly groupId: string) {}
}

/** What the coordinator needs to know about topics. */
export interface TopicView {
  partitions(topic: string): number;
  topicId(topic: string): string | null;
  topicName(topicId: string): string | null;
}

function key(a: Assignment): string {
  return [...a]
    .filter(([, ps]) => ps.size > 0)
    .sort(([x], [y]) => x.localeCompare(y))
    .map(([t, ps]) => `${t}:${[...ps].sort((x, y) => x - y).join(',')}`)
    .join(';');
}

function add(a: Assignment, topic: string, p: number): void {
  let s = a.get(topic);
  if (!s) a.set(topic, (s = new Set()));
  s.add(p);
}

function has(a: Assignment, topic: string, p: number): boolean {
  return a.get(topic)?.has(p) ?? false;
}

export class ConsumerGroupCoordinator {
  private readonly groups = new Map<string, ConsumerGroup>();

  constructor(private readonly topics: TopicView) {}

  isConsumerGroup(groupId: string): boolean {
    return this.groups.has(groupId);
  }

  heartbeat(req: ConsumerGroupHeartbeatRequest, client: { clientId: string; clientHost: string }): ConsumerGroupHeartbeatResponse {
    const fail = (errorCode: ErrorCodeValue | number, errorMessage: string): ConsumerGroupHeartbeatResponse => ({
      throttleTimeMs: 0,
      errorCode,
      errorMessage,
      memberId: req.memberId,
      memberEpoch: -1,
      heartbeatIntervalMs: 0,
      assignment: null,
    });
    if (req.groupId === '') return fail(ErrorCode.INVALID_REQUEST, 'GroupId can not be empty.');
    if (req.subscribedTopicRegex !== null && req.subscribedTopicRegex !== '') {
      return fail(ErrorCode.INVALID_REQUEST, 'Regex subscriptions (SubscribedTopicRegex) are not supported by this broker; subscribe to topic names.');
    }
    if (req.serverAssignor !== null && !(ASSIGNORS as readonly string[]).includes(req.serverAssignor)) {
      return fail(ErrorCode.UNSUPPORTED_ASSIGNOR, `ServerAssignor ${req.serverAssignor} is not supported (supported: ${ASSIGNORS.join(', ')}).`);
    }
    let group = this.groups.get(req.groupId);
    if (req.memberEpoch === -1 || req.memberEpoch === -2) {
      const member = group?.members.get(req.memberId);
      if (group && member) this.remove(group, member);
      return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, errorMessage: null, memberId: req.memberId, memberEpoch: req.memberEpoch, heartbeatIntervalMs: 0, assignment: null };
    }
    if (!group) {
      if (req.memberEpoch !== 0) return fail(ErrorCode.UNKNOWN_MEMBER_ID, `Group ${req.groupId} has no member ${req.memberId}.`);
      group = new ConsumerGroup(req.groupId);
      this.groups.set(req.groupId, group);
    }
    let member = group.members.get(req.memberId);
    let changed = false;
    if (req.memberEpoch === 0) {
      if (req.subscribedTopicNames === null) return fail(ErrorCode.INVALID_REQUEST, 'SubscribedTopicNames must be set when joining.');
      if (member) this.remove(group, member);
      member = {
        memberId: req.memberId !== '' ? req.memberId : randomUUID(),
        instanceId: req.instanceId,
        clientId: client.clientId,
        clientHost: client.clientHost,
        epoch: 0,
        previousEpoch: -1,
        subscribed: [],
        assignor: req.serverAssignor,
        assigned: new Map(),
        revoking: new Map(),
        lastSent: '\u0000',
        sessionTimer: null,
      };
      group.members.set(member.memberId, member);
      changed = true;
    } else {
      if (!member) return fail(ErrorCode.UNKNOWN_MEMBER_ID, `Group ${req.groupId} has no member ${req.memberId}.`);
      // a heartbeat at the previous epoch is one sent before the last response arrived (Kafka accepts it too)
      if (req.memberEpoch !== member.epoch && req.memberEpoch !== member.previousEpoch) {
        return fail(ErrorCode.FENCED_MEMBER_EPOCH, `Member ${req.memberId} sent epoch ${req.memberEpoch}; its epoch is ${member.epoch}.`);
      }
    }
    if (req.subscribedTopicNames !== null) {
      const next = [...new Set(req.subscribedTopicNames)].sort();
      if (next.join('\u0000') !== member.subscribed.join('\u0000')) {
        member.subscribed = next;
        changed = true;
      }
    }
    if (req.serverAssignor !== null) member.assignor = req.serverAssignor;
    this.resetSession(group, member);

    // the client's owned partitions confirm what it released
    if (req.topicPartitions !== null) {
      const owned: Assignment = new Map();
      for (const tp of req.topicPartitions) {
        const name = this.topics.topicName(tp.topicId);
        if (name !== null) for (const p of tp.partitions) add(owned, name, p);
      }
      for (const [t, ps] of member.revoking) for (const p of [...ps]) if (!has(owned, t, p)) ps.delete(p);
    }
    const metadata = this.metadataKey(group);
    if (changed || metadata !== group.metadata) this.bump(group);
    this.reconcile(group, member);

    const response: ConsumerGroupHeartbeatResponse = {
      throttleTimeMs: 0,
      errorCode: ErrorCode.NONE,
      errorMessage: null,
      memberId: member.memberId,
      memberEpoch: member.epoch,
      heartbeatIntervalMs: CONSUMER_HEARTBEAT_INTERVAL_MS,
      assignment: null,
    };
    const sent = key(member.assigned);
    if (sent !== member.lastSent || req.memberEpoch === 0) {
      member.lastSent = sent;
      response.assignment = {
        topicPartitions: [...member.assigned]
          .filter(([, ps]) => ps.size > 0)
          .map(([t, ps]) => ({ topicId: this.topics.topicId(t) ?? '', partitions: [...ps].sort((x, y) => x - y) }))
          .filter((tp) => tp.topicId !== ''),
      };
    }
    return response;
  }

  /** OffsetCommit from a consumer-group member: the member must exist at that epoch. */
  validateCommit(groupId: string, memberEpoch: number, memberId: string): ErrorCodeValue | number {
    const group = this.groups.get(groupId);
    if (!group) return ErrorCode.NONE;
    if (memberEpoch < 0 && memberId === '') return group.members.size === 0 ? ErrorCode.NONE : ErrorCode.UNKNOWN_MEMBER_ID;
    const member = group.members.get(memberId);
    if (!member) return ErrorCode.UNKNOWN_MEMBER_ID;
    if (memberEpoch !== member.epoch) return STALE_MEMBER_EPOCH;
    return ErrorCode.NONE;
  }

  /** For ListGroups: consumer groups with their KIP-848 state. */
  list(): { groupId: string; protocolType: string; groupState: string; groupType: string }[] {
    return [...this.groups.values()].map((g) => ({
      groupId: g.groupId,
      protocolType: 'consumer',
      groupState: g.members.size === 0 ? 'Empty' : [...g.members.values()].every((m) => m.epoch === g.groupEpoch && m.revoking.size === 0) ? 'Stable' : 'Reconciling',
      groupType: 'consumer',
    }));
  }

  /** The members and their current assignments (topic names), for DescribeGroups. */
  describe(groupId: string): { state: string; members: { memberId: string; instanceId: string | null; clientId: string; clientHost: string; assignment: Map<string, number[]> }[] } | null {
    const g = this.groups.get(groupId);
    if (!g) return null;
    return {
      state: this.list().find((x) => x.groupId === groupId)!.groupState,
      members: [...g.members.values()].map((m) => ({
        memberId: m.memberId,
        instanceId: m.instanceId,
        clientId: m.clientId,
        clientHost: m.clientHost,
        assignment: new Map([...m.assigned].map(([t, ps]) => [t, [...ps].sort((a, b) => a - b)])),
      })),
    };
  }

  deleteGroup(groupId: string): ErrorCodeValue | null {
    const g = this.groups.get(groupId);
    if (!g) return null;
    if (g.members.size > 0) return ErrorCode.NON_EMPTY_GROUP;
    this.groups.delete(groupId);
    return ErrorCode.NONE;
  }

  close(): void {
    for (const g of this.groups.values()) for (const m of g.members.values()) if (m.sessionTimer) clearTimeout(m.sessionTimer);
    this.groups.clear();
  }

  private metadataKey(group: ConsumerGroup): string {
    const topics = new Set<string>();
    for (const m of group.members.values()) for (const t of m.subscribed) topics.add(t);
    return [...topics]
      .sort()
      .map((t) => `${t}=${this.topics.partitions(t)}`)
      .join(',');
  }

  private remove(group: ConsumerGroup, member: Member): void {
    if (member.sessionTimer) clearTimeout(member.sessionTimer);
    group.members.delete(member.memberId);
    this.bump(group);
  }

  private resetSession(group: ConsumerGroup, member: Member): void {
    if (member.sessionTimer) {
      member.sessionTimer.refresh();
      return;
    }
    member.sessionTimer = setTimeout(() => {
      if (group.members.get(member.memberId) === member) this.remove(group, member);
    }, CONSUMER_SESSION_TIMEOUT_MS);
    member.sessionTimer.unref();
  }

  /** A new group epoch with a target assignment computed by the group's assignor. */
  private bump(group: ConsumerGroup): void {
    group.groupEpoch++;
    group.metadata = this.metadataKey(group);
    const members = [...group.members.values()].sort((a, b) => a.memberId.localeCompare(b.memberId));
    const assignor = members.find((m) => m.assignor !== null)?.assignor ?? 'uniform';
    const target = new Map<string, Assignment>(members.map((m) => [m.memberId, new Map()]));
    const topics = [...new Set(members.flatMap((m) => m.subscribed))].sort();
    if (assignor === 'range') {
      for (const t of topics) {
        const subs = members.filter((m) => m.subscribed.includes(t));
        const n = this.topics.partitions(t);
        if (subs.length === 0) continue;
        const per = Math.floor(n / subs.length);
        const extra = n % subs.length;
        let p = 0;
        subs.forEach((m, i) => {
          for (let k = 0; k < per + (i < extra ? 1 : 0); k++) add(target.get(m.memberId)!, t, p++);
        });
      }
    } else {
      // uniform: balance the total count across members, keeping partitions where they are when it can
      const all: [string, number][] = topics.flatMap((t) => Array.from({ length: this.topics.partitions(t) }, (_, p) => [t, p] as [string, number]));
      const counts = new Map(members.map((m) => [m.memberId, 0]));
      const quota = Math.ceil(all.length / Math.max(1, members.length));
      const left: [string, number][] = [];
      for (const [t, p] of all) {
        const owner = members.find((m) => has(m.assigned, t, p) && m.subscribed.includes(t));
        if (owner && counts.get(owner.memberId)! < quota) {
          add(target.get(owner.memberId)!, t, p);
          counts.set(owner.memberId, counts.get(owner.memberId)! + 1);
        } else {
          left.push([t, p]);
        }
      }
      for (const [t, p] of left) {
        const subs = members.filter((m) => m.subscribed.includes(t));
        if (subs.length === 0) continue;
        const m = subs.reduce((best, x) => (counts.get(x.memberId)! < counts.get(best.memberId)! ? x : best));
        add(target.get(m.memberId)!, t, p);
        counts.set(m.memberId, counts.get(m.memberId)! + 1);
      }
    }
    group.target = target;
  }

  /**
   * Moves the heartbeating member towards its target: revoke first (its epoch stays until it confirms),
   * then assign what no other member owns and move it to the group epoch. Only a member's own heartbeat
   * changes its epoch, so it never hears of an epoch it did not receive.
   */
  private reconcile(group: ConsumerGroup, m: Member): void {
    const target = group.target.get(m.memberId) ?? new Map<string, Set<number>>();
    for (const [t, ps] of m.assigned) {
      for (const p of [...ps]) {
        if (!has(target, t, p)) {
          ps.delete(p);
          add(m.revoking, t, p);
        }
      }
    }
    for (const [t, ps] of m.revoking) if (ps.size === 0) m.revoking.delete(t);
    if (m.revoking.size > 0) return;
    for (const [t, ps] of target) {
      for (const p of ps) {
        if (has(m.assigned, t, p)) continue;
        const taken = [...group.members.values()].some((o) => o !== m && (has(o.assigned, t, p) || has(o.revoking, t, p)));
        if (!taken) add(m.assigned, t, p);
      }
    }
    if (m.epoch !== group.groupEpoch) {
      m.previousEpoch = m.epoch;
      m.epoch = group.groupEpoch;
    }
  }
}
