/**
 * The accepted-keys test: every key StreamsConfig accepts (every row of STREAMS_CONFIG_KEYS, every client-override
 * prefix) either has an effect on what KafkaStreams runs with, or is refused by `new KafkaStreams` with a
 * ConfigException naming it. The table below must name every key (the compiler checks it); each row is checked:
 *  - `refused`: construction fails naming the key;
 *  - `effect`: a probe shows a non-default value changes what the runtime is built with (the object the runtime
 *    hands to tasks, stores, or kafkajs), compared with the default;
 *  - `runtime`: the effect shows only while running, so it is proven against a broker by the named test in
 *    test/e2e/accepted-config-keys.test.ts (this test checks that test exists);
 *  - `owner`: acted on by another piece of work in progress (named), left as it is here.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KafkaConfig } from 'kafkajs';
import { CLIENT_PREFIXES, STREAMS_CONFIG_KEYS, type ClientOverrideGroup, type StreamsConfigValues } from '../../src/config/config-keys';
import { StreamsConfig, type StreamsConfigProps } from '../../src/config/streams-config';
import { Consumed } from '../../src/dsl/consumed';
import { StreamsBuilder } from '../../src/dsl/streams-builder';
import { ConfigException } from '../../src/errors';
import { windowCloseIdleMs } from '../../src/processor/operators/kstream-window-idle-advance';
import { UsePartitionTimeOnInvalidTimestamp } from '../../src/processor/timestamp-extractor';
import { GroupConsumer, MAIN_CONSUMER_SETTINGS, type GroupConsumerOptions } from '../../src/runtime/kafka-client';
import { KafkaStreams } from '../../src/runtime/kafka-streams';
import {
  LogAndContinueExceptionHandler,
  LogAndContinueProcessingExceptionHandler,
  LogAndFailExceptionHandler,
  LogAndFailProcessingExceptionHandler,
} from '../../src/runtime/exception-handlers';
import { assignTasks, tasksFor } from '../../src/runtime/streams-partition-assignor';
import { taskSettings, type TaskSettings } from '../../src/runtime/task-settings';
import { Serdes } from '../../src/serde/serdes';
import { rocksDBConfigSetterFrom } from '../../src/state/rocksdb/rocksdb-config-setter';

const base = { applicationId: 'keys-app', bootstrapServers: '127.0.0.1:9' } as const;

function topology() {
  const b = new StreamsBuilder();
  b.stream('in', Consumed.with(Serdes.String(), Serdes.String())).groupByKey().count();
  return b.build();
}

/** What the runtime hands to tasks and stores for these props (KafkaStreams builds the same from its config). */
function settingsFor(props: object): TaskSettings {
  const config = new StreamsConfig({ ...base, ...props } as StreamsConfigProps);
  return taskSettings(config.values, config.originals());
}

type Evidence =
  | { readonly refused: unknown }
  | { readonly effect: { readonly value: unknown; readonly observe: (props: object) => unknown } }
  | { readonly runtime: string }
  | { readonly owner: string };

const TASK_SETTING = (value: unknown, observe: (s: TaskSettings) => unknown) => ({ effect: { value, observe: (p: object) => observe(settingsFor(p)) } });

