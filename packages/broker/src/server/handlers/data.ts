/** Produce, Fetch (with long poll), ListOffsets, Metadata and FindCoordinator. */
import { ApiKey } from '@kstreams/protocol/api-keys';
import { ErrorCode } from '@kstreams/protocol/errors';
import * as fetch from '@kstreams/protocol/messages/fetch';
import * as findCoordinator from '@kstreams/protocol/messages/find-coordinator';
import * as listOffsets from '@kstreams/protocol/messages/list-offsets';
import * as metadata from '@kstreams/protocol/messages/metadata';
import * as produce from '@kstreams/protocol/messages/produce';
import type { Partition } from '../../storage/partition';
import { alignAbortedToBatches } from '../../txn/aborted-list';
import { invalidTopicName, type Topic } from '../../storage/log-manager';
import type { Broker } from '../broker';
import { NO_RESPONSE, route, type Route } from '../router';

const READ_COMMITTED = 1;
const MAX_TIMER_MS = 0x7fffffff;
const NO_AUTHORIZED_OPERATIONS = -2147483648;
/** Kafka's broker-side fetch.max.bytes default: a Fetch response never asks for more, whatever the client says. */
export const FETCH_MAX_BYTES = 57_671_680;

type ProducePartitionResponse = produce.ProduceResponse['responses'][number]['partitionResponses'][number];
type FetchPartitionResponse = fetch.FetchResponse['responses'][number]['partitions'][number];
type MetadataTopic = metadata.MetadataResponse['topics'][number];

