/**
 * What an instance knows about where state lives (Kafka's `StreamsMetadata`, `KeyQueryMetadata`, `ThreadMetadata`
 * and `TaskMetadata`): which instance hosts which stores and partitions, and which one answers for a key.
 */
import type { TopicPartition } from '../runtime/state-restore-listener';
import { HostInfo } from './host-info';

/** One instance of the application: its endpoint, the stores and source partitions it hosts (active and standby). */
export class StreamsMetadata {
  constructor(
    readonly host: HostInfo,
    readonly activeStores: ReadonlySet<string>,
    readonly activePartitions: readonly TopicPartition[],
    readonly standbyStores: ReadonlySet<string>,
    readonly standbyPartitions: readonly TopicPartition[],
  ) {}

  hostInfo(): HostInfo {
    return this.host;
  }

  /** Names of the stores this instance hosts as active. */
  stateStoreNames(): ReadonlySet<string> {
    return this.activeStores;
  }

  /** Source topic partitions of this instance's active tasks. */
  topicPartitions(): readonly TopicPartition[] {
    return this.activePartitions;
  }

  standbyStateStoreNames(): ReadonlySet<string> {
    return this.standbyStores;
  }

  standbyTopicPartitions(): readonly TopicPartition[] {
    return this.standbyPartitions;
  }


  toJSON(): object {
    return {
      hostInfo: this.host.toJSON(),
      stateStoreNames: [...this.activeStores].sort(),
      topicPartitions: this.activePartitions.map((tp) => `${tp.topic}-${tp.partition}`),
      standbyStateStoreNames: [...this.standbyStores].sort(),
      standbyTopicPartitions: this.standbyPartitions.map((tp) => `${tp.topic}-${tp.partition}`),
    };
  }
}

/** Where a key's store partition lives: the active host, standby hosts, and the partition (Kafka's `KeyQueryMetadata`). */
export class KeyQueryMetadata {
  /** Returned while the instance has no metadata yet (before its first assignment, or after a failed refresh). */
  static readonly NOT_AVAILABLE = new KeyQueryMetadata(HostInfo.unavailable(), [], -1);

  constructor(
    readonly active: HostInfo,
    readonly standbys: readonly HostInfo[],
    readonly partitionNumber: number,
  ) {}

  activeHost(): HostInfo {
    return this.active;
  }

  standbyHosts(): readonly HostInfo[] {
    return this.standbys;
  }

  partition(): number {
    return this.partitionNumber;
  }

  toJSON(): object {
    return { activeHost: this.active.toJSON(), standbyHosts: this.standbys.map((h) => h.toJSON()), partition: this.partitionNumber };
  }
}

/** One task of a local thread (Kafka's `TaskMetadata`; offsets are not tracked here). */
export interface TaskMetadata {
  /** `<subtopology>_<partition>`. */
  readonly taskId: string;
  readonly topicPartitions: readonly TopicPartition[];
  /** Wall-clock ms since which the task waits for data on an empty partition (`max.task.idle.ms`), or null. */
  readonly timeCurrentIdlingStarted: number | null;
}

/** A local stream thread (Kafka's `ThreadMetadata`). kstreams runs one thread per instance. */
export interface ThreadMetadata {
  readonly threadName: string;
  /** `RUNNING`, `PARTITIONS_ASSIGNED` (tasks restoring), `STARTING`, `PENDING_SHUTDOWN` or `DEAD`. */
  readonly threadState: string;
  readonly consumerClientId: string;
  readonly activeTasks: readonly TaskMetadata[];
  readonly standbyTasks: readonly TaskMetadata[];
}
