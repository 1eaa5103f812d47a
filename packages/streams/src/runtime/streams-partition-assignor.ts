/**
 * The group assignor of a KafkaStreams app (the role of Kafka's `StreamsPartitionAssignor`, on the classic
 * protocol). It assigns whole tasks, so co-partitioned partitions of a task always go to one member, balances
 * stateful tasks across members first and then the stateless ones, and keeps tasks sticky: a task stays with the
 * member that ran it, or goes to one holding a caught-up copy of its state (a standby or a state directory whose
 * changelog lag is at most `acceptable.recovery.lag`), within each member's share. Then `num.standby.replicas`
 * standby tasks per stateful task go to other members, balanced. Members say what they own and how far their
 * copies of each task's state are (Kafka's SubscriptionInfo task offset sums) in their subscription user data; the
 * assignment user data carries each member's standby tasks (Kafka's AssignmentInfo).
 */
import { log } from '../logger';
import type { AssignorMember, GroupAssignor, MemberAssignment } from './kafka-client';

/** A task: one sub-topology over one partition number of its source topics. */
export interface TaskSpec {
  readonly id: string;
  readonly subtopology: number;
  readonly partition: number;
  readonly topicPartitions: ReadonlyArray<{ readonly topic: string; readonly partition: number }>;
  readonly stateful: boolean;
}

/** What the assignor needs to know about a sub-topology. */
export interface SubtopologySources {
  readonly id: number;
  readonly sourceTopics: readonly string[];
  readonly stateful: boolean;
}

/** `<subtopology>_<partition>`, Kafka's TaskId format. */
export function taskId(subtopology: number, partition: number): string {
  return `${subtopology}_${partition}`;
}

/**
 * Tasks of the topology: a sub-topology has as many tasks as its largest source topic has partitions, and task p
 * reads partition p of every source topic that has it (Kafka's `PartitionGrouper`).
 */
export function tasksFor(subtopologies: readonly SubtopologySources[], partitionCounts: ReadonlyMap<string, number>): TaskSpec[] {
  const tasks: TaskSpec[] = [];
  for (const s of subtopologies) {
    let max = 0;
    for (const t of s.sourceTopics) max = Math.max(max, partitionCounts.get(t) ?? 0);
    for (let p = 0; p < max; p++) {
      const tps = s.sourceTopics.filter((t) => (partitionCounts.get(t) ?? 0) > p).map((topic) => ({ topic, partition: p }));
      tasks.push({ id: taskId(s.id, p), subtopology: s.id, partition: p, topicPartitions: tps, stateful: s.stateful });
    }
  }
  return tasks;
}

/** Subscription user data (JSON): who the member is and which tasks it has state for. */
export interface SubscriptionInfo {
  readonly version: 1;
  readonly processId: string;
  /** Active tasks the member runs now. */
  readonly activeTasks: readonly string[];
  /** Tasks whose state directory the member has on disk. */
  readonly cachedTasks: readonly string[];
  /** The member asks the whole application to shut down (SHUTDOWN_APPLICATION). */
  readonly shutdownRequested: boolean;
  /**
   * Per task with state on this member: the sum of its changelog offsets in the local state (standby or
   * checkpoint), or {@link LATEST_OFFSET} for an active task (Kafka's SubscriptionInfo `taskOffsetSums`).
   */
  readonly taskOffsetSums?: Readonly<Record<string, number>>;
}

/** Kafka's `Task.LATEST_OFFSET`: the offset sum an active task reports (its state is the changelog's end). */
export const LATEST_OFFSET = -2;

export function encodeSubscription(info: SubscriptionInfo): Buffer {
  return Buffer.from(JSON.stringify(info), 'utf8');
}

export function decodeSubscription(data: Buffer | null): SubscriptionInfo | null {
  if (data === null || data.length === 0) return null;
  try {
    const v = JSON.parse(data.toString('utf8')) as Partial<SubscriptionInfo>;
    if (v.version !== 1 || typeof v.processId !== 'string') return null;
    return {
      version: 1,
      processId: v.processId,
      activeTasks: Array.isArray(v.activeTasks) ? v.activeTasks : [],
      cachedTasks: Array.isArray(v.cachedTasks) ? v.cachedTasks : [],
      shutdownRequested: v.shutdownRequested === true,
      ...(v.taskOffsetSums !== null && typeof v.taskOffsetSums === 'object' ? { taskOffsetSums: v.taskOffsetSums } : {}),
    };
  } catch {
    return null;
  }
}

