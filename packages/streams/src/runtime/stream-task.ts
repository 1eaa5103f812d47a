/**
 * A stream task: one sub-topology (or, in the test driver, all of them) over one partition of its input
 * topics. It buffers records per partition, always processes the lowest head timestamp next, keeps stream
 * time, fires punctuations, owns the task's state stores and flushes them on commit. The runtime and the test
 * driver run this same class; only the record transport differs.
 */
import { StreamsException } from '../errors';
import type { Cancellable, Punctuator, RecordMetadata } from '../processor/api';
import { PunctuationType } from '../processor/api';
import { Headers } from '../processor/headers';
import type { TaskContext } from '../processor/processor-context-impl';
import type { ProcessorNode } from '../processor/processor-node';
import { ProcessorFailure, SourceNode } from '../processor/processor-node';
import { PunctuationQueue } from '../processor/punctuation-queue';
import { usesDefaultSerde } from '../processor/operators/changed-serde';
import type { TimestampExtractor } from '../processor/timestamp-extractor';
import type { Deserializer, Serde } from '../serde/serde';
import type { ThreadCache } from '../state/thread-cache';
import type { RestoreCallback, StateStore, StateStoreContext, StoreRecordContext } from '../state/state-store';
import type { ProcessorTopology } from '../topology/internal-topology-builder';
import { log } from '../logger';
import type { Record } from '../processor/record';
import type { DeserializationExceptionHandler, ErrorHandlerContext, ProcessingExceptionHandler } from './exception-handlers';
import { HandlerResponse, LogAndFailProcessingExceptionHandler } from './exception-handlers';
import type { MeteredTask, Sensor, StreamsMetrics } from './metrics';
import { storeMetrics } from './store-metrics';
import type { RecordCollector } from './record-collector';
import type { RawRecord } from './record-queue';
import { RecordQueue } from './record-queue';

export interface StreamTaskOptions {
  readonly taskId: string;
  readonly applicationId: string;
  /** The input partition this task owns (its changelog partition too). */
  readonly partition: number;
  readonly topology: ProcessorTopology;
  readonly appConfigs: Readonly<{ [key: string]: unknown }>;
  readonly defaultKeySerde: Serde<unknown> | null;
  readonly defaultValueSerde: Serde<unknown> | null;
  readonly defaultTimestampExtractor: TimestampExtractor;
  readonly deserializationHandler: DeserializationExceptionHandler;
  /** `processing.exception.handler`; Kafka's default (log and fail) when absent. */
  readonly processingHandler?: ProcessingExceptionHandler;
  readonly collector: RecordCollector;
  readonly metrics: StreamsMetrics;
  /** `<stateDir>/<applicationId>/<taskId>`, or null when the task has no persistent state. */
  readonly stateDir: string | null;
  readonly wallClock: () => number;
  /** The record cache shared by the stores (of all tasks of a thread), or null for none. */
  readonly cache: ThreadCache | null;
  /** The global stores of the topology (kept by the global thread), readable by every processor. */
  readonly globalStores?: ReadonlyMap<string, StateStore> | undefined;
}

/** A store registered by `init`, with how to restore it. */
export interface RegisteredStore {
  readonly store: StateStore;
  readonly restore: RestoreCallback;
  readonly changelogTopic: string | null;
}

const UNKNOWN = -1;

export class StreamTask implements TaskContext, MeteredTask {
  readonly taskId: string;
  readonly applicationId: string;
  readonly partition: number;
  readonly collector: RecordCollector;
  readonly appConfigs: Readonly<{ [key: string]: unknown }>;
  readonly defaultKeySerde: Serde<unknown> | null;
  readonly defaultValueSerde: Serde<unknown> | null;
  readonly stateDirectory: string | null;

