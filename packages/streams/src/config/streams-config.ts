/**
 * `StreamsConfig`: parses the user's config object for `KafkaStreams` and the test driver. Keys may be camelCase
 * (`commitIntervalMs`) or Kafka's dotted names (`commit.interval.ms`); client overrides go under Kafka's prefixes
 * (`consumer.`, `producer.`, `admin.`, `main.consumer.`, …) or the matching nested objects. Defaults are Kafka's.
 * Unknown keys and bad values fail at construction with a `ConfigException` that names them.
 */
import type { DurationLike } from '../time/duration';
import { ConfigException } from '../errors';
import type { Serde } from '../serde/serde';
import {
  CLIENT_PREFIXES,
  EOS_DEFAULT_COMMIT_INTERVAL_MS,
  EOS_DEFAULT_TRANSACTION_TIMEOUT_MS,
  STREAMS_CONFIG_KEYS,
  type ClientOverrideGroup,
  type ConfigKeySpec,
  type StreamsConfigValues,
} from './config-keys';
import {
  invalid,
  keyLabel,
  optimizationFlags,
  parseBoolean,
  parseConfigSetter,
  parseDuration,
  parseEnum,
  parseInt32,
  parseList,
  parseLong,
  parseObject,
  parseOptimization,
  parsePluggable,
  parseSerde,
  parseString,
  showValue,
} from './config-parse';
import type {
  BuiltInDeserializationExceptionHandler,
  BuiltInProcessingExceptionHandler,
  BuiltInProductionExceptionHandler,
  BuiltInTimestampExtractor,
  ClientOverrides,
  ExceptionHandlerLike,
  HandlerSetting,
  NoArgClass,
  RocksDBConfigSetterLike,
  SerdeSetting,
  TimestampExtractorLike,
  TimestampExtractorSetting,
  TopologyOptimizationFlag,
} from './config-types';
import { closestName } from './suggest';

/** Keys whose input may be a luxon `Duration` as well as milliseconds. */
type DurationKeys =
  | 'commitIntervalMs'
  | 'maxTaskIdleMs'
  | 'pollMs'
  | 'probingRebalanceIntervalMs'
  | 'taskTimeoutMs'
  | 'stateCleanupDelayMs'
  | 'repartitionPurgeIntervalMs'
  | 'windowstoreChangelogAdditionalRetentionMs'
  | 'logSummaryIntervalMs';

/** Input types that differ from the resolved ones. */
interface InputTypes {
  bootstrapServers: string | readonly string[];
  defaultKeySerde: SerdeSetting | null;
  defaultValueSerde: SerdeSetting | null;
  defaultTimestampExtractor: TimestampExtractorSetting;
  deserializationExceptionHandler: HandlerSetting<BuiltInDeserializationExceptionHandler>;
  defaultDeserializationExceptionHandler: HandlerSetting<BuiltInDeserializationExceptionHandler>;
  productionExceptionHandler: HandlerSetting<BuiltInProductionExceptionHandler>;
  defaultProductionExceptionHandler: HandlerSetting<BuiltInProductionExceptionHandler>;
  processingExceptionHandler: HandlerSetting<BuiltInProcessingExceptionHandler>;
  rocksdbConfigSetter: RocksDBConfigSetterLike | NoArgClass<RocksDBConfigSetterLike> | null;
}

/** camelCase settings as a user writes them (every key optional; durations may be luxon `Duration`s). */
export type StreamsConfigInput = {
  readonly [K in keyof StreamsConfigValues]?: K extends keyof InputTypes
    ? InputTypes[K]
    : K extends DurationKeys
      ? DurationLike
      : StreamsConfigValues[K];
} & {
  /** Client overrides as nested maps with Kafka client names, e.g. `consumer: { 'max.poll.records': 500 }`. */
  readonly [G in ClientOverrideGroup]?: ClientOverrides;
};