/** Assignment user data (JSON): the member it is for and its standby tasks (Kafka's AssignmentInfo standby tasks). */
export interface AssignmentInfo {
  readonly version: 1;
  readonly memberId: string;
  /** Standby tasks, warm-up replicas included (Kafka sends both as standby tasks). */
  readonly standbyTasks: readonly string[];
  /**
   * Wall-clock time (ms) of the probing rebalance the leader scheduled because warm-up replicas are catching up
   * (Kafka's `nextScheduledRebalanceMs`); absent or 0 when none is needed.
   */
  readonly nextProbingRebalanceMs?: number;
}

export function encodeAssignment(info: AssignmentInfo): Buffer {
  return Buffer.from(JSON.stringify(info), 'utf8');
}

export function decodeAssignment(data: Buffer | null | undefined): AssignmentInfo | null {
  if (data === null || data === undefined || data.length === 0) return null;
  try {
    const v = JSON.parse(data.toString('utf8')) as Partial<AssignmentInfo>;
    if (v.version !== 1 || typeof v.memberId !== 'string' || !Array.isArray(v.standbyTasks)) return null;
    const next = typeof v.nextProbingRebalanceMs === 'number' && v.nextProbingRebalanceMs > 0 ? { nextProbingRebalanceMs: v.nextProbingRebalanceMs } : {};
    return { version: 1, memberId: v.memberId, standbyTasks: v.standbyTasks.filter((t): t is string => typeof t === 'string'), ...next };
  } catch {
    return null;
  }
}

/** What the assignor knows about how far behind each member's copy of a task's state is. */
export interface LagInfo {
  /** Sum of the end offsets of each stateful task's changelog partitions. */
  readonly endOffsetSums: ReadonlyMap<string, number>;
  /** `acceptable.recovery.lag`: a copy at most this far behind counts as caught up. */
  readonly acceptableRecoveryLag: number;
  /**
   * `max.warmup.replicas`: when set, a stateful task whose balanced owner is not caught up stays with (or goes to) a
   * caught-up member, and up to this many of the balanced owners get a warm-up replica of it instead.
   */
  readonly maxWarmupReplicas?: number;
}

/** The warm-up replicas {@link assignTasks} placed: task ids per member, and how many tasks wait to move. */
export interface Warmups {
  readonly tasks: Map<string, string[]>;
  movementsPending: number;
}

/**
 * How far behind the end of the changelogs a member's copy of a task's state is: 0 for the active task, the end
 * offset sum minus the member's offset sum for a standby or a state directory, undefined when the member has none
 * (or, without end offsets, -1 for "has state, lag unknown").
 */
function lagOf(info: SubscriptionInfo | null | undefined, taskId: string, lags: LagInfo | undefined): number | undefined {
  const sum = info?.taskOffsetSums?.[taskId];
  if (sum === undefined) return info?.cachedTasks.includes(taskId) === true ? (lags === undefined ? -1 : Number.MAX_SAFE_INTEGER) : undefined;
  if (sum === LATEST_OFFSET) return 0;
  if (lags === undefined) return -1;
  const end = lags.endOffsetSums.get(taskId);
  if (end === undefined) return Number.MAX_SAFE_INTEGER;
  return Math.max(0, end - sum);
}

/**
 * Assigns tasks to members as Kafka's assignor balances them: active stateful tasks first, spread evenly over the
 * members (each keeps the stateful tasks it runs now, then takes those whose state it has on disk, up to its share),
 * then stateless tasks balancing the total load, again sticky first. So two instances of a two-sub-topology app
 * each run half of the stateful tasks, however the tasks were spread before. With `lags.maxWarmupReplicas`, a
 * stateful task whose balanced owner is not caught up runs on a caught-up member instead, and the balanced owner
 * gets a warm-up replica (Kafka's HighAvailabilityTaskAssignor; placed in `warmups`). Deterministic for a given
 * input. Returns task ids per member id.
 */
