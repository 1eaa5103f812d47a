/**
 * The interactive-query side of one KafkaStreams instance: local store views (`store`), the metadata of where
 * every store partition lives (rebuilt after each rebalance from the group's members and their
 * `application.server`), and committed change feeds. `KafkaStreams` owns one and delegates its query methods here.
 */
import type { Observable } from 'rxjs';
import { IllegalStateException, StreamsNotStartedException, UnknownStateStoreException } from '../errors';
import { log } from '../logger';
import type { StreamPartitioner } from '../processor/processor-node';
import type { GroupAssignor, GroupMemberDescription } from '../runtime/kafka-client';
import type { TopicPartition } from '../runtime/state-restore-listener';
import type { Serde, Serializer } from '../serde/serde';
import type { StateStore } from '../state/state-store';
import { applicationServerOf, withApplicationServer } from './application-server-subscription';
import { HostInfo } from './host-info';
import { StoreChangeFeed, type CommittedStoreChange } from './store-change-feed';
import { StoreProvider, type QueryableTask } from './store-provider';
import type { StoreQueryParameters } from './store-query-parameters';
import type { KeyQueryMetadata, StreamsMetadata, ThreadMetadata } from './streams-metadata';
import { StreamsMetadataState, type HostAssignment } from './streams-metadata-state';
import { decodeAssignment } from '../runtime/streams-partition-assignor';

export interface InteractiveQueriesOptions {
  /** The client state (`State` values). */
  state(): string;
  /** The local tasks now. */
  tasks(): Iterable<QueryableTask>;
  /** Source topics (repartition topics included) of the sub-topology of each store. */
  readonly storeSourceTopics: ReadonlyMap<string, readonly string[]>;
  partitionCounts(): ReadonlyMap<string, number>;
  /** `application.server`, or "" when unset. */
  readonly applicationServer: string;
  /** The group's members with their user data and assignments (DescribeGroups). */
  describeGroup(): Promise<{ stable: boolean; members: GroupMemberDescription[] }>;
  threads(): ThreadMetadata[];
  /**
   * A fresh, uninitialised instance of a store (from its builder), to learn its type and serdes on an instance
   * that hosts none of its tasks; undefined for an unknown store.
   */
  storeTemplate(storeName: string): StateStore | undefined;
  /** `default.key.serde`, for stores whose builder has no key serde. */
  readonly defaultKeySerde: Serde<unknown> | null;
  /** The source partitions of a task (for the standby tasks members announce in their assignments). */
  taskPartitions(taskId: string): readonly TopicPartition[];
}

/** Attempts to read a stable group description after an assignment before waiting for the next one. */
const REFRESH_ATTEMPTS = 20;
const REFRESH_BACKOFF_MS = 100;

export class InteractiveQueries {
  readonly metadata: StreamsMetadataState;
  readonly feed: StoreChangeFeed;
  readonly #provider: StoreProvider;
  readonly #o: InteractiveQueriesOptions;
  readonly #thisHost: HostInfo | null;
  readonly #templates = new Map<string, StateStore | undefined>();
  #refreshSeq = 0;
  #closed = false;