  readonly #options: StreamTaskOptions;
  readonly #processingHandler: ProcessingExceptionHandler;
  readonly #queues = new Map<string, RecordQueue>();
  readonly #stores = new Map<string, StateStore>();
  readonly #registered = new Map<string, RegisteredStore>();
  readonly #streamTimePunctuations = new PunctuationQueue();
  readonly #wallClockPunctuations = new PunctuationQueue();
  /** Whether a record is being processed (its metadata is `#recordContext`'s) rather than a punctuation. */
  #inRecord = false;
  #recordContext: StoreRecordContext = { topic: null, partition: -1, offset: -1, timestamp: 0, headers: new Headers() };
  #streamTime = UNKNOWN;
  #commitRequested = false;
  #commitNeeded = false;
  #initialized = false;
  #closed = false;
  readonly #nodesByName = new Map<string, ProcessorNode>();
  #lateness: Sensor | null = null;

  constructor(options: StreamTaskOptions) {
    this.#options = options;
    this.#processingHandler = options.processingHandler ?? new LogAndFailProcessingExceptionHandler();
    this.taskId = options.taskId;
    this.applicationId = options.applicationId;
    this.partition = options.partition;
    this.collector = options.collector;
    this.appConfigs = options.appConfigs;
    this.defaultKeySerde = options.defaultKeySerde;
    this.defaultValueSerde = options.defaultValueSerde;
    this.stateDirectory = options.stateDir;
    for (const node of options.topology.nodes) this.#nodesByName.set(node.name, node);
  }

  // ---- TaskContext ----

  recordMetadata(): RecordMetadata | null {
    return this.#inRecord ? (this.#recordContext as RecordMetadata) : null;
  }

  store(name: string): StateStore | undefined {
    return this.#stores.get(name);
  }

  globalStore(name: string): StateStore | undefined {
    return this.#options.globalStores?.get(name);
  }

  schedule(node: ProcessorNode, intervalMs: number, type: PunctuationType, callback: Punctuator): Cancellable {
    if (type === PunctuationType.STREAM_TIME) return this.#streamTimePunctuations.schedule(node.name, 0, intervalMs, callback);
    return this.#wallClockPunctuations.schedule(node.name, this.#options.wallClock() + intervalMs, intervalMs, callback);
  }

  requestCommit(): void {
    this.#commitRequested = true;
  }

  wallClockMs(): number {
    return this.#options.wallClock();
  }

  streamTimeMs(): number {
    return this.#streamTime;
  }

  /** Processor metadata committed with the offsets (Kafka's `ProcessorMetadata`). */
  readonly #processorMetadata = new Map<string, number>();

  processorMetadataForKey(key: string): number | null {
    return this.#processorMetadata.get(key) ?? null;
  }

  addProcessorMetadataKeyValue(key: string, value: number): void {
    this.#processorMetadata.set(key, value);
  }

  /** The processor metadata to commit with the offsets. */
  get processorMetadata(): ReadonlyMap<string, number> {
    return this.#processorMetadata;
  }

  /** Merges processor metadata read back from committed offsets (the highest value per key wins). */
  initializeProcessorMetadata(metadata: ReadonlyMap<string, number>): void {
    for (const [k, v] of metadata) this.#processorMetadata.set(k, Math.max(v, this.#processorMetadata.get(k) ?? v));
  }

  /** Kafka's `ProcessorNode.process` catch block (KIP-1033): the handler decides between dropping and failing. */
  handleProcessingError(nodeName: string, record: Record<unknown, unknown> | null, error: unknown, failure: () => Error): void {
    const err = error instanceof Error ? error : new Error(String(error));
    const meta = this.#inRecord ? this.#recordContext : null;
    const context: ErrorHandlerContext = {
      topic: meta?.topic ?? null,
      partition: meta?.partition ?? -1,
      offset: meta?.offset ?? -1,
      timestamp: record?.timestamp ?? this.#recordContext.timestamp,
      processorNodeId: nodeName,
      taskId: this.taskId,
    };
    let response: unknown;
    try {
      response = this.#processingHandler.handle(context, record, err);
    } catch (fatal) {
      log.error(`Processing error callback failed after processing error for record: ${JSON.stringify(context)}`, err);
      throw new ProcessorFailure(nodeName, `Fatal user code error in processing error callback (processor ${nodeName}, task ${this.taskId})`, fatal);
    }
    if (response !== HandlerResponse.CONTINUE) {
      log.error(
        'Processing exception handler is set to fail upon a processing error. If you would rather have the streaming pipeline ' +
          'continue after a processing error, please set the processing.exception.handler appropriately.',
      );
      throw failure();
    }
    this.droppedRecordsSensor().increment();
  }

