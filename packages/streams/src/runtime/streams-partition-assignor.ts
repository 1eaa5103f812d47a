/**
 * The group assignor of a KafkaStreams app (the role of Kafka's `StreamsPartitionAssignor`, on the classic
 * protocol). It assigns whole tasks, so co-partitioned partitions of a task always go to one member, balances
 * stateful tasks across members first and then the stateless ones, and keeps tasks sticky: a task stays with the
 * member that ran it, or goes to one holding its state on disk, within each member's share. Members say what they
 * own in their subscription user data.
 */
import type { AssignorMember, GroupAssignor } from './kafka-client';

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
}

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
    };
  } catch {
    return null;
  }
}

/**
 * Assigns tasks to members as Kafka's assignor balances them: active stateful tasks first, spread evenly over the
 * members (each keeps the stateful tasks it runs now, then takes those whose state it has on disk, up to its share),
 * then stateless tasks balancing the total load, again sticky first. So two instances of a two-sub-topology app
 * each run half of the stateful tasks, however the tasks were spread before. Deterministic for a given input.
 * Returns task ids per member id.
 */
export function assignTasks(tasks: readonly TaskSpec[], members: ReadonlyArray<{ memberId: string; info: SubscriptionInfo | null }>): Map<string, string[]> {
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
  for (const t of stateful) {
    if (owner.has(t.id)) continue;
    const m = leastLoaded(ids.filter((id) => statefulShare(id) && hasState(id, t)), sLoad);
    if (m !== undefined) give(t, m);
  }
  for (const t of stateful) if (!owner.has(t.id)) give(t, leastLoaded(ids, sLoad)!);

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

export interface StreamsAssignorContext {
  readonly processId: string;
  /** Source topics and statefulness per sub-topology. */
  readonly subtopologies: readonly SubtopologySources[];
  activeTasks(): readonly string[];
  cachedTasks(): readonly string[];
  shutdownRequested(): boolean;
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
    });
  }

  assign(members: readonly AssignorMember[], partitionCounts: ReadonlyMap<string, number>): Map<string, Map<string, number[]>> {
    const decoded = members.map((m) => ({ memberId: m.memberId, info: decodeSubscription(m.userData) }));
    this.context.onSubscriptions?.(decoded.map((d) => d.info));
    const result = new Map<string, Map<string, number[]>>();
    // A member asked the application to shut down: assign nothing, so every instance stops processing.
    if (decoded.some((d) => d.info?.shutdownRequested === true)) {
      for (const m of members) result.set(m.memberId, new Map());
      return result;
    }
    const tasks = tasksFor(this.context.subtopologies, partitionCounts);
    const byId = new Map(tasks.map((t) => [t.id, t]));
    for (const [member, taskIds] of assignTasks(tasks, decoded)) {
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
      result.set(member, parts);
    }
    return result;
  }
}