const EVIDENCE: { readonly [K in keyof StreamsConfigValues | ClientOverrideGroup]: Evidence } = {
  applicationId: { runtime: 'applicationId, clientId, stateDir and topic.* shape the group, members, task directories and internal topics' },
  bootstrapServers: { runtime: 'applicationId, clientId, stateDir and topic.* shape the group, members, task directories and internal topics' },
  clientId: { runtime: 'applicationId, clientId, stateDir and topic.* shape the group, members, task directories and internal topics' },
  stateDir: { runtime: 'applicationId, clientId, stateDir and topic.* shape the group, members, task directories and internal topics' },
  topic: { runtime: 'applicationId, clientId, stateDir and topic.* shape the group, members, task directories and internal topics' },
  commitIntervalMs: { runtime: 'commitIntervalMs decides when offsets are committed' },
  replicationFactor: { runtime: 'replicationFactor is used for internal topics' },
  repartitionPurgeIntervalMs: { runtime: 'repartitionPurgeIntervalMs: see repartition-purge.test.ts' },
  pollMs: { runtime: 'pollMs, consumer.* and main.consumer.* reach the kafkajs consumer' },
  consumer: { runtime: 'pollMs, consumer.* and main.consumer.* reach the kafkajs consumer' },
  mainConsumer: { runtime: 'pollMs, consumer.* and main.consumer.* reach the kafkajs consumer' },
  maxTaskIdleMs: { runtime: 'maxTaskIdleMs holds a task back while one of its inputs has no data' },
  kafkajs: { runtime: 'kafkajs options reach the kafkajs client' },
  numStreamThreads: { refused: 2 },
  numStandbyReplicas: { runtime: 'numStandbyReplicas: see standby-failover.test.ts' },
  processingGuarantee: { owner: 'eos (exactly_once_v2)' },
  productionExceptionHandler: { owner: 'eos (failed sends and the production handler)' },
  defaultProductionExceptionHandler: { owner: 'eos (failed sends and the production handler)' },
  producer: { owner: 'eos (producer.retries, producer.delivery.timeout.ms, producer.transaction.timeout.ms, …)' },
  taskTimeoutMs: { owner: 'eos (client errors retried until task.timeout.ms)' },
  applicationServer: { owner: 'iq (application.server in the subscription, interactive-query metadata)' },
  statestoreCacheMaxBytes: TASK_SETTING(0, (s) => s.cacheMaxBytes),
  cacheMaxBytesBuffering: TASK_SETTING(0, (s) => s.cacheMaxBytes),
  defaultKeySerde: TASK_SETTING(Serdes.Long(), (s) => s.defaultKeySerde),
  defaultValueSerde: TASK_SETTING(Serdes.Long(), (s) => s.defaultValueSerde),
  defaultTimestampExtractor: TASK_SETTING('UsePartitionTimeOnInvalidTimestamp', (s) => s.defaultTimestampExtractor instanceof UsePartitionTimeOnInvalidTimestamp),
  deserializationExceptionHandler: TASK_SETTING('LogAndContinueExceptionHandler', (s) => s.deserializationHandler instanceof LogAndContinueExceptionHandler),
  defaultDeserializationExceptionHandler: TASK_SETTING('LogAndContinueExceptionHandler', (s) => s.deserializationHandler instanceof LogAndContinueExceptionHandler),
  processingExceptionHandler: TASK_SETTING('LogAndContinueProcessingExceptionHandler', (s) => s.processingHandler instanceof LogAndContinueProcessingExceptionHandler),
  defaultDslStore: TASK_SETTING('in_memory', (s) => s.defaultDslStore),
  metricsRecordingLevel: TASK_SETTING('DEBUG', (s) => s.appConfigs['metrics.recording.level']), // metered stores time their operations at DEBUG
  rocksdbConfigSetter: TASK_SETTING({ setConfig: () => undefined }, (s) => rocksDBConfigSetterFrom(s.appConfigs) !== null),
  windowCloseIdleMs: TASK_SETTING(5000, (s) => windowCloseIdleMs(s.appConfigs)),
  topologyOptimization: { refused: 'all' },
  ensureExplicitInternalResourceNaming: { refused: true },
  bufferedRecordsPerPartition: { runtime: 'bufferedRecordsPerPartition pauses a partition whose buffer is full' },
  acceptableRecoveryLag: { effect: { value: 1000, observe: (p: object) => recoveryLagProbe(p) } },
  maxWarmupReplicas: { effect: { value: 1, observe: (p: object) => warmupProbe(p) } },
  probingRebalanceIntervalMs: { runtime: 'probingRebalanceIntervalMs: see warmup-replicas.test.ts' },
  stateCleanupDelayMs: { refused: 1000 },
  windowstoreChangelogAdditionalRetentionMs: { refused: 1000 },
  logSummaryIntervalMs: { refused: 1000 },
  restoreConsumer: { refused: { 'max.poll.records': 100 } },
  globalConsumer: { refused: { 'max.poll.records': 100 } },
  admin: { refused: { retries: 3 } },
  clientTag: { refused: { zone: 'a' } },
};

/**
 * Where the assignor KafkaStreams builds (with the configured acceptable.recovery.lag) puts two moving tasks: m1 has
 * copies of 0_0 5,000 behind and of 0_1 100 behind, m2 a copy of 0_1 9,000 behind. With Kafka's default (10,000)
 * every copy is caught up: m1 takes 0_0, m2 0_1; with 1,000 only m1's copy of 0_1 is, so m1 takes 0_1.
 */
