/**
 * The one table of StreamsConfig keys: camelCase name, Kafka's dotted name, kind, default, bounds and doc.
 * Parsing, error messages and generated docs all read from here, and the compiler checks that every field of
 * {@link StreamsConfigValues} has exactly one entry. Defaults are Kafka Streams 4.x's (`StreamsConfig` ConfigDef).
 */
import * as os from 'node:os';
import * as path from 'node:path';
import type { Serde } from '../serde/serde';
import type {
  BuiltInDeserializationExceptionHandler,
  BuiltInProcessingExceptionHandler,
  BuiltInProductionExceptionHandler,
  BuiltInTimestampExtractor,
  DslStoreType,
  ExceptionHandlerLike,
  KafkajsOverrides,
  MetricsRecordingLevel,
  ProcessingGuarantee,
  RocksDBConfigSetterLike,
  TimestampExtractorLike,
} from './config-types';

/** Every resolved (defaults applied, validated) StreamsConfig value, by camelCase name. */
export interface StreamsConfigValues {
  /** `application.id`: consumer group id, client-id prefix and internal-topic prefix. Required. */
  readonly applicationId: string;
  /** `bootstrap.servers`: `host:port` list. Required. */
  readonly bootstrapServers: readonly string[];
  /** `num.stream.threads`. */
  readonly numStreamThreads: number;
  /** `num.standby.replicas`. */
  readonly numStandbyReplicas: number;
  /** `state.dir`: root of local state. */
  readonly stateDir: string;
  /** `processing.guarantee`. */
  readonly processingGuarantee: ProcessingGuarantee;
  /** `commit.interval.ms`: 30000, or 100 under `exactly_once_v2` unless set. */
  readonly commitIntervalMs: number;
  /** `statestore.cache.max.bytes`: record cache size over all threads. */
  readonly statestoreCacheMaxBytes: number;
  /** `cache.max.bytes.buffering`: deprecated name of `statestore.cache.max.bytes`. */
  readonly cacheMaxBytesBuffering: number;
  /** `default.key.serde`; `null` means none (using it then fails). */
  readonly defaultKeySerde: Serde<unknown> | null;
  /** `default.value.serde`; `null` means none (using it then fails). */
  readonly defaultValueSerde: Serde<unknown> | null;
  /** `default.timestamp.extractor`. */
  readonly defaultTimestampExtractor: BuiltInTimestampExtractor | TimestampExtractorLike;
  /** `deserialization.exception.handler`. */
  readonly deserializationExceptionHandler: BuiltInDeserializationExceptionHandler | ExceptionHandlerLike;
  /** `default.deserialization.exception.handler`: deprecated name of `deserialization.exception.handler`. */
  readonly defaultDeserializationExceptionHandler: BuiltInDeserializationExceptionHandler | ExceptionHandlerLike;
  /** `production.exception.handler`. */
  readonly productionExceptionHandler: BuiltInProductionExceptionHandler | ExceptionHandlerLike;
  /** `default.production.exception.handler`: deprecated name of `production.exception.handler`. */
  readonly defaultProductionExceptionHandler: BuiltInProductionExceptionHandler | ExceptionHandlerLike;
  /** `processing.exception.handler`. */
  readonly processingExceptionHandler: BuiltInProcessingExceptionHandler | ExceptionHandlerLike;
  /** `replication.factor` of internal topics; -1 uses the broker default. */
  readonly replicationFactor: number;
  /** `topology.optimization`: `none`, `all`, or a comma list of specific optimizations. */
  readonly topologyOptimization: string;
  /** `default.dsl.store`. */
  readonly defaultDslStore: DslStoreType;
  /** `application.server`: `host:port` of this instance for interactive queries, or "". */
  readonly applicationServer: string;
  /** `client.id`: "" means `<applicationId>-<random UUID>`. */
  readonly clientId: string;
  /** `max.task.idle.ms`: how long a task waits for data on all its partitions (-1: never wait). */
  readonly maxTaskIdleMs: number;
  /** `buffered.records.per.partition`: pause fetching a partition above this many buffered records. */
  readonly bufferedRecordsPerPartition: number;
  /** `poll.ms`: how long a poll blocks waiting for input. */
  readonly pollMs: number;
  /** `acceptable.recovery.lag`: a client is caught up within this many records. */
  readonly acceptableRecoveryLag: number;
  /** `max.warmup.replicas`. */
  readonly maxWarmupReplicas: number;
  /** `probing.rebalance.interval.ms`. */
  readonly probingRebalanceIntervalMs: number;
  /** `task.timeout.ms`: how long a task may stall on a client error before failing. */
  readonly taskTimeoutMs: number;
  /** `state.cleanup.delay.ms`: delete unowned task directories after this long. */
  readonly stateCleanupDelayMs: number;
  /** `repartition.purge.interval.ms`. */
  readonly repartitionPurgeIntervalMs: number;
  /** `windowstore.changelog.additional.retention.ms`. */
  readonly windowstoreChangelogAdditionalRetentionMs: number;
  /** `metrics.recording.level`. */
  readonly metricsRecordingLevel: MetricsRecordingLevel;
  /** `log.summary.interval.ms`. */
  readonly logSummaryIntervalMs: number;
  /** `ensure.explicit.internal.resource.naming` (KIP-1111): fail on generated internal topic/store names. */
  readonly ensureExplicitInternalResourceNaming: boolean;
  /** `rocksdb.config.setter`, or `null`. */
  readonly rocksdbConfigSetter: RocksDBConfigSetterLike | null;
  /** kafkajs client options (kstreams only; no Kafka name). */
  readonly kafkajs: KafkajsOverrides;
  /**
   * kstreams only (no Kafka name), off (-1) by default: after this much wall-clock time without input, windowed
   * suppress and emit-on-close let stream time follow wall-clock time, so idle partitions still close windows.
   */
  readonly windowCloseIdleMs: number;
}

