/**
 * StreamsConfig: Kafka's defaults, camelCase and dotted spellings, EOS commit interval, deprecated keys,
 * client-override prefixes, and errors that name the key and value.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { Duration } from 'luxon';
import { ConfigException } from '../../src/errors';
import {
  STREAMS_CONFIG_KEYS,
  Serdes,
  StreamsConfig,
  streamsConfigMarkdown,
  type StreamsConfigProps,
} from '../../src/index';

const base = { applicationId: 'app', bootstrapServers: 'localhost:9092' } as const;

function configError(props: unknown): string {
  try {
    new StreamsConfig(props as StreamsConfigProps);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigException);
    return (e as Error).message;
  }
  throw new Error('expected a ConfigException');
}

describe('defaults are Kafka Streams defaults (§9.1)', () => {
  test('every default', () => {
    const c = new StreamsConfig(base);
    expect(c.values).toMatchObject({
      applicationId: 'app',
      bootstrapServers: ['localhost:9092'],
      numStreamThreads: 1,
      numStandbyReplicas: 0,
      stateDir: path.join(os.tmpdir(), 'kafka-streams'),
      processingGuarantee: 'at_least_once',
      commitIntervalMs: 30000,
      statestoreCacheMaxBytes: 10485760,
      defaultKeySerde: null,
      defaultValueSerde: null,
      defaultTimestampExtractor: 'FailOnInvalidTimestamp',
      deserializationExceptionHandler: 'LogAndFailExceptionHandler',
      productionExceptionHandler: 'DefaultProductionExceptionHandler',
      processingExceptionHandler: 'LogAndFailProcessingExceptionHandler',
      replicationFactor: -1,
      topologyOptimization: 'none',
      defaultDslStore: 'rocksDB',
      applicationServer: '',
      clientId: '',
      maxTaskIdleMs: 0,
      bufferedRecordsPerPartition: 1000,
      pollMs: 100,
      acceptableRecoveryLag: 10000,
      maxWarmupReplicas: 2,
      probingRebalanceIntervalMs: 600000,
      taskTimeoutMs: 300000,
      stateCleanupDelayMs: 600000,
      repartitionPurgeIntervalMs: 30000,
      windowstoreChangelogAdditionalRetentionMs: 86400000,
      metricsRecordingLevel: 'INFO',
      logSummaryIntervalMs: 120000,
      ensureExplicitInternalResourceNaming: false,
      rocksdbConfigSetter: null,
      kafkajs: {},
    });
    expect(c.eosEnabled()).toBe(false);
    expect(c.totalCacheSize()).toBe(10485760);
    expect(c.topologyOptimizations().size).toBe(0);
    expect(Object.isFrozen(c.values)).toBe(true);
  });

  test('applicationId and bootstrapServers are required, named in both spellings', () => {
    expect(configError({ bootstrapServers: 'h:1' })).toBe(
      'Missing required configuration "application.id" (applicationId) which has no default value.',
    );
    expect(configError({ applicationId: 'a' })).toMatch(/Missing required configuration "bootstrap.servers" \(bootstrapServers\)/);
  });
});

describe('spellings', () => {
  test('dotted Kafka names set the same values as camelCase names', () => {
    const c = new StreamsConfig({
      'application.id': 'dotted',
      'bootstrap.servers': 'a:1, b:2',
      'commit.interval.ms': 250,
      'statestore.cache.max.bytes': '1024',
      'num.stream.threads': '3',
      'processing.guarantee': 'at_least_once',
      'default.dsl.store': 'in_memory',
      'topology.optimization': 'reuse.ktable.source.topics, merge.repartition.topics',
      'ensure.explicit.internal.resource.naming': 'TRUE',
    });
    expect(c.get('applicationId')).toBe('dotted');
    expect(c.get('bootstrapServers')).toEqual(['a:1', 'b:2']);
    expect(c.get('commitIntervalMs')).toBe(250);
    expect(c.get('statestoreCacheMaxBytes')).toBe(1024);
    expect(c.get('numStreamThreads')).toBe(3);
    expect(c.get('defaultDslStore')).toBe('in_memory');
    expect(c.get('topologyOptimization')).toBe('reuse.ktable.source.topics,merge.repartition.topics');
    expect([...c.topologyOptimizations()].sort()).toEqual(['merge.repartition.topics', 'reuse.ktable.source.topics']);
    expect(c.get('ensureExplicitInternalResourceNaming')).toBe(true);
    expect(c.isSet('commitIntervalMs')).toBe(true);
    expect(c.isSet('pollMs')).toBe(false);
  });

  test('both spellings of one key are fine when equal and an error when they differ', () => {
    expect(new StreamsConfig({ ...base, pollMs: 5, 'poll.ms': 5 }).get('pollMs')).toBe(5);
    expect(configError({ ...base, pollMs: 5, 'poll.ms': 6 })).toBe(
      'Conflicting values for configuration "pollMs" (poll.ms): "pollMs" is 5 but "poll.ms" is 6',
    );
  });

  test('Java-style key constants name real keys', () => {
    const c = new StreamsConfig({
      [StreamsConfig.APPLICATION_ID_CONFIG]: 'java-style',
      [StreamsConfig.BOOTSTRAP_SERVERS_CONFIG]: 'h:1',
      [StreamsConfig.PROCESSING_GUARANTEE_CONFIG]: StreamsConfig.EXACTLY_ONCE_V2,
      [StreamsConfig.TOPOLOGY_OPTIMIZATION_CONFIG]: StreamsConfig.OPTIMIZE,
      [StreamsConfig.DEFAULT_DSL_STORE_CONFIG]: StreamsConfig.IN_MEMORY,
      [StreamsConfig.consumerPrefix('max.poll.records')]: 10,
    });
    expect(c.get('applicationId')).toBe('java-style');
    expect(c.eosEnabled()).toBe(true);
    expect(c.topologyOptimizations()).toEqual(
      new Set([StreamsConfig.REUSE_KTABLE_SOURCE_TOPICS, StreamsConfig.MERGE_REPARTITION_TOPICS, StreamsConfig.SINGLE_STORE_SELF_JOIN]),
    );
    expect(c.get('defaultDslStore')).toBe('in_memory');
    expect(c.consumerConfigs('main')).toEqual({ 'max.poll.records': 10 });
    const names = new Set(Object.values(STREAMS_CONFIG_KEYS).map((s) => s.kafkaName));
    const constants = Object.entries(StreamsConfig).filter(([k]) => k.endsWith('_CONFIG'));
    expect(constants.length).toBeGreaterThan(20);
    for (const [, v] of constants) expect(names).toContain(v);
  });

  test('durations accept luxon Duration', () => {
    const c = new StreamsConfig({ ...base, commitIntervalMs: Duration.fromObject({ seconds: 2 }), maxTaskIdleMs: -1 });
    expect(c.get('commitIntervalMs')).toBe(2000);
    expect(c.get('maxTaskIdleMs')).toBe(-1);
  });

  test('bootstrapServers accepts an array', () => {
    expect(new StreamsConfig({ ...base, bootstrapServers: ['h1:9092', '[::1]:9093'] }).get('bootstrapServers')).toEqual([
      'h1:9092',
      '[::1]:9093',
    ]);
  });

  test('camelCase typos are compile errors (dotted keys are checked at runtime)', () => {
    // @ts-expect-error not a config key
    const props: StreamsConfigProps = { ...base, comitIntervalMs: 5 };
    expect(() => new StreamsConfig(props)).toThrow(ConfigException);
  });
});

describe('exactly-once', () => {
  test('commit interval defaults to 100 ms under exactly_once_v2', () => {
    const c = new StreamsConfig({ ...base, processingGuarantee: 'exactly_once_v2' });
    expect(c.eosEnabled()).toBe(true);
    expect(c.get('commitIntervalMs')).toBe(100);
  });

  test('an explicit commit interval wins, but must not exceed the transaction timeout (10 s by default)', () => {
    expect(new StreamsConfig({ ...base, processingGuarantee: 'exactly_once_v2', 'commit.interval.ms': 5000 }).get('commitIntervalMs')).toBe(
      5000,
    );
    expect(new StreamsConfig({ ...base, processingGuarantee: 'exactly_once_v2', commitIntervalMs: 10000 }).get('commitIntervalMs')).toBe(
      10000,
    );
    expect(configError({ ...base, processingGuarantee: 'exactly_once_v2', commitIntervalMs: 30001 })).toMatch(
      /^Transaction timeout 10000 was set lower than streams commit interval 30001/,
    );
  });

  test('a raised producer.transaction.timeout.ms allows a longer commit interval', () => {
    const c = new StreamsConfig({
      ...base,
      processingGuarantee: 'exactly_once_v2',
      commitIntervalMs: 60000,
      'producer.transaction.timeout.ms': 60000,
    });
    expect(c.get('commitIntervalMs')).toBe(60000);
  });

  test('removed guarantees are rejected with a pointer to exactly_once_v2', () => {
    expect(configError({ ...base, 'processing.guarantee': 'exactly_once' })).toBe(
      'Invalid value "exactly_once" for configuration "processing.guarantee" (processingGuarantee): was removed in Kafka Streams 4.0; use "exactly_once_v2"',
    );
    expect(configError({ ...base, processingGuarantee: 'exactly-once' })).toMatch(
      /must be one of "at_least_once", "exactly_once_v2" \(did you mean "exactly_once_v2"\?\)/,
    );
  });
});

describe('deprecated keys', () => {
  test('cache.max.bytes.buffering is used only when statestore.cache.max.bytes is not set', () => {
    expect(new StreamsConfig({ ...base, 'cache.max.bytes.buffering': 0 }).totalCacheSize()).toBe(0);
    expect(new StreamsConfig({ ...base, cacheMaxBytesBuffering: 0, statestoreCacheMaxBytes: 7 }).totalCacheSize()).toBe(7);
  });

  test('default.deserialization.exception.handler applies when the new key is absent', () => {
    const c = new StreamsConfig({ ...base, 'default.deserialization.exception.handler': 'LogAndContinueExceptionHandler' });
    expect(c.deserializationExceptionHandler()).toBe('LogAndContinueExceptionHandler');
    const both = new StreamsConfig({
      ...base,
      defaultDeserializationExceptionHandler: 'LogAndContinueExceptionHandler',
      deserializationExceptionHandler: 'LogAndFailExceptionHandler',
    });
    expect(both.deserializationExceptionHandler()).toBe('LogAndFailExceptionHandler');
    expect(new StreamsConfig({ ...base, defaultProductionExceptionHandler: { handle: () => 0 } }).productionExceptionHandler()).not.toBe(
      'DefaultProductionExceptionHandler',
    );
  });
});

describe('pluggable values', () => {
  test('serdes: instance, class, or Java built-in class name', () => {
    class MySerde {
      serializer() {
        return Serdes.String().serializer();
      }
      deserializer() {
        return Serdes.String().deserializer();
      }
    }
    const c = new StreamsConfig({
      ...base,
      defaultKeySerde: Serdes.String(),
      'default.value.serde': 'org.apache.kafka.common.serialization.Serdes$LongSerde',
    });
    expect(c.defaultKeySerde()).toBe(Serdes.String());
    expect(c.defaultValueSerde()).toBe(Serdes.Long());
    expect(new StreamsConfig({ ...base, defaultKeySerde: MySerde }).defaultKeySerde()).toBeInstanceOf(MySerde);
    expect(configError({ ...base, defaultKeySerde: 'Serdes$ByteBufferSerde' })).toMatch(
      /^Invalid value "Serdes\$ByteBufferSerde" for configuration "defaultKeySerde" \(default.key.serde\): unknown serde class/,
    );
    expect(configError({ ...base, defaultValueSerde: { serializer: 1 } })).toMatch(/expected a Serde/);
  });

  test('unset default serdes fail at use, naming the key', () => {
    const c = new StreamsConfig(base);
    expect(() => c.defaultKeySerde()).toThrow(ConfigException);
    expect(() => c.defaultKeySerde()).toThrow(/default.key.serde/);
    expect(() => c.defaultValueSerde()).toThrow(/default.value.serde/);
  });

  test('handlers: built-in short or Java class name, instance, or class (instantiated once)', () => {
    class Continue {
      handle(): string {
        return 'CONTINUE';
      }
    }
    const instance = new Continue();
    const c = new StreamsConfig({
      ...base,
      deserializationExceptionHandler: 'org.apache.kafka.streams.errors.LogAndContinueExceptionHandler',
      productionExceptionHandler: instance,
      processingExceptionHandler: Continue,
      defaultTimestampExtractor: 'org.apache.kafka.streams.processor.WallclockTimestampExtractor',
    });
    expect(c.deserializationExceptionHandler()).toBe('LogAndContinueExceptionHandler');
    expect(c.productionExceptionHandler()).toBe(instance);
    expect(c.processingExceptionHandler()).toBeInstanceOf(Continue);
    expect(c.defaultTimestampExtractor()).toBe('WallclockTimestampExtractor');
    expect(configError({ ...base, deserializationExceptionHandler: 'LogAndContinueHandler' })).toMatch(
      /"deserializationExceptionHandler" \(deserialization.exception.handler\): unknown built-in.*did you mean "LogAndContinueExceptionHandler"/,
    );
    expect(configError({ ...base, defaultTimestampExtractor: { extract: 5 } })).toMatch(/extract\(\) method/);
  });

  test('rocksdbConfigSetter and kafkajs', () => {
    const setter = { setConfig: () => undefined };
    const c = new StreamsConfig({ ...base, rocksdbConfigSetter: setter, kafkajs: { ssl: true, retry: { retries: 3 } } });
    expect(c.get('rocksdbConfigSetter')).toBe(setter);
    expect(c.get('kafkajs')).toEqual({ ssl: true, retry: { retries: 3 } });
    expect(configError({ ...base, 'rocksdb.config.setter': {} })).toMatch(/setConfig\(\) method/);
    expect(configError({ ...base, kafkajs: 'ssl' })).toBe('Invalid value "ssl" for configuration "kafkajs": expected an object');
  });
});

describe('client overrides', () => {
  test('prefixed keys and nested objects land in raw maps; specific consumers override consumer.*', () => {
    const c = new StreamsConfig({
      ...base,
      'consumer.max.poll.records': 500,
      'main.consumer.max.poll.records': 250,
      restoreConsumer: { 'fetch.max.bytes': 1 },
      'producer.linger.ms': 5,
      admin: { retries: 2 },
      'topic.segment.bytes': 1024,
      'global.consumer.client.rack': 'r1',
      'client.tag.zone': 'eu-1',
    });
    expect(c.consumerConfigs('main')).toEqual({ 'max.poll.records': 250 });
    expect(c.consumerConfigs('restore')).toEqual({ 'max.poll.records': 500, 'fetch.max.bytes': 1 });
    expect(c.consumerConfigs('global')).toEqual({ 'max.poll.records': 500, 'client.rack': 'r1' });
    expect(c.producerConfigs()).toEqual({ 'linger.ms': 5 });
    expect(c.adminConfigs()).toEqual({ retries: 2 });
    expect(c.topicConfigs()).toEqual({ 'segment.bytes': 1024 });
    expect(c.get('clientOverrides').clientTag).toEqual({ zone: 'eu-1' });
    expect(StreamsConfig.consumerPrefix('max.poll.records')).toBe('consumer.max.poll.records');
    expect(StreamsConfig.mainConsumerPrefix('x')).toBe('main.consumer.x');
    expect(StreamsConfig.topicPrefix('x')).toBe('topic.x');
  });

  test('the same client setting given twice with different values is an error', () => {
    expect(configError({ ...base, 'producer.linger.ms': 5, producer: { 'linger.ms': 6 } })).toMatch(
      /Conflicting values for client config "producer.linger.ms": 5 and 6/,
    );
    expect(configError({ ...base, 'consumer.': 1 })).toMatch(/bare prefix/);
    expect(configError({ ...base, producer: 'x' })).toMatch(/Invalid value "x" for configuration "producer"/);
  });
});

describe('unknown keys and invalid values', () => {
  test.each<[string, string]>([
    ['comitIntervalMs', 'commitIntervalMs'],
    ['commit.interval', 'commit.interval.ms'],
    ['application_id', 'application.id'],
    ['numStreamsThreads', 'numStreamThreads'],
    ['statestore.cache.max.byte', 'statestore.cache.max.bytes'],
  ])('unknown key %p suggests %p', (key, suggestion) => {
    expect(configError({ ...base, [key]: 1 })).toMatch(new RegExp(`^Unknown config key "${key}". Did you mean "${suggestion}"\\?`));
  });

  test('an unknown key far from every known one gets no suggestion', () => {
    expect(configError({ ...base, zzzzzzzzzzzz: 1 })).toMatch(/^Unknown config key "zzzzzzzzzzzz" \(client settings go under/);
  });

  test.each<[string, unknown, RegExp]>([
    ['commitIntervalMs', -5, /^Invalid value -5 for configuration "commitIntervalMs" \(commit.interval.ms\): must be at least 0$/],
    ['commit.interval.ms', 'soon', /^Invalid value "soon" for configuration "commit.interval.ms" \(commitIntervalMs\): expected a whole number/],
    ['commitIntervalMs', 1.5, /expected a whole number of milliseconds/],
    ['numStreamThreads', 2 ** 31, /"numStreamThreads" \(num.stream.threads\): expected a 32-bit integer/],
    ['numStandbyReplicas', -1, /must be at least 0/],
    ['probingRebalanceIntervalMs', 1000, /must be at least 60000/],
    ['statestoreCacheMaxBytes', -1, /"statestoreCacheMaxBytes" \(statestore.cache.max.bytes\): must be at least 0/],
    ['applicationId', 42, /^Invalid value 42 for configuration "applicationId" \(application.id\): expected a string$/],
    ['applicationId', '  ', /"applicationId" \(application.id\): must not be empty/],
    ['bootstrapServers', 'localhost', /"localhost" is not host:port/],
    ['bootstrapServers', '', /must list at least one host:port/],
    ['bootstrapServers', [1], /expected an array of strings/],
    ['defaultDslStore', 'rocksdb', /must be one of "rocksDB", "in_memory" \(did you mean "rocksDB"\?\)/],
    ['metrics.recording.level', 'info', /must be one of "INFO", "DEBUG", "TRACE"/],
    ['topologyOptimization', 'all,none', /"none" and "all" cannot be combined/],
    ['topology.optimization', 'merge', /unknown optimization "merge"/],
    ['replicationFactor', 0, /must be -1 \(broker default\) or at least 1/],
    ['applicationServer', 'nohost', /expected host:port or ""/],
    ['ensureExplicitInternalResourceNaming', 'yes', /expected true or false/],
    ['commitIntervalMs', Duration.fromObject({ milliseconds: -1 }), /must be at least 0 ms/],
  ])('%s = %p is rejected', (key, value, message) => {
    expect(configError({ ...base, [key]: value })).toMatch(message);
  });

  test('a non-object config is rejected', () => {
    expect(configError(null)).toBe('Streams config must be an object, got null');
    expect(configError(['a'])).toMatch(/must be an object/);
  });

  test('undefined values count as unset', () => {
    expect(new StreamsConfig({ ...base, ['poll.ms']: undefined }).get('pollMs')).toBe(100);
  });
});

describe('defaults option (test driver, KafkaStreams)', () => {
  test('apply only to keys the user set in neither spelling, and are validated', () => {
    const defaults: StreamsConfigProps = { applicationId: 'dummy-app', 'bootstrap.servers': 'dummy-bootstrap-host:0', pollMs: 1 };
    const c = new StreamsConfig({ 'application.id': 'mine' }, { defaults });
    expect(c.get('applicationId')).toBe('mine');
    expect(c.get('bootstrapServers')).toEqual(['dummy-bootstrap-host:0']);
    expect(c.get('pollMs')).toBe(1);
    expect(c.isSet('pollMs')).toBe(false);
    expect(() => new StreamsConfig(base, { defaults: { 'poll.mss': 1 } })).toThrow(/Unknown config key "poll.mss"/);
  });

  test('an EOS commit interval given as a default counts as set', () => {
    const c = new StreamsConfig({ ...base, processingGuarantee: 'exactly_once_v2' }, { defaults: { commitIntervalMs: 0 } });
    expect(c.get('commitIntervalMs')).toBe(0);
  });
});

describe('key table and docs', () => {
  test('every key has a unique camelCase and Kafka name, and its default passes its own validation', () => {
    const specs = Object.values(STREAMS_CONFIG_KEYS);
    const names = specs.flatMap((s) => (s.kafkaName === null ? [s.name] : [s.name, s.kafkaName]));
    expect(new Set(names).size).toBe(names.length);
    for (const s of specs) expect(Object.keys(STREAMS_CONFIG_KEYS)).toContain(s.name);
    // Feeding every default back in as an explicit value must be accepted and round-trip.
    const explicit: Record<string, unknown> = { ...base };
    for (const s of specs) if (!s.required && s.defaultValue !== null && s.kind !== 'object') explicit[s.kafkaName ?? s.name] = s.defaultValue;
    const c = new StreamsConfig(explicit as StreamsConfigProps);
    for (const s of specs) if (!s.required && s.defaultValue !== null) expect(c.values[s.name]).toEqual(s.defaultValue);
  });

  test('generated Markdown lists every key with its default', () => {
    const md = streamsConfigMarkdown();
    for (const s of Object.values(STREAMS_CONFIG_KEYS)) expect(md).toContain(`| \`${s.name}\` |`);
    expect(md).toContain('| `commitIntervalMs` | `commit.interval.ms` | 30000 (100 under `exactly_once_v2`) | low |');
    expect(md).toContain('| `cacheMaxBytesBuffering` | `cache.max.bytes.buffering` | 10485760 |');
    expect(md).toMatch(/Deprecated/);
  });
});