function handleProduce(req: produce.ProduceRequest, b: Broker): produce.ProduceResponse | typeof NO_RESPONSE {
  const validAcks = req.acks === 0 || req.acks === 1 || req.acks === -1;
  const responses = req.topicData.map((t) => {
    const topic = b.logs.get(t.name);
    return {
      name: t.name,
      partitionResponses: t.partitionData.map((pr) => {
        const fail = (errorCode: number): ProducePartitionResponse => ({
          index: pr.index,
          errorCode,
          baseOffset: -1,
          logAppendTimeMs: -1,
          logStartOffset: -1,
          recordErrors: [],
          errorMessage: null,
        });
        if (!validAcks) return fail(ErrorCode.INVALID_REQUIRED_ACKS);
        const p = topic?.partitions[pr.index];
        if (!topic || !p) return fail(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
        if (pr.records === null) return fail(ErrorCode.CORRUPT_MESSAGE);
        const logAppendTime = b.logs.config(topic, 'message.timestamp.type') === 'LogAppendTime' ? Date.now() : undefined;
        let r: ReturnType<typeof p.append>;
        try {
          r = p.append(
            pr.records,
            {
              maxBatchBytes: b.logs.maxMessageBytes(topic),
              requireKeys: b.logs.config(topic, 'cleanup.policy').includes('compact'),
              ...(logAppendTime !== undefined ? { logAppendTime } : {}),
            },
            (pid, epoch) => b.txns.checkProduce(pid, epoch, t.name, pr.index),
          );
        } catch (e) {
          // a failed disk write (ENOSPC, EIO): the partition answers KAFKA_STORAGE_ERROR, the broker lives on
          b.log.error(`append to ${t.name}-${pr.index} failed: ${(e as Error).message}`);
          return fail(ErrorCode.KAFKA_STORAGE_ERROR);
        }
        if (r.errorCode !== ErrorCode.NONE) {
          b.log.debug(`produce to ${t.name}-${pr.index} refused (${r.errorCode}): ${r.message ?? ''}`);
          return { ...fail(r.errorCode), logStartOffset: p.logStartOffset };
        }
        b.fetchWaiters.notify(p);
        return {
          index: pr.index,
          errorCode: ErrorCode.NONE,
          baseOffset: r.baseOffset,
          logAppendTimeMs: logAppendTime ?? -1,
          logStartOffset: p.logStartOffset,
          recordErrors: [],
          errorMessage: null,
        };
      }),
    };
  });
  if (req.acks === 0) return NO_RESPONSE;
  return { responses, throttleTimeMs: 0 };
}

interface FetchRun {
  response: fetch.FetchResponse;
  bytes: number;
  hasError: boolean;
}

/** Fetch v13+ names topics by id: resolve them to names (an unknown id keeps the empty name and fails with UNKNOWN_TOPIC_ID). */
function withTopicNames(req: fetch.FetchRequest, b: Broker, version: number): fetch.FetchRequest {
  if (version < 13) return req;
  return { ...req, topics: req.topics.map((t) => ({ ...t, topic: b.logs.topicById(t.topicId)?.name ?? '' })) };
}

function runFetch(req: fetch.FetchRequest, b: Broker): FetchRun {
  const readCommitted = req.isolationLevel === READ_COMMITTED;
  let remaining = req.maxBytes > 0 ? Math.min(req.maxBytes, FETCH_MAX_BYTES) : FETCH_MAX_BYTES;
  let bytes = 0;
  let hasError = false;
  const responses = req.topics.map((t) => ({
    topic: t.topic,
    topicId: t.topicId,
    partitions: t.partitions.map((pr): FetchPartitionResponse => {
      const p = t.topic === '' ? undefined : b.logs.partition(t.topic, pr.partition);
      const base: FetchPartitionResponse = {
        partitionIndex: pr.partition,
        errorCode: ErrorCode.NONE,
        highWatermark: -1,
        lastStableOffset: -1,
        logStartOffset: -1,
        abortedTransactions: null,
        preferredReadReplica: -1,
        records: [],
      };
      if (!p) {
        hasError = true;
        return { ...base, errorCode: t.topic === '' ? ErrorCode.UNKNOWN_TOPIC_ID : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION };
      }
      const hw = p.highWatermark;
      const lso = p.lastStableOffset;
      const logStart = p.logStartOffset;
      const withOffsets = { ...base, highWatermark: hw, lastStableOffset: lso, logStartOffset: logStart };
      if (pr.fetchOffset < logStart || pr.fetchOffset > hw) {
        hasError = true;
        return { ...withOffsets, errorCode: ErrorCode.OFFSET_OUT_OF_RANGE };
      }
      const upper = readCommitted ? lso : hw;
      let next = pr.fetchOffset;
      let records: Buffer[] = [];
      if (pr.fetchOffset < upper && remaining > 0) {
        const r = p.log.read(pr.fetchOffset, upper, Math.min(pr.partitionMaxBytes, remaining), bytes === 0);
        records = r.chunks;
        bytes += r.bytes;
        remaining -= r.bytes;
        next = r.nextOffset;
      }
      const aborted = readCommitted ? alignAbortedToBatches(p.producers.abortedIn(pr.fetchOffset, next), records, pr.fetchOffset) : null;
      return { ...withOffsets, abortedTransactions: aborted, records };
    }),
  }));
  return { response: { throttleTimeMs: 0, errorCode: ErrorCode.NONE, sessionId: 0, responses }, bytes, hasError };
}

function handleFetch(req: fetch.FetchRequest, b: Broker): fetch.FetchResponse | Promise<fetch.FetchResponse> {
  const first = runFetch(req, b);
  if (first.bytes >= req.minBytes || first.hasError || req.maxWaitMs <= 0) return first.response;
  const partitions: Partition[] = [];
  for (const t of req.topics) {
    for (const pr of t.partitions) {
      const p = b.logs.partition(t.topic, pr.partition);
      if (p) partitions.push(p);
    }
  }
  return new Promise((resolve) => {
    let done = false;
    const finish = (run: FetchRun): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      b.fetchWaiters.remove(partitions, waiter);
      resolve(run.response);
    };
    const waiter = {
      wake: (): void => {
        if (b.closed) return;
        const run = runFetch(req, b);
        if (run.bytes >= req.minBytes || run.hasError) finish(run);
      },
    };
    const timer = setTimeout(() => {
      try {
        finish(runFetch(req, b));
      } catch (e) {
        b.log.error(`fetch failed: ${(e as Error).stack ?? String(e)}`);
      }
    }, Math.min(req.maxWaitMs, MAX_TIMER_MS));
    timer.unref();
    b.fetchWaiters.add(partitions, waiter);
  });
}

function handleListOffsets(req: listOffsets.ListOffsetsRequest, b: Broker): listOffsets.ListOffsetsResponse {
  return {
    throttleTimeMs: 0,
    topics: req.topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((pr) => {
        const p = b.logs.partition(t.name, pr.partitionIndex);
        if (!p) {
          return { partitionIndex: pr.partitionIndex, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, timestamp: -1, offset: -1, leaderEpoch: -1 };
        }
        const ok = { partitionIndex: pr.partitionIndex, errorCode: ErrorCode.NONE, timestamp: -1, leaderEpoch: 0 };
        if (pr.timestamp === -1) return { ...ok, offset: req.isolationLevel === READ_COMMITTED ? p.lastStableOffset : p.highWatermark };
        // -2 earliest; -4 earliest local (v8+, KIP-405): without tiered storage the same offset
        if (pr.timestamp === -2 || pr.timestamp === -4) return { ...ok, offset: p.logStartOffset };
        // -5 latest tiered (v9+, KIP-1005): nothing is tiered here
        if (pr.timestamp === -5) return { ...ok, offset: -1 };
        if (pr.timestamp === -3) {
          const max = p.log.offsetOfMaxTimestamp();
          return max ? { ...ok, offset: max.offset, timestamp: max.timestamp } : { ...ok, offset: -1 };
        }
        const found = p.log.offsetForTimestamp(pr.timestamp);
        return found ? { ...ok, offset: found.offset, timestamp: found.timestamp } : { ...ok, offset: -1 };
      }),
    })),
  };
}