/** How a key's value is parsed and checked. */
export type ConfigKind =
  | 'string'
  | 'list'
  | 'int'
  | 'long'
  | 'duration'
  | 'boolean'
  | 'enum'
  | 'serde'
  | 'handler'
  | 'extractor'
  | 'optimization'
  | 'configSetter'
  | 'object';

/** One row of the key table. */
export interface ConfigKeySpec<K extends keyof StreamsConfigValues = keyof StreamsConfigValues> {
  /** camelCase name, the property of {@link StreamsConfigValues}. */
  readonly name: K;
  /** Kafka's dotted name, or `null` for kstreams-only keys. */
  readonly kafkaName: string | null;
  readonly kind: ConfigKind;
  /** The default, already in resolved form (`undefined` for required keys). */
  readonly defaultValue: StreamsConfigValues[K] | undefined;
  /** How the default reads in docs, when `String(defaultValue)` would not say it well. */
  readonly defaultDoc?: string;
  readonly required?: boolean;
  /** Inclusive lower bound for numeric kinds. */
  readonly min?: number;
  /** Allowed values for `enum`, built-in names for `handler`/`extractor`. */
  readonly values?: readonly string[];
  /** For deprecated keys: the camelCase key that replaces it. */
  readonly deprecatedFor?: keyof StreamsConfigValues;
  readonly importance: 'high' | 'medium' | 'low';
  readonly doc: string;
}

const DESERIALIZATION_HANDLERS = ['LogAndFailExceptionHandler', 'LogAndContinueExceptionHandler'] as const;
const PRODUCTION_HANDLERS = ['DefaultProductionExceptionHandler'] as const;
const PROCESSING_HANDLERS = ['LogAndFailProcessingExceptionHandler', 'LogAndContinueProcessingExceptionHandler'] as const;
const TIMESTAMP_EXTRACTORS = [
  'FailOnInvalidTimestamp',
  'LogAndSkipOnInvalidTimestamp',
  'UsePartitionTimeOnInvalidTimestamp',
  'WallclockTimestampExtractor',
] as const;

/** Commit interval under at-least-once (Kafka's `DEFAULT_COMMIT_INTERVAL_MS`). */
export const DEFAULT_COMMIT_INTERVAL_MS = 30_000;
/** Commit interval under exactly-once when the user did not set one (Kafka's `EOS_DEFAULT_COMMIT_INTERVAL_MS`). */
export const EOS_DEFAULT_COMMIT_INTERVAL_MS = 100;
/** Producer `transaction.timeout.ms` Kafka Streams uses under exactly-once (`DEFAULT_TRANSACTION_TIMEOUT`). */
export const EOS_DEFAULT_TRANSACTION_TIMEOUT_MS = 10_000;

