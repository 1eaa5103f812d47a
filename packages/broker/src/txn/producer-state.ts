/**
 * Per-partition producer state: idempotence (epoch and the last five batches' sequence ranges per
 * producer id, so a retried batch is answered with its original offsets), open transactions (which
 * hold back the last stable offset) and the aborted-transaction list that read_committed fetches need.
 * It is rebuilt from the log's batch headers when the partition opens, so it survives restarts.
 */
import { ErrorCode, type ErrorCodeValue } from '@kstreams/protocol/errors';
import { Attr, ControlType, type BatchHeader } from '@kstreams/protocol/record-batch';

const BATCHES_TO_RETAIN = 5;
const INT32_MAX = 0x7fffffff;

interface BatchMeta {
  firstSeq: number;
  lastSeq: number;
  firstOffset: number;
  lastOffset: number;
}

interface ProducerEntry {
  epoch: number;
  batches: BatchMeta[];
  /** Rebuilt from the log at startup: compaction may have removed batches, so sequence gaps are tolerated once. */
  recovered: boolean;
}

export interface AbortedTxn {
  producerId: number;
  firstOffset: number;
  lastOffset: number;
}

export type SequenceCheck =
  | { kind: 'append' }
  | { kind: 'duplicate'; firstOffset: number; lastOffset: number }
  | { kind: 'error'; code: ErrorCodeValue; message: string };

function inSequence(lastSeq: number, nextSeq: number): boolean {
  return nextSeq === lastSeq + 1 || (lastSeq === INT32_MAX && nextSeq === 0);
}

function lastSeqOf(h: BatchHeader): number {
  const s = h.baseSequence + h.lastOffsetDelta;
  return s > INT32_MAX ? s - INT32_MAX - 1 : s;
}

export class ProducerStateManager {
  private readonly producers = new Map<number, ProducerEntry>();
  /** producer id → first offset of its open transaction on this partition */
  readonly ongoing = new Map<number, number>();
  /** ordered by lastOffset (marker offset) */
  aborted: AbortedTxn[] = [];

  /** Validates an incoming batch against the producer's epoch and sequence (no state change). */
  check(h: BatchHeader): SequenceCheck {
    const transactional = (h.attributes & Attr.TRANSACTIONAL) !== 0;
    if (h.producerId < 0) {
      if (transactional) return { kind: 'error', code: ErrorCode.INVALID_REQUEST, message: 'transactional batch without a producer id' };
      return { kind: 'append' };
    }
    if (!transactional && this.ongoing.has(h.producerId)) {
      return {
        kind: 'error',
        code: ErrorCode.INVALID_TXN_STATE,
        message: `producer ${h.producerId} sent a non-transactional batch while its transaction is open`,
      };
    }
    const entry = this.producers.get(h.producerId);
    if (!entry || h.baseSequence < 0) return { kind: 'append' };
    if (h.producerEpoch < entry.epoch) {
      return {
        kind: 'error',
        code: ErrorCode.INVALID_PRODUCER_EPOCH,
        message: `producer ${h.producerId} epoch ${h.producerEpoch} is older than the current epoch ${entry.epoch}`,
      };
    }
    const lastSeq = entry.batches.length > 0 ? entry.batches[entry.batches.length - 1]!.lastSeq : -1;
    if (h.producerEpoch > entry.epoch) {
      if (h.baseSequence !== 0 && !entry.recovered) {
        return {
          kind: 'error',
          code: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER,
          message: `producer ${h.producerId} new epoch ${h.producerEpoch} must start at sequence 0, got ${h.baseSequence}`,
        };
      }
      return { kind: 'append' };
    }
    const last = lastSeqOf(h);
    for (const b of entry.batches) {
      if (b.firstSeq === h.baseSequence && b.lastSeq === last) {
        return { kind: 'duplicate', firstOffset: b.firstOffset, lastOffset: b.lastOffset };
      }
    }
    if (!inSequence(lastSeq, h.baseSequence) && !entry.recovered) {
      return {
        kind: 'error',
        code: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER,
        message: `producer ${h.producerId} epoch ${h.producerEpoch}: expected sequence ${lastSeq + 1}, got ${h.baseSequence}`,
      };
    }
    return { kind: 'append' };
  }