export function assignTasks(
  tasks: readonly TaskSpec[],
  members: ReadonlyArray<{ memberId: string; info: SubscriptionInfo | null }>,
  lags?: LagInfo,
  warmups?: Warmups,
): Map<string, string[]> {
  const ids = [...members].map((m) => m.memberId).sort();
  const out = new Map<string, string[]>(ids.map((id) => [id, []]));
  if (ids.length === 0) return out;
  const infoOf = new Map(members.map((m) => [m.memberId, m.info]));
  const owner = new Map<string, string>();
  const statefulLoad = new Map<string, number>(ids.map((id) => [id, 0]));
  const give = (t: TaskSpec, member: string): void => {
    out.get(member)!.push(t.id);
    owner.set(t.id, member);
    if (t.stateful) statefulLoad.set(member, statefulLoad.get(member)! + 1);
  };
  /** Undoes {@link give}. */
  const take = (t: TaskSpec, member: string): void => {
    const list = out.get(member)!;
    list.splice(list.indexOf(t.id), 1);
    owner.delete(t.id);
    if (t.stateful) statefulLoad.set(member, statefulLoad.get(member)! - 1);
  };
  const load = (m: string): number => out.get(m)!.length;
  const runs = (m: string, t: TaskSpec): boolean => infoOf.get(m)?.activeTasks.includes(t.id) === true;
  const hasState = (m: string, t: TaskSpec): boolean => infoOf.get(m)?.cachedTasks.includes(t.id) === true;
  const byOrder = (a: TaskSpec, b: TaskSpec): number => a.subtopology - b.subtopology || a.partition - b.partition;
  /**
   * Whether a member may take one more task under an even spread of `total` tasks by `count`: everyone gets
   * floor(total / members), and only `total % members` members one more.
   */
  const underShare = (total: number, count: (m: string) => number): ((m: string) => boolean) => {
    const floor = Math.floor(total / ids.length);
    const extra = total - floor * ids.length;
    return (m) => count(m) < floor || (count(m) === floor && ids.filter((id) => count(id) > floor).length < extra);
  };
  /** The member to take a task: least loaded by `primary`, then by total load, then by id. */
  const leastLoaded = (candidates: readonly string[], primary: (m: string) => number): string | undefined => {
    let best: string | undefined;
    for (const m of candidates) {
      if (best === undefined || primary(m) < primary(best) || (primary(m) === primary(best) && load(m) < load(best))) best = m;
    }
    return best;
  };

  // 1. Active stateful tasks, balanced per member: current owner, then a member with the state on disk, then the
  //    least loaded.
  const stateful = tasks.filter((t) => t.stateful).sort(byOrder);
  const sLoad = (m: string): number => statefulLoad.get(m)!;
  const statefulShare = underShare(stateful.length, sLoad);
  for (const t of stateful) {
    const m = ids.find((id) => statefulShare(id) && runs(id, t));
    if (m !== undefined) give(t, m);
  }
  // A moving task goes to a member with a caught-up copy of its state (lag at most acceptable.recovery.lag), the
  // least behind first; then to one with any state on disk.
  const lag = (m: string, t: TaskSpec): number | undefined => lagOf(infoOf.get(m), t.id, lags);
  if (lags !== undefined) {
    for (const t of stateful) {
      if (owner.has(t.id)) continue;
      const caughtUp = ids.filter((id) => statefulShare(id) && (lag(id, t) ?? Infinity) <= lags.acceptableRecoveryLag);
      caughtUp.sort((a, b) => lag(a, t)! - lag(b, t)! || sLoad(a) - sLoad(b) || (a < b ? -1 : 1));
      if (caughtUp.length > 0) give(t, caughtUp[0]!);
    }
  }
  for (const t of stateful) {
    if (owner.has(t.id)) continue;
    const withState = ids.filter((id) => statefulShare(id) && (hasState(id, t) || lag(id, t) !== undefined));
    const best = Math.min(...withState.map((id) => lag(id, t) ?? Number.MAX_SAFE_INTEGER));
    const m = leastLoaded(withState.filter((id) => (lag(id, t) ?? Number.MAX_SAFE_INTEGER) === best), sLoad);
    if (m !== undefined) give(t, m);
  }
  for (const t of stateful) if (!owner.has(t.id)) give(t, leastLoaded(ids, sLoad)!);

  // 1b. Task movements (Kafka's TaskMovement): a stateful task whose balanced owner's copy is not caught up runs on
  //     a caught-up member (the one running it now first, then the least behind, then the least loaded) until the
  //     balanced owner has caught up on a warm-up replica; at most max.warmup.replicas warm-ups at a time. A member
  //     without any copy is behind by the whole changelog (so a task with a small changelog moves at once).
  if (lags?.maxWarmupReplicas !== undefined) {
    const behind = (m: string, t: TaskSpec): number => {
      const l = lag(m, t);
      return l === undefined ? (lags.endOffsetSums.get(t.id) ?? Number.MAX_SAFE_INTEGER) : l < 0 ? Number.MAX_SAFE_INTEGER : l;
    };
    let remaining = lags.maxWarmupReplicas;
    for (const t of stateful) {
      const dest = owner.get(t.id)!;
      if (behind(dest, t) <= lags.acceptableRecoveryLag) continue;
      const caughtUp = ids.filter((id) => id !== dest && behind(id, t) <= lags.acceptableRecoveryLag);
      if (caughtUp.length === 0) continue;
      caughtUp.sort((a, b) => Number(runs(b, t)) - Number(runs(a, t)) || behind(a, t) - behind(b, t) || sLoad(a) - sLoad(b) || (a < b ? -1 : 1));
      take(t, dest);
      give(t, caughtUp[0]!);
      if (warmups) {
        warmups.movementsPending++;
        if (remaining > 0) {
          remaining--;
          let w = warmups.tasks.get(dest);
          if (!w) warmups.tasks.set(dest, (w = []));
          w.push(t.id);
        }
      }
    }
  }

  // 2. Stateless tasks, balancing the total: current owner while under its share, then the least loaded.
  const stateless = tasks.filter((t) => !t.stateful).sort(byOrder);
  const totalShare = underShare(tasks.length, load);
  for (const t of stateless) {
    const m = ids.find((id) => totalShare(id) && runs(id, t));
    if (m !== undefined) give(t, m);
  }
  for (const t of stateless) if (!owner.has(t.id)) give(t, leastLoaded(ids, load)!);
  return out;
}

