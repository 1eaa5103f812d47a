/**
 * `TopologyTestDriver`: runs a topology without a broker. All topics have one partition and one task runs
 * every sub-topology; each piped record is processed, stream-time punctuations fire, and the task commits
 * (flushing caches) before the next record — as Kafka Streams' driver does. It runs the same `StreamTask`
 * and processors as the real runtime; only the transport is in memory.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type {
  Deserializer,
  DurationLike,
  Headers,
  KeyValueStore,
  MetricValue,
  Serializer,
  StateStore,
  StreamsConfigProps,
  TimestampLike,
  Topology,
} from '@kstreams/streams';
import { IllegalArgumentException, StreamsConfig } from '@kstreams/streams';
import {
  KeyValueStoreFacade,
  MeteredTimestampedKeyValueStore,
  StreamTask,
  StreamsMetrics,
  ThreadCache,
  durationMs,
  internalBuilderOf,
  isConfigurableStoreBuilder,
  taskSettings,
  timestampMs,
} from '@kstreams/streams/internal';
import type { OutgoingRecord, RecordCollector } from '@kstreams/streams/internal';
import type { SessionStore, TimestampedKeyValueStore, TimestampedWindowStore, WindowStore } from '@kstreams/streams';
import {
  EMIT_INTERVAL_MS_KSTREAMS_WINDOWED_AGGREGATION,
  EMIT_INTERVAL_MS_KSTREAMS_OUTER_JOIN_SPURIOUS_RESULTS_FIX,
  MeteredSessionStore,
  MeteredTimestampedWindowStore,
  MeteredWindowStore,
  WindowStoreFacade,
  createGlobalTask,
  drainGlobalTask,
  GLOBAL_TASK_ID,
} from '@kstreams/streams/internal';
import { TestInputTopic } from './test-input-topic';
import type { ProducedRecord } from './test-output-topic';
import { TestOutputTopic } from './test-output-topic';

const TASK_ID = '0_0';

export class TopologyTestDriver {
  readonly #task: StreamTask;
  /** The task keeping the global stores (Kafka's GlobalStateUpdateTask), or null without global stores. */
  readonly #globalTask: StreamTask | null;
  readonly #globalTopics: ReadonlySet<string>;
  readonly #inputTopics: ReadonlySet<string>;
  readonly #outputs = new Map<string, ProducedRecord[]>();
  readonly #captured: OutgoingRecord[] = [];
  readonly #offsets = new Map<string, number>();
  readonly #metrics = new StreamsMetrics();
  readonly #tempStateDir: string | null;
  #wallClock: number;
  #closed = false;

  /**
   * @param topology the topology to test
   * @param config streams config; `applicationId` and `bootstrapServers` default to dummy values
   * @param initialWallClockTime the mocked wall-clock start (default: now)
   */
  constructor(topology: Topology, config: StreamsConfigProps = {}, initialWallClockTime?: TimestampLike) {
    const streamsConfig = new StreamsConfig(config, {
      defaults: { applicationId: `dummy-topology-test-driver-app-id-${Math.floor(Math.random() * 2 ** 31)}`, bootstrapServers: 'dummy-bootstrap-host:0' },
    });
    const values = streamsConfig.values;
    const settings = taskSettings(values, streamsConfig.originals());
    this.#wallClock = initialWallClockTime === undefined ? Date.now() : timestampMs(initialWallClockTime, 'initialWallClockTime');

    const explicitStateDir = (config as { stateDir?: string }).stateDir ?? (config as { 'state.dir'?: string })['state.dir'];
    this.#tempStateDir = explicitStateDir ? null : fs.mkdtempSync(path.join(os.tmpdir(), 'kstreams-test-driver-'));
    const stateRoot = explicitStateDir ?? this.#tempStateDir!;
    const taskDir = path.join(stateRoot, settings.applicationId, TASK_ID);

    const builder = internalBuilderOf(topology);
    builder.setApplicationId(settings.applicationId);
    const processorTopology = builder.buildTopology();
    for (const b of processorTopology.storeBuilders) {
      if (isConfigurableStoreBuilder(b)) b.configure({ defaultDslStore: settings.defaultDslStore });
    }
    if (processorTopology.storeBuilders.length > 0) fs.mkdirSync(taskDir, { recursive: true });
    this.#inputTopics = new Set(processorTopology.sourcesByTopic.keys());
    this.#globalTopics = builder.globalTopics();
    const globalDir = path.join(stateRoot, settings.applicationId, GLOBAL_TASK_ID);
    if (builder.hasGlobalStores()) fs.mkdirSync(globalDir, { recursive: true });
    try {
      this.#globalTask = createGlobalTask({
        builder,
        settings,
        metrics: this.#metrics,
        stateDir: globalDir,
        wallClock: () => this.#wallClock,
        cache: new ThreadCache(settings.cacheMaxBytes),
      });
    } catch (e) {
      this.#removeTempDir();
      throw e;
    }

    const captured = this.#captured;
    const collector: RecordCollector = {
      send: (record) => captured.push(record),
      partitionsFor: () => 1,
    };
    this.#task = new StreamTask({
      taskId: TASK_ID,
      applicationId: settings.applicationId,
      partition: 0,
      topology: processorTopology,
      // windowed aggregations with EmitStrategy.onWindowClose() and stream-stream left/outer joins emit on every
      // record, without wall-clock throttling, as in Kafka's driver
      appConfigs: { [EMIT_INTERVAL_MS_KSTREAMS_WINDOWED_AGGREGATION]: 0, [EMIT_INTERVAL_MS_KSTREAMS_OUTER_JOIN_SPURIOUS_RESULTS_FIX]: 0, ...settings.appConfigs },
      defaultKeySerde: settings.defaultKeySerde,
      defaultValueSerde: settings.defaultValueSerde,
      defaultTimestampExtractor: settings.defaultTimestampExtractor,
      deserializationHandler: settings.deserializationHandler,
      processingHandler: settings.processingHandler,
      collector,
      metrics: this.#metrics,
      stateDir: processorTopology.storeBuilders.length > 0 ? taskDir : null,
      wallClock: () => this.#wallClock,
      cache: new ThreadCache(settings.cacheMaxBytes),
      globalStores: this.#globalTask?.stores,
    });
    try {
      this.#task.initialize();
    } catch (e) {
      this.#removeTempDir();
      throw e;
    }
  }

  // ---- topics ----

  /** An input topic of the topology. Piping to a topic the topology doesn't read throws. */
  createInputTopic<K, V>(
    topic: string,
    keySerializer: Serializer<K>,
    valueSerializer: Serializer<V>,
    startTimestamp: TimestampLike = Date.now(),
    autoAdvance: DurationLike = 0,
  ): TestInputTopic<K, V> {
    return new TestInputTopic<K, V>({ pipe: (t, k, v, ts, h) => this.#pipeRecord(t, k, v, ts, h) }, topic, keySerializer, valueSerializer, startTimestamp, autoAdvance);
  }

  /** An output topic; reads what the topology produced to it. */
  createOutputTopic<K, V>(topic: string, keyDeserializer: Deserializer<K>, valueDeserializer: Deserializer<V>): TestOutputTopic<K, V> {
    return new TestOutputTopic<K, V>({ queue: (t) => this.#outputs.get(t) }, topic, keyDeserializer, valueDeserializer);
  }

  /** Every topic the topology produced to so far (internal topics with the application-id prefix). */
  producedTopicNames(): Set<string> {
    return new Set(this.#outputs.keys());
  }

  #checkOpen(): void {
    if (this.#closed) throw new IllegalArgumentException('The TopologyTestDriver is closed.');
  }

  #pipeRecord(topic: string, key: Buffer | null, value: Buffer | null, timestamp: number, headers: Headers): void {
    this.#checkOpen();
    if (this.#globalTopics.has(topic)) {
      this.#pipeGlobal(topic, key, value, timestamp, headers);
      return;
    }
    if (!this.#inputTopics.has(topic)) throw new IllegalArgumentException(`Unknown topic: ${topic}`);
    this.#enqueue(topic, key, value, timestamp, headers);
    this.#completeAllProcessableWork();
  }

  /** A global topic's record updates the global store at once (Kafka's driver: GlobalStateUpdateTask.update). */
  #pipeGlobal(topic: string, key: Buffer | null, value: Buffer | null, timestamp: number, headers: Headers): void {
    const offset = this.#offsets.get(topic) ?? 0;
    this.#offsets.set(topic, offset + 1);
    this.#globalTask!.addRecords(topic, 0, [{ topic, partition: 0, offset, timestamp, key, value, headers }]);
    drainGlobalTask(this.#globalTask!);
  }

  #enqueue(topic: string, key: Buffer | null, value: Buffer | null, timestamp: number, headers: Headers): void {
    const offset = this.#offsets.get(topic) ?? 0;
    this.#offsets.set(topic, offset + 1);
    this.#task.addRecords(topic, 0, [{ topic, partition: 0, offset, timestamp, key, value, headers }]);
  }

  #completeAllProcessableWork(): void {
    this.#captureOutputsAndReEnqueueInternalResults();
    while (this.#task.hasRecordsQueued()) {
      this.#task.process();
      this.#task.maybePunctuateStreamTime();
      this.#commit();
      this.#captureOutputsAndReEnqueueInternalResults();
    }
  }

  #commit(): void {
    this.#task.prepareCommit();
    this.#task.postCommit();
  }

  #captureOutputsAndReEnqueueInternalResults(): void {
    while (this.#captured.length > 0) {
      const batch = this.#captured.splice(0, this.#captured.length);
      for (const r of batch) {
        let queue = this.#outputs.get(r.topic);
        if (!queue) {
          queue = [];
          this.#outputs.set(r.topic, queue);
        }
        queue.push({ topic: r.topic, key: r.key, value: r.value, timestamp: r.timestamp, headers: r.headers });
        if (this.#inputTopics.has(r.topic)) this.#enqueue(r.topic, r.key, r.value, r.timestamp, r.headers);
        else if (this.#globalTopics.has(r.topic)) this.#pipeGlobal(r.topic, r.key, r.value, r.timestamp, r.headers);
      }
    }
  }

  // ---- time ----

  /** Advances mocked wall-clock time, firing due WALL_CLOCK_TIME punctuations. */
  advanceWallClockTime(advance: DurationLike): void {
    this.#checkOpen();
    const ms = durationMs(advance, 'advance');
    if (ms < 0) throw new IllegalArgumentException('advance must not be negative');
    this.#wallClock += ms;
    this.#task.maybePunctuateSystemTime();
    this.#commit();
    this.#completeAllProcessableWork();
  }

  // ---- stores ----

  /** Every store of the topology (global ones included), by name. */
  getAllStateStores(): Map<string, StateStore> {
    return new Map([...this.#task.stores, ...(this.#globalTask?.stores ?? [])]);
  }

  #storeOf(name: string): StateStore | undefined {
    return this.#task.stores.get(name) ?? this.#globalTask?.stores.get(name);
  }

  /** A store by name, or `undefined`. DSL (timestamped) key-value stores must be read with the typed getters. */
  getStateStore(name: string): StateStore | undefined {
    const store = this.#storeOf(name);
    if (store instanceof MeteredTimestampedKeyValueStore) {
      throw new IllegalArgumentException(`Store ${name} is a timestamped key-value store and should be accessed via \`getTimestampedKeyValueStore()\``);
    }
    if (store instanceof MeteredTimestampedWindowStore) {
      throw new IllegalArgumentException(`Store ${name} is a timestamped window store and should be accessed via \`getTimestampedWindowStore()\``);
    }
    return store;
  }

  /** A key-value store by name (timestamped DSL stores are read without their timestamps), or `undefined`. */
  getKeyValueStore<K, V>(name: string): KeyValueStore<K, V> | undefined {
    const store = this.#storeOf(name);
    if (store === undefined) return undefined;
    if (store instanceof MeteredTimestampedKeyValueStore) return new KeyValueStoreFacade<K, V>(store as unknown as TimestampedKeyValueStore<K, V>);
    if (typeof (store as Partial<KeyValueStore<K, V>>).get !== 'function') return undefined;
    return store as unknown as KeyValueStore<K, V>;
  }

  /** A timestamped key-value store (values with their timestamps), or `undefined`. */
  getTimestampedKeyValueStore<K, V>(name: string): TimestampedKeyValueStore<K, V> | undefined {
    const store = this.#storeOf(name);
    return store instanceof MeteredTimestampedKeyValueStore ? (store as unknown as TimestampedKeyValueStore<K, V>) : undefined;
  }

  /** A window store by name (timestamped DSL stores are read without their timestamps), or `undefined`. */
  getWindowStore<K, V>(name: string): WindowStore<K, V> | undefined {
    const store = this.#storeOf(name);
    if (store instanceof MeteredTimestampedWindowStore) return new WindowStoreFacade<K, V>(store as unknown as TimestampedWindowStore<K, V>);
    return store instanceof MeteredWindowStore ? (store as unknown as WindowStore<K, V>) : undefined;
  }

  /** A timestamped window store (values with their timestamps; the DSL's windowed aggregations), or `undefined`. */
  getTimestampedWindowStore<K, V>(name: string): TimestampedWindowStore<K, V> | undefined {
    const store = this.#storeOf(name);
    return store instanceof MeteredTimestampedWindowStore ? (store as unknown as TimestampedWindowStore<K, V>) : undefined;
  }

  /** A session store by name, or `undefined`. */
  getSessionStore<K, V>(name: string): SessionStore<K, V> | undefined {
    const store = this.#storeOf(name);
    return store instanceof MeteredSessionStore ? (store as unknown as SessionStore<K, V>) : undefined;
  }

  /** Current metric values (e.g. `dropped-records-total`). */
  metrics(): MetricValue[] {
    return this.#metrics.snapshot();
  }

  /** Flushes and closes the task (cached results are emitted first) and removes the temporary state directory. */
  close(): void {
    if (this.#closed) return;
    try {
      this.#commit();
      this.#captureOutputsAndReEnqueueInternalResults();
      this.#task.close();
      this.#globalTask?.close();
    } finally {
      this.#closed = true;
      this.#removeTempDir();
    }
  }

  #removeTempDir(): void {
    if (this.#tempStateDir) fs.rmSync(this.#tempStateDir, { recursive: true, force: true });
  }
}
