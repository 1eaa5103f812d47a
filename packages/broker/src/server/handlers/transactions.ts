/** Transaction APIs: InitProducerId, AddPartitionsToTxn, AddOffsetsToTxn, TxnOffsetCommit, EndTxn; Describe/ListTransactions, DescribeProducers. */
import { ApiKey } from '@kstreams/protocol/api-keys';
import { ErrorCode } from '@kstreams/protocol/errors';
import * as addOffsetsToTxn from '@kstreams/protocol/messages/add-offsets-to-txn';
import * as addPartitionsToTxn from '@kstreams/protocol/messages/add-partitions-to-txn';
import * as describeProducers from '@kstreams/protocol/messages/describe-producers';
import * as describeTransactions from '@kstreams/protocol/messages/describe-transactions';
import * as endTxn from '@kstreams/protocol/messages/end-txn';
import * as initProducerId from '@kstreams/protocol/messages/init-producer-id';
import * as listTransactions from '@kstreams/protocol/messages/list-transactions';
import * as txnOffsetCommit from '@kstreams/protocol/messages/txn-offset-commit';
import type { TxnCheck } from '../../txn/transaction-coordinator';
import type { Broker } from '../broker';
import { route, type Route } from '../router';

function code(b: Broker, what: string, check: TxnCheck): number {
  if (check === null) return ErrorCode.NONE;
  b.log.debug(`${what} refused (${check.code}): ${check.message}`);
  return check.code;
}

function txnTopics(partitions: readonly string[]): { topic: string; partitions: number[] }[] {
  const byTopic = new Map<string, number[]>();
  for (const k of partitions) {
    const i = k.lastIndexOf('/');
    const t = k.slice(0, i);
    byTopic.set(t, [...(byTopic.get(t) ?? []), Number(k.slice(i + 1))]);
  }
  return [...byTopic].map(([topic, parts]) => ({ topic, partitions: parts }));
}

function handleDescribeTransactions(req: describeTransactions.DescribeTransactionsRequest, b: Broker): describeTransactions.DescribeTransactionsResponse {
  return {
    throttleTimeMs: 0,
    transactionStates: req.transactionalIds.map((id) => {
      const t = b.txns.get(id);
      if (!t) {
        return { errorCode: ErrorCode.TRANSACTIONAL_ID_NOT_FOUND, transactionalId: id, transactionState: '', transactionTimeoutMs: 0, transactionStartTimeMs: -1, producerId: -1, producerEpoch: -1, topics: [] };
      }
      return {
        errorCode: ErrorCode.NONE,
        transactionalId: id,
        transactionState: t.state,
        transactionTimeoutMs: t.timeoutMs,
        transactionStartTimeMs: t.state === 'Ongoing' ? t.startedAt : -1,
        producerId: t.producerId,
        producerEpoch: t.producerEpoch,
        // partitions belong to the open (or completing) transaction only, as Kafka reports them
        topics: t.state === 'Ongoing' || t.state === 'PrepareCommit' || t.state === 'PrepareAbort' ? txnTopics(t.partitions) : [],
      };
    }),
  };
}

const TXN_STATES = new Set(['Empty', 'Ongoing', 'PrepareCommit', 'PrepareAbort', 'CompleteCommit', 'CompleteAbort', 'Dead', 'PrepareEpochFence']);

/** ListTransactions: filters by state, producer id and (v1) minimum running time, as kafka-transactions list/find-hanging use it. */
function handleListTransactions(req: listTransactions.ListTransactionsRequest, b: Broker): listTransactions.ListTransactionsResponse {
  const now = Date.now();
  return {
    throttleTimeMs: 0,
    errorCode: ErrorCode.NONE,
    unknownStateFilters: req.stateFilters.filter((s) => !TXN_STATES.has(s)),
    transactionStates: b.txns
      .all()
      .filter((t) => req.stateFilters.length === 0 || req.stateFilters.includes(t.state))
      .filter((t) => req.producerIdFilters.length === 0 || req.producerIdFilters.includes(t.producerId))
      .filter((t) => req.durationFilter < 0 || (t.state === 'Ongoing' && now - t.startedAt >= req.durationFilter))
      .map((t) => ({ transactionalId: t.transactionalId, producerId: t.producerId, transactionState: t.state })),
  };
}

