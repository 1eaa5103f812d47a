/**
 * `KafkaStreams`: runs a topology against Kafka. It creates the internal topics, joins the consumer group with
 * its own task assignor, restores and runs the assigned tasks, commits at `commit.interval.ms`, and moves through
 * Kafka Streams' client states. One instance is one Kafka Streams "stream thread"; run more instances with the
 * same `applicationId` to scale out. Per-record work is synchronous; it awaits only at batch boundaries.
 *
 * @example
 * const streams = new KafkaStreams(builder.build(), { applicationId: 'wordcount', bootstrapServers: 'localhost:9092' });
 * streams.setStateListener((newState, oldState) => console.log(`${oldState} -> ${newState}`));
 * await streams.start();
 * process.on('SIGINT', () => void streams.close());
 */
import { GlobalStreamThread } from './global-stream-thread';
import { randomUUID } from 'node:crypto';
import type { Observable } from 'rxjs';
import { BehaviorSubject, Subject, interval, map, startWith, takeUntil } from 'rxjs';
import type { StreamsConfigProps } from '../config/streams-config';
import { StreamsConfig } from '../config/streams-config';
import { ConfigException, IllegalStateException, StreamsException } from '../errors';
import { log } from '../logger';
import { StateDirectory } from '../state/state-directory';
import { ThreadCache } from '../state/thread-cache';
import type { DurationLike } from '../time/duration';
import { durationMs } from '../time/duration';
import type { Topology } from '../topology/topology';
import { internalBuilderOf } from '../topology/topology';
import type { InternalTopologyBuilder } from '../topology/internal-topology-builder';
import type { ProductionExceptionHandler } from './exception-handlers';
import { DefaultProductionExceptionHandler } from './exception-handlers';
import type { TopicLayout } from './internal-topic-manager';
import { setupTopics } from './internal-topic-manager';
import type { BatchControl, FetchedBatch, GroupConsumer, PartitionReader } from './kafka-client';
import { KafkaClient, isRebalanceError } from './kafka-client';
import type { MetricValue } from './metrics';
import { StreamsMetrics } from './metrics';
import { refuseUnknownProducerSettings } from './producer/kafka-producer';
import { PartitionCounts, ProducerSink, TaskSendFailure } from './record-collector-impl';
import { RepartitionPurger } from './repartition-purger';
import { RestoreProgress } from './restore-progress';
import type { StateRestoreListener } from './state-restore-listener';
import { StandbyTasks } from './standby-tasks';
import type { TaskSpec } from './streams-partition-assignor';
import { LATEST_OFFSET, StreamsPartitionAssignor, decodeAssignment, decodeSubscription, tasksFor } from './streams-partition-assignor';
import type { ActiveTask } from './task-manager';
import { TaskManager } from './task-manager';
import type { TaskProducer } from './task-producer';
import { DeliveryTimeoutError } from './task-producer';
import { refuseUnsupportedSettings } from './unsupported-settings';
import type { TaskSettings } from './task-settings';
import { taskSettings } from './task-settings';
import { InteractiveQueries, registerInteractiveQueries } from '../query/interactive-queries';
import type { QueryableTask } from '../query/store-provider';
import type { CommittedStoreChange } from '../query/store-change-feed';
import type { StoreQueryParameters } from '../query/store-query-parameters';
import type { KeyQueryMetadata, StreamsMetadata, ThreadMetadata } from '../query/streams-metadata';
import type { StreamPartitioner } from '../processor/processor-node';
import type { Serializer } from '../serde/serde';
import type { StateStore } from '../state/state-store';
import { isConfigurableStoreBuilder } from '../dsl/store-materializer';

/** Client states, as Kafka Streams' `KafkaStreams.State`. */
export enum State {
  CREATED = 'CREATED',
  REBALANCING = 'REBALANCING',
  RUNNING = 'RUNNING',
  PENDING_SHUTDOWN = 'PENDING_SHUTDOWN',
  NOT_RUNNING = 'NOT_RUNNING',
  PENDING_ERROR = 'PENDING_ERROR',
  ERROR = 'ERROR',
}

const TRANSITIONS: Readonly<Record<State, readonly State[]>> = {
  [State.CREATED]: [State.REBALANCING, State.PENDING_SHUTDOWN, State.PENDING_ERROR],
  [State.REBALANCING]: [State.RUNNING, State.PENDING_SHUTDOWN, State.PENDING_ERROR],
  [State.RUNNING]: [State.REBALANCING, State.PENDING_SHUTDOWN, State.PENDING_ERROR],
  [State.PENDING_SHUTDOWN]: [State.NOT_RUNNING],
  [State.NOT_RUNNING]: [],
  [State.PENDING_ERROR]: [State.ERROR],
  [State.ERROR]: [],
};

/** `setStateListener` callback: `(newState, oldState)`, as Kafka's `StateListener.onChange`. */
export type StateListener = (newState: State, oldState: State) => void;

/** One state change, as emitted by {@link KafkaStreams.stateChanges$}. */
export interface StateChange {
  readonly newState: State;
  readonly oldState: State;
}

/** What to do after an uncaught processing error (Kafka's `StreamThreadExceptionResponse`). */
export enum StreamThreadExceptionResponse {
  /** Close the tasks dirty and start processing again with a new consumer (the tasks restore). */
  REPLACE_THREAD = 'REPLACE_THREAD',
  /** Stop this instance; it ends in `ERROR`. */
  SHUTDOWN_CLIENT = 'SHUTDOWN_CLIENT',
  /** Stop every instance of the application (signalled through the group); all end in `ERROR`. */
  SHUTDOWN_APPLICATION = 'SHUTDOWN_APPLICATION',
}

/** Kafka's `StreamsUncaughtExceptionHandler`, as an object or a plain function. */
export type StreamsUncaughtExceptionHandler =
  | { handle(error: Error): StreamThreadExceptionResponse }
  | ((error: Error) => StreamThreadExceptionResponse);

/** Options of {@link KafkaStreams.close}. */
export interface CloseOptions {
  /** How long to wait for a clean shutdown; `close` resolves `false` if it takes longer. Default: no limit. */
  readonly timeout?: DurationLike;
}

/** Records processed per round before the loop heartbeats, flushes and checks for a commit. */
const PROCESS_CHUNK = 1000;
/** How long a rejoin waits for the commit of what was processed before it (see `#commitBeforeRejoin`). */
const REJOIN_COMMIT_WAIT_MS = 30_000;

interface Thread {
  readonly id: number;
  readonly tasks: TaskManager;
  readonly standbys: StandbyTasks;
  readonly consumer: GroupConsumer;
  readonly paused: Set<string>;
  /** Partitions paused because their buffer passed `buffered.records.per.partition`. */
  readonly full: Set<string>;
  tick: NodeJS.Timeout | null;
  /** The probing rebalance the leader scheduled while warm-up replicas catch up, or null. */
  probe: NodeJS.Timeout | null;
  failed: boolean;
  stopping: boolean;
  nextCommitAt: number;
}

