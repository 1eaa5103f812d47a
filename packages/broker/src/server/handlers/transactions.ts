/** Transaction APIs: InitProducerId, AddPartitionsToTxn, AddOffsetsToTxn, TxnOffsetCommit, EndTxn. */
import { ApiKey } from '../../protocol/api-keys';
import { ErrorCode } from '../../protocol/errors';
import * as addOffsetsToTxn from '../../protocol/messages/add-offsets-to-txn';
import * as addPartitionsToTxn from '../../protocol/messages/add-partitions-to-txn';
import * as endTxn from '../../protocol/messages/end-txn';
import * as initProducerId from '../../protocol/messages/init-producer-id';
import * as txnOffsetCommit from '../../protocol/messages/txn-offset-commit';
import type { TxnCheck } from '../../txn/transaction-coordinator';
import type { Broker } from '../broker';
import { route, type Route } from '../router';

function code(b: Broker, what: string, check: TxnCheck): number {
  if (check === null) return ErrorCode.NONE;
  b.log.debug(`${what} refused (${check.code}): ${check.message}`);
  return check.code;
}

export const txnRoutes: [number, Route<unknown, unknown>][] = [
  [
    ApiKey.InitProducerId,
    route({
      request: initProducerId.request,
      response: initProducerId.response,
      handle: (r, c) => ({ throttleTimeMs: 0, ...c.broker.txns.initProducerId(r.transactionalId, r.transactionTimeoutMs) }),
    }),
  ],
  [
    ApiKey.AddPartitionsToTxn,
    route({
      request: addPartitionsToTxn.request,
      response: addPartitionsToTxn.response,
      handle: (r, c) => ({
        throttleTimeMs: 0,
        results: c.broker.txns.addPartitions(r.transactionalId, r.producerId, r.producerEpoch, r.topics),
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
        const errorCode = code(
          c.broker,
          'TxnOffsetCommit',
          c.broker.txns.txnOffsetCommit(r.transactionalId, r.producerId, r.producerEpoch, r.groupId, offsets),
        );
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
];