function handleDescribeProducers(req: describeProducers.DescribeProducersRequest, b: Broker): describeProducers.DescribeProducersResponse {
  return {
    throttleTimeMs: 0,
    topics: req.topics.map((t) => ({
      name: t.name,
      partitions: t.partitionIndexes.map((i) => {
        const p = b.logs.partition(t.name, i);
        if (!p) return { partitionIndex: i, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, errorMessage: null, activeProducers: [] };
        return {
          partitionIndex: i,
          errorCode: ErrorCode.NONE,
          errorMessage: null,
          activeProducers: p.producers.activeProducers().map((a) => ({ ...a, lastTimestamp: -1, coordinatorEpoch: -1 })),
        };
      }),
    })),
  };
}

export const txnRoutes: [number, Route<unknown, unknown>][] = [
  [
    ApiKey.InitProducerId,
    route({
      request: initProducerId.request,
      response: initProducerId.response,
      // v3+ may name the producer's current id and epoch (KIP-360); an idempotent producer then gets a fresh id
      handle: (r, c) => ({ throttleTimeMs: 0, ...c.broker.txns.initProducerId(r.transactionalId, r.transactionTimeoutMs) }),
    }),
  ],
  [
    ApiKey.AddPartitionsToTxn,
    route({
      request: addPartitionsToTxn.request,
      response: addPartitionsToTxn.response,
      // v0-v3 (clients) only: v4+ is the broker-to-broker batch form, not served
      handle: (r, c) => ({
        throttleTimeMs: 0,
        resultsByTopicV3AndBelow: c.broker.txns
          .addPartitions(r.v3AndBelowTransactionalId, r.v3AndBelowProducerId, r.v3AndBelowProducerEpoch, r.v3AndBelowTopics)
          .map((t) => ({ name: t.name, resultsByPartition: t.results.map((p) => ({ partitionIndex: p.partitionIndex, partitionErrorCode: p.errorCode })) })),
      }),
    }),
  ],
  [
    ApiKey.AddOffsetsToTxn,
    route({
      request: addOffsetsToTxn.request,
      response: addOffsetsToTxn.response,
      handle: (r, c) => ({
        throttleTimeMs: 0,
        errorCode: code(c.broker, 'AddOffsetsToTxn', c.broker.txns.addOffsets(r.transactionalId, r.producerId, r.producerEpoch, r.groupId)),
      }),
    }),
  ],
  [
    ApiKey.TxnOffsetCommit,
    route({
      request: txnOffsetCommit.request,
      response: txnOffsetCommit.response,
      handle: (r, c) => {
        const offsets = r.topics.flatMap((t) =>
          t.partitions.map((p) => ({ topic: t.name, partition: p.partitionIndex, offset: p.committedOffset, metadata: p.committedMetadata ?? '' })),
        );
        // v3+ carry the consumer's group metadata (KIP-447): a known member must be current
        const member = r.memberId !== '' ? c.broker.groups.validateTxnMember(r.groupId, r.generationId, r.memberId) : ErrorCode.NONE;
        const errorCode =
          member !== ErrorCode.NONE
            ? member
            : code(c.broker, 'TxnOffsetCommit', c.broker.txns.txnOffsetCommit(r.transactionalId, r.producerId, r.producerEpoch, r.groupId, offsets));
        return {
          throttleTimeMs: 0,
          topics: r.topics.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode })) })),
        };
      },
    }),
  ],
  [
    ApiKey.EndTxn,
    route({
      request: endTxn.request,
      response: endTxn.response,
      handle: (r, c) => ({
        throttleTimeMs: 0,
        errorCode: code(c.broker, 'EndTxn', c.broker.txns.endTxn(r.transactionalId, r.producerId, r.producerEpoch, r.committed)),
      }),
    }),
  ],
  [
    ApiKey.DescribeTransactions,
    route({ request: describeTransactions.request, response: describeTransactions.response, handle: (r, c) => handleDescribeTransactions(r, c.broker) }),
  ],
  [
    ApiKey.ListTransactions,
    route({ request: listTransactions.request, response: listTransactions.response, handle: (r, c) => handleListTransactions(r, c.broker) }),
  ],
  [
    ApiKey.DescribeProducers,
    route({ request: describeProducers.request, response: describeProducers.response, handle: (r, c) => handleDescribeProducers(r, c.broker) }),
  ],
];