export class KafkaStreams {
  readonly #config: StreamsConfig;
  readonly #settings: TaskSettings;
  readonly #builder: InternalTopologyBuilder;
  readonly #metrics = new StreamsMetrics();
  readonly #state$ = new BehaviorSubject<State>(State.CREATED);
  readonly #changes$ = new Subject<StateChange>();
  readonly #processId: string;
  readonly #clientId: string;
  readonly #stateDirectory: StateDirectory;
  readonly #productionHandler: ProductionExceptionHandler;
  #stateListener: StateListener | null = null;
  #uncaughtHandler: StreamsUncaughtExceptionHandler | null = null;
  #restoreListener: StateRestoreListener | null = null;
  readonly #restoreProgress: RestoreProgress;
  #client: KafkaClient | null = null;
  /** The leader's reader of changelog end offsets (for standby lags). */
  #endOffsetReader: PartitionReader | null = null;
  /** The producer all tasks share under at-least-once (under exactly-once each task has its own). */
  #producer: TaskProducer | null = null;
  #sink: ProducerSink | null = null;
  #counts: PartitionCounts | null = null;
  #layout: TopicLayout | null = null;
  #purger: RepartitionPurger | null = null;
  #cache: ThreadCache;
  #thread: Thread | null = null;
  #global: GlobalStreamThread | null = null;
  #threadSeq = 0;
  /** Re-resolves pattern sources every `metadata.max.age.ms` (only for topologies with pattern sources). */
  #patternCheck: NodeJS.Timeout | null = null;
  #patternCheckRunning = false;
  #chain: Promise<unknown> = Promise.resolve();
  #shutdownRequested = false;
  #closing: Promise<void> | null = null;
  readonly #queries: InteractiveQueries;

