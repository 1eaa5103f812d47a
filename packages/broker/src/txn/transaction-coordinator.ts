/**
 * Transaction coordinator (KIP-98, single node). Transactional ids map to a producer id and epoch;
 * InitProducerId bumps the epoch, fencing older instances and aborting their open transaction. EndTxn
 * persists PrepareCommit/PrepareAbort, writes a marker to every partition of the transaction, applies or
 * drops the transactional offset commits, then persists CompleteCommit/CompleteAbort — all before it
 * answers, so CONCURRENT_TRANSACTIONS never arises. State is an append-only log replayed at startup,
 * where a transaction caught in a Prepare state is driven to completion. A timer aborts transactions
 * older than their timeout.
 */
import * as path from 'node:path';
import { ErrorCode, type ErrorCodeValue } from '@kstreams/protocol/errors';
import { ControlType } from '@kstreams/protocol/record-batch';
import { AppendLog } from '../storage/state-file';

export type TxnState = 'Empty' | 'Ongoing' | 'PrepareCommit' | 'PrepareAbort' | 'CompleteCommit' | 'CompleteAbort';

export interface PendingOffset {
  topic: string;
  partition: number;
  offset: number;
  metadata: string | null;
}

export interface TxnMetadata {
  transactionalId: string;
  producerId: number;
  producerEpoch: number;
  timeoutMs: number;
  state: TxnState;
  /** "topic/partition" keys */
  partitions: string[];
  groups: string[];
  /** group id → offsets committed in this transaction, applied on commit */
  pendingOffsets: Record<string, PendingOffset[]>;
  startedAt: number;
}

type LogEntry = { kind: 'txn'; txn: TxnMetadata } | { kind: 'pid'; next: number };

/** What the coordinator needs from the rest of the broker. */
export interface TxnEnvironment {
  partitionExists(topic: string, partition: number): boolean;
  writeMarker(topic: string, partition: number, producerId: number, epoch: number, type: number): void;
  commitOffsets(groupId: string, offsets: readonly PendingOffset[]): void;
  now(): number;
}

export interface TxnCoordinatorOptions {
  dataDir: string;
  maxTimeoutMs: number;
  env: TxnEnvironment;
}

const EPOCH_MAX = 32766;

function key(topic: string, partition: number): string {
  return `${topic}/${partition}`;
}
function parseKey(k: string): [string, number] {
  const i = k.lastIndexOf('/');
  return [k.slice(0, i), Number(k.slice(i + 1))];
}

export type TxnCheck = { code: ErrorCodeValue; message: string } | null;

export class TransactionCoordinator {
  private readonly txns = new Map<string, TxnMetadata>();
  /** producer id → transactional id, to guard transactional Produce */
  private readonly byProducerId = new Map<number, TxnMetadata>();
  private nextProducerId = 1000;
  private readonly log: AppendLog<LogEntry>;

  constructor(private readonly opts: TxnCoordinatorOptions) {
    const file = path.join(opts.dataDir, 'transactions.log');
    for (const e of AppendLog.replay<LogEntry>(file)) {
      if (e.kind === 'pid') this.nextProducerId = Math.max(this.nextProducerId, e.next);
      else this.index(e.txn);
    }
    this.log = new AppendLog<LogEntry>(file);
    this.log.rewrite([{ kind: 'pid', next: this.nextProducerId }, ...[...this.txns.values()].map((txn) => ({ kind: 'txn' as const, txn }))]);
  }

  /** Completes transactions left in a Prepare state by a crash (markers are idempotent). */
  recover(): void {
    for (const txn of this.txns.values()) {
      if (txn.state === 'PrepareCommit') this.complete(txn, true);
      else if (txn.state === 'PrepareAbort') this.complete(txn, false);
    }
  }

  private index(txn: TxnMetadata): void {
    const old = this.txns.get(txn.transactionalId);
    if (old && old.producerId !== txn.producerId) this.byProducerId.delete(old.producerId);
    this.txns.set(txn.transactionalId, txn);
    this.byProducerId.set(txn.producerId, txn);
  }

  private persist(txn: TxnMetadata): void {
    this.index(txn);
    this.log.append({ kind: 'txn', txn });
    if (this.log.lines > 1000 && this.log.lines > 4 * this.txns.size) {
      this.log.rewrite([{ kind: 'pid', next: this.nextProducerId }, ...[...this.txns.values()].map((t) => ({ kind: 'txn' as const, txn: t }))]);
    }
  }

  private allocateProducerId(): number {
    const id = this.nextProducerId++;
    this.log.append({ kind: 'pid', next: this.nextProducerId });
    return id;
  }

  /** Whether an open transaction holds an uncommitted offset for this group partition (OffsetFetch requireStable). */
  hasPendingOffset(groupId: string, topic: string, partition: number): boolean {
    for (const txn of this.txns.values()) {
      if (txn.state !== 'Ongoing' && txn.state !== 'PrepareCommit' && txn.state !== 'PrepareAbort') continue;
      if (txn.pendingOffsets[groupId]?.some((o) => o.topic === topic && o.partition === partition)) return true;
    }
    return false;
  }