function recoveryLagProbe(props: object): unknown {
  const v = new StreamsConfig({ ...base, ...props } as StreamsConfigProps).values;
  const tasks = tasksFor([{ id: 0, sourceTopics: ['in'], stateful: true }], new Map([['in', 2]]));
  const member = (taskOffsetSums: Record<string, number>) => ({ version: 1 as const, processId: 'p', activeTasks: [], cachedTasks: [], shutdownRequested: false, taskOffsetSums });
  const out = assignTasks(
    tasks,
    [
      { memberId: 'm1', info: member({ '0_0': 5_000, '0_1': 9_900 }) },
      { memberId: 'm2', info: member({ '0_1': 1_000 }) },
    ],
    { endOffsetSums: new Map([['0_0', 10_000], ['0_1', 10_000]]), acceptableRecoveryLag: v.acceptableRecoveryLag },
  );
  return Object.fromEntries(out);
}

/**
 * Warm-up replicas the assignor places (with the configured max.warmup.replicas) when a member without state joins
 * one running all four tasks of a store 50,000 records long: the default (2) warms up both tasks that would move,
 * 1 only one of them.
 */
function warmupProbe(props: object): unknown {
  const v = new StreamsConfig({ ...base, ...props } as StreamsConfigProps).values;
  const tasks = tasksFor([{ id: 0, sourceTopics: ['in'], stateful: true }], new Map([['in', 4]]));
  const member = (activeTasks: string[], taskOffsetSums: Record<string, number>) => ({ version: 1 as const, processId: 'p', activeTasks, cachedTasks: [], shutdownRequested: false, taskOffsetSums });
  const all = tasks.map((t) => t.id);
  const warmups = { tasks: new Map<string, string[]>(), movementsPending: 0 };
  assignTasks(
    tasks,
    [
      { memberId: 'm1', info: member(all, Object.fromEntries(all.map((id) => [id, -2]))) },
      { memberId: 'm2', info: member([], {}) },
    ],
    { endOffsetSums: new Map(all.map((id) => [id, 50_000])), acceptableRecoveryLag: v.acceptableRecoveryLag, maxWarmupReplicas: v.maxWarmupReplicas },
    warmups,
  );
  return Object.fromEntries(warmups.tasks);
}

const ALL_KEYS = [...Object.keys(STREAMS_CONFIG_KEYS), ...Object.keys(CLIENT_PREFIXES)].sort();

test('the table names every key StreamsConfig accepts, and nothing else', () => {
  expect(Object.keys(EVIDENCE).sort()).toEqual(ALL_KEYS);
});

const refused = Object.entries(EVIDENCE).filter(([, e]) => 'refused' in e) as Array<[string, { refused: unknown }]>;

test.each(refused)('%s is refused with a ConfigException naming it (both spellings)', (key, { refused: value }) => {
  const isGroup = key in CLIENT_PREFIXES;
  const spellings: Array<[object, RegExp]> = [];
  if (isGroup) {
    const group = key as ClientOverrideGroup;
    const [name, v] = Object.entries(value as object)[0]!;
    const dotted = `${CLIENT_PREFIXES[group]}${name}`;
    const escaped = new RegExp(`"${dotted.replace(/\./g, '\\.')}"`);
    spellings.push([{ [group]: value }, escaped], [{ [dotted]: v }, escaped]);
  } else {
    const spec = STREAMS_CONFIG_KEYS[key as keyof StreamsConfigValues];
    spellings.push([{ [key]: value }, new RegExp(`"${key}"`)]);
    if (spec.kafkaName !== null) spellings.push([{ [spec.kafkaName]: value }, new RegExp(spec.kafkaName.replace(/\./g, '\\.'))]);
  }
  for (const [props, names] of spellings) {
    let error: unknown;
    try {
      new KafkaStreams(topology(), { ...base, ...props } as StreamsConfigProps);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigException);
    expect((error as Error).message).toMatch(names);
  }
});

const effects = Object.entries(EVIDENCE).filter(([, e]) => 'effect' in e) as Array<[string, { effect: { value: unknown; observe: (p: object) => unknown } }]>;

test.each(effects)('%s changes what the runtime is built with, and KafkaStreams accepts it', (key, { effect }) => {
  const spec = STREAMS_CONFIG_KEYS[key as keyof StreamsConfigValues];
  const changed = effect.observe({ [key]: effect.value });
  expect(changed).not.toEqual(effect.observe({}));
  if (spec.kafkaName !== null) expect(effect.observe({ [spec.kafkaName]: effect.value })).toEqual(changed);
  expect(() => new KafkaStreams(topology(), { ...base, [key]: effect.value } as StreamsConfigProps)).not.toThrow();
});

const E2E_FILE = join(__dirname, '..', '..', '..', '..', 'test', 'e2e', 'accepted-config-keys.test.ts');

