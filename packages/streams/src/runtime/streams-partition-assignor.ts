/**
 * The group assignor of a KafkaStreams app (the role of Kafka's `StreamsPartitionAssignor`, on the classic
 * protocol). It assigns whole tasks, so co-partitioned partitions of a task always go to one member, balances the
 * task count, and keeps tasks sticky: a task stays with the member that ran it, or goes to one holding its state on
 * disk, before anything else is balanced. Members say what they own in their subscription user data.
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
 * Assigns tasks to members: sticky first (a member keeps the tasks it runs, up to a balanced share), then stateful
 * tasks to members with their state on disk, then the rest to the least-loaded member. Deterministic for a given
 * input. Returns task ids per member id.
 */
export function assignTasks(tasks: readonly TaskSpec[], members: ReadonlyArray<{ memberId: string; info: SubscriptionInfo | null }>): Map<string, string[]> {
  const ids = [...members].map((m) => m.memberId).sort();
  const out = new Map<string, string[]>(ids.map((id) => [id, []]));
  if (ids.length === 0) return out;
  const capacity = Math.ceil(tasks.length / ids.length);
  const infoOf = new Map(members.map((m) => [m.memberId, m.info]));
  const owner = new Map<string, string>();
  const give = (task: string, member: string): void => {
    out.get(member)!.push(task);
    owner.set(task, member);
  };
  const load = (m: string): number => out.get(m)!.length;
  const ordered = [...tasks].sort((a, b) => Number(b.stateful) - Number(a.stateful) || a.subtopology - b.subtopology || a.partition - b.partition);
  // 1. sticky: keep what a member runs now
  for (const t of ordered) {
    for (const m of ids) {
      if (!owner.has(t.id) && load(m) < capacity && infoOf.get(m)?.activeTasks.includes(t.id)) give(t.id, m);
    }
  }
  // 2. stateful tasks to a member with their state on disk
  for (const t of ordered) {
    if (owner.has(t.id) || !t.stateful) continue;
    const m = ids.find((id) => load(id) < capacity && infoOf.get(id)?.cachedTasks.includes(t.id));
    if (m !== undefined) give(t.id, m);
  }
  // 3. the rest: least loaded first
  for (const t of ordered) {
    if (owner.has(t.id)) continue;
    let best = ids[0]!;
    for (const m of ids) if (load(m) < load(best)) best = m;
    give(t.id, best);
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