/**
 * What `new StreamsConfig(...)` and `new KafkaStreams(topology, ...)` accept: camelCase keys, Kafka's dotted keys
 * (`'commit.interval.ms'`), and prefixed client overrides (`'consumer.max.poll.records'`).
 */
export type StreamsConfigProps = StreamsConfigInput & { readonly [dottedKey: `${string}.${string}`]: unknown };

/** Every client-override group, raw (Kafka client names without the prefix). */
export type ResolvedClientOverrides = { readonly [G in ClientOverrideGroup]: ClientOverrides };

/** The parsed config: every setting resolved (defaults applied), plus the raw client overrides. */
export interface ResolvedStreamsConfig extends StreamsConfigValues {
  readonly clientOverrides: ResolvedClientOverrides;
}

/** Options of the {@link StreamsConfig} constructor. */
export interface StreamsConfigOptions {
  /**
   * Values used for keys the user set in neither spelling (the test driver injects a dummy `applicationId` and
   * `bootstrapServers` this way). Parsed and validated like user values.
   */
  readonly defaults?: StreamsConfigProps;
}

type AnySpec = ConfigKeySpec;

const SPECS: readonly AnySpec[] = Object.values(STREAMS_CONFIG_KEYS) as AnySpec[];
const BY_NAME = new Map<string, AnySpec>();
for (const spec of SPECS) {
  BY_NAME.set(spec.name, spec);
  if (spec.kafkaName !== null) BY_NAME.set(spec.kafkaName, spec);
}
const GROUPS = Object.keys(CLIENT_PREFIXES) as ClientOverrideGroup[];
/** Longest prefix first, so `main.consumer.` is not taken for an unprefixed `main` key. */
const PREFIXES = GROUPS.map((g) => [g, CLIENT_PREFIXES[g]] as const).sort((a, b) => b[1].length - a[1].length);
const ALL_KEY_NAMES: readonly string[] = [...BY_NAME.keys(), ...GROUPS];

interface Given {
  readonly key: string;
  readonly value: unknown;
}

interface Collected {
  readonly settings: Map<AnySpec, Given>;
  readonly overrides: Record<ClientOverrideGroup, Record<string, unknown>>;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Same setting given twice (camelCase and dotted) is fine when the values agree. */
function sameValue(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => Object.is(x, b[i]));
  return false;
}

/** Sorts a props object into known settings and client-override maps; unknown keys fail. */
function collect(props: unknown, what: string): Collected {
  if (!isPlainObject(props)) throw new ConfigException(`${what} must be an object, got ${showValue(props)}`);
  const settings = new Map<AnySpec, Given>();
  const overrides = Object.fromEntries(GROUPS.map((g) => [g, {}])) as Record<ClientOverrideGroup, Record<string, unknown>>;

  const putOverride = (group: ClientOverrideGroup, name: string, value: unknown, key: string): void => {
    const map = overrides[group];
    if (name in map && !sameValue(map[name], value)) {
      throw new ConfigException(
        `Conflicting values for client config "${CLIENT_PREFIXES[group]}${name}": ${showValue(map[name])} and ${showValue(value)} (from "${key}")`,
      );
    }
    map[name] = value;
  };

  for (const key of Object.keys(props)) {
    const value = props[key];
    if (value === undefined) continue;
    const spec = BY_NAME.get(key);
    if (spec !== undefined) {
      const prev = settings.get(spec);
      if (prev !== undefined && !sameValue(prev.value, value)) {
        throw new ConfigException(
          `Conflicting values for configuration ${keyLabel(spec, prev.key)}: "${prev.key}" is ${showValue(prev.value)} but "${key}" is ${showValue(value)}`,
        );
      }
      settings.set(spec, { key, value });
      continue;
    }
    if ((GROUPS as readonly string[]).includes(key)) {
      const group = key as ClientOverrideGroup;
      if (!isPlainObject(value)) {
        throw new ConfigException(`Invalid value ${showValue(value)} for configuration "${key}": expected an object of ${group} client settings`);
      }
      for (const name of Object.keys(value)) if (value[name] !== undefined) putOverride(group, name, value[name], `${key}.${name}`);
      continue;
    }
    const prefixed = PREFIXES.find(([, prefix]) => key.startsWith(prefix));
    if (prefixed !== undefined) {
      const name = key.slice(prefixed[1].length);
      if (name === '') throw new ConfigException(`Config key "${key}" is a bare prefix; name a client setting after it`);
      putOverride(prefixed[0], name, value, key);
      continue;
    }
    const near = closestName(key, ALL_KEY_NAMES);
    throw new ConfigException(
      `Unknown config key "${key}"${near ? `. Did you mean "${near}"?` : ''} ` +
        `(client settings go under the "consumer.", "producer.", "admin." prefixes, kafkajs options under "kafkajs")`,
    );
  }
  return { settings, overrides };
}