test.each(Object.entries(EVIDENCE).filter(([, e]) => 'runtime' in e) as Array<[string, { runtime: string }]>)(
  '%s: the broker test proving its effect exists',
  (_key, { runtime }) => {
    const [title, other] = runtime.split(': see ');
    if (other !== undefined) {
      expect(readFileSync(join(__dirname, '..', '..', '..', '..', 'test', 'e2e', other), 'utf8')).toMatch(new RegExp(_key));
    } else {
      expect(readFileSync(E2E_FILE, 'utf8')).toContain(`'${title}'`);
    }
  },
);

describe('consumer.* and main.consumer.*', () => {
  /** Builds a GroupConsumer on a kafkajs stand-in that records the consumer config it is given. */
  function consumerConfigFor(overrides: Record<string, unknown>, maxWaitTimeMs = 100): Record<string, unknown> {
    let captured: Record<string, unknown> = {};
    const fakeKafka = {
      consumer(config: Record<string, unknown>) {
        captured = config;
        return { events: {}, on: () => undefined };
      },
    } as unknown as ConstructorParameters<typeof GroupConsumer>[0];
    const options: GroupConsumerOptions = {
      groupId: 'g',
      topics: [],
      assignor: { name: 'a', version: 1, subscriptionUserData: () => Buffer.alloc(0), assign: async () => new Map() },
      readCommitted: false,
      maxWaitTimeMs,
      overrides,
    };
    new GroupConsumer(fakeKafka, options, { onAssigned: () => undefined, onRebalancing: () => undefined, beforeRejoin: async () => undefined, onBatch: async () => undefined, onCrash: () => undefined, onRestart: () => undefined });
    return captured;
  }

  const VALUES: Record<string, [unknown, string, unknown]> = {
    'session.timeout.ms': [7000, 'sessionTimeout', 7000],
    'heartbeat.interval.ms': [700, 'heartbeatInterval', 700],
    'max.poll.interval.ms': [70_000, 'rebalanceTimeout', 70_000],
    'fetch.max.wait.ms': [77, 'maxWaitTimeInMs', 77],
    'max.partition.fetch.bytes': [7777, 'maxBytesPerPartition', 7777],
    'fetch.max.bytes': [77_777, 'maxBytes', 77_777],
    'fetch.min.bytes': [7, 'minBytes', 7],
    'metadata.max.age.ms': [7000, 'metadataMaxAge', 7000],
  };

  test.each(Object.entries(VALUES))('%s reaches the kafkajs consumer config', (key, [value, option, expected]) => {
    expect(consumerConfigFor({})[option]).not.toEqual(expected);
    expect(consumerConfigFor({ [key]: value })[option]).toEqual(expected);
  });

  test('pollMs is the fetch wait unless fetch.max.wait.ms is set', () => {
    expect(consumerConfigFor({}, 250)['maxWaitTimeInMs']).toBe(250);
  });

  test('every consumer setting the runtime accepts is mapped (auto.offset.reset picks the subscription reset policy)', () => {
    expect([...MAIN_CONSUMER_SETTINGS].sort()).toEqual([...Object.keys(VALUES), 'auto.offset.reset'].sort());
  });

  test.each(['max.poll.records', 'enable.auto.commit', 'group.id', 'isolation.level', 'client.rack'])('consumer.%s is refused', (key) => {
    expect(() => new KafkaStreams(topology(), { ...base, [`consumer.${key}`]: '1' } as StreamsConfigProps)).toThrow(new RegExp(`"consumer\\.${key.replace(/\./g, '\\.')}"`));
    expect(() => new KafkaStreams(topology(), { ...base, mainConsumer: { [key]: '1' } } as StreamsConfigProps)).toThrow(ConfigException);
  });

  test('auto.offset.reset takes earliest or latest only', () => {
    expect(() => new KafkaStreams(topology(), { ...base, 'consumer.auto.offset.reset': 'none' } as StreamsConfigProps)).toThrow(/auto\.offset\.reset/);
    expect(() => new KafkaStreams(topology(), { ...base, 'consumer.auto.offset.reset': 'latest' } as StreamsConfigProps)).not.toThrow();
  });
});

test('kafkajs options are typed as kafkajs KafkaConfig', () => {
  const options: KafkaConfig['retry'] = { retries: 1 };
  expect(() => new KafkaStreams(topology(), { ...base, kafkajs: { retry: options } })).not.toThrow();
});

test('the built-in handlers are the defaults', () => {
  const s = settingsFor({});
  expect(s.deserializationHandler).toBeInstanceOf(LogAndFailExceptionHandler);
  expect(s.processingHandler).toBeInstanceOf(LogAndFailProcessingExceptionHandler);
});