function topicMetadata(b: Broker, topic: Topic): MetadataTopic {
  const node = b.options.nodeId;
  return {
    errorCode: ErrorCode.NONE,
    name: topic.name,
    topicId: b.logs.topicId(topic),
    isInternal: false,
    partitions: topic.partitions.map((p) => ({
      errorCode: ErrorCode.NONE,
      partitionIndex: p.index,
      leaderId: node,
      leaderEpoch: 0,
      replicaNodes: [node],
      isrNodes: [node],
      offlineReplicas: [],
    })),
    topicAuthorizedOperations: NO_AUTHORIZED_OPERATIONS,
  };
}

function handleMetadata(req: metadata.MetadataRequest, b: Broker, version: number): metadata.MetadataResponse {
  const topics: metadata.MetadataResponse['topics'] = [];
  if (req.topics === null || (version === 0 && req.topics.length === 0)) {
    for (const t of b.logs.topics.values()) topics.push(topicMetadata(b, t));
  } else {
    for (const requested of req.topics) {
      const name = requested.name ?? b.logs.topicById(requested.topicId)?.name ?? null;
      if (name === null) {
        topics.push({ errorCode: ErrorCode.UNKNOWN_TOPIC_ID, name: null, topicId: requested.topicId, isInternal: false, partitions: [] });
        continue;
      }
      let topic = b.logs.get(name);
      const bad = invalidTopicName(name);
      if (!topic && bad === null && req.allowAutoTopicCreation && b.options.autoCreateTopics) {
        topic = b.logs.create(name, b.options.numPartitions, {});
        b.log.info(`auto-created topic ${name} with ${b.options.numPartitions} partition(s)`);
      }
      if (topic) topics.push(topicMetadata(b, topic));
      else {
        const errorCode = bad !== null ? ErrorCode.INVALID_TOPIC_EXCEPTION : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
        topics.push({ errorCode, name, isInternal: false, partitions: [], topicAuthorizedOperations: NO_AUTHORIZED_OPERATIONS });
      }
    }
  }
  return {
    throttleTimeMs: 0,
    brokers: [{ nodeId: b.options.nodeId, host: b.options.advertisedHost, port: b.port, rack: null }],
    clusterId: b.clusterId,
    controllerId: b.options.nodeId,
    topics,
    clusterAuthorizedOperations: NO_AUTHORIZED_OPERATIONS,
  };
}

/** v0-v3 name one key; v4+ batch several (the Java client's form), each answered on its own. */
function handleFindCoordinator(
  req: findCoordinator.FindCoordinatorRequest,
  b: Broker,
  version: number,
): findCoordinator.FindCoordinatorResponse {
  const answer = (key: string) => {
    if (req.keyType !== 0 && req.keyType !== 1) {
      return { key, errorCode: ErrorCode.INVALID_REQUEST, errorMessage: `unknown coordinator key type ${req.keyType}`, nodeId: -1, host: '', port: -1 };
    }
    return { key, errorCode: ErrorCode.NONE, errorMessage: null, nodeId: b.options.nodeId, host: b.options.advertisedHost, port: b.port };
  };
  if (version >= 4) return { throttleTimeMs: 0, coordinators: req.coordinatorKeys.map(answer) };
  return { throttleTimeMs: 0, ...answer(req.key) };
}

export const dataRoutes: [number, Route<unknown, unknown>][] = [
  [ApiKey.Produce, route({ request: produce.request, response: produce.response, handle: (r, c) => handleProduce(r, c.broker) })],
  [ApiKey.Fetch, route({ request: fetch.request, response: fetch.response, handle: (r, c) => handleFetch(withTopicNames(r, c.broker, c.apiVersion), c.broker) })],
  [ApiKey.ListOffsets, route({ request: listOffsets.request, response: listOffsets.response, handle: (r, c) => handleListOffsets(r, c.broker) })],
  [ApiKey.Metadata, route({ request: metadata.request, response: metadata.response, handle: (r, c) => handleMetadata(r, c.broker, c.apiVersion) })],
  [
    ApiKey.FindCoordinator,
    route({ request: findCoordinator.request, response: findCoordinator.response, handle: (r, c) => handleFindCoordinator(r, c.broker, c.apiVersion) }),
  ],
];