/** Parses one value by its spec's kind. */
function parseValue(spec: AnySpec, given: string, value: unknown): unknown {
  switch (spec.kind) {
    case 'string':
      return parseString(spec, given, value);
    case 'list':
      return parseList(spec, given, value);
    case 'int':
      return parseInt32(spec, given, value);
    case 'long':
      return parseLong(spec, given, value);
    case 'duration':
      return parseDuration(spec, given, value);
    case 'boolean':
      return parseBoolean(spec, given, value);
    case 'enum':
      return parseEnum(spec, given, value);
    case 'optimization':
      return parseOptimization(spec, given, value);
    case 'serde':
      return parseSerde(spec, given, value);
    case 'handler':
      return parsePluggable(spec, given, value, 'handle', 'org.apache.kafka.streams.errors');
    case 'extractor':
      return parsePluggable(spec, given, value, 'extract', 'org.apache.kafka.streams.processor');
    case 'configSetter':
      return parseConfigSetter(spec, given, value);
    case 'object':
      return parseObject(spec, given, value);
  }
}

const HOST_PORT = /^(\[[0-9a-fA-F:.%\w]+\]|[^\s:[\]]+):\d{1,5}$/;

/**
 * A parsed, validated Kafka Streams configuration.
 *
 * @example
 * const config = new StreamsConfig({
 *   applicationId: 'wordcount',
 *   bootstrapServers: 'localhost:9092',
 *   processingGuarantee: 'exactly_once_v2',
 *   'consumer.max.poll.records': 500,
 * });
 * config.get('commitIntervalMs'); // 100 (the exactly-once default)
 * config.consumerConfigs('main'); // { 'max.poll.records': 500 }
 */
export class StreamsConfig {
  /** Kafka's key-name constants, for code ported from Java (`{ [StreamsConfig.APPLICATION_ID_CONFIG]: 'app' }`). */
  static readonly APPLICATION_ID_CONFIG = 'application.id';
  static readonly BOOTSTRAP_SERVERS_CONFIG = 'bootstrap.servers';
  static readonly APPLICATION_SERVER_CONFIG = 'application.server';
  static readonly CLIENT_ID_CONFIG = 'client.id';
  static readonly COMMIT_INTERVAL_MS_CONFIG = 'commit.interval.ms';
  static readonly PROCESSING_GUARANTEE_CONFIG = 'processing.guarantee';
  static readonly STATE_DIR_CONFIG = 'state.dir';
  static readonly NUM_STREAM_THREADS_CONFIG = 'num.stream.threads';
  static readonly NUM_STANDBY_REPLICAS_CONFIG = 'num.standby.replicas';
  static readonly REPLICATION_FACTOR_CONFIG = 'replication.factor';
  static readonly STATESTORE_CACHE_MAX_BYTES_CONFIG = 'statestore.cache.max.bytes';
  /** @deprecated use {@link StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG}. */
  static readonly CACHE_MAX_BYTES_BUFFERING_CONFIG = 'cache.max.bytes.buffering';
  static readonly DEFAULT_KEY_SERDE_CLASS_CONFIG = 'default.key.serde';
  static readonly DEFAULT_VALUE_SERDE_CLASS_CONFIG = 'default.value.serde';
  static readonly DEFAULT_TIMESTAMP_EXTRACTOR_CLASS_CONFIG = 'default.timestamp.extractor';
  static readonly DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG = 'deserialization.exception.handler';
  static readonly PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG = 'production.exception.handler';
  static readonly PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG = 'processing.exception.handler';
  static readonly TOPOLOGY_OPTIMIZATION_CONFIG = 'topology.optimization';
  static readonly DEFAULT_DSL_STORE_CONFIG = 'default.dsl.store';
  static readonly MAX_TASK_IDLE_MS_CONFIG = 'max.task.idle.ms';
  static readonly POLL_MS_CONFIG = 'poll.ms';
  static readonly BUFFERED_RECORDS_PER_PARTITION_CONFIG = 'buffered.records.per.partition';
  static readonly WINDOW_STORE_CHANGE_LOG_ADDITIONAL_RETENTION_MS_CONFIG = 'windowstore.changelog.additional.retention.ms';
  static readonly ROCKSDB_CONFIG_SETTER_CLASS_CONFIG = 'rocksdb.config.setter';