/**
 * The StreamsConfig key table, one entry per setting, in Kafka's importance order.
 *
 * @example
 * for (const spec of Object.values(STREAMS_CONFIG_KEYS)) console.log(spec.name, spec.kafkaName, spec.defaultValue);
 */
export const STREAMS_CONFIG_KEYS: { readonly [K in keyof StreamsConfigValues]: ConfigKeySpec<K> } = {
  applicationId: {
    name: 'applicationId', kafkaName: 'application.id', kind: 'string', defaultValue: undefined, required: true, importance: 'high',
    doc: 'Identifier of the stream processing application; the consumer group id, the prefix of client ids and of internal topic names.',
  },
  bootstrapServers: {
    name: 'bootstrapServers', kafkaName: 'bootstrap.servers', kind: 'list', defaultValue: undefined, required: true, importance: 'high',
    doc: 'Kafka brokers to connect to first, as `host:port` (array or comma-separated string).',
  },
  numStandbyReplicas: {
    name: 'numStandbyReplicas', kafkaName: 'num.standby.replicas', kind: 'int', defaultValue: 0, min: 0, importance: 'high',
    doc: 'Number of standby replicas kept for each task.',
  },
  stateDir: {
    name: 'stateDir', kafkaName: 'state.dir', kind: 'string', defaultValue: path.join(os.tmpdir(), 'kafka-streams'),
    defaultDoc: '`${os.tmpdir()}/kafka-streams`', importance: 'high',
    doc: 'Directory for state stores; must be unique per instance on one machine.',
  },
  acceptableRecoveryLag: {
    name: 'acceptableRecoveryLag', kafkaName: 'acceptable.recovery.lag', kind: 'long', defaultValue: 10_000, min: 0, importance: 'medium',
    doc: 'Maximum lag (records) at which a client counts as caught up for an active task.',
  },
  cacheMaxBytesBuffering: {
    name: 'cacheMaxBytesBuffering', kafkaName: 'cache.max.bytes.buffering', kind: 'long', defaultValue: 10 * 1024 * 1024, min: 0,
    deprecatedFor: 'statestoreCacheMaxBytes', importance: 'medium',
    doc: 'Deprecated: use `statestore.cache.max.bytes`. Used only when the new key is not set.',
  },
  statestoreCacheMaxBytes: {
    name: 'statestoreCacheMaxBytes', kafkaName: 'statestore.cache.max.bytes', kind: 'long', defaultValue: 10 * 1024 * 1024, min: 0,
    importance: 'medium', doc: 'Maximum bytes of the record caches over all threads.',
  },
  clientId: {
    name: 'clientId', kafkaName: 'client.id', kind: 'string', defaultValue: '', defaultDoc: '"" (`<applicationId>-<random UUID>`)',
    importance: 'medium', doc: 'Prefix of the client ids of the internal clients.',
  },
  defaultDeserializationExceptionHandler: {
    name: 'defaultDeserializationExceptionHandler', kafkaName: 'default.deserialization.exception.handler', kind: 'handler',
    defaultValue: 'LogAndFailExceptionHandler', values: DESERIALIZATION_HANDLERS, deprecatedFor: 'deserializationExceptionHandler',
    importance: 'medium', doc: 'Deprecated: use `deserialization.exception.handler`.',
  },
  defaultKeySerde: {
    name: 'defaultKeySerde', kafkaName: 'default.key.serde', kind: 'serde', defaultValue: null, importance: 'medium',
    doc: 'Serde for keys where none is given; none by default (a missing serde then fails).',
  },
  defaultProductionExceptionHandler: {
    name: 'defaultProductionExceptionHandler', kafkaName: 'default.production.exception.handler', kind: 'handler',
    defaultValue: 'DefaultProductionExceptionHandler', values: PRODUCTION_HANDLERS, deprecatedFor: 'productionExceptionHandler',
    importance: 'medium', doc: 'Deprecated: use `production.exception.handler`.',
  },
  defaultTimestampExtractor: {
    name: 'defaultTimestampExtractor', kafkaName: 'default.timestamp.extractor', kind: 'extractor',
    defaultValue: 'FailOnInvalidTimestamp', values: TIMESTAMP_EXTRACTORS, importance: 'medium',
    doc: 'Where record event time comes from, unless a source sets its own extractor.',
  },
  defaultValueSerde: {
    name: 'defaultValueSerde', kafkaName: 'default.value.serde', kind: 'serde', defaultValue: null, importance: 'medium',
    doc: 'Serde for values where none is given; none by default (a missing serde then fails).',
  },
  deserializationExceptionHandler: {
    name: 'deserializationExceptionHandler', kafkaName: 'deserialization.exception.handler', kind: 'handler',
    defaultValue: 'LogAndFailExceptionHandler', values: DESERIALIZATION_HANDLERS, importance: 'medium',
    doc: 'What to do with a record that cannot be deserialized.',
  },
  maxTaskIdleMs: {
    name: 'maxTaskIdleMs', kafkaName: 'max.task.idle.ms', kind: 'duration', defaultValue: 0, min: -1, importance: 'medium',
    doc: 'How long a task waits for data on all its input partitions before processing out of order (-1: never wait).',
  },
  maxWarmupReplicas: {
    name: 'maxWarmupReplicas', kafkaName: 'max.warmup.replicas', kind: 'int', defaultValue: 2, min: 1, importance: 'medium',
    doc: 'Maximum number of warm-up replicas at one time.',
  },
  numStreamThreads: {
    name: 'numStreamThreads', kafkaName: 'num.stream.threads', kind: 'int', defaultValue: 1, min: 0, importance: 'medium',
    doc: 'Number of stream threads (processing loops) in this instance.',
  },
  processingExceptionHandler: {
    name: 'processingExceptionHandler', kafkaName: 'processing.exception.handler', kind: 'handler',
    defaultValue: 'LogAndFailProcessingExceptionHandler', values: PROCESSING_HANDLERS, importance: 'medium',
    doc: 'What to do when a processor throws on a record.',
  },
  processingGuarantee: {
    name: 'processingGuarantee', kafkaName: 'processing.guarantee', kind: 'enum', defaultValue: 'at_least_once',
    values: ['at_least_once', 'exactly_once_v2'], importance: 'medium',
    doc: 'At-least-once, or exactly-once through Kafka transactions (`exactly_once_v2`).',
  },
  productionExceptionHandler: {
    name: 'productionExceptionHandler', kafkaName: 'production.exception.handler', kind: 'handler',
    defaultValue: 'DefaultProductionExceptionHandler', values: PRODUCTION_HANDLERS, importance: 'medium',
    doc: 'What to do when writing a record to Kafka fails.',
  },
  replicationFactor: {
    name: 'replicationFactor', kafkaName: 'replication.factor', kind: 'int', defaultValue: -1, min: -1, importance: 'medium',
    doc: 'Replication factor of internal topics; -1 uses the broker default.',
  },
  taskTimeoutMs: {
    name: 'taskTimeoutMs', kafkaName: 'task.timeout.ms', kind: 'duration', defaultValue: 300_000, min: 0, importance: 'medium',
    doc: 'How long a task may be blocked by client errors before the error is raised.',
  },
  topologyOptimization: {
    name: 'topologyOptimization', kafkaName: 'topology.optimization', kind: 'optimization', defaultValue: 'none', importance: 'medium',
    doc: '`none`, `all`, or a comma list of `reuse.ktable.source.topics`, `merge.repartition.topics`, `single.store.self.join`.',
  },
  applicationServer: {
    name: 'applicationServer', kafkaName: 'application.server', kind: 'string', defaultValue: '', importance: 'low',
    doc: '`host:port` of this instance for interactive-query discovery, or "".',
  },
  bufferedRecordsPerPartition: {
    name: 'bufferedRecordsPerPartition', kafkaName: 'buffered.records.per.partition', kind: 'int', defaultValue: 1000, min: 1,
    importance: 'low', doc: 'Maximum records buffered per partition before fetching pauses.',
  },
  commitIntervalMs: {
    name: 'commitIntervalMs', kafkaName: 'commit.interval.ms', kind: 'duration', defaultValue: DEFAULT_COMMIT_INTERVAL_MS, min: 0,
    defaultDoc: '30000 (100 under `exactly_once_v2`)', importance: 'low',
    doc: 'How often progress is committed (offsets, caches flushed, transactions committed).',
  },
  repartitionPurgeIntervalMs: {
    name: 'repartitionPurgeIntervalMs', kafkaName: 'repartition.purge.interval.ms', kind: 'duration',
    defaultValue: DEFAULT_COMMIT_INTERVAL_MS, min: 0, importance: 'low',
    doc: 'How often consumed records are purged from repartition topics.',
  },
  defaultDslStore: {
    name: 'defaultDslStore', kafkaName: 'default.dsl.store', kind: 'enum', defaultValue: 'rocksDB', values: ['rocksDB', 'in_memory'],
    importance: 'low', doc: 'Store type the DSL uses unless `Materialized` says otherwise.',
  },
  logSummaryIntervalMs: {
    name: 'logSummaryIntervalMs', kafkaName: 'log.summary.interval.ms', kind: 'duration', defaultValue: 120_000, min: 0,
    importance: 'low', doc: 'Interval of the summary log line of each stream thread.',
  },
  metricsRecordingLevel: {
    name: 'metricsRecordingLevel', kafkaName: 'metrics.recording.level', kind: 'enum', defaultValue: 'INFO',
    values: ['INFO', 'DEBUG', 'TRACE'], importance: 'low', doc: 'Highest recording level of metrics.',
  },
  pollMs: {
    name: 'pollMs', kafkaName: 'poll.ms', kind: 'duration', defaultValue: 100, min: 0, importance: 'low',
    doc: 'How long a poll for input may block.',
  },
  probingRebalanceIntervalMs: {
    name: 'probingRebalanceIntervalMs', kafkaName: 'probing.rebalance.interval.ms', kind: 'duration', defaultValue: 600_000,
    min: 60_000, importance: 'low', doc: 'Interval of probing rebalances while warm-up replicas catch up.',
  },
  rocksdbConfigSetter: {
    name: 'rocksdbConfigSetter', kafkaName: 'rocksdb.config.setter', kind: 'configSetter', defaultValue: null, importance: 'low',
    doc: 'Object (or class) whose `setConfig` adjusts RocksDB options per store.',
  },
  stateCleanupDelayMs: {
    name: 'stateCleanupDelayMs', kafkaName: 'state.cleanup.delay.ms', kind: 'duration', defaultValue: 600_000, min: 0,
    importance: 'low', doc: 'How long an unowned task directory is kept before deletion.',
  },
  windowstoreChangelogAdditionalRetentionMs: {
    name: 'windowstoreChangelogAdditionalRetentionMs', kafkaName: 'windowstore.changelog.additional.retention.ms', kind: 'duration',
    defaultValue: 86_400_000, min: 0, importance: 'low',
    doc: 'Added to a window store\'s retention for its changelog topic\'s retention.',
  },
  ensureExplicitInternalResourceNaming: {
    name: 'ensureExplicitInternalResourceNaming', kafkaName: 'ensure.explicit.internal.resource.naming', kind: 'boolean',
    defaultValue: false, importance: 'high',
    doc: 'Fail topology building when an internal topic or store would get a generated name (KIP-1111).',
  },
  windowCloseIdleMs: {
    name: 'windowCloseIdleMs', kafkaName: null, kind: 'duration', defaultValue: -1, min: -1, importance: 'low',
    doc:
      'kstreams extension, off (-1) by default. When >= 0: once a windowed suppress or emit-on-close aggregation has seen no record ' +
      'for this long (wall-clock), its stream time advances with wall-clock time from where it stopped, so windows of idle ' +
      'partitions close. Records older than the advanced stream time are then late.',
  },
  kafkajs: {
    name: 'kafkajs', kafkaName: null, kind: 'object', defaultValue: {}, importance: 'medium',
    doc: 'Options passed to the kafkajs client (`ssl`, `sasl`, `retry`, `logLevel`, …). kstreams only.',
  },
};

/** Client-override prefixes Kafka accepts, with the camelCase object key that holds the same map. */
export const CLIENT_PREFIXES = {
  mainConsumer: 'main.consumer.',
  restoreConsumer: 'restore.consumer.',
  globalConsumer: 'global.consumer.',
  consumer: 'consumer.',
  producer: 'producer.',
  admin: 'admin.',
  topic: 'topic.',
  clientTag: 'client.tag.',
} as const;

/** A client-override group (`consumer`, `producer`, …). */
export type ClientOverrideGroup = keyof typeof CLIENT_PREFIXES;

/** Built-in names accepted per kind (short names; Java class names are mapped to them). */
export const BUILT_IN_NAMES = {
  deserialization: DESERIALIZATION_HANDLERS,
  production: PRODUCTION_HANDLERS,
  processing: PROCESSING_HANDLERS,
  timestampExtractor: TIMESTAMP_EXTRACTORS,
} as const;