  /** Every transactional id's current state (ListTransactions). */
  all(): TxnMetadata[] {
    return [...this.txns.values()];
  }

  get(transactionalId: string): TxnMetadata | undefined {
    return this.txns.get(transactionalId);
  }

  initProducerId(
    transactionalId: string | null,
    timeoutMs: number,
  ): { errorCode: ErrorCodeValue; producerId: number; producerEpoch: number } {
    if (transactionalId === null) return { errorCode: ErrorCode.NONE, producerId: this.allocateProducerId(), producerEpoch: 0 };
    const fail = (errorCode: ErrorCodeValue): { errorCode: ErrorCodeValue; producerId: number; producerEpoch: number } => ({
      errorCode,
      producerId: -1,
      producerEpoch: -1,
    });
    if (transactionalId === '') return fail(ErrorCode.INVALID_REQUEST);
    if (timeoutMs <= 0 || timeoutMs > this.opts.maxTimeoutMs) return fail(ErrorCode.INVALID_TRANSACTION_TIMEOUT);
    const existing = this.txns.get(transactionalId);
    let txn: TxnMetadata;
    if (!existing) {
      txn = {
        transactionalId,
        producerId: this.allocateProducerId(),
        producerEpoch: 0,
        timeoutMs,
        state: 'Empty',
        partitions: [],
        groups: [],
        pendingOffsets: {},
        startedAt: 0,
      };
    } else {
      // fence: bump the epoch; an open transaction is aborted with markers at the new epoch
      txn = { ...existing, timeoutMs };
      this.bumpEpoch(txn);
      if (existing.state === 'Ongoing' || existing.state === 'PrepareAbort') {
        this.endWithMarkers(txn, false);
      } else if (existing.state === 'PrepareCommit') {
        this.endWithMarkers(txn, true);
      }
      txn = { ...txn, state: 'Empty', partitions: [], groups: [], pendingOffsets: {} };
    }
    this.persist(txn);
    return { errorCode: ErrorCode.NONE, producerId: txn.producerId, producerEpoch: txn.producerEpoch };
  }

  private bumpEpoch(txn: TxnMetadata): void {
    if (txn.producerEpoch >= EPOCH_MAX) {
      this.byProducerId.delete(txn.producerId);
      txn.producerId = this.allocateProducerId();
      txn.producerEpoch = 0;
    } else {
      txn.producerEpoch++;
    }
  }

  private validate(transactionalId: string, producerId: number, epoch: number): { txn?: TxnMetadata; err: TxnCheck } {
    const txn = this.txns.get(transactionalId);
    if (!txn) {
      return { err: { code: ErrorCode.INVALID_PRODUCER_ID_MAPPING, message: `unknown transactional id ${transactionalId}` } };
    }
    if (txn.producerId !== producerId) {
      return {
        err: {
          code: ErrorCode.INVALID_PRODUCER_ID_MAPPING,
          message: `transactional id ${transactionalId} is mapped to producer ${txn.producerId}, not ${producerId}`,
        },
      };
    }
    if (txn.producerEpoch !== epoch) {
      return {
        err: {
          code: ErrorCode.INVALID_PRODUCER_EPOCH,
          message: `producer ${producerId} epoch ${epoch} is fenced by epoch ${txn.producerEpoch}`,
        },
      };
    }
    if (txn.state === 'PrepareCommit' || txn.state === 'PrepareAbort') {
      return { err: { code: ErrorCode.CONCURRENT_TRANSACTIONS, message: `transaction ${transactionalId} is completing` } };
    }
    return { txn, err: null };
  }

  private begin(txn: TxnMetadata): TxnMetadata {
    if (txn.state === 'Ongoing') return { ...txn };
    return { ...txn, state: 'Ongoing', partitions: [], groups: [], pendingOffsets: {}, startedAt: this.opts.env.now() };
  }

  addPartitions(
    transactionalId: string,
    producerId: number,
    epoch: number,
    topics: readonly { name: string; partitions: readonly number[] }[],
  ): { name: string; results: { partitionIndex: number; errorCode: number }[] }[] {
    const { txn, err } = this.validate(transactionalId, producerId, epoch);
    const all = (code: number): { name: string; results: { partitionIndex: number; errorCode: number }[] }[] =>
      topics.map((t) => ({ name: t.name, results: t.partitions.map((p) => ({ partitionIndex: p, errorCode: code })) }));
    if (!txn) return all(err!.code);
    const unknown = topics.some((t) => t.partitions.some((p) => !this.opts.env.partitionExists(t.name, p)));
    if (unknown) {
      return topics.map((t) => ({
        name: t.name,
        results: t.partitions.map((p) => ({
          partitionIndex: p,
          errorCode: this.opts.env.partitionExists(t.name, p) ? 55 /* OPERATION_NOT_ATTEMPTED */ : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
        })),
      }));
    }
    const next = this.begin(txn);
    const set = new Set(next.partitions);
    for (const t of topics) for (const p of t.partitions) set.add(key(t.name, p));
    next.partitions = [...set];
    if (txn.state !== 'Ongoing' || set.size !== txn.partitions.length) this.persist(next);
    return all(ErrorCode.NONE);
  }