  static readonly AT_LEAST_ONCE = 'at_least_once';
  static readonly EXACTLY_ONCE_V2 = 'exactly_once_v2';
  static readonly NO_OPTIMIZATION = 'none';
  static readonly OPTIMIZE = 'all';
  static readonly REUSE_KTABLE_SOURCE_TOPICS = 'reuse.ktable.source.topics';
  static readonly MERGE_REPARTITION_TOPICS = 'merge.repartition.topics';
  static readonly SINGLE_STORE_SELF_JOIN = 'single.store.self.join';
  static readonly ROCKS_DB = 'rocksDB';
  static readonly IN_MEMORY = 'in_memory';

  static readonly CONSUMER_PREFIX = CLIENT_PREFIXES.consumer;
  static readonly MAIN_CONSUMER_PREFIX = CLIENT_PREFIXES.mainConsumer;
  static readonly RESTORE_CONSUMER_PREFIX = CLIENT_PREFIXES.restoreConsumer;
  static readonly GLOBAL_CONSUMER_PREFIX = CLIENT_PREFIXES.globalConsumer;
  static readonly PRODUCER_PREFIX = CLIENT_PREFIXES.producer;
  static readonly ADMIN_CLIENT_PREFIX = CLIENT_PREFIXES.admin;
  static readonly TOPIC_PREFIX = CLIENT_PREFIXES.topic;
  static readonly CLIENT_TAG_PREFIX = CLIENT_PREFIXES.clientTag;

  /** `"consumer." + name`. @example StreamsConfig.consumerPrefix('max.poll.records') */
  static consumerPrefix(name: string): string {
    return CLIENT_PREFIXES.consumer + name;
  }
  /** `"main.consumer." + name`. @example StreamsConfig.mainConsumerPrefix('fetch.max.bytes') */
  static mainConsumerPrefix(name: string): string {
    return CLIENT_PREFIXES.mainConsumer + name;
  }
  /** `"restore.consumer." + name`. @example StreamsConfig.restoreConsumerPrefix('max.poll.records') */
  static restoreConsumerPrefix(name: string): string {
    return CLIENT_PREFIXES.restoreConsumer + name;
  }
  /** `"global.consumer." + name`. @example StreamsConfig.globalConsumerPrefix('max.poll.records') */
  static globalConsumerPrefix(name: string): string {
    return CLIENT_PREFIXES.globalConsumer + name;
  }
  /** `"producer." + name`. @example StreamsConfig.producerPrefix('linger.ms') */
  static producerPrefix(name: string): string {
    return CLIENT_PREFIXES.producer + name;
  }
  /** `"admin." + name`. @example StreamsConfig.adminClientPrefix('retries') */
  static adminClientPrefix(name: string): string {
    return CLIENT_PREFIXES.admin + name;
  }
  /** `"topic." + name` (settings of internal topics). @example StreamsConfig.topicPrefix('segment.bytes') */
  static topicPrefix(name: string): string {
    return CLIENT_PREFIXES.topic + name;
  }