/**
 * Places `numStandbys` standby tasks of every stateful task on members other than the one running it (as Kafka's
 * default standby assignor): each copy goes to the member with the fewest standby tasks so far, preferring one that
 * already holds the task's state (a standby or a state directory, least behind first), then the least loaded in
 * total, then by id. A task gets fewer copies when there are not enough other members. Returns standby task ids per
 * member id.
 */
export function assignStandbys(
  tasks: readonly TaskSpec[],
  members: ReadonlyArray<{ memberId: string; info: SubscriptionInfo | null }>,
  actives: ReadonlyMap<string, readonly string[]>,
  numStandbys: number,
  lags?: LagInfo,
): Map<string, string[]> {
  const ids = [...members].map((m) => m.memberId).sort();
  const out = new Map<string, string[]>(ids.map((id) => [id, []]));
  if (numStandbys <= 0) return out;
  const infoOf = new Map(members.map((m) => [m.memberId, m.info]));
  const activeOwner = new Map<string, string>();
  for (const [m, ts] of actives) for (const t of ts) activeOwner.set(t, m);
  const total = (m: string): number => (actives.get(m)?.length ?? 0) + out.get(m)!.length;
  const stateful = tasks.filter((t) => t.stateful).sort((a, b) => a.subtopology - b.subtopology || a.partition - b.partition);
  for (let copy = 0; copy < numStandbys; copy++) {
    for (const t of stateful) {
      const candidates = ids.filter((m) => activeOwner.get(t.id) !== m && !out.get(m)!.includes(t.id));
      if (candidates.length === 0) continue;
      const lag = (m: string): number => {
        const l = lagOf(infoOf.get(m), t.id, lags);
        return l === undefined ? Infinity : l < 0 ? 0 : l;
      };
      candidates.sort((a, b) => out.get(a)!.length - out.get(b)!.length || lag(a) - lag(b) || total(a) - total(b) || (a < b ? -1 : 1));
      out.get(candidates[0]!)!.push(t.id);
    }
  }
  return out;
}

export interface StreamsAssignorContext {
  readonly processId: string;
  /** Source topics and statefulness per sub-topology. */
  readonly subtopologies: readonly SubtopologySources[];
  activeTasks(): readonly string[];
  cachedTasks(): readonly string[];
  shutdownRequested(): boolean;
  /** The member's task offset sums (see {@link SubscriptionInfo.taskOffsetSums}). */
  taskOffsetSums?(): Readonly<Record<string, number>>;
  /** `num.standby.replicas`. */
  readonly numStandbyReplicas?: number;
  /** `acceptable.recovery.lag`. */
  readonly acceptableRecoveryLag?: number;
  /** `max.warmup.replicas` (default 2). */
  readonly maxWarmupReplicas?: number;
  /** `probing.rebalance.interval.ms` (default 600000): when the leader schedules the next rebalance while warm-ups catch up. */
  readonly probingRebalanceIntervalMs?: number;
  /** The wall clock (tests move it). */
  readonly now?: () => number;
  /**
   * Leader only: the sum of the changelog end offsets of each given stateful task (for the members' lags); null when
   * they cannot be read now (then members' copies count by state on disk only).
   */
  endOffsetSums?(tasks: readonly TaskSpec[]): Promise<ReadonlyMap<string, number> | null>;
  /** Leader only: the members' subscriptions of the latest assignment, for the shutdown signal. */
  onSubscriptions?(infos: ReadonlyArray<SubscriptionInfo | null>): void;
}