  /**
   * @param topology the topology to run (from `StreamsBuilder.build()` or `new Topology()`)
   * @param props config: camelCase or Kafka's dotted keys; unknown keys and bad values throw a `ConfigException`
   */
  constructor(topology: Topology, props: StreamsConfigProps | StreamsConfig) {
    this.#config = props instanceof StreamsConfig ? props : new StreamsConfig(props);
    const v = this.#config.values;
    validateApplicationId(v.applicationId, 'applicationId' in this.#config.originals() ? 'applicationId' : 'application.id');
    if (v.numStreamThreads !== 1) {
      throw new ConfigException(
        `Invalid value ${v.numStreamThreads} for configuration "numStreamThreads" (num.stream.threads): a KafkaStreams instance runs one stream thread; run more instances (processes) with the same applicationId to scale out`,
      );
    }
    const producerOverrides = this.#config.producerConfigs();
    refuseUnknownProducerSettings(producerOverrides);
    if (producerOverrides['transactional.id'] !== undefined) {
      throw new ConfigException(
        `Invalid value ${String(producerOverrides['transactional.id'])} for configuration "producer.transactional.id": Kafka Streams sets the transactional id itself (<applicationId>-<taskId> under exactly_once_v2)`,
      );
    }
    if (this.#config.eosEnabled()) {
      const idem = producerOverrides['enable.idempotence'];
      if (idem !== undefined && idem !== true && idem !== 'true') {
        throw new ConfigException(`Invalid value ${String(idem)} for configuration "producer.enable.idempotence": exactly_once_v2 needs the idempotent producer`);
      }
      const retries = producerOverrides['retries'];
      if (retries !== undefined && Number(retries) < 1) {
        throw new ConfigException(`Invalid value ${String(retries)} for configuration "producer.retries": must be at least 1 under exactly_once_v2 (the idempotent producer retries)`);
      }
      const acks = producerOverrides['acks'];
      if (acks !== undefined && acks !== 'all' && acks !== '-1' && acks !== -1) {
        throw new ConfigException(`Invalid value ${String(acks)} for configuration "producer.acks": exactly_once_v2 needs acks=all`);
      }
    }
    refuseUnsupportedSettings(this.#config);
    this.#settings = taskSettings(v, this.#config.originals());
    this.#builder = internalBuilderOf(topology);
    this.#builder.setApplicationId(v.applicationId);
    this.#stateDirectory = new StateDirectory({ stateDir: v.stateDir, applicationId: v.applicationId });
    this.#processId = this.#hasPersistentStores() ? this.#stateDirectory.processId() : randomUUID();
    this.#clientId = v.clientId !== '' ? v.clientId : `${v.applicationId}-${this.#processId}`;
    this.#productionHandler = productionHandlerFrom(v.productionExceptionHandler);
    this.#cache = new ThreadCache(v.statestoreCacheMaxBytes);
    const storeSubtopology = new Map<string, number>();
    for (const s of this.#builder.subtopologyTopics()) for (const store of s.stores) storeSubtopology.set(store, s.id);
    this.#restoreProgress = new RestoreProgress(this.#metrics, (store, partition) => `${storeSubtopology.get(store) ?? '?'}_${partition}`);
    this.#queries = this.#interactiveQueries();
    registerInteractiveQueries(this, this.#queries);
  }

  #interactiveQueries(): InteractiveQueries {
    const storeSourceTopics = new Map<string, readonly string[]>();
    for (const s of this.#builder.subtopologyTopics()) for (const store of s.stores) storeSourceTopics.set(store, s.sourceTopics);
    return new InteractiveQueries({
      state: () => this.state(),
      tasks: () => this.#queryableTasks(),
      storeSourceTopics,
      partitionCounts: () => this.#layout?.partitionCounts ?? new Map<string, number>(),
      applicationServer: this.#config.values.applicationServer,
      describeGroup: async () => {
        if (!this.#client) return { stable: false, members: [] };
        return this.#client.describeGroupMembers(this.#config.values.applicationId);
      },
      threads: () => this.#threadMetadata(),
      storeTemplate: (name) => this.#storeTemplate(name),
      defaultKeySerde: this.#settings.defaultKeySerde,
      taskPartitions: (id) => this.#taskSpec(id)?.topicPartitions ?? [],
    });
  }

  #storeTemplate(name: string): StateStore | undefined {
    const sub = this.#builder.subtopologyTopics().find((s) => s.stores.includes(name));
    if (!sub) return undefined;
    const b = this.#builder.buildTopology([sub.id]).storeBuilders.find((x) => x.name === name);
    if (!b) return undefined;
    if (isConfigurableStoreBuilder(b)) b.configure({ defaultDslStore: this.#settings.defaultDslStore });
    return b.build();
  }

  *#queryableTasks(): Iterable<QueryableTask> {
    const thread = this.#thread;
    if (!thread || thread.failed || thread.stopping) return;
    for (const t of thread.tasks.tasks.values()) yield queryableTask(t);
    yield* thread.standbys.queryableTasks();
  }

  #threadMetadata(): ThreadMetadata[] {
    const thread = this.#thread;
    if (!thread || thread.stopping) return [];
    const s = this.state();
    const threadState = thread.failed ? 'DEAD' : s === State.RUNNING ? 'RUNNING' : s === State.REBALANCING ? 'PARTITIONS_ASSIGNED' : s === State.PENDING_SHUTDOWN ? 'PENDING_SHUTDOWN' : 'STARTING';
    const activeTasks = [...thread.tasks.tasks.values()].map((t) => ({
      taskId: t.id,
      topicPartitions: t.spec.topicPartitions.map((tp) => ({ topic: tp.topic, partition: tp.partition })),
      timeCurrentIdlingStarted: t.blockedSince >= 0 ? t.blockedSince : null,
    }));
    const standbyTasks = thread.standbys.taskIds().map((id) => {
      const spec = this.#taskSpec(id);
      return { taskId: id, topicPartitions: (spec?.topicPartitions ?? []).map((tp) => ({ topic: tp.topic, partition: tp.partition })), timeCurrentIdlingStarted: null };
    });
    return [{ threadName: `${this.#clientId}-StreamThread-${thread.id}`, threadState, consumerClientId: this.#clientId, activeTasks, standbyTasks }];
  }

  #taskSpec(id: string): TaskSpec | undefined {
    const layout = this.#layout;
    return layout === null ? undefined : tasksFor(layout.subtopologies, layout.partitionCounts).find((s) => s.id === id);
  }

  #hasPersistentStores(): boolean {
    return this.#builder.subtopologyTopics().some((s) => s.stores.length > 0);
  }

  // ---- state ----

  /** The current state. */
  state(): State {
    return this.#state$.value;
  }

  /** The state now and every later state, as an rxjs Observable (completes after NOT_RUNNING or ERROR). */
  get state$(): Observable<State> {
    return this.#state$.asObservable();
  }

  /** Every state change `{ newState, oldState }`, as an rxjs Observable. */
  get stateChanges$(): Observable<StateChange> {
    return this.#changes$.asObservable();
  }

  /** Kafka's `setStateListener`: only while `CREATED`. */
  setStateListener(listener: StateListener): void {
    if (this.state() !== State.CREATED) throw new IllegalStateException('Can only set StateListener before calling start(). Current state is: ' + this.state());
    this.#stateListener = listener;
  }

  /** Kafka's `setUncaughtExceptionHandler`: only while `CREATED`. */
  setUncaughtExceptionHandler(handler: StreamsUncaughtExceptionHandler): void {
    if (this.state() !== State.CREATED) throw new IllegalStateException('Can only set UncaughtExceptionHandler before calling start(). Current state is: ' + this.state());
    this.#uncaughtHandler = handler;
  }

  /** Kafka's `setGlobalStateRestoreListener`: only while `CREATED`. */
  setGlobalStateRestoreListener(listener: StateRestoreListener): void {
    if (this.state() !== State.CREATED) throw new IllegalStateException('Can only set GlobalStateRestoreListener before calling start(). Current state is: ' + this.state());
    this.#restoreListener = listener;
  }

  #setState(next: State): boolean {
    const old = this.state();
    if (old === next) return true;
    if (!TRANSITIONS[old].includes(next)) return false;
    log.info(`State transition from ${old} to ${next}`);
    this.#state$.next(next);
    this.#changes$.next({ newState: next, oldState: old });
    try {
      this.#stateListener?.(next, old);
    } catch (e) {
      log.error('State listener threw', e);
    }
    if (next === State.NOT_RUNNING || next === State.ERROR) {
      this.#queries.close();
      this.#state$.complete();
      this.#changes$.complete();
    }
    return true;
  }

  /** Current metric values. */
  metrics(): MetricValue[] {
    return this.#metrics.snapshot();
  }

  /**
   * The metrics every `periodMs` (default 1 s) as an rxjs Observable, starting now; completes when the client
   * stops (NOT_RUNNING or ERROR).
   */
  metrics$(periodMs = 1000): Observable<MetricValue[]> {
    const ended = new Subject<void>();
    this.#state$.subscribe({ complete: () => ended.next() });
    return interval(periodMs).pipe(
      startWith(0),
      map(() => this.#metrics.snapshot()),
      takeUntil(ended),
    );
  }

  /** Ids of the active tasks this instance runs now (`<subtopology>_<partition>`). */
  activeTaskIds(): string[] {
    return this.#thread?.tasks.activeTaskIds() ?? [];
  }

  // ---- interactive queries ----

  /**
   * A read-only view of a state store over this instance's tasks (Kafka's `store`). Reads go through the record
   * cache. Each read finds the local stores again and throws an `InvalidStateStoreException` subclass while the
   * store cannot be queried here (`StreamsRebalancingException`, `StateStoreMigratedException`,
   * `InvalidStateStorePartitionException`, `StateStoreNotAvailableException`): retry after rediscovery.
   *
   * @example
   * const counts = streams.store(StoreQueryParameters.fromNameAndType('counts', QueryableStoreTypes.keyValueStore<string, number>()));
   * counts.get('kafka');
   */
  store<T>(storeQueryParameters: StoreQueryParameters<T>): T {
    return this.#queries.store(storeQueryParameters);
  }

  /**
   * Where `key` of `storeName` lives: active host, standby hosts and partition (`KeyQueryMetadata.NOT_AVAILABLE`
   * before the first assignment is known; null for a store the topology does not have).
   */
  queryMetadataForKey<K>(storeName: string, key: K, keySerializer: Serializer<K>): KeyQueryMetadata | null;
  queryMetadataForKey<K>(storeName: string, key: K, partitioner: StreamPartitioner<K, unknown>): KeyQueryMetadata | null;
  queryMetadataForKey<K>(storeName: string, key: K, how: Serializer<K> | StreamPartitioner<K, unknown>): KeyQueryMetadata | null {
    return this.#queries.queryMetadataForKey(storeName, key, how);
  }

  /** Every instance of the application that set `application.server`, with the stores and partitions it hosts. */
  metadataForAllStreamsClients(): StreamsMetadata[] {
    return this.#queries.metadataForAllStreamsClients();
  }

  /** The instances hosting `storeName` (active or standby). */
  streamsMetadataForStore(storeName: string): StreamsMetadata[] {
    return this.#queries.streamsMetadataForStore(storeName);
  }

  /** The local stream thread and its tasks. */
  metadataForLocalThreads(): ThreadMetadata[] {
    return this.#queries.metadataForLocalThreads();
  }

  /**
   * Committed updates of a key-value store on this instance (key, new value, old value, timestamp), from
   * subscription on; completes when the instance stops.
   */
  changes$<K, V>(storeName: string): Observable<CommittedStoreChange<K, V>> {
    return this.#queries.changes$<K, V>(storeName);
  }

  /** Deletes this application's local state directory (Kafka's `cleanUp()`); only while not running. */
  cleanUp(): void {
    const s = this.state();
    if (s !== State.CREATED && s !== State.NOT_RUNNING && s !== State.ERROR) {
      throw new IllegalStateException('Cannot clean up while running.');
    }
    this.#stateDirectory.clean();
  }

  // ---- lifecycle ----

  /**
   * Creates internal topics, checks source topics and co-partitioning, and joins the group. Resolves once the
   * first assignment is received (state REBALANCING, then RUNNING once its tasks are restored). Rejects, leaving
   * the instance in ERROR, when topics are missing or invalid.
   */
  async start(): Promise<void> {
    if (this.state() !== State.CREATED) throw new IllegalStateException(`KafkaStreams can only be started once, in state CREATED; it is ${this.state()}.`);
    this.#setState(State.REBALANCING);
    const v = this.#config.values;
    try {
      const client = new KafkaClient({ clientId: this.#clientId, bootstrapServers: v.bootstrapServers, overrides: v.kafkajs });
      this.#client = client;
      if (this.#hasPatterns()) this.#builder.resolvePatternTopics(await client.listTopics());
      this.#layout = await this.#setupLayout(client);
      if (this.#layout.repartitionTopics.length > 0) this.#purger = new RepartitionPurger(client.recordDeleter(), v.repartitionPurgeIntervalMs);
      this.#counts = new PartitionCounts(client);
      for (const [t, n] of this.#layout.partitionCounts) this.#counts.set(t, n);
      // Sink topics too: otherwise the first flush asks for metadata, possibly while restoration reads offsets.
      await this.#counts.prefetch(this.#builder.subtopologyTopics().flatMap((s) => s.sinkTopics));
      if (!this.#config.eosEnabled()) {
        this.#producer = client.producer({ transactionalId: null, overrides: this.#config.producerConfigs() });
        await this.#producer.connect();
      }
      this.#sink = new ProducerSink(this.#counts, this.#productionHandler);
      if (this.#builder.hasGlobalStores()) {
        // global state first: no task processes before its global stores are complete (Kafka's GlobalStreamThread)
        this.#global = new GlobalStreamThread({
          builder: this.#builder, settings: this.#settings, metrics: this.#metrics, wallClock: () => Date.now(), cache: null,
          client, stateDirectory: this.#stateDirectory, pollMs: Math.max(10, v.pollMs),
        });
        await this.#global.start();
      }
      await this.#startThread();
      if (this.#hasPatterns()) this.#schedulePatternChecks();
    } catch (e) {
      log.error('Failed to start the streams client', e);
      this.#setState(State.PENDING_ERROR);
      await this.#teardown(false);
      this.#setState(State.ERROR);
      throw e;
    }
  }

  #hasPatterns(): boolean {
    return this.#builder.sourcePatterns().length > 0;
  }

  #setupLayout(client: KafkaClient): Promise<TopicLayout> {
    return setupTopics(client, this.#builder.subtopologyTopics(), this.#builder.copartitionGroups(), {
      replicationFactor: this.#config.values.replicationFactor,
      topicConfigs: this.#config.topicConfigs(),
    });
  }

  /** `metadata.max.age.ms` of the main consumer (Kafka's default 300000): how often pattern sources are re-resolved. */
  #metadataMaxAgeMs(): number {
    const setting = this.#config.consumerConfigs('main')['metadata.max.age.ms'];
    return setting === undefined ? 300_000 : Number(setting);
  }

  /**
   * Pattern sources follow the cluster's topics: every `metadata.max.age.ms` the patterns are matched against the
   * topics again, and when the matched set changed the thread rejoins with the new subscription (Kafka's consumer
   * does this on its metadata refresh; kafkajs resolves a subscription only when it subscribes, so the stream
   * thread is replaced cleanly: its tasks commit and close, then a new consumer subscribes to the new topics).
   */
  #schedulePatternChecks(): void {
    this.#patternCheck = setInterval(() => void this.#checkPatterns(), Math.max(10, this.#metadataMaxAgeMs()));
    this.#patternCheck.unref?.();
  }

  async #checkPatterns(): Promise<void> {
    const client = this.#client;
    const thread = this.#thread;
    if (this.#patternCheckRunning || this.#closing || !client || !thread || thread.failed || thread.stopping) return;
    this.#patternCheckRunning = true;
    try {
      let topics: string[];
      try {
        topics = await client.listTopics();
      } catch (e) {
        log.warn(`Listing topics for the pattern sources failed; trying again in metadata.max.age.ms: ${String(e)}`);
        return;
      }
      if (this.#closing || this.#thread !== thread || thread.failed || thread.stopping) return;
      const before = this.#layout?.sourceTopics ?? [];
      if (!this.#builder.resolvePatternTopics(topics)) return;
      const layout = await this.#setupLayoutRetrying(client);
      const added = layout.sourceTopics.filter((t) => !before.includes(t));
      const removed = before.filter((t) => !layout.sourceTopics.includes(t));
      log.info(`The pattern sources match other topics now (added [${added.join(', ')}], removed [${removed.join(', ')}]); rejoining with the new subscription`);
      await this.#stopThread(thread, true);
      if (this.#closing) return;
      this.#layout = layout;
      for (const [t, n] of layout.partitionCounts) this.#counts?.set(t, n);
      if (this.state() === State.RUNNING) this.#setState(State.REBALANCING);
      await this.#startThreadRetrying();
    } catch (e) {
      log.error('Rejoining with the new pattern subscription failed', e);
      await this.#shutdownWithError();
    } finally {
      this.#patternCheckRunning = false;
    }
  }

  async #setupLayoutRetrying(client: KafkaClient): Promise<TopicLayout> {
    const deadline = Date.now() + this.#config.values.taskTimeoutMs;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.#setupLayout(client);
      } catch (e) {
        if (this.#closing || !isTransientClientError(e) || Date.now() >= deadline) throw e;
        await new Promise((r) => setTimeout(r, Math.min(5000, 200 * 2 ** attempt)));
      }
    }
  }

  async #startThread(): Promise<void> {
    const v = this.#config.values;
    const client = this.#client!;
    const layout = this.#layout!;
    const id = ++this.#threadSeq;
    this.#metrics.threadId = `${this.#clientId}-StreamThread-${id}`;
    const tasks = new TaskManager({
      builder: this.#builder,
      layout,
      settings: this.#settings,
      client,
      stateDirectory: this.#stateDirectory,
      counts: this.#counts!,
      sink: this.#sink!,
      metrics: this.#metrics,
      cache: this.#cache,
      globalStores: this.#global?.stores,
      restoreListener: () => this.#restoreProgress.listener(this.#restoreListener),
      maxTaskIdleMs: v.maxTaskIdleMs,
      wallClock: () => Date.now(),
      onCommitted: (taskId) => this.#queries.onCommitted(taskId),
      eos: this.#config.eosEnabled(),
      producerFor: (taskId) =>
        this.#producer ?? client.producer({ transactionalId: `${v.applicationId}-${taskId}`, overrides: this.#config.producerConfigs() }),
      resetToEarliest: (topic) => this.#fromBeginning(topic),
    });
    const standbys = new StandbyTasks({
      builder: this.#builder,
      settings: this.#settings,
      stateDirectory: this.#stateDirectory,
      metrics: this.#metrics,
      reader: client.partitionReader(),
      eos: this.#config.eosEnabled(),
      commitIntervalMs: v.commitIntervalMs,
      wallClock: () => Date.now(),
      idleMs: Math.max(50, v.pollMs),
      globalStores: this.#global?.stores,
    });
    const assignor = this.#queries.wrapAssignor(new StreamsPartitionAssignor({
      processId: this.#processId,
      subtopologies: layout.subtopologies,
      activeTasks: () => tasks.activeTaskIds(),
      cachedTasks: () => tasks.cachedTaskIds(),
      shutdownRequested: () => this.#shutdownRequested,
      taskOffsetSums: () => this.#taskOffsetSums(tasks, standbys),
      numStandbyReplicas: v.numStandbyReplicas,
      acceptableRecoveryLag: v.acceptableRecoveryLag,
      maxWarmupReplicas: v.maxWarmupReplicas,
      probingRebalanceIntervalMs: v.probingRebalanceIntervalMs,
      endOffsetSums: (specs) => this.#endOffsetSums(specs),
    }));
    const consumerOverrides = this.#config.consumerConfigs('main');
    let thread: Thread | null = null;
    const consumer = client.groupConsumer(
      {
        groupId: v.applicationId,
        topics: layout.sourceTopics.map((topic) => ({ topic, fromBeginning: this.#fromBeginning(topic) })),
        assignor,
        readCommitted: this.#config.eosEnabled(),
        maxWaitTimeMs: Math.max(10, v.pollMs),
        overrides: consumerOverrides,
      },
      {
        onAssigned: (assignment, userData) => {
          if (thread) this.#onAssigned(thread, assignment, userData);
        },
        onRebalancing: () => {
          if (thread) this.#onRebalancing(thread);
        },
        beforeRejoin: () => (thread ? this.#commitBeforeRejoin(thread) : Promise.resolve()),
        onBatch: (batch, control) => (thread ? this.#onBatch(thread, batch, control) : Promise.resolve()),
        onRestart: (error) => {
          if (!thread || thread.failed || thread.stopping) return;
          log.warn(`The consumer restarts after a client error: ${String(error)}`);
          const t = thread;
          void this.#exclusive(() => this.#reviveUncommitted(t));
        },
        onCrash: (error) => {
          if (!thread) return;
          if (isTransientClientError(error) && !thread.failed && !thread.stopping) {
            // the consumer gave up on a client error (broker unreachable): start a new one, as a replaced thread
            log.warn(`The consumer stopped on a client error; replacing the stream thread: ${String(error)}`);
            thread.failed = true;
            const t = thread;
            setImmediate(() => void this.#respond(t, StreamThreadExceptionResponse.REPLACE_THREAD));
            return;
          }
          this.#onThreadError(thread, error);
        },
      },
    );
    thread = { id, tasks, standbys, consumer, paused: new Set(), full: new Set(), tick: null, probe: null, failed: false, stopping: false, nextCommitAt: Date.now() + v.commitIntervalMs };
    this.#thread = thread;
    const t = thread;
    t.tick = setInterval(() => this.#tick(t), Math.max(10, v.pollMs));
    t.tick.unref?.();
    standbys.start();
    await consumer.start();
  }

  /**
   * Task offset sums for the subscription (Kafka's `taskOffsetSums`): active tasks report the latest offset, standby
   * tasks what they applied, other task directories the sum of their checkpoint.
   */
  #taskOffsetSums(tasks: TaskManager, standbys: StandbyTasks): Record<string, number> {
    const out: Record<string, number> = {};
    for (const id of tasks.cachedTaskIds()) {
      try {
        const entries = this.#stateDirectory.checkpoint(id).read();
        if (entries.length > 0) out[id] = entries.reduce((sum, e) => sum + Math.max(0, e.offset), 0);
      } catch {
        // unreadable: no offset sum (the directory still counts as state on disk)
      }
    }
    for (const [id, sum] of standbys.offsetSums()) out[id] = sum;
    for (const id of tasks.activeTaskIds()) out[id] = LATEST_OFFSET;
    return out;
  }

  /** Leader only: the sum of the changelog end offsets of each given stateful task, for the members' lags. */
  async #endOffsetSums(specs: readonly TaskSpec[]): Promise<ReadonlyMap<string, number> | null> {
    const client = this.#client;
    if (client === null) return null;
    const changelogs = new Map<number, string[]>();
    for (const s of this.#builder.subtopologyTopics()) changelogs.set(s.id, s.changelogTopics.map((c) => c.topic));
    this.#endOffsetReader ??= client.partitionReader();
    const reader = this.#endOffsetReader;
    const byTopic = new Map<string, number[]>();
    for (const spec of specs) {
      for (const topic of changelogs.get(spec.subtopology) ?? []) {
        let ps = byTopic.get(topic);
        if (!ps) byTopic.set(topic, (ps = []));
        ps.push(spec.partition);
      }
    }
    const ends = new Map<string, Map<number, number>>();
    for (const [topic, ps] of byTopic) ends.set(topic, await reader.endOffsets(topic, ps));
    const out = new Map<string, number>();
    for (const spec of specs) {
      let sum = 0;
      for (const topic of changelogs.get(spec.subtopology) ?? []) sum += ends.get(topic)?.get(spec.partition) ?? 0;
      out.set(spec.id, sum);
    }
    return out;
  }

  /** The reset policy of a source topic: its own, else `auto.offset.reset` (default earliest). */
  #fromBeginning(topic: string): boolean {
    return this.#builder.offsetResetFor(topic) !== 'latest' && this.#config.consumerConfigs('main')['auto.offset.reset'] !== 'latest';
  }

  /** Runs `fn` after everything queued before it: tasks are touched by one async operation at a time. */
  #exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#chain.then(fn);
    this.#chain = run.catch(() => undefined);
    return run;
  }

  #onAssigned(thread: Thread, assignment: ReadonlyMap<string, readonly number[]>, userData: Buffer | null): void {
    if (thread.failed || thread.stopping) return;
    if (this.state() === State.RUNNING) this.#setState(State.REBALANCING);
    let revoked: ActiveTask[];
    let kept: ActiveTask[];
    let created: ActiveTask[];
    try {
      // standbys first: one whose active task now runs here is closed with a checkpoint before the active opens
      const info = decodeAssignment(userData);
      const standbyIds = new Set(info?.standbyTasks ?? []);
      this.#scheduleProbe(thread, info?.nextProbingRebalanceMs ?? 0);
      const layout = this.#layout!;
      thread.standbys.assign(tasksFor(layout.subtopologies, layout.partitionCounts).filter((s) => s.stateful && standbyIds.has(s.id)));
      ({ revoked, kept, created } = thread.tasks.assign(assignment));
    } catch (e) {
      this.#onThreadError(thread, e);
      return;
    }
    const createdIds = new Set(created.map((t) => t.id));
    this.#queries.onAssigned(
      created.map(queryableTask),
      thread.tasks.activeTaskIds().filter((id) => !createdIds.has(id)),
    );
    // Kept tasks dropped their buffers: partitions paused for a full buffer fetch again.
    for (const key of thread.full) this.#resumeKey(thread, key);
    thread.full.clear();
    const parts = [...assignment].map(([t, ps]) => `${t}[${ps.join(',')}]`).join(' ');
    log.info(`Assigned tasks [${thread.tasks.activeTaskIds().join(', ')}] (partitions ${parts || 'none'})`);
    const empty = assignment.size === 0;
    const eos = this.#config.eosEnabled();
    void this.#exclusive(async () => {
      try {
        await thread.tasks.closeTasks(revoked, thread.consumer);
        if (eos && !thread.failed && !thread.stopping) {
          const revived = await thread.tasks.repositionKept(kept, thread.consumer);
          if (revived.length > 0) this.#restoreTasks(thread, revived);
        }
        if (empty && (await this.#applicationShutdownSignalled())) {
          this.#shutdownOnSignal();
          return;
        }
      } catch (e) {
        this.#onThreadError(thread, e);
      }
    });
    // Restoration runs outside the exclusive section, so running tasks keep processing and the consumer keeps
    // fetching (and heartbeating) while changelogs are replayed.
    this.#restoreTasks(thread, created);
  }

  /**
   * Positions (exactly-once, revived tasks), restores and starts the given tasks, beside processing. Transient
   * client errors (broker unreachable, timeouts) are retried until `task.timeout.ms` passes.
   */
  #restoreTasks(thread: Thread, tasks: readonly ActiveTask[]): void {
    // runs with no tasks too: it is what moves the client to RUNNING once every task runs
    void (async () => {
      const deadline = Date.now() + this.#config.values.taskTimeoutMs;
      for (let attempt = 0; ; attempt++) {
        if (thread.failed || thread.stopping) return;
        try {
          await thread.tasks.restore(tasks, thread.consumer);
          break;
        } catch (e) {
          if (!isTransientClientError(e) || Date.now() >= deadline) {
            this.#onThreadError(thread, e);
            return;
          }
          log.warn(`Restoring tasks ${tasks.map((t) => t.id).join(', ')} failed on a client error (attempt ${attempt + 1}); retrying: ${String(e)}`);
          await new Promise((r) => setTimeout(r, Math.min(5000, 200 * 2 ** attempt)));
        }
      }
      await this.#exclusive(async () => {
        if (thread.failed || thread.stopping) return;
        for (const key of [...thread.paused]) {
          const t = thread.tasks.taskForPartitionKey(key);
          if (t !== null && t.state !== 'RUNNING') continue;
          thread.paused.delete(key);
          const i = key.lastIndexOf(':');
          thread.consumer.resume(key.slice(0, i), [Number(key.slice(i + 1))]);
        }
        if (thread.tasks.allRunning() && this.#thread === thread) this.#setState(State.RUNNING);
      });
    })();
  }

  /** Closes corrupted tasks dirty and revives them (Kafka's `TaskCorruptedException` handling). */
  async #reviveTasks(thread: Thread, failure: TaskSendFailure): Promise<void> {
    log.warn(`Tasks ${failure.taskIds.join(', ')} failed to send or commit: ${failure.message}`);
    const revived = await thread.tasks.revive(failure.taskIds);
    this.#restoreTasks(thread, revived);
  }

  /**
   * Under exactly-once, before the consumer restarts from the committed offsets: the tasks holding uncommitted work
   * (an open transaction, updated stores) are closed dirty and revived, or that input would be processed twice
   * into the same transaction (Kafka Streams closes such tasks dirty too). Under at-least-once reprocessing is
   * allowed and nothing is done.
   */
  async #reviveUncommitted(thread: Thread): Promise<void> {
    if (!this.#config.eosEnabled()) return;
    const open = [...thread.tasks.tasks.values()].filter((t) => t.state === 'RUNNING' && (t.producer.inTransaction || t.task.commitNeeded)).map((t) => t.id);
    if (open.length === 0) return;
    await this.#reviveTasks(thread, new TaskSendFailure(open, 'the consumer restarts from the committed offsets while their transactions are open'));
  }

  /**
   * Schedules the probing rebalance of an assignment that left tasks waiting for warm-up replicas (at `at`, wall
   * clock; 0: none): this member then rejoins, and the leader moves the tasks whose warm-ups have caught up.
   */
  #scheduleProbe(thread: Thread, at: number): void {
    if (thread.probe) clearTimeout(thread.probe);
    thread.probe = null;
    if (at <= 0) return;
    thread.probe = setTimeout(() => {
      thread.probe = null;
      if (thread.failed || thread.stopping) return;
      log.info('Probing rebalance: rejoining so that tasks whose warm-up replicas caught up can move');
      thread.consumer.requestRejoin();
    }, Math.max(0, at - Date.now()));
    thread.probe.unref();
  }

  #onRebalancing(thread: Thread): void {
    if (thread.failed || thread.stopping) return;
    if (this.state() === State.RUNNING) this.#setState(State.REBALANCING);
  }

  /**
   * Commits what was processed before the member rejoins (Kafka commits in `onPartitionsRevoked`): kafkajs awaits
   * this before its JoinGroup, while the old generation still accepts the commit. Bounded by
   * {@link REJOIN_COMMIT_WAIT_MS}: a commit that takes longer (a broker outage) goes on beside the rejoin.
   */
  #commitBeforeRejoin(thread: Thread): Promise<void> {
    if (thread.failed || thread.stopping) return Promise.resolve();
    if (this.state() === State.RUNNING) this.#setState(State.REBALANCING);
    const commit = this.#exclusive(async () => {
      if (thread.failed || thread.stopping) return;
      await this.#commitOnRebalance(thread);
    });
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, REJOIN_COMMIT_WAIT_MS);
    });
    return Promise.race([commit, bound]).finally(() => clearTimeout(timer));
  }

  /** Commits the thread's tasks as the group rebalances; a failed send revives its tasks, a refused commit is expected. */
  async #commitOnRebalance(thread: Thread): Promise<void> {
    try {
      await thread.tasks.commit(thread.consumer);
    } catch (e) {
      if (e instanceof TaskSendFailure) await this.#reviveTasks(thread, e);
      else if (!isRebalanceError(e)) log.warn('Commit on rebalance failed', e);
    }
  }

  async #onBatch(thread: Thread, batch: FetchedBatch, control: BatchControl): Promise<void> {
    if (thread.failed || thread.stopping) return;
    const task = thread.tasks.addBatch(batch);
    if (!task) return;
    const buffered = task.task.bufferedFor(batch.topic, batch.partition);
    if (buffered > this.#config.values.bufferedRecordsPerPartition) {
      const key = `${batch.topic}:${batch.partition}`;
      if (!thread.full.has(key)) {
        thread.full.add(key);
        thread.consumer.pause(batch.topic, [batch.partition]);
        log.debug(`Paused fetching ${batch.topic}-${batch.partition}: ${buffered} records buffered after a batch of ${batch.records.length}`);
      }
    }
    if (task.state === 'RESTORING') {
      thread.consumer.pause(batch.topic, [batch.partition]);
      thread.paused.add(`${batch.topic}:${batch.partition}`);
      return;
    }
    let rebalance: unknown = null;
    await this.#exclusive(async () => {
      if (thread.failed || thread.stopping) return;
      try {
        await this.#runOnce(thread, control);
      } catch (e) {
        if (isRebalanceError(e)) {
          rebalance = e;
          await this.#commitOnRebalance(thread);
        } else if (e instanceof TaskSendFailure) {
          await this.#reviveTasks(thread, e);
        } else if (isTransientClientError(e)) {
          // e.g. a heartbeat to a broker that went away: kafkajs restarts the consumer (and rejoins) on a
          // retriable error thrown from the batch callback
          log.warn(`Client error while processing; the consumer restarts: ${String(e)}`);
          await this.#reviveUncommitted(thread);
          rebalance = e;
        } else {
          this.#onThreadError(thread, e);
        }
      }
    });
    if (rebalance !== null) throw rebalance;
  }

  /** Processes what is buffered (in chunks, heartbeating between them), punctuates, flushes and commits if due. */
  async #runOnce(thread: Thread, control: BatchControl | null): Promise<void> {
    const tasks = thread.tasks;
    const maxRounds = 1_000_000;
    const processed = this.#metrics.sensor('stream-thread-metrics', 'process', { 'thread-id': `${this.#clientId}-StreamThread-${thread.id}` });
    for (let round = 0; round < maxRounds; round++) {
      const n = tasks.process(PROCESS_CHUNK);
      if (thread.full.size > 0) this.#resumeDrained(thread);
      if (n > 0) processed.increment(n);
      if (tasks.outputFull()) await tasks.flushOutput();
      if (control) await control.heartbeat();
      await this.#maybeCommit(thread);
      if (n < PROCESS_CHUNK || thread.failed || thread.stopping) break;
    }
    tasks.punctuateWallClock();
    await this.#maybeCommit(thread);
  }

  /** Resumes partitions paused for a full buffer once it is back at `buffered.records.per.partition`. */
  #resumeDrained(thread: Thread): void {
    const bound = this.#config.values.bufferedRecordsPerPartition;
    for (const key of [...thread.full]) {
      const t = thread.tasks.taskForPartitionKey(key);
      const i = key.lastIndexOf(':');
      if (t !== null && t.task.bufferedFor(key.slice(0, i), Number(key.slice(i + 1))) > bound) continue;
      thread.full.delete(key);
      this.#resumeKey(thread, key);
      log.debug(`Resumed fetching ${key.slice(0, i)}-${key.slice(i + 1)}`);
    }
  }

  #resumeKey(thread: Thread, key: string): void {
    if (thread.paused.has(key)) return; // still restoring: resumed when restoration ends
    const i = key.lastIndexOf(':');
    thread.consumer.resume(key.slice(0, i), [Number(key.slice(i + 1))]);
  }

  async #maybeCommit(thread: Thread): Promise<void> {
    const now = Date.now();
    if (now < thread.nextCommitAt && !thread.tasks.commitRequested()) return;
    thread.nextCommitAt = now + this.#config.values.commitIntervalMs;
    if (await thread.tasks.commit(thread.consumer)) this.#purger?.maybePurge(thread.tasks.purgeableOffsets());
    this.#metrics.sensor('stream-thread-metrics', 'commit-latency', { 'thread-id': `${this.#clientId}-StreamThread-${thread.id}` }).record(Date.now() - now);
  }

  #tick(thread: Thread): void {
    if (thread.failed || thread.stopping || this.#thread !== thread) return;
    void this.#exclusive(async () => {
      if (thread.failed || thread.stopping) return;
      try {
        await this.#runOnce(thread, null);
      } catch (e) {
        if (isRebalanceError(e)) return;
        if (e instanceof TaskSendFailure) await this.#reviveTasks(thread, e);
        else if (isTransientClientError(e)) log.warn(`Client error while processing; retrying: ${String(e)}`);
        else this.#onThreadError(thread, e);
      }
    });
  }

  // ---- errors ----

  #onThreadError(thread: Thread, error: unknown): void {
    if (thread.failed || thread.stopping) return;
    thread.failed = true;
    const err = error instanceof Error ? error : new Error(String(error));
    log.error(`Stream thread ${thread.id} of ${this.#clientId} failed`, err);
    let response = StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    const h = this.#uncaughtHandler;
    if (h) {
      try {
        response = typeof h === 'function' ? h(err) : h.handle(err);
      } catch (handlerError) {
        log.error('The uncaught exception handler threw; shutting down the client', handlerError);
        response = StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
      }
    }
    // Out of the batch callback: stopping the consumer waits for the batch in flight.
    setImmediate(() => {
      void this.#respond(thread, response);
    });
  }

  async #respond(thread: Thread, response: StreamThreadExceptionResponse): Promise<void> {
    if (this.#closing) return;
    try {
      switch (response) {
        case StreamThreadExceptionResponse.REPLACE_THREAD:
          log.warn(`Replacing stream thread ${thread.id}: its tasks are closed dirty and will be restored`);
          await this.#stopThread(thread, false);
          if (this.#closing) return;
          if (this.state() === State.RUNNING) this.#setState(State.REBALANCING);
          await this.#startThreadRetrying();
          return;
        case StreamThreadExceptionResponse.SHUTDOWN_APPLICATION:
          log.error('Requesting shutdown of every instance of the application');
          this.#shutdownRequested = true;
          await this.#stopThread(thread, false);
          if (this.#closing) return;
          // Rejoin with the shutdown flag so the group leader assigns nothing to anyone; then stop here too.
          await this.#startThread();
          return;
        case StreamThreadExceptionResponse.SHUTDOWN_CLIENT:
          await this.#shutdownWithError();
          return;
      }
    } catch (e) {
      log.error('Error while handling a stream thread failure', e);
      await this.#shutdownWithError();
    }
  }

  /** Starts a new stream thread, retrying transient client errors (broker away) until `task.timeout.ms` passes. */
  async #startThreadRetrying(): Promise<void> {
    const deadline = Date.now() + this.#config.values.taskTimeoutMs;
    for (let attempt = 0; ; attempt++) {
      try {
        await this.#startThread();
        return;
      } catch (e) {
        const thread = this.#thread;
        if (thread) await this.#stopThread(thread, false).catch(() => undefined);
        if (this.#closing || !isTransientClientError(e) || Date.now() >= deadline) throw e;
        log.warn(`Starting the stream thread failed on a client error (attempt ${attempt + 1}); retrying: ${String(e)}`);
        await new Promise((r) => setTimeout(r, Math.min(5000, 200 * 2 ** attempt)));
      }
    }
  }

  async #applicationShutdownSignalled(): Promise<boolean> {
    if (this.#shutdownRequested) return true;
    try {
      const data = await this.#client!.groupUserData(this.#config.values.applicationId);
      return data.some((d) => decodeSubscription(d)?.shutdownRequested === true);
    } catch {
      return false;
    }
  }

  #shutdownOnSignal(): void {
    log.error('The application was asked to shut down (SHUTDOWN_APPLICATION); this instance goes to ERROR');
    setImmediate(() => void this.#shutdownWithError());
  }

  async #shutdownWithError(): Promise<void> {
    if (this.#closing) return;
    let done!: () => void;
    this.#closing = new Promise<void>((r) => (done = r));
    this.#setState(State.PENDING_ERROR);
    try {
      await this.#teardown(false);
    } finally {
      this.#setState(State.ERROR);
      done();
    }
  }

  /** Stops a thread: clean (commit and close tasks, then leave) or dirty (drop uncommitted work). */
  async #stopThread(thread: Thread, clean: boolean): Promise<void> {
    const wasFailed = thread.failed;
    thread.stopping = true;
    if (thread.tick) clearInterval(thread.tick);
    thread.tick = null;
    this.#scheduleProbe(thread, 0);
    if (clean && !wasFailed) {
      await this.#exclusive(async () => {
        try {
          await thread.tasks.closeAll(thread.consumer);
        } catch (e) {
          log.warn('Clean close of tasks failed; closing them dirty', e);
          await thread.tasks.closeDirty([...thread.tasks.tasks.values()]);
        }
      });
    } else {
      await this.#exclusive(async () => {
        await thread.tasks.closeDirty([...thread.tasks.tasks.values()]);
      });
    }
    await thread.consumer.stop();
    await thread.standbys.close();
    await thread.tasks.shutdown();
    if (this.#thread === thread) this.#thread = null;
  }

  async #teardown(clean: boolean): Promise<void> {
    if (this.#patternCheck) clearInterval(this.#patternCheck);
    this.#patternCheck = null;
    const thread = this.#thread;
    if (thread) {
      try {
        await this.#stopThread(thread, clean);
      } catch (e) {
        log.warn('Error stopping the stream thread', e);
      }
    }
    await this.#purger?.close();
    await this.#endOffsetReader?.close();
    this.#endOffsetReader = null;
    await this.#global?.close();
    this.#global = null;
    await this.#producer?.close();
    await this.#client?.close();
    this.#stateDirectory.close();
  }

  /**
   * Stops processing: commits and closes every task (flushing stores and output), leaves the group and closes the
   * clients. Resolves `true` once done, or `false` if `timeout` passed first (shutdown then goes on in the
   * background).
   */
  async close(options: CloseOptions = {}): Promise<boolean> {
    const timeoutMs = options.timeout === undefined ? null : durationMs(options.timeout, 'timeout');
    if (timeoutMs !== null && timeoutMs < 0) throw new StreamsException('close timeout must not be negative');
    if (!this.#closing) {
      const s = this.state();
      if (s === State.NOT_RUNNING || s === State.ERROR) return true;
      let done!: () => void;
      this.#closing = new Promise<void>((r) => (done = r));
      this.#setState(State.PENDING_SHUTDOWN);
      void (async () => {
        try {
          await this.#teardown(true);
        } catch (e) {
          log.error('Error while closing', e);
        } finally {
          this.#setState(State.NOT_RUNNING);
          done();
        }
      })();
    }
    const closing = this.#closing;
    if (timeoutMs === null) {
      await closing;
      return true;
    }
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((r) => {
      timer = setTimeout(() => r(false), timeoutMs);
    });
    try {
      return await Promise.race([closing.then(() => true), timedOut]);
    } finally {
      clearTimeout(timer);
    }
  }
}