  /** The resolved configuration (frozen). */
  readonly values: ResolvedStreamsConfig;
  readonly #explicit: ReadonlySet<keyof StreamsConfigValues>;
  readonly #originals: Readonly<Record<string, unknown>>;

  /**
   * Parses and validates `props`; throws a `ConfigException` naming the key on any unknown key or bad value.
   *
   * @example
   * new StreamsConfig({ 'application.id': 'app', 'bootstrap.servers': 'localhost:9092', 'commit.interval.ms': 1000 });
   */
  constructor(props: StreamsConfigProps, options: StreamsConfigOptions = {}) {
    const user = collect(props, 'Streams config');
    const defaults = options.defaults === undefined ? undefined : collect(options.defaults, 'Default streams config');
    this.#originals = Object.freeze({ ...(props as Record<string, unknown>) });

    const explicit = new Set<keyof StreamsConfigValues>();
    const resolved: Record<string, unknown> = {};
    for (const spec of SPECS) {
      const given = user.settings.get(spec) ?? defaults?.settings.get(spec);
      if (user.settings.has(spec)) explicit.add(spec.name);
      if (given !== undefined) {
        resolved[spec.name] = parseValue(spec, given.key, given.value);
      } else if (spec.required) {
        throw new ConfigException(
          `Missing required configuration ${keyLabel(spec, spec.kafkaName ?? spec.name)} which has no default value.`,
        );
      } else {
        resolved[spec.name] = spec.defaultValue;
      }
    }

    const overrides = {} as Record<ClientOverrideGroup, ClientOverrides>;
    for (const g of GROUPS) overrides[g] = Object.freeze({ ...defaults?.overrides[g], ...user.overrides[g] });
    resolved['clientOverrides'] = Object.freeze(overrides);

    this.#explicit = explicit;
    const isSet = (k: keyof StreamsConfigValues): boolean =>
      user.settings.has(BY_NAME.get(k)!) || (defaults?.settings.has(BY_NAME.get(k)!) ?? false);
    postProcess(resolved as Record<keyof ResolvedStreamsConfig, unknown>, isSet, user, defaults);
    this.values = Object.freeze(resolved) as unknown as ResolvedStreamsConfig;
  }

  /**
   * One resolved value, typed by key.
   *
   * @example
   * config.get('processingGuarantee'); // 'at_least_once'
   */
  get<K extends keyof ResolvedStreamsConfig>(key: K): ResolvedStreamsConfig[K] {
    return this.values[key];
  }

  /**
   * Whether the user set this key (in either spelling); defaults passed in options do not count.
   *
   * @example
   * new StreamsConfig({ ...base, 'commit.interval.ms': 5 }).isSet('commitIntervalMs'); // true
   */
  isSet(key: keyof StreamsConfigValues): boolean {
    return this.#explicit.has(key);
  }

  /** The props object as given (a frozen shallow copy). @example config.originals()['application.id'] */
  originals(): Readonly<Record<string, unknown>> {
    return this.#originals;
  }

  /** True under `exactly_once_v2`. @example config.eosEnabled() */
  eosEnabled(): boolean {
    return this.values.processingGuarantee === 'exactly_once_v2';
  }

  /**
   * The record cache size over all threads: `statestore.cache.max.bytes`, or the deprecated
   * `cache.max.bytes.buffering` when only that one is set (Kafka's `StreamsConfigUtils.totalCacheSize`).
   *
   * @example
   * new StreamsConfig({ ...base, cacheMaxBytesBuffering: 0 }).totalCacheSize(); // 0
   */
  totalCacheSize(): number {
    return this.values.statestoreCacheMaxBytes;
  }