  // ---- lifecycle ----

  /** Opens the stores, then initialises processors in topological order. */
  initialize(): void {
    if (this.#initialized) return;
    const storeContext = this.#storeContext();
    // Kafka's InternalTopologyBuilder.rewriteTopology: with statestore.cache.max.bytes = 0 no store has a caching
    // layer at all (so every write, a delete over nothing included, goes straight through).
    const noCaching = this.#options.cache !== null && this.#options.cache.maxCacheSizeBytes === 0;
    for (const configured of this.#options.topology.storeBuilders) {
      const builder = noCaching && configured.cachingEnabled() ? configured.withCachingDisabled() : configured;
      const store = builder.build();
      this.#stores.set(builder.name, store);
      store.init(storeContext, store);
    }
    for (const node of this.#options.topology.nodes) node.init(this);
    this.#initialized = true;
    this.#lateness = this.#options.metrics.taskSensor(this.taskId, 'record-lateness');
    this.#options.metrics.addTask(this);
  }

  // ---- metrics (read at snapshot time; see StreamsMetrics) ----

  metricNodes(): Array<{ name: string; processed: number; source: boolean; suppressionEmitted: number | null }> {
    return this.#options.topology.nodes.map((n) => ({
      name: n.name,
      processed: n.processed,
      source: n instanceof SourceNode,
      // what a suppression node emitted is what its children received
      suppressionEmitted: n.processor?.constructor.name === 'KTableSuppress' ? Math.max(0, ...n.children.map((c) => c.processed)) : null,
    }));
  }

  metricStores(): NonNullable<ReturnType<typeof storeMetrics>>[] {
    return [...this.#stores.values()].map(storeMetrics).filter((m): m is NonNullable<typeof m> => m !== null);
  }

  /** The stores this task opened, by name. */
  get stores(): ReadonlyMap<string, StateStore> {
    return this.#stores;
  }

  /** Stores with their restore callbacks and changelog topics, for restoration. */
  get registeredStores(): ReadonlyMap<string, RegisteredStore> {
    return this.#registered;
  }

  #storeContext(): StateStoreContext {
    const changelogs = this.#options.topology.changelogTopics;
    const base: StateStoreContext & { defaultKeySerde: Serde<unknown> | null; defaultValueSerde: Serde<unknown> | null } = {
      applicationId: this.applicationId,
      taskId: this.taskId,
      stateDir: this.stateDirectory,
      appConfigs: this.appConfigs,
      register: (store: StateStore, restore: RestoreCallback): void => {
        if (this.#registered.has(store.name)) throw new StreamsException(`Store ${store.name} has already been registered in task ${this.taskId}.`);
        this.#registered.set(store.name, { store, restore, changelogTopic: changelogs.get(store.name) ?? null });
      },
      logChange: (storeName: string, key: Buffer, value: Buffer | null, timestamp: number, headers?: Headers): void => {
        const topic = changelogs.get(storeName);
        if (topic === undefined) return;
        this.collector.send({ topic, partition: this.partition, key, value, timestamp, headers: headers ?? new Headers() });
      },
      recordContext: () => this.#recordContext,
      setRecordContext: (context: StoreRecordContext) => {
        this.#recordContext = context;
      },
      currentStreamTimeMs: () => this.#streamTime,
      cache: this.#options.cache,
      defaultKeySerde: this.defaultKeySerde,
      defaultValueSerde: this.defaultValueSerde,
    };
    return base;
  }

  // ---- input ----

  #queueFor(topic: string, partition: number): RecordQueue {
    const k = `${topic}:${partition}`;
    let q = this.#queues.get(k);
    if (!q) {
      const source = this.#options.topology.sourcesByTopic.get(topic);
      if (!source) throw new StreamsException(`Task ${this.taskId} has no source node for topic ${topic}.`);
      const keyDeserializer = source.keyDeserializer ?? this.#deserializerOf(this.defaultKeySerde, source.name, 'key');
      const valueDeserializer = source.valueDeserializer ?? this.#deserializerOf(this.defaultValueSerde, source.name, 'value');
      if (usesDefaultSerde(keyDeserializer)) keyDeserializer.useDefaultSerde(this.defaultKeySerde, { key: this.defaultKeySerde, value: this.defaultValueSerde });
      if (usesDefaultSerde(valueDeserializer)) valueDeserializer.useDefaultSerde(this.defaultValueSerde, { key: this.defaultKeySerde, value: this.defaultValueSerde });
      q = new RecordQueue(topic, partition, {
        taskId: this.taskId,
        source,
        keyDeserializer,
        valueDeserializer,
        timestampExtractor: source.timestampExtractor ?? this.#options.defaultTimestampExtractor,
        deserializationHandler: this.#options.deserializationHandler,
        droppedRecords: this.droppedRecordsSensor(),
      });
      this.#queues.set(k, q);
    }
    return q;
  }

  #deserializerOf(serde: Serde<unknown> | null, node: string, which: string): Deserializer<unknown> {
    if (!serde) {
      throw new StreamsException(
        `Source ${node} has no ${which} deserializer and no default ${which} serde is configured ` +
          `(set default.${which}.serde / default${which === 'key' ? 'Key' : 'Value'}Serde, or pass Consumed.with(...)).`,
      );
    }
    return serde.deserializer();
  }

  /** The task's `dropped-records` sensor (stream-task-metrics). */
  droppedRecordsSensor() {
    return this.#options.metrics.taskSensor(this.taskId, 'dropped-records');
  }

  /** Buffers consumed records of one partition. */
  addRecords(topic: string, partition: number, records: Iterable<RawRecord>): void {
    this.#queueFor(topic, partition).add(records);
  }

  hasRecordsQueued(): boolean {
    for (const q of this.#queues.values()) if (!q.isEmpty()) return true;
    return false;
  }

  /** Partition time of an input partition (highest timestamp seen at its head), or -1 while unknown. */
  partitionTime(topic: string, partition: number): number {
    return this.#queues.get(`${topic}:${partition}`)?.partitionTime ?? UNKNOWN;
  }

  /**
   * Starts an input partition's time from the value committed with its offset (Kafka's `initializeTaskTime`), so
   * stream time survives restarts and task moves; stream time becomes at least that.
   */
  initializePartitionTime(topic: string, partition: number, time: number): void {
    if (time < 0) return;
    const q = this.#queueFor(topic, partition);
    if (time > q.partitionTime) q.partitionTime = time;
    if (time > this.#streamTime) this.#streamTime = time;
  }

  /** Offset of the last record processed from an input partition in this task's life, or -1. */
  consumedOffset(topic: string, partition: number): number {
    return this.#queues.get(`${topic}:${partition}`)?.consumedOffset ?? UNKNOWN;
  }

  /** Buffered records of one partition. */
  bufferedFor(topic: string, partition: number): number {
    return this.#queues.get(`${topic}:${partition}`)?.size ?? 0;
  }

  /**
   * Drops every buffered record (the runtime does this after a rebalance, when the consumer reads again from the
   * committed offsets). Stream time and partition times are kept.
   */
  clearBuffers(): void {
    for (const q of this.#queues.values()) q.clear();
  }

  /** Buffered records over all partitions. */
  bufferedRecords(): number {
    let n = 0;
    for (const q of this.#queues.values()) n += q.size;
    return n;
  }

  /** Processes one record (lowest head timestamp first). Returns false when nothing was buffered. */
  process(): boolean {
    let next: RecordQueue | null = null;
    for (const q of this.#queues.values()) {
      if (q.isEmpty()) continue;
      if (next === null || q.headTimestamp() < next.headTimestamp()) next = q;
    }
    if (next === null) return false;
    const record = next.poll()!;
    const raw = next.polledRaw!;
    this.#lateness?.record(record.timestamp < this.#streamTime ? this.#streamTime - record.timestamp : 0);
    if (record.timestamp > this.#streamTime) this.#streamTime = record.timestamp;
    // one object per record: the store context, which is also the record's metadata while it is processed
    this.#recordContext = { topic: raw.topic, partition: raw.partition, offset: raw.offset, timestamp: record.timestamp, headers: raw.headers };
    this.#inRecord = true;
    try {
      next.source.process(record);
    } finally {
      this.#inRecord = false;
    }
    next.consumedOffset = raw.offset;
    this.#commitNeeded = true;
    return true;
  }

  /** Fires stream-time punctuations that are due. */
  maybePunctuateStreamTime(): boolean {
    if (this.#streamTime === UNKNOWN) return false;
    return this.#streamTimePunctuations.mayPunctuate(this.#streamTime, this.#punctuate);
  }

  /** Fires wall-clock punctuations that are due. */
  maybePunctuateSystemTime(): boolean {
    return this.#wallClockPunctuations.mayPunctuate(this.#options.wallClock(), this.#punctuate);
  }

  readonly #punctuate = (nodeName: string, timestamp: number, callback: Punctuator): void => {
    this.#inRecord = false;
    this.#recordContext = { topic: null, partition: -1, offset: -1, timestamp, headers: new Headers() };
    try {
      callback(timestamp);
    } catch (e) {
      if (e instanceof ProcessorFailure) throw e;
      const failure = (): Error =>
        new ProcessorFailure(nodeName, `Exception caught while punctuating processor '${nodeName}': ${e instanceof Error ? e.message : String(e)}`, e);
      this.handleProcessingError(nodeName, null, e, failure);
    }
    this.#commitNeeded = true;
  };

  /** Whether a commit is due: records or punctuations ran since the last one. */
  get commitNeeded(): boolean {
    return this.#commitNeeded;
  }

  /** Whether a processor asked for a commit. */
  get commitRequested(): boolean {
    return this.#commitRequested;
  }

  /**
   * First half of a commit: flushes caches and stores (forwarding cached updates downstream) and returns the
   * offsets to commit (next offset to read, per input partition).
   */
  prepareCommit(): Map<string, { topic: string; partition: number; offset: number }> {
    for (const store of this.#stores.values()) store.flush();
    const offsets = new Map<string, { topic: string; partition: number; offset: number }>();
    for (const [k, q] of this.#queues) if (q.consumedOffset >= 0) offsets.set(k, { topic: q.topic, partition: q.partition, offset: q.consumedOffset + 1 });
    return offsets;
  }

  /** Second half of a commit, after offsets are committed. */
  postCommit(): void {
    this.#commitNeeded = false;
    this.#commitRequested = false;
  }

  /** Closes processors, then stores. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#options.metrics.removeTask(this);
    let first: unknown = null;
    if (this.#initialized) {
      for (const node of this.#options.topology.nodes) {
        try {
          node.close();
        } catch (e) {
          first ??= e;
        }
      }
    }
    for (const store of this.#stores.values()) {
      try {
        if (store.isOpen()) store.close();
      } catch (e) {
        first ??= e;
      }
    }
    if (first) throw first;
  }

  get isClosed(): boolean {
    return this.#closed;
  }
}