const queryableTasks = new WeakMap<ActiveTask, QueryableTask>();

/** A task as the query layer sees it (its state read live; one view per task). */
function queryableTask(t: ActiveTask): QueryableTask {
  let view = queryableTasks.get(t);
  if (view === undefined) {
    view = newQueryableTask(t);
    queryableTasks.set(t, view);
  }
  return view;
}

function newQueryableTask(t: ActiveTask): QueryableTask {
  return {
    id: t.id,
    partition: t.spec.partition,
    get state() {
      return t.state;
    },
    store: (name: string) => t.task.store(name),
  };
}

/** Client errors worth retrying: the broker may come back (kafkajs errors, delivery timeouts, failed sends). */
function isTransientClientError(error: unknown): boolean {
  if (error instanceof TaskSendFailure || error instanceof DeliveryTimeoutError) return true;
  if (error === null || typeof error !== 'object') return false;
  const name = (error as { name?: unknown }).name;
  return typeof name === 'string' && name.startsWith('KafkaJS');
}

function productionHandlerFrom(setting: unknown): ProductionExceptionHandler {
  if (typeof setting === 'string') return new DefaultProductionExceptionHandler();
  if (typeof setting === 'function') return new (setting as new () => ProductionExceptionHandler)();
  if (setting !== null && typeof setting === 'object' && typeof (setting as ProductionExceptionHandler).handle === 'function') {
    return setting as ProductionExceptionHandler;
  }
  return new DefaultProductionExceptionHandler();
}