  /**
   * The default key serde; throws a `ConfigException` when none is configured, as Kafka does at first use.
   *
   * @example
   * new StreamsConfig({ ...base, defaultKeySerde: Serdes.String() }).defaultKeySerde();
   */
  defaultKeySerde(): Serde<unknown> {
    const serde = this.values.defaultKeySerde;
    if (serde === null) {
      throw new ConfigException('Please specify a key serde or set one through StreamsConfig "defaultKeySerde" (default.key.serde)');
    }
    return serde;
  }

  /**
   * The default value serde; throws a `ConfigException` when none is configured.
   *
   * @example
   * new StreamsConfig({ ...base, defaultValueSerde: Serdes.Long() }).defaultValueSerde();
   */
  defaultValueSerde(): Serde<unknown> {
    const serde = this.values.defaultValueSerde;
    if (serde === null) {
      throw new ConfigException('Please specify a value serde or set one through StreamsConfig "defaultValueSerde" (default.value.serde)');
    }
    return serde;
  }

  /**
   * The deserialization exception handler: a built-in name or the configured object. The deprecated
   * `default.deserialization.exception.handler` counts when the new key is not set.
   *
   * @example
   * config.deserializationExceptionHandler(); // 'LogAndFailExceptionHandler'
   */
  deserializationExceptionHandler(): BuiltInDeserializationExceptionHandler | ExceptionHandlerLike {
    return this.values.deserializationExceptionHandler;
  }

  /** The production exception handler (deprecated key honoured as above). @example config.productionExceptionHandler() */
  productionExceptionHandler(): BuiltInProductionExceptionHandler | ExceptionHandlerLike {
    return this.values.productionExceptionHandler;
  }

  /** The processing exception handler. @example config.processingExceptionHandler() // 'LogAndFailProcessingExceptionHandler' */
  processingExceptionHandler(): BuiltInProcessingExceptionHandler | ExceptionHandlerLike {
    return this.values.processingExceptionHandler;
  }

  /** The default timestamp extractor. @example config.defaultTimestampExtractor() // 'FailOnInvalidTimestamp' */
  defaultTimestampExtractor(): BuiltInTimestampExtractor | TimestampExtractorLike {
    return this.values.defaultTimestampExtractor;
  }

  /**
   * The specific optimizations turned on (`all` expands to every one, `none` to none).
   *
   * @example
   * new StreamsConfig({ ...base, topologyOptimization: 'all' }).topologyOptimizations().has('merge.repartition.topics'); // true
   */
  topologyOptimizations(): ReadonlySet<TopologyOptimizationFlag> {
    return optimizationFlags(this.values.topologyOptimization) as Set<TopologyOptimizationFlag>;
  }

  /**
   * Raw settings for one consumer: `consumer.*`, overridden by `main.consumer.*` / `restore.consumer.*` /
   * `global.consumer.*`, as Kafka's `getMainConsumerConfigs` & co. merge them.
   *
   * @example
   * config.consumerConfigs('restore')['max.poll.records'];
   */
  consumerConfigs(which: 'main' | 'restore' | 'global'): ClientOverrides {
    const o = this.values.clientOverrides;
    const specific = which === 'main' ? o.mainConsumer : which === 'restore' ? o.restoreConsumer : o.globalConsumer;
    return { ...o.consumer, ...specific };
  }

  /** Raw `producer.*` settings. @example config.producerConfigs()['linger.ms'] */
  producerConfigs(): ClientOverrides {
    return this.values.clientOverrides.producer;
  }

  /** Raw `admin.*` settings. @example config.adminConfigs() */
  adminConfigs(): ClientOverrides {
    return this.values.clientOverrides.admin;
  }

  /** Raw `topic.*` settings for internal topics. @example config.topicConfigs()['segment.bytes'] */
  topicConfigs(): ClientOverrides {
    return this.values.clientOverrides.topic;
  }
}