  addOffsets(transactionalId: string, producerId: number, epoch: number, groupId: string): TxnCheck {
    const { txn, err } = this.validate(transactionalId, producerId, epoch);
    if (!txn) return err;
    const next = this.begin(txn);
    if (!next.groups.includes(groupId)) next.groups = [...next.groups, groupId];
    this.persist(next);
    return null;
  }

  /** Stores offsets as pending in the transaction; they become visible only on commit. */
  txnOffsetCommit(transactionalId: string, producerId: number, epoch: number, groupId: string, offsets: readonly PendingOffset[]): TxnCheck {
    const { txn, err } = this.validate(transactionalId, producerId, epoch);
    if (!txn) return err;
    if (txn.state !== 'Ongoing' || !txn.groups.includes(groupId)) {
      return { code: ErrorCode.INVALID_TXN_STATE, message: `group ${groupId} was not added to transaction ${transactionalId}` };
    }
    const byPartition = new Map<string, PendingOffset>();
    for (const o of txn.pendingOffsets[groupId] ?? []) byPartition.set(key(o.topic, o.partition), o);
    for (const o of offsets) byPartition.set(key(o.topic, o.partition), o);
    this.persist({ ...txn, pendingOffsets: { ...txn.pendingOffsets, [groupId]: [...byPartition.values()] } });
    return null;
  }

  endTxn(transactionalId: string, producerId: number, epoch: number, commit: boolean): TxnCheck {
    const { txn, err } = this.validate(transactionalId, producerId, epoch);
    if (!txn) return err;
    if (txn.state === 'Ongoing') {
      this.endWithMarkers({ ...txn }, commit);
      return null;
    }
    if ((txn.state === 'CompleteCommit' && commit) || (txn.state === 'CompleteAbort' && !commit)) return null;
    return {
      code: ErrorCode.INVALID_TXN_STATE,
      message: `cannot ${commit ? 'commit' : 'abort'} transaction ${transactionalId} in state ${txn.state}`,
    };
  }

  private endWithMarkers(txn: TxnMetadata, commit: boolean): void {
    txn.state = commit ? 'PrepareCommit' : 'PrepareAbort';
    this.persist({ ...txn });
    this.complete(txn, commit);
  }

  private complete(txn: TxnMetadata, commit: boolean): void {
    const env = this.opts.env;
    for (const k of txn.partitions) {
      const [topic, partition] = parseKey(k);
      if (env.partitionExists(topic, partition)) {
        env.writeMarker(topic, partition, txn.producerId, txn.producerEpoch, commit ? ControlType.COMMIT : ControlType.ABORT);
      }
    }
    if (commit) for (const [group, offsets] of Object.entries(txn.pendingOffsets)) env.commitOffsets(group, offsets);
    this.persist({ ...txn, state: commit ? 'CompleteCommit' : 'CompleteAbort', pendingOffsets: {} });
  }

  /** Aborts transactions open longer than their timeout, bumping the epoch to fence the producer. */
  abortTimedOut(): string[] {
    const now = this.opts.env.now();
    const aborted: string[] = [];
    for (const txn of [...this.txns.values()]) {
      if (txn.state === 'Ongoing' && now - txn.startedAt > txn.timeoutMs) {
        const next = { ...txn };
        this.bumpEpoch(next);
        this.endWithMarkers(next, false);
        aborted.push(txn.transactionalId);
      }
    }
    return aborted;
  }

  /** Guard for transactional Produce: the producer must own an ongoing transaction at its current epoch. */
  checkProduce(producerId: number, epoch: number, topic: string, partition: number): TxnCheck {
    const txn = this.byProducerId.get(producerId);
    if (!txn) return { code: ErrorCode.INVALID_PRODUCER_ID_MAPPING, message: `producer ${producerId} has no transactional id` };
    if (epoch < txn.producerEpoch) {
      return { code: ErrorCode.INVALID_PRODUCER_EPOCH, message: `producer ${producerId} epoch ${epoch} is fenced by epoch ${txn.producerEpoch}` };
    }
    if (txn.state !== 'Ongoing' || !txn.partitions.includes(key(topic, partition))) {
      return {
        code: ErrorCode.INVALID_TXN_STATE,
        message: `partition ${topic}-${partition} was not added to transaction ${txn.transactionalId}`,
      };
    }
    return null;
  }

  /** Every transactional id's state (for diagnostics and tests). */
  list(): TxnMetadata[] {
    return [...this.txns.values()];
  }

  close(): void {
    this.log.close();
  }
}
