/** Admin APIs: CreateTopics, DeleteTopics, CreatePartitions, DescribeConfigs, (Incremental)AlterConfigs, DeleteRecords. */
import { ApiKey } from '@kstreams/protocol/api-keys';
import { ErrorCode } from '@kstreams/protocol/errors';
import * as alterConfigs from '@kstreams/protocol/messages/alter-configs';
import * as createPartitions from '@kstreams/protocol/messages/create-partitions';
import * as createTopics from '@kstreams/protocol/messages/create-topics';
import * as deleteRecords from '@kstreams/protocol/messages/delete-records';
import * as deleteTopics from '@kstreams/protocol/messages/delete-topics';
import * as describeConfigs from '@kstreams/protocol/messages/describe-configs';
import * as incrementalAlterConfigs from '@kstreams/protocol/messages/incremental-alter-configs';
import { invalidTopicName } from '../../storage/log-manager';
import { validateTopicConfigs } from '../../storage/topic-configs';
import type { Broker } from '../broker';
import { route, type Route } from '../router';
import { FETCH_MAX_BYTES } from './data';

const RESOURCE_TOPIC = 2;
const RESOURCE_BROKER = 4;
const SOURCE_DYNAMIC_TOPIC = 1;
const SOURCE_STATIC_BROKER = 4;
const SOURCE_DEFAULT = 5;
/** A guard against a request creating millions of partition directories; Kafka has no such limit. */
export const MAX_PARTITIONS_PER_TOPIC = 10_000;

function handleCreateTopics(req: createTopics.CreateTopicsRequest, b: Broker): createTopics.CreateTopicsResponse {
  const counts = new Map<string, number>();
  for (const t of req.topics) counts.set(t.name, (counts.get(t.name) ?? 0) + 1);
  return {
    throttleTimeMs: 0,
    topics: req.topics.map((t) => {
      const fail = (errorCode: number, errorMessage: string): createTopics.CreateTopicsResponse['topics'][number] => ({
        name: t.name,
        errorCode,
        errorMessage,
      });
      if (counts.get(t.name)! > 1) return fail(ErrorCode.INVALID_REQUEST, `Create topics request has duplicate topic ${t.name}`);
      const bad = invalidTopicName(t.name);
      if (bad) return fail(ErrorCode.INVALID_TOPIC_EXCEPTION, bad);
      if (b.logs.get(t.name)) return fail(ErrorCode.TOPIC_ALREADY_EXISTS, `Topic '${t.name}' already exists.`);
      let partitions = t.numPartitions;
      if (t.assignments.length > 0) {
        if (partitions !== -1 || t.replicationFactor !== -1) {
          return fail(ErrorCode.INVALID_REQUEST, 'Both numPartitions or replicationFactor and replicasAssignments were set.');
        }
        partitions = t.assignments.length;
        if (t.assignments.some((a) => a.brokerIds.some((id) => id !== b.options.nodeId))) {
          return fail(ErrorCode.INVALID_REPLICATION_FACTOR, `Replica assignment names brokers other than ${b.options.nodeId}.`);
        }
      }
      if (partitions === -1) partitions = b.options.numPartitions;
      if (partitions <= 0) return fail(ErrorCode.INVALID_PARTITIONS, 'Number of partitions must be larger than 0.');
      if (partitions > MAX_PARTITIONS_PER_TOPIC) {
        return fail(ErrorCode.INVALID_PARTITIONS, `Number of partitions ${partitions} exceeds this broker's limit of ${MAX_PARTITIONS_PER_TOPIC}.`);
      }
      if (t.replicationFactor === 0 || t.replicationFactor < -1) {
        return fail(ErrorCode.INVALID_REPLICATION_FACTOR, 'Replication factor must be larger than 0.');
      }
      if (t.replicationFactor > 1) {
        return fail(ErrorCode.INVALID_REPLICATION_FACTOR, `Replication factor: ${t.replicationFactor} larger than available brokers: 1.`);
      }
      const configs: Record<string, string | null> = {};
      for (const c of t.configs) configs[c.name] = c.value;
      const badConfig = validateTopicConfigs(configs);
      if (badConfig) return fail(ErrorCode.INVALID_CONFIG, badConfig);
      if (!req.validateOnly) {
        const set: Record<string, string> = {};
        for (const [k, v] of Object.entries(configs)) if (v !== null) set[k] = v;
        const created = b.logs.create(t.name, partitions, set);
        b.log.info(`created topic ${t.name} with ${partitions} partition(s)`);
        return { name: t.name, topicId: b.logs.topicId(created), errorCode: ErrorCode.NONE, errorMessage: null, numPartitions: partitions, replicationFactor: 1 };
      }
      return { name: t.name, errorCode: ErrorCode.NONE, errorMessage: null, numPartitions: partitions, replicationFactor: 1 };
    }),
  };
}

