/** Idempotent producer state per partition and the transaction coordinator. */
import { ErrorCode } from '@kstreams/protocol/errors';
import { buildBatch, ControlType } from '@kstreams/protocol/record-batch';
import { Partition } from '../src/storage/partition';
import { TransactionCoordinator, type PendingOffset, type TxnEnvironment } from '../src/txn/transaction-coordinator';
import { createRequire } from 'node:module';
import { Broker } from '../src/server/broker';
import { dispatch } from '../src/server/router';
import { Reader } from '@kstreams/protocol/reader';
import { kafkajsDecode, kafkajsRequestBody, removeDir, tempDir } from './support';

function producerBatch(pid: number, epoch: number, seq: number, count: number, transactional = false): Buffer {
  return buildBatch(
    { baseOffset: 0, attributes: transactional ? 0x10 : 0, baseTimestamp: 1, producerId: pid, producerEpoch: epoch, baseSequence: seq },
    Array.from({ length: count }, (_, i) => ({ key: null, value: Buffer.from(`r${seq + i}`), offsetDelta: i })),
  );
}

describe('idempotent producer state', () => {
  let dir: string;
  let p: Partition;
  const allow = (): null => null;
  beforeEach(() => {
    dir = tempDir();
    p = new Partition('t', 0, dir, { segmentBytes: 1 << 20 });
  });
  afterEach(() => {
    p.close();
    removeDir(dir);
  });

  it('answers a retried batch with its original offset and appends nothing', () => {
    expect(p.append(producerBatch(7, 0, 0, 3), { maxBatchBytes: 1 << 20 }, allow)).toMatchObject({ errorCode: 0, baseOffset: 0 });
    expect(p.append(producerBatch(7, 0, 3, 2), { maxBatchBytes: 1 << 20 }, allow)).toMatchObject({ errorCode: 0, baseOffset: 3 });
    expect(p.append(producerBatch(7, 0, 0, 3), { maxBatchBytes: 1 << 20 }, allow)).toMatchObject({ errorCode: 0, baseOffset: 0 });
    expect(p.append(producerBatch(7, 0, 3, 2), { maxBatchBytes: 1 << 20 }, allow)).toMatchObject({ errorCode: 0, baseOffset: 3 });
    expect(p.highWatermark).toBe(5);
  });

  it('refuses gaps, stale epochs and a new epoch not starting at 0', () => {
    p.append(producerBatch(7, 0, 0, 1), { maxBatchBytes: 1 << 20 }, allow);
    expect(p.append(producerBatch(7, 0, 5, 1), { maxBatchBytes: 1 << 20 }, allow).errorCode).toBe(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
    expect(p.append(producerBatch(7, 1, 3, 1), { maxBatchBytes: 1 << 20 }, allow).errorCode).toBe(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
    expect(p.append(producerBatch(7, 1, 0, 1), { maxBatchBytes: 1 << 20 }, allow).errorCode).toBe(ErrorCode.NONE);
    expect(p.append(producerBatch(7, 0, 1, 1), { maxBatchBytes: 1 << 20 }, allow).errorCode).toBe(ErrorCode.INVALID_PRODUCER_EPOCH);
    expect(p.highWatermark).toBe(2);
  });

  it('still recognises duplicates after a restart (state rebuilt from the log)', () => {
    p.append(producerBatch(9, 0, 0, 2), { maxBatchBytes: 1 << 20 }, allow);
    p.append(producerBatch(9, 0, 2, 2), { maxBatchBytes: 1 << 20 }, allow);
    p.close();
    p = new Partition('t', 0, dir, { segmentBytes: 1 << 20 });
    expect(p.append(producerBatch(9, 0, 2, 2), { maxBatchBytes: 1 << 20 }, allow)).toMatchObject({ errorCode: 0, baseOffset: 2 });
    expect(p.append(producerBatch(9, 0, 4, 1), { maxBatchBytes: 1 << 20 }, allow)).toMatchObject({ errorCode: 0, baseOffset: 4 });
    expect(p.highWatermark).toBe(5);
  });

  it('holds the LSO at an open transaction and lists aborted ranges, also after a restart', () => {
    p.append(producerBatch(1, 0, 0, 1), { maxBatchBytes: 1 << 20 }, allow); // offset 0, plain
    p.append(producerBatch(2, 0, 0, 2, true), { maxBatchBytes: 1 << 20 }, allow); // 1-2, txn of pid 2
    p.append(producerBatch(3, 0, 0, 1, true), { maxBatchBytes: 1 << 20 }, allow); // 3, txn of pid 3
    expect(p.lastStableOffset).toBe(1);
    p.appendMarker(2, 0, ControlType.ABORT, 1); // 4
    expect(p.lastStableOffset).toBe(3);
    p.appendMarker(3, 0, ControlType.COMMIT, 1); // 5
    expect(p.lastStableOffset).toBe(6);
    expect(p.producers.abortedIn(0, 6)).toEqual([{ producerId: 2, firstOffset: 1, lastOffset: 4 }]);
    expect(p.producers.abortedIn(5, 6)).toEqual([]);
    // a non-transactional batch from a producer inside a transaction is refused
    p.append(producerBatch(4, 0, 0, 1, true), { maxBatchBytes: 1 << 20 }, allow);
    expect(p.append(producerBatch(4, 0, 1, 1, false), { maxBatchBytes: 1 << 20 }, allow).errorCode).toBe(ErrorCode.INVALID_TXN_STATE);
    p.close();
    p = new Partition('t', 0, dir, { segmentBytes: 1 << 20 });
    expect(p.producers.abortedIn(0, 7)).toEqual([{ producerId: 2, firstOffset: 1, lastOffset: 4 }]);
    expect(p.lastStableOffset).toBe(6);
  });
});

describe('transaction coordinator', () => {
  let dir: string;
  let markers: string[];
  let committed: { group: string; offsets: readonly PendingOffset[] }[];
  let now: number;
  const env: TxnEnvironment = {
    partitionExists: (topic) => topic !== 'missing',
    writeMarker: (topic, partition, pid, epoch, type) => markers.push(`${topic}-${partition}:${pid}/${epoch}:${type === ControlType.COMMIT ? 'COMMIT' : 'ABORT'}`),
    commitOffsets: (group, offsets) => committed.push({ group, offsets }),
    now: () => now,
  };
  const open = (): TransactionCoordinator => new TransactionCoordinator({ dataDir: dir, maxTimeoutMs: 900_000, env });

  beforeEach(() => {
    dir = tempDir();
    markers = [];
    committed = [];
    now = 1_000_000;
  });
  afterEach(() => removeDir(dir));

  it('commits: markers on every partition, then the pending group offsets', () => {
    const tc = open();
    const { producerId: pid, producerEpoch: epoch } = tc.initProducerId('tx', 60_000);
    expect(epoch).toBe(0);
    expect(tc.addPartitions('tx', pid, epoch, [{ name: 'out', partitions: [0, 1] }])[0]!.results.map((r) => r.errorCode)).toEqual([0, 0]);
    expect(tc.checkProduce(pid, epoch, 'out', 1)).toBeNull();
    expect(tc.checkProduce(pid, epoch, 'other', 0)?.code).toBe(ErrorCode.INVALID_TXN_STATE);
    expect(tc.addOffsets('tx', pid, epoch, 'g')).toBeNull();
    expect(tc.txnOffsetCommit('tx', pid, epoch, 'g', [{ topic: 'in', partition: 0, offset: 42, metadata: '' }])).toBeNull();
    expect(committed).toEqual([]);
    expect(tc.endTxn('tx', pid, epoch, true)).toBeNull();
    expect(markers).toEqual([`out-0:${pid}/0:COMMIT`, `out-1:${pid}/0:COMMIT`]);
    expect(committed).toEqual([{ group: 'g', offsets: [{ topic: 'in', partition: 0, offset: 42, metadata: '' }] }]);
    // a retried EndTxn(commit) is answered NONE, a mismatched one INVALID_TXN_STATE
    expect(tc.endTxn('tx', pid, epoch, true)).toBeNull();
    expect(tc.endTxn('tx', pid, epoch, false)?.code).toBe(ErrorCode.INVALID_TXN_STATE);
    tc.close();
  });

  it('aborts: markers written, offsets dropped', () => {
    const tc = open();
    const { producerId: pid } = tc.initProducerId('tx', 60_000);
    tc.addPartitions('tx', pid, 0, [{ name: 'out', partitions: [0] }]);
    tc.addOffsets('tx', pid, 0, 'g');
    tc.txnOffsetCommit('tx', pid, 0, 'g', [{ topic: 'in', partition: 0, offset: 1, metadata: '' }]);
    expect(tc.endTxn('tx', pid, 0, false)).toBeNull();
    expect(markers).toEqual([`out-0:${pid}/0:ABORT`]);
    expect(committed).toEqual([]);
    tc.close();
  });

  it('fences: a new InitProducerId bumps the epoch and aborts the open transaction of the old one', () => {
    const tc = open();
    const first = tc.initProducerId('tx', 60_000);
    tc.addPartitions('tx', first.producerId, 0, [{ name: 'out', partitions: [0] }]);
    const second = tc.initProducerId('tx', 60_000);
    expect(second).toMatchObject({ errorCode: 0, producerId: first.producerId, producerEpoch: 1 });
    expect(markers).toEqual([`out-0:${first.producerId}/1:ABORT`]);
    expect(tc.addPartitions('tx', first.producerId, 0, [{ name: 'out', partitions: [0] }])[0]!.results[0]!.errorCode).toBe(
      ErrorCode.INVALID_PRODUCER_EPOCH,
    );
    expect(tc.endTxn('tx', first.producerId, 0, true)?.code).toBe(ErrorCode.INVALID_PRODUCER_EPOCH);
    expect(tc.checkProduce(first.producerId, 0, 'out', 0)?.code).toBe(ErrorCode.INVALID_PRODUCER_EPOCH);
    expect(tc.endTxn('nope', 1, 0, true)?.code).toBe(ErrorCode.INVALID_PRODUCER_ID_MAPPING);
    tc.close();
  });

  it('validates timeouts and unknown partitions', () => {
    const tc = open();
    expect(tc.initProducerId('tx', 0).errorCode).toBe(ErrorCode.INVALID_TRANSACTION_TIMEOUT);
    expect(tc.initProducerId('tx', 900_001).errorCode).toBe(ErrorCode.INVALID_TRANSACTION_TIMEOUT);
    const { producerId } = tc.initProducerId('tx', 1000);
    const res = tc.addPartitions('tx', producerId, 0, [
      { name: 'missing', partitions: [0] },
      { name: 'out', partitions: [0] },
    ]);
    expect(res.map((t) => t.results[0]!.errorCode)).toEqual([ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, 55]);
    expect(tc.initProducerId(null, 1000).producerId).not.toBe(producerId);
    tc.close();
  });

  it('aborts a transaction that outlives its timeout and fences its producer', () => {
    const tc = open();
    const { producerId: pid } = tc.initProducerId('slow', 5000);
    tc.addPartitions('slow', pid, 0, [{ name: 'out', partitions: [2] }]);
    now += 4000;
    expect(tc.abortTimedOut()).toEqual([]);
    now += 2000;
    expect(tc.abortTimedOut()).toEqual(['slow']);
    expect(markers).toEqual([`out-2:${pid}/1:ABORT`]);
    expect(tc.endTxn('slow', pid, 0, true)?.code).toBe(ErrorCode.INVALID_PRODUCER_EPOCH);
    tc.close();
  });

  it('survives a restart: ids, epochs, open transactions and pending offsets', () => {
    let tc = open();
    const { producerId: pid } = tc.initProducerId('tx', 60_000);
    tc.addPartitions('tx', pid, 0, [{ name: 'out', partitions: [0] }]);
    tc.addOffsets('tx', pid, 0, 'g');
    tc.txnOffsetCommit('tx', pid, 0, 'g', [{ topic: 'in', partition: 0, offset: 9, metadata: '' }]);
    const idempotentPid = tc.initProducerId(null, 1).producerId;
    tc.close();
    tc = open();
    expect(tc.initProducerId(null, 1).producerId).toBeGreaterThan(idempotentPid);
    expect(tc.endTxn('tx', pid, 0, true)).toBeNull();
    expect(markers).toEqual([`out-0:${pid}/0:COMMIT`]);
    expect(committed).toEqual([{ group: 'g', offsets: [{ topic: 'in', partition: 0, offset: 9, metadata: '' }] }]);
    tc.close();
  });

  it('completes a transaction left in PrepareCommit by a crash', () => {
    const tc = open();
    const { producerId: pid } = tc.initProducerId('tx', 60_000);
    tc.addPartitions('tx', pid, 0, [{ name: 'out', partitions: [0] }]);
    // simulate a crash between "PrepareCommit persisted" and "markers written"
    let crash = true;
    const crashing: TxnEnvironment = {
      ...env,
      writeMarker: (...args) => {
        if (crash) throw new Error('crash');
        env.writeMarker(...args);
      },
    };
    const tc2 = new TransactionCoordinator({ dataDir: dir, maxTimeoutMs: 900_000, env: crashing });
    expect(() => tc2.endTxn('tx', pid, 0, true)).toThrow('crash');
    tc.close();
    tc2.close();
    crash = false;
    const tc3 = open();
    tc3.recover();
    expect(markers).toEqual([`out-0:${pid}/0:COMMIT`]);
    expect(tc3.get('tx')?.state).toBe('CompleteCommit');
    tc3.close();
  });
});

describe('read_committed fetch inside interleaved aborted transactions', () => {
  it('hides every aborted record from kafkajs when the fetch starts after the transactions began', async () => {
    const dir = tempDir();
    const broker = new Broker({ dataDir: dir, logLevel: 'silent' });
    try {
      const topic = broker.logs.create('interleaved', 1, {});
      const p = topic.partitions[0]!;
      const allow = (): null => null;
      const txn = (pid: number, seq: number, value: string): void => {
        const batch = buildBatch(
          { baseOffset: 0, attributes: 0x10, baseTimestamp: 1, producerId: pid, producerEpoch: 0, baseSequence: seq },
          [{ key: null, value: Buffer.from(value), offsetDelta: 0 }],
        );
        expect(p.append(batch, { maxBatchBytes: 1 << 20 }, allow).errorCode).toBe(0);
      };
      txn(1, 0, 'a1'); // 0
      txn(2, 0, 'b1'); // 1
      txn(2, 1, 'b2'); // 2
      txn(1, 1, 'a2'); // 3
      p.appendMarker(1, 0, ControlType.ABORT, 1); // 4
      txn(2, 2, 'b3'); // 5
      p.appendMarker(2, 0, ControlType.ABORT, 1); // 6
      p.append(producerBatch(-1, -1, -1, 1), { maxBatchBytes: 1 << 20 }, allow); // 7, plain
      const body = await kafkajsRequestBody('fetch', 11, {
        replicaId: -1,
        maxWaitTime: 0,
        minBytes: 0,
        maxBytes: 1 << 20,
        isolationLevel: 1,
        topics: [{ topic: 'interleaved', partitions: [{ partition: 0, fetchOffset: '2', maxBytes: 1 << 20 }] }],
      });
      const reader = new Reader(body);
      const out = await dispatch({ apiKey: 1, apiVersion: 11, correlationId: 1, clientId: 't', clientHost: '/127.0.0.1', broker }, reader);
      const decoded = await kafkajsDecode<{ responses: { partitions: Record<string, unknown>[] }[] }>('fetch', 11, Buffer.concat(out!));
      const Batch = createRequire(__filename)('kafkajs/src/consumer/batch') as new (
        topic: string,
        fetchedOffset: string,
        data: Record<string, unknown>,
      ) => { messages: { value: Buffer | null }[] };
      const batch = new Batch('interleaved', '2', decoded.responses[0]!.partitions[0]!);
      expect(batch.messages.map((m) => m.value?.toString())).toEqual(['r-1']);
    } finally {
      await broker.close();
      removeDir(dir);
    }
  });
});
