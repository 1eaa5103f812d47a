/**
 * Standby tasks (Kafka's `StandbyTask` with the standby side of `StoreChangelogReader`): shadow copies of other
 * instances' task state, kept up to date from the changelog topics. A standby task opens the task's stores and
 * applies every changelog record to them (read_committed, so under exactly-once only committed writes), never
 * processes input and never produces. It writes its own checkpoint file (under at-least-once every commit interval
 * and on close; under exactly-once, as Kafka, only on a clean close: the checkpoint is removed while the task is
 * open). When the active task moves here, the standby is closed cleanly first, so the new active finds the
 * checkpoint and restores only the tail of the changelog.
 */
import { rmSync } from 'node:fs';
import { StreamsException } from '../errors';
import { log } from '../logger';
import { isConfigurableStoreBuilder } from '../dsl/store-materializer';
import type { StateDirectory } from '../state/state-directory';
import type { StateStore } from '../state/state-store';
import type { InternalTopologyBuilder } from '../topology/internal-topology-builder';
import type { PartitionReader } from './kafka-client';
import type { StreamsMetrics } from './metrics';
import type { QueryableTask } from '../query/store-provider';
import type { RecordCollector } from './record-collector';
import { StreamTask } from './stream-task';
import type { TaskSpec } from './streams-partition-assignor';
import { streamTaskSettings, type TaskSettings } from './task-settings';

export interface StandbyTasksOptions {
  readonly builder: InternalTopologyBuilder;
  readonly settings: TaskSettings;
  readonly stateDirectory: StateDirectory;
  readonly metrics: StreamsMetrics;
  /** Its own reader (connection), so standby reads do not queue behind active restoration. */
  readonly reader: PartitionReader;
  readonly eos: boolean;
  readonly commitIntervalMs: number;
  readonly wallClock: () => number;
  /** How long to wait after a round that found nothing new. */
  readonly idleMs: number;
  readonly globalStores?: ReadonlyMap<string, StateStore> | undefined;
}

/** A standby never forwards records, so nothing reaches its collector; if something did, it is a bug. */
const NO_OUTPUT: RecordCollector = {
  send(): void {
    throw new StreamsException('A standby task does not process records, so it cannot send any');
  },
  partitionsFor(): number | null {
    return null;
  },
};

interface ChangelogPosition {
  readonly store: string;
  readonly topic: string;
  /** Next offset to read. */
  next: number;
  /** Last offset applied to the store (-1: none). */
  applied: number;
}

class StandbyTask {
  closed = false;
  nextCheckpointAt = 0;
  /** Records applied since the last checkpoint. */
  dirty = 0;
  constructor(
    readonly spec: TaskSpec,
    readonly task: StreamTask,
    readonly changelogs: ChangelogPosition[],
    readonly persistent: boolean,
  ) {}
}

export class StandbyTasks {
  readonly #o: StandbyTasksOptions;
  readonly #tasks = new Map<string, StandbyTask>();
  /** Assigned standby tasks (created once their directory is free). */
  #wanted = new Map<string, TaskSpec>();
  #running = false;
  #loop: Promise<void> | null = null;
  #wake: (() => void) | null = null;
  /** Records applied to standby stores since start (for tests and logs). */
  recordsApplied = 0;

  constructor(options: StandbyTasksOptions) {
    this.#o = options;
  }