/** v0-v5 name topics; v6+ name them or give their ids. */
function handleDeleteTopics(req: deleteTopics.DeleteTopicsRequest, b: Broker, version: number): deleteTopics.DeleteTopicsResponse {
  const named = version >= 6 ? req.topics.map((t) => t.name ?? b.logs.topicById(t.topicId)?.name ?? null) : req.topicNames;
  return {
    throttleTimeMs: 0,
    responses: named.map((name, i) => {
      if (name === null) {
        return { name: null, topicId: req.topics[i]!.topicId, errorCode: ErrorCode.UNKNOWN_TOPIC_ID, errorMessage: 'Topic id not found.' };
      }
      if (!b.logs.get(name)) return { name, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, errorMessage: `Topic '${name}' does not exist.` };
      b.logs.delete(name);
      b.offsets.deleteTopic(name);
      b.fetchWaiters.notifyAll();
      b.log.info(`deleted topic ${name}`);
      return { name, errorCode: ErrorCode.NONE };
    }),
  };
}

function handleCreatePartitions(
  req: { topics: { name: string; count: number }[]; validateOnly: boolean },
  b: Broker,
): createPartitions.CreatePartitionsResponse {
  return {
    throttleTimeMs: 0,
    results: req.topics.map((t) => {
      const topic = b.logs.get(t.name);
      if (!topic) return { name: t.name, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, errorMessage: `Topic '${t.name}' does not exist.` };
      const current = topic.partitions.length;
      if (t.count <= current) {
        const errorMessage =
          t.count === current
            ? `Topic already has ${current} partitions.`
            : `Topic currently has ${current} partitions, which is higher than the requested ${t.count}.`;
        return { name: t.name, errorCode: ErrorCode.INVALID_PARTITIONS, errorMessage };
      }
      if (t.count > MAX_PARTITIONS_PER_TOPIC) {
        return { name: t.name, errorCode: ErrorCode.INVALID_PARTITIONS, errorMessage: `Partition count ${t.count} exceeds this broker's limit of ${MAX_PARTITIONS_PER_TOPIC}.` };
      }
      if (!req.validateOnly) b.logs.addPartitions(topic, t.count);
      return { name: t.name, errorCode: ErrorCode.NONE, errorMessage: null };
    }),
  };
}

/** The broker settings in Kafka's names; those this broker does not vary report Kafka's defaults. */
function brokerConfigs(b: Broker): Record<string, string> {
  const o = b.options;
  const listener = `PLAINTEXT://${o.advertisedHost}:${b.port}`;
  return {
    'advertised.listeners': listener,
    'auto.create.topics.enable': String(o.autoCreateTopics),
    'broker.id': String(o.nodeId),
    'default.replication.factor': '1',
    'delete.topic.enable': 'true',
    'fetch.max.bytes': String(FETCH_MAX_BYTES),
    'group.initial.rebalance.delay.ms': String(o.groupInitialRebalanceDelayMs),
    'group.max.session.timeout.ms': String(o.groupMaxSessionTimeoutMs),
    'group.min.session.timeout.ms': String(o.groupMinSessionTimeoutMs),
    listeners: `PLAINTEXT://${o.host}:${b.port}`,
    'log.cleaner.enable': 'true',
    'log.cleanup.policy': 'delete',
    'log.dirs': o.dataDir,
    'log.retention.bytes': String(o.retentionBytes),
    'log.retention.check.interval.ms': String(o.logCleanupIntervalMs),
    'log.retention.hours': String(Math.floor(o.retentionMs / 3_600_000)),
    'log.retention.ms': String(o.retentionMs),
    'log.segment.bytes': String(o.segmentBytes),
    'message.max.bytes': '1048588',
    'min.insync.replicas': '1',
    'node.id': String(o.nodeId),
    'num.partitions': String(o.numPartitions),
    'offsets.topic.replication.factor': '1',
    'process.roles': 'broker,controller',
    'socket.request.max.bytes': String(o.maxRequestBytes),
    'transaction.abort.timed.out.transaction.cleanup.interval.ms': String(o.transactionAbortCheckIntervalMs),
    'transaction.max.timeout.ms': String(o.transactionMaxTimeoutMs),
    'transaction.state.log.min.isr': '1',
    'transaction.state.log.replication.factor': '1',
  };
}