  constructor(options: InteractiveQueriesOptions) {
    this.#o = options;
    this.#thisHost = HostInfo.buildFromEndpoint(options.applicationServer);
    this.#provider = new StoreProvider({ state: () => options.state(), tasks: () => options.tasks() });
    this.metadata = new StreamsMetadataState(options.storeSourceTopics, () => options.partitionCounts(), this.#thisHost);
    // change feeds carry the committed writes of active tasks; standby tasks only mirror other instances' writes
    this.feed = new StoreChangeFeed(() => [...options.tasks()].filter((t) => t.standby !== true));
  }

  /** This instance's `application.server`, or null. */
  get thisHost(): HostInfo | null {
    return this.#thisHost;
  }

  hasStore(storeName: string): boolean {
    return this.#o.storeSourceTopics.has(storeName);
  }

  // ---- KafkaStreams methods ----

  store<T>(params: StoreQueryParameters<T>): T {
    this.#validateRunningOrRebalancing();
    const name = params.storeName();
    if (!this.hasStore(name)) {
      throw new UnknownStateStoreException(`Cannot get state store ${name} because no such store is registered in the topology.`);
    }
    return params.queryableStoreType().create(name, () => this.#provider.stores(params));
  }

  queryMetadataForKey<K>(storeName: string, key: K, keySerializerOrPartitioner: Serializer<K> | StreamPartitioner<K, unknown>): KeyQueryMetadata | null {
    this.#validateRunningOrRebalancing();
    return this.metadata.keyQueryMetadataForKey(storeName, key, keySerializerOrPartitioner);
  }

  metadataForAllStreamsClients(): StreamsMetadata[] {
    this.#validateRunningOrRebalancing();
    return this.metadata.allMetadata();
  }

  streamsMetadataForStore(storeName: string): StreamsMetadata[] {
    this.#validateRunningOrRebalancing();
    return this.metadata.allMetadataForStore(storeName);
  }

  metadataForLocalThreads(): ThreadMetadata[] {
    return this.#o.threads();
  }

  changes$<K, V>(storeName: string): Observable<CommittedStoreChange<K, V>> {
    if (!this.hasStore(storeName)) {
      throw new UnknownStateStoreException(`Cannot follow state store ${storeName} because no such store is registered in the topology.`);
    }
    return this.feed.changes$<K, V>(storeName);
  }

  /** One local instance of a store (any task's), to learn its type and serdes; undefined when none is local. */
  localStore(storeName: string): StateStore | undefined {
    for (const t of this.#o.tasks()) {
      if (t.state === 'CLOSED') continue;
      const s = t.store(storeName);
      if (s !== undefined) return s;
    }
    return undefined;
  }

  /** An uninitialised instance of the store built from its builder (cached), to learn its type and serdes. */
  storeTemplate(storeName: string): StateStore | undefined {
    if (!this.#templates.has(storeName)) this.#templates.set(storeName, this.#o.storeTemplate(storeName));
    return this.#templates.get(storeName);
  }

  /** `default.key.serde`, or null. */
  get defaultKeySerde(): Serde<unknown> | null {
    return this.#o.defaultKeySerde;
  }

  /** The local stores for the parameters, one per task (with the checks and errors of `store`). */
  localStores<T>(params: StoreQueryParameters<T>): T[] {
    this.#validateRunningOrRebalancing();
    if (!this.hasStore(params.storeName())) {
      throw new UnknownStateStoreException(`Cannot get state store ${params.storeName()} because no such store is registered in the topology.`);
    }
    return this.#provider.stores(params);
  }

  // ---- runtime hooks ----

  /** The group assignor with `application.server` added to the subscription (as is when unset). */
  wrapAssignor(assignor: GroupAssignor): GroupAssignor {
    return this.#thisHost === null ? assignor : withApplicationServer(assignor, this.#o.applicationServer);
  }

  /** A rebalance started: the assignment is about to change. */
  onRebalancing(): void {
    // Kafka keeps the last metadata until the new assignment arrives; so do we.
  }

  /** A new assignment was applied: feeds follow the new tasks, metadata is rebuilt from the group. */
  onAssigned(created: readonly QueryableTask[], kept: readonly string[]): void {
    this.feed.onTasksKept(kept);
    this.feed.onTasksCreated(created);
    void this.refreshMetadata();
  }

  onCommitted(taskId: string): void {
    this.feed.onCommitted(taskId);
  }

  /** Reads the group (after an assignment) and rebuilds the metadata; resolves true once rebuilt. */
  async refreshMetadata(): Promise<boolean> {
    const seq = ++this.#refreshSeq;
    for (let attempt = 0; attempt < REFRESH_ATTEMPTS && !this.#closed && seq === this.#refreshSeq; attempt++) {
      try {
        const group = await this.#o.describeGroup();
        if (seq !== this.#refreshSeq || this.#closed) return false;
        if (group.stable) {
          this.metadata.onChange(hostAssignments(group.members, (id) => this.#o.taskPartitions(id)));
          return true;
        }
      } catch (e) {
        log.warn('Could not read the group to refresh interactive-query metadata', e);
      }
      await new Promise((r) => setTimeout(r, REFRESH_BACKOFF_MS).unref?.());
    }
    return false;
  }

  close(): void {
    this.#closed = true;
    this.feed.close();
  }

  #validateRunningOrRebalancing(): void {
    const s = this.#o.state();
    if (s === 'CREATED') throw new StreamsNotStartedException('KafkaStreams has not been started, you can retry after calling start()');
    if (s !== 'RUNNING' && s !== 'REBALANCING') throw new IllegalStateException(`KafkaStreams is not running. State is ${s}.`);
  }
}

function hostAssignments(members: readonly GroupMemberDescription[], taskPartitions: (taskId: string) => readonly TopicPartition[]): HostAssignment[] {
  const byHost = new Map<string, { host: HostInfo; active: TopicPartition[]; standby: TopicPartition[] }>();
  for (const m of members) {
    const endpoint = applicationServerOf(m.userData);
    if (endpoint === null) continue;
    let host: HostInfo | null;
    try {
      host = HostInfo.buildFromEndpoint(endpoint);
    } catch {
      continue;
    }
    if (host === null) continue;
    let entry = byHost.get(endpoint);
    if (!entry) {
      entry = { host, active: [], standby: [] };
      byHost.set(endpoint, entry);
    }
    for (const [topic, ps] of m.assignment) for (const partition of ps) entry.active.push({ topic, partition });
    for (const id of decodeAssignment(m.assignmentUserData)?.standbyTasks ?? []) entry.standby.push(...taskPartitions(id));
  }
  return [...byHost.values()].map((e) => ({ host: e.host, active: e.active, standby: e.standby }));
}

const registry = new WeakMap<object, InteractiveQueries>();

/** Links a KafkaStreams instance to its query services (called by its constructor). */
export function registerInteractiveQueries(streams: object, queries: InteractiveQueries): void {
  registry.set(streams, queries);
}

/** The query services of a KafkaStreams instance (for the HTTP query server). */
export function interactiveQueriesOf(streams: object): InteractiveQueries {
  const q = registry.get(streams);
  if (q === undefined) throw new IllegalStateException('not a KafkaStreams instance');
  return q;
}