export class StreamsPartitionAssignor implements GroupAssignor {
  readonly name = 'kstreams';
  readonly version = 1;

  constructor(private readonly context: StreamsAssignorContext) {}

  subscriptionUserData(): Buffer {
    return encodeSubscription({
      version: 1,
      processId: this.context.processId,
      activeTasks: this.context.activeTasks(),
      cachedTasks: this.context.cachedTasks(),
      shutdownRequested: this.context.shutdownRequested(),
      ...(this.context.taskOffsetSums ? { taskOffsetSums: this.context.taskOffsetSums() } : {}),
    });
  }

  async assign(members: readonly AssignorMember[], partitionCounts: ReadonlyMap<string, number>): Promise<Map<string, MemberAssignment>> {
    const decoded = members.map((m) => ({ memberId: m.memberId, info: decodeSubscription(m.userData) }));
    this.context.onSubscriptions?.(decoded.map((d) => d.info));
    const result = new Map<string, MemberAssignment>();
    // A member asked the application to shut down: assign nothing, so every instance stops processing.
    if (decoded.some((d) => d.info?.shutdownRequested === true)) {
      for (const m of members) result.set(m.memberId, { partitions: new Map(), userData: encodeAssignment({ version: 1, memberId: m.memberId, standbyTasks: [] }) });
      return result;
    }
    const tasks = tasksFor(this.context.subtopologies, partitionCounts);
    const byId = new Map(tasks.map((t) => [t.id, t]));
    let lags: LagInfo | undefined;
    const stateful = tasks.filter((t) => t.stateful);
    if (this.context.endOffsetSums && stateful.length > 0) {
      const sums = await this.context.endOffsetSums(stateful).catch((e: unknown) => {
        log.warn(`Could not read the changelog end offsets; assigning by state on disk only (no lags): ${String(e)}`);
        return null;
      });
      if (sums !== null) {
        lags = { endOffsetSums: sums, acceptableRecoveryLag: this.context.acceptableRecoveryLag ?? 10_000, maxWarmupReplicas: this.context.maxWarmupReplicas ?? 2 };
      }
    }
    const warmups: Warmups = { tasks: new Map(), movementsPending: 0 };
    const actives = assignTasks(tasks, decoded, lags, warmups);
    const standbys = assignStandbys(tasks, decoded, actives, this.context.numStandbyReplicas ?? 0, lags);
    // a warm-up replica is a standby task to the member (one it holds as a standby already needs nothing more)
    for (const [member, ids] of warmups.tasks) {
      const list = standbys.get(member)!;
      for (const id of ids) if (!list.includes(id)) list.push(id);
    }
    const probingMs = this.context.probingRebalanceIntervalMs ?? 600_000;
    const nextProbe = warmups.movementsPending > 0 ? (this.context.now ?? Date.now)() + probingMs : 0;
    if (nextProbe > 0) {
      const moving = [...warmups.tasks].map(([m, ids]) => `${ids.join(', ')} → ${m}`).join('; ');
      log.info(`${warmups.movementsPending} stateful task(s) stay on caught-up instances while warm-up replicas catch up (${moving}); probing rebalance in ${probingMs} ms`);
    }
    for (const [member, taskIds] of actives) {
      const parts = new Map<string, number[]>();
      for (const id of taskIds) {
        for (const tp of byId.get(id)!.topicPartitions) {
          let ps = parts.get(tp.topic);
          if (!ps) {
            ps = [];
            parts.set(tp.topic, ps);
          }
          ps.push(tp.partition);
        }
      }
      const info: AssignmentInfo = { version: 1, memberId: member, standbyTasks: standbys.get(member) ?? [], ...(nextProbe > 0 ? { nextProbingRebalanceMs: nextProbe } : {}) };
      result.set(member, { partitions: parts, userData: encodeAssignment(info) });
    }
    return result;
  }
}