function handleDescribeConfigs(
  req: { resources: { resourceType: number; resourceName: string; configurationKeys: string[] | null }[]; includeSynonyms: boolean },
  b: Broker,
): describeConfigs.DescribeConfigsResponse {
  return {
    throttleTimeMs: 0,
    results: req.resources.map((r) => {
      const base = { resourceType: r.resourceType, resourceName: r.resourceName };
      // as in Kafka, a null or empty key list means every config
      const keys = r.configurationKeys;
      const wanted = (name: string): boolean => keys === null || keys.length === 0 || keys.includes(name);
      if (r.resourceType === RESOURCE_TOPIC) {
        const topic = b.logs.get(r.resourceName);
        if (!topic) {
          return { ...base, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, errorMessage: `Topic '${r.resourceName}' does not exist.`, configs: [] };
        }
        const configs = Object.entries(b.logs.effectiveConfigs(topic))
          .filter(([name]) => wanted(name))
          .sort(([a], [c]) => a.localeCompare(c))
          .map(([name, v]) => {
            const source = v.isDefault ? SOURCE_DEFAULT : SOURCE_DYNAMIC_TOPIC;
            return {
              name,
              value: v.value,
              readOnly: false,
              isDefault: v.isDefault,
              configSource: source,
              isSensitive: false,
              synonyms: req.includeSynonyms ? [{ name, value: v.value, source }] : [],
              configType: 0,
              documentation: null,
            };
          });
        return { ...base, errorCode: ErrorCode.NONE, errorMessage: null, configs };
      }
      if (r.resourceType === RESOURCE_BROKER) {
        if (r.resourceName !== '' && r.resourceName !== String(b.options.nodeId)) {
          return { ...base, errorCode: ErrorCode.INVALID_REQUEST, errorMessage: `Unknown broker id ${r.resourceName}`, configs: [] };
        }
        const configs = Object.entries(brokerConfigs(b))
          .filter(([name]) => wanted(name))
          .map(([name, value]) => ({
            name,
            value,
            readOnly: true,
            isDefault: false,
            configSource: SOURCE_STATIC_BROKER,
            isSensitive: false,
            synonyms: req.includeSynonyms ? [{ name, value, source: SOURCE_STATIC_BROKER }] : [],
            configType: 0,
            documentation: null,
          }));
        return { ...base, errorCode: ErrorCode.NONE, errorMessage: null, configs };
      }
      return { ...base, errorCode: ErrorCode.INVALID_REQUEST, errorMessage: `Unsupported resource type ${r.resourceType}`, configs: [] };
    }),
  };
}

function handleAlterConfigs(
  req: { resources: { resourceType: number; resourceName: string; configs: { name: string; value: string | null }[] }[]; validateOnly: boolean },
  b: Broker,
): alterConfigs.AlterConfigsResponse {
  return {
    throttleTimeMs: 0,
    responses: req.resources.map((r) => {
      const base = { resourceType: r.resourceType, resourceName: r.resourceName };
      if (r.resourceType !== RESOURCE_TOPIC) {
        return { ...base, errorCode: ErrorCode.INVALID_REQUEST, errorMessage: 'Only topic configs can be altered on this broker (broker configs are static).' };
      }
      const topic = b.logs.get(r.resourceName);
      if (!topic) return { ...base, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, errorMessage: `Topic '${r.resourceName}' does not exist.` };
      const configs: Record<string, string | null> = {};
      for (const c of r.configs) configs[c.name] = c.value;
      const bad = validateTopicConfigs(configs);
      if (bad) return { ...base, errorCode: ErrorCode.INVALID_CONFIG, errorMessage: bad };
      if (!req.validateOnly) {
        // AlterConfigs replaces the whole set of overrides, as in Kafka
        const set: Record<string, string> = {};
        for (const [k, v] of Object.entries(configs)) if (v !== null) set[k] = v;
        b.logs.setConfigs(topic, set);
      }
      return { ...base, errorCode: ErrorCode.NONE, errorMessage: null };
    }),
  };
}

const OP_SET = 0;
const OP_DELETE = 1;
const OP_APPEND = 2;
const OP_SUBTRACT = 3;