  /** Records an appended data batch (live or during recovery). */
  onDataBatch(h: BatchHeader, recovering = false): void {
    if (h.producerId < 0) return;
    const firstOffset = h.baseOffset;
    const lastOffset = h.baseOffset + h.lastOffsetDelta;
    let entry = this.producers.get(h.producerId);
    if (!entry || h.producerEpoch > entry.epoch) {
      entry = { epoch: h.producerEpoch, batches: [], recovered: recovering };
      this.producers.set(h.producerId, entry);
    } else if (!recovering) {
      entry.recovered = false;
    }
    if (h.baseSequence >= 0) {
      entry.batches.push({ firstSeq: h.baseSequence, lastSeq: lastSeqOf(h), firstOffset, lastOffset });
      if (entry.batches.length > BATCHES_TO_RETAIN) entry.batches.shift();
    }
    if ((h.attributes & Attr.TRANSACTIONAL) !== 0 && !this.ongoing.has(h.producerId)) {
      this.ongoing.set(h.producerId, firstOffset);
    }
  }

  /** Applies a COMMIT/ABORT marker at `offset`; returns true when it closed an open transaction. */
  onMarker(producerId: number, epoch: number, type: number, offset: number): boolean {
    const entry = this.producers.get(producerId);
    if (!entry || epoch > entry.epoch) {
      // a bumped epoch (fencing, timeout) resets the sequence window: the next batch starts at 0
      this.producers.set(producerId, { epoch, batches: [], recovered: entry?.recovered ?? false });
    }
    const first = this.ongoing.get(producerId);
    if (first === undefined) return false;
    this.ongoing.delete(producerId);
    if (type === ControlType.ABORT) this.aborted.push({ producerId, firstOffset: first, lastOffset: offset });
    return true;
  }

  /** Last stable offset: the first offset of the oldest open transaction, else the high watermark. */
  lastStableOffset(highWatermark: number): number {
    let lso = highWatermark;
    for (const first of this.ongoing.values()) if (first < lso) lso = first;
    return lso;
  }

  /** Aborted transactions overlapping [fetchOffset, upperBound), sorted by first offset. */
  abortedIn(fetchOffset: number, upperBound: number): AbortedTxn[] {
    const out: AbortedTxn[] = [];
    for (let i = this.aborted.length - 1; i >= 0; i--) {
      const a = this.aborted[i]!;
      if (a.lastOffset < fetchOffset) break;
      if (a.firstOffset < upperBound) out.push(a);
    }
    return out.sort((x, y) => x.firstOffset - y.firstOffset);
  }

  isAborted(producerId: number, offset: number): boolean {
    for (const a of this.aborted) {
      if (a.producerId === producerId && a.firstOffset <= offset && offset <= a.lastOffset) return true;
    }
    return false;
  }

  /** Drops aborted entries wholly below the log start offset. */
  truncateHead(logStartOffset: number): void {
    const keep = this.aborted.findIndex((a) => a.lastOffset >= logStartOffset);
    this.aborted = keep < 0 ? [] : this.aborted.slice(keep);
  }

  /** Producers with state on this partition (DescribeProducers): epoch, last sequence, open transaction's first offset. */
  activeProducers(): { producerId: number; producerEpoch: number; lastSequence: number; currentTxnStartOffset: number }[] {
    return [...this.producers].map(([producerId, e]) => ({
      producerId,
      producerEpoch: e.epoch,
      lastSequence: e.batches.length > 0 ? e.batches[e.batches.length - 1]!.lastSeq : -1,
      currentTxnStartOffset: this.ongoing.get(producerId) ?? -1,
    }));
  }

  producerEpoch(producerId: number): number | undefined {
    return this.producers.get(producerId)?.epoch;
  }
}