/** Cross-key rules applied after every value is parsed. */
function postProcess(
  resolved: Record<keyof ResolvedStreamsConfig, unknown>,
  isSet: (k: keyof StreamsConfigValues) => boolean,
  user: Collected,
  defaults: Collected | undefined,
): void {
  const given = (k: keyof StreamsConfigValues): Given =>
    user.settings.get(BY_NAME.get(k)!) ?? defaults?.settings.get(BY_NAME.get(k)!) ?? { key: k, value: resolved[k] };

  if ((resolved.applicationId as string) === '') {
    throw invalid(STREAMS_CONFIG_KEYS.applicationId, given('applicationId').key, '', 'must not be empty');
  }
  const servers = resolved.bootstrapServers as string[];
  const serversGiven = given('bootstrapServers');
  if (servers.length === 0) throw invalid(STREAMS_CONFIG_KEYS.bootstrapServers, serversGiven.key, serversGiven.value, 'must list at least one host:port');
  for (const s of servers) {
    if (!HOST_PORT.test(s)) throw invalid(STREAMS_CONFIG_KEYS.bootstrapServers, serversGiven.key, serversGiven.value, `"${s}" is not host:port`);
  }
  resolved.bootstrapServers = Object.freeze([...servers]);

  if (resolved.replicationFactor === 0) {
    const g = given('replicationFactor');
    throw invalid(STREAMS_CONFIG_KEYS.replicationFactor, g.key, g.value, 'must be -1 (broker default) or at least 1');
  }

  const server = resolved.applicationServer as string;
  if (server !== '' && !HOST_PORT.test(server)) {
    const g = given('applicationServer');
    throw invalid(STREAMS_CONFIG_KEYS.applicationServer, g.key, g.value, 'expected host:port or ""');
  }

  // Deprecated spellings count only when the new key is absent (Kafka's StreamsConfigUtils.totalCacheSize & handlers).
  if (!isSet('statestoreCacheMaxBytes') && isSet('cacheMaxBytesBuffering')) {
    resolved.statestoreCacheMaxBytes = resolved.cacheMaxBytesBuffering;
  }
  if (!isSet('deserializationExceptionHandler') && isSet('defaultDeserializationExceptionHandler')) {
    resolved.deserializationExceptionHandler = resolved.defaultDeserializationExceptionHandler;
  }
  if (!isSet('productionExceptionHandler') && isSet('defaultProductionExceptionHandler')) {
    resolved.productionExceptionHandler = resolved.defaultProductionExceptionHandler;
  }

  if (resolved.processingGuarantee === 'exactly_once_v2') {
    if (!isSet('commitIntervalMs')) resolved.commitIntervalMs = EOS_DEFAULT_COMMIT_INTERVAL_MS;
    const producer = (resolved.clientOverrides as ResolvedClientOverrides).producer;
    const raw = producer['transaction.timeout.ms'];
    let txnTimeout = EOS_DEFAULT_TRANSACTION_TIMEOUT_MS;
    if (raw !== undefined) {
      const n = typeof raw === 'string' && /^\d+$/.test(raw.trim()) ? Number(raw) : raw;
      if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) {
        throw new ConfigException(`Invalid value ${showValue(raw)} for configuration "producer.transaction.timeout.ms": expected a whole number of milliseconds`);
      }
      txnTimeout = n;
    }
    const commit = resolved.commitIntervalMs as number;
    if (txnTimeout < commit) {
      throw new ConfigException(
        `Transaction timeout ${txnTimeout} was set lower than streams commit interval ${commit}. This will cause ongoing ` +
          'transaction always timeout due to inactivity caused by long commit interval. Consider reconfiguring commit ' +
          'interval to match transaction timeout by tuning "commitIntervalMs" (commit.interval.ms), or increase the ' +
          'transaction timeout to match commit interval by tuning "producer.transaction.timeout.ms".',
      );
    }
  }
}