/** IncrementalAlterConfigs (KIP-339): SET, DELETE, APPEND and SUBTRACT (list-valued configs) on a topic's overrides. */
function handleIncrementalAlterConfigs(
  req: incrementalAlterConfigs.IncrementalAlterConfigsRequest,
  b: Broker,
): incrementalAlterConfigs.IncrementalAlterConfigsResponse {
  return {
    throttleTimeMs: 0,
    responses: req.resources.map((r) => {
      const base = { resourceType: r.resourceType, resourceName: r.resourceName };
      const fail = (errorCode: number, errorMessage: string) => ({ ...base, errorCode, errorMessage });
      if (r.resourceType === RESOURCE_BROKER) {
        return fail(ErrorCode.INVALID_REQUEST, 'Broker configs of this broker are static: set them with kstreams-broker start options.');
      }
      if (r.resourceType !== RESOURCE_TOPIC) return fail(ErrorCode.INVALID_REQUEST, `Unsupported resource type ${r.resourceType}`);
      const topic = b.logs.get(r.resourceName);
      if (!topic) return fail(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `Topic '${r.resourceName}' does not exist.`);
      const names = r.configs.map((c) => c.name);
      const dup = names.find((n, i) => names.indexOf(n) !== i);
      if (dup !== undefined) return fail(ErrorCode.INVALID_REQUEST, `Error due to duplicate config keys: ${dup}`);
      const next: Record<string, string> = { ...topic.configs };
      for (const c of r.configs) {
        const current = (next[c.name] ?? b.logs.config(topic, c.name)).split(',').filter((x) => x !== '');
        const items = (c.value ?? '').split(',').filter((x) => x !== '');
        switch (c.configOperation) {
          case OP_SET:
            if (c.value === null) return fail(ErrorCode.INVALID_REQUEST, `Null value not supported for SET of ${c.name}`);
            next[c.name] = c.value;
            break;
          case OP_DELETE:
            delete next[c.name];
            break;
          case OP_APPEND:
            next[c.name] = [...current, ...items.filter((x) => !current.includes(x))].join(',');
            break;
          case OP_SUBTRACT:
            next[c.name] = current.filter((x) => !items.includes(x)).join(',');
            break;
          default:
            return fail(ErrorCode.INVALID_REQUEST, `Unknown config operation ${c.configOperation} for ${c.name}`);
        }
      }
      const bad = validateTopicConfigs(next);
      if (bad) return fail(ErrorCode.INVALID_CONFIG, bad);
      if (!req.validateOnly) b.logs.setConfigs(topic, next);
      return { ...base, errorCode: ErrorCode.NONE, errorMessage: null };
    }),
  };
}

function handleDeleteRecords(
  req: { topics: { name: string; partitions: { partitionIndex: number; offset: number }[] }[] },
  b: Broker,
): deleteRecords.DeleteRecordsResponse {
  return {
    throttleTimeMs: 0,
    topics: req.topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((pr) => {
        const p = b.logs.partition(t.name, pr.partitionIndex);
        if (!p) return { partitionIndex: pr.partitionIndex, lowWatermark: -1, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION };
        const offset = pr.offset === -1 ? p.highWatermark : pr.offset;
        if (offset < 0 || offset > p.highWatermark) {
          return { partitionIndex: pr.partitionIndex, lowWatermark: -1, errorCode: ErrorCode.OFFSET_OUT_OF_RANGE };
        }
        p.advanceLogStart(offset);
        return { partitionIndex: pr.partitionIndex, lowWatermark: p.logStartOffset, errorCode: ErrorCode.NONE };
      }),
    })),
  };
}

export const adminRoutes: [number, Route<unknown, unknown>][] = [
  [ApiKey.CreateTopics, route({ request: createTopics.request, response: createTopics.response, handle: (r, c) => handleCreateTopics(r, c.broker) })],
  [
    ApiKey.DeleteTopics,
    route({ request: deleteTopics.request, response: deleteTopics.response, handle: (r, c) => handleDeleteTopics(r, c.broker, c.apiVersion) }),
  ],
  [
    ApiKey.CreatePartitions,
    route({ request: createPartitions.request, response: createPartitions.response, handle: (r, c) => handleCreatePartitions(r, c.broker) }),
  ],
  [
    ApiKey.DescribeConfigs,
    route({ request: describeConfigs.request, response: describeConfigs.response, handle: (r, c) => handleDescribeConfigs(r, c.broker) }),
  ],
  [
    ApiKey.IncrementalAlterConfigs,
    route({
      request: incrementalAlterConfigs.request,
      response: incrementalAlterConfigs.response,
      handle: (r, c) => handleIncrementalAlterConfigs(r, c.broker),
    }),
  ],
  [ApiKey.AlterConfigs, route({ request: alterConfigs.request, response: alterConfigs.response, handle: (r, c) => handleAlterConfigs(r, c.broker) })],
  [
    ApiKey.DeleteRecords,
    route({ request: deleteRecords.request, response: deleteRecords.response, handle: (r, c) => handleDeleteRecords(r, c.broker) }),
  ],
];