  /** Ids of the standby tasks open now. */
  taskIds(): string[] {
    return [...this.#tasks.keys()].sort();
  }

  /** The open standby tasks, for interactive queries with stale stores enabled. */
  *queryableTasks(): Iterable<QueryableTask> {
    for (const t of this.#tasks.values()) {
      if (t.closed) continue;
      yield { id: t.spec.id, partition: t.spec.partition, state: 'RUNNING', standby: true, store: (name) => t.task.stores.get(name) };
    }
  }

  /** The sum of the changelog offsets applied per standby task (Kafka's task offset sums). */
  offsetSums(): Map<string, number> {
    const out = new Map<string, number>();
    for (const [id, t] of this.#tasks) {
      let sum = 0;
      for (const c of t.changelogs) sum += Math.max(0, c.applied);
      out.set(id, sum);
    }
    return out;
  }

  /**
   * Applies a new standby assignment synchronously: standby tasks no longer assigned here (among them those
   * whose active task now runs here) are closed cleanly, with a checkpoint; new ones are opened by the update loop
   * as soon as their state directory is free.
   */
  assign(specs: readonly TaskSpec[]): void {
    this.#wanted = new Map(specs.map((s) => [s.id, s]));
    for (const [id, t] of [...this.#tasks]) if (!this.#wanted.has(id)) this.#close(t, true);
    if (specs.length > 0) log.info(`Assigned standby tasks [${specs.map((s) => s.id).join(', ')}]`);
    this.#wake?.();
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#loop = this.#run();
  }

  /** Stops the update loop and closes every standby task cleanly. */
  async close(): Promise<void> {
    this.#running = false;
    this.#wake?.();
    await this.#loop;
    for (const t of [...this.#tasks.values()]) this.#close(t, true);
    await this.#o.reader.close();
  }

  async #run(): Promise<void> {
    while (this.#running) {
      let progressed = false;
      try {
        this.#openWanted();
        for (const t of [...this.#tasks.values()]) {
          if (!this.#running) break;
          if (await this.#update(t)) progressed = true;
        }
      } catch (e) {
        log.warn(`Updating standby tasks failed; retrying: ${String(e)}`);
      }
      if (!progressed && this.#running) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, this.#o.idleMs);
          timer.unref?.();
          this.#wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.#wake = null;
      }
    }
  }

  #openWanted(): void {
    for (const [id, spec] of this.#wanted) {
      // held by this instance's active task of the same id, still closing (the lock is per instance, so it is
      // checked here): the standby opens once the active task released the directory
      if (this.#tasks.has(id) || this.#o.stateDirectory.isLocked(id)) continue;
      try {
        const t = this.#create(spec);
        if (t !== null) this.#tasks.set(id, t);
      } catch (e) {
        // typically the directory is still locked by this instance's active task being closed: next round
        log.debug(`Standby task ${id} not opened yet: ${String(e)}`);
      }
    }
  }

  #create(spec: TaskSpec): StandbyTask | null {
    const o = this.#o;
    const topology = o.builder.buildTopology([spec.subtopology]);
    for (const b of topology.storeBuilders) if (isConfigurableStoreBuilder(b)) b.configure({ defaultDslStore: o.settings.defaultDslStore });
    if (topology.storeBuilders.length === 0) return null;
    o.stateDirectory.lock(spec.id);
    let checkpoint = new Map<string, number>();
    let task: StreamTask | null = null;
    try {
      const file = o.stateDirectory.checkpoint(spec.id);
      checkpoint = new Map(file.read().map((e) => [`${e.topic}:${e.partition}`, e.offset]));
      if (o.eos) {
        // as for active tasks under exactly-once: while the task is open there is no checkpoint, so a crash leaves
        // none and the next owner wipes the state (it may hold records past the last checkpoint)
        if (checkpoint.size === 0) o.stateDirectory.wipeTask(spec.id);
        else rmSync(file.path, { force: true });
      }
      task = new StreamTask({
        taskId: spec.id,
        ...streamTaskSettings(o.settings),
        partition: spec.partition,
        topology,
        collector: NO_OUTPUT,
        metrics: o.metrics,
        stateDir: o.stateDirectory.taskDir(spec.id),
        wallClock: o.wallClock,
        cache: null,
        globalStores: o.globalStores,
      });
      task.initialize();
    } catch (e) {
      try {
        task?.close();
      } catch {
        // the first error is the one to report
      }
      o.stateDirectory.unlock(spec.id);
      throw e;
    }
    let persistent = false;
    const changelogs: ChangelogPosition[] = [];
    for (const [store, reg] of task.registeredStores) {
      if (reg.store.persistent()) persistent = true;
      if (reg.changelogTopic === null) continue;
      const cp = reg.store.persistent() ? checkpoint.get(`${reg.changelogTopic}:${spec.partition}`) : undefined;
      changelogs.push({ store, topic: reg.changelogTopic, next: cp !== undefined && cp >= 0 ? cp + 1 : 0, applied: cp ?? -1 });
    }
    log.info(`Standby task ${spec.id} created (changelogs ${changelogs.map((c) => `${c.topic}-${spec.partition} from ${c.next}`).join(', ')})`);
    return new StandbyTask(spec, task, changelogs, persistent);
  }

  /** Reads one batch of each changelog of a standby task and applies it; true when something was applied. */
  async #update(t: StandbyTask): Promise<boolean> {
    let progressed = false;
    for (const c of t.changelogs) {
      if (t.closed) return progressed;
      const { records, nextOffset } = await this.#o.reader.read(c.topic, t.spec.partition, c.next).catch(async (e: unknown) => {
        // below the log start (compacted or deleted): start over from the log start
        if (e instanceof StreamsException && /error code 1\b/.test(e.message)) {
          const { low } = await this.#o.reader.offsets(c.topic, t.spec.partition);
          c.next = low;
          return { records: [], nextOffset: low };
        }
        throw e;
      });
      if (t.closed) return progressed;
      const reg = t.task.registeredStores.get(c.store);
      if (reg === undefined) continue;
      const batch: Array<{ key: Buffer; value: Buffer | null; timestamp: number }> = [];
      for (const r of records) if (r.key !== null) batch.push({ key: r.key, value: r.value, timestamp: r.timestamp });
      if (batch.length > 0) reg.restore(batch);
      if (nextOffset > c.next) {
        c.next = nextOffset;
        c.applied = nextOffset - 1;
        t.dirty += batch.length;
        this.recordsApplied += batch.length;
        progressed = true;
      }
    }
    const now = this.#o.wallClock();
    if (!this.#o.eos && t.dirty > 0 && now >= t.nextCheckpointAt) {
      this.#checkpoint(t);
      t.nextCheckpointAt = now + this.#o.commitIntervalMs;
    }
    return progressed;
  }

  #checkpoint(t: StandbyTask): void {
    if (!t.persistent) return;
    t.task.prepareCommit();
    const entries = t.changelogs
      .filter((c) => c.applied >= 0 && t.task.registeredStores.get(c.store)?.store.persistent() === true)
      .map((c) => ({ topic: c.topic, partition: t.spec.partition, offset: c.applied }));
    if (entries.length > 0) this.#o.stateDirectory.checkpoint(t.spec.id).write(entries);
    t.dirty = 0;
  }

  #close(t: StandbyTask, clean: boolean): void {
    if (t.closed) return;
    t.closed = true;
    this.#tasks.delete(t.spec.id);
    try {
      if (clean) this.#checkpoint(t);
    } catch (e) {
      log.warn(`Could not write the checkpoint of standby task ${t.spec.id}`, e);
    }
    try {
      t.task.close();
    } catch (e) {
      log.warn(`Error closing standby task ${t.spec.id}`, e);
    }
    this.#o.stateDirectory.unlock(t.spec.id);
    log.info(`Standby task ${t.spec.id} closed (${t.changelogs.map((c) => `${c.topic}-${t.spec.partition} at ${c.applied}`).join(', ')})`);
  }
}