/** Kafka's legal topic-name characters (`org.apache.kafka.common.internals.Topic`). */
const LEGAL_TOPIC_CHARS = /^[a-zA-Z0-9._-]+$/;
/** Kafka's maximum topic-name length. */
const MAX_TOPIC_NAME_LENGTH = 249;

/**
 * The application id prefixes every internal topic name, so it must be a legal topic name itself (Kafka's
 * `Topic.validate` rule); checked at construction rather than failing later at topic creation.
 */
function validateApplicationId(id: string, key: string): void {
  const label = `"${key}" (${key === 'applicationId' ? 'application.id' : 'applicationId'})`;
  if (id === '.' || id === '..') throw new ConfigException(`Invalid value "${id}" for configuration ${label}: "." and ".." are not allowed`);
  if (id.length > MAX_TOPIC_NAME_LENGTH) {
    throw new ConfigException(`Invalid value "${id}" for configuration ${label}: longer than ${MAX_TOPIC_NAME_LENGTH} characters`);
  }
  if (!LEGAL_TOPIC_CHARS.test(id)) {
    const bad = [...new Set([...id].filter((c) => !/[a-zA-Z0-9._-]/.test(c)))].map((c) => JSON.stringify(c)).join(', ');
    throw new ConfigException(
      `Invalid value "${id}" for configuration ${label}: it prefixes internal topic names, so it may only contain ASCII ` +
        `alphanumerics, '.', '_' and '-' (illegal: ${bad})`,
    );
  }
}
