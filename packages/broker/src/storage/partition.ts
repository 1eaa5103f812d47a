/**
 * A partition as the broker sees it: its log plus its producer state. Produce validation (CRC, sequence,
 * epoch, transaction state) and marker appends go through here so the two never disagree.
 */
import { ErrorCode, InvalidRecordBatchError, type ErrorCodeValue } from '@kstreams/protocol/errors';
import {
  Attr,
  buildControlBatch,
  controlType,
  setLogAppendTime,
  splitAndValidate,
  type BatchHeader,
} from '@kstreams/protocol/record-batch';
import { ProducerStateManager } from '../txn/producer-state';
import { PartitionLog, type LogConfig } from './partition-log';

export interface AppendResult {
  errorCode: ErrorCodeValue;
  baseOffset: number;
  message?: string;
}

export interface AppendOptions {
  maxBatchBytes: number;
  /** compacted topics refuse records without a key */
  requireKeys?: boolean;
  /** set for `message.timestamp.type=LogAppendTime`: the append time written into each batch */
  logAppendTime?: number;
}

/** Checks a transactional batch against the transaction coordinator before it is written. */
export type TxnGuard = (producerId: number, epoch: number) => { code: ErrorCodeValue; message: string } | null;

export class Partition {
  readonly producers = new ProducerStateManager();
  readonly log: PartitionLog;
  /** end offset of the closed segments the last compaction pass covered */
  cleanedUpTo = 0;

  constructor(
    readonly topic: string,
    readonly index: number,
    dir: string,
    config: LogConfig,
  ) {
    this.log = PartitionLog.open(dir, config, (h, buf, at) => this.replay(h, buf, at));
  }

  private replay(h: BatchHeader, buf: Buffer, at: number): void {
    if (h.attributes & Attr.CONTROL) {
      let type: number;
      try {
        type = controlType(buf, at, h.size);
      } catch {
        return;
      }
      this.producers.onMarker(h.producerId, h.producerEpoch, type, h.baseOffset);
    } else {
      this.producers.onDataBatch(h, true);
    }
  }

  get highWatermark(): number {
    return this.log.logEndOffset;
  }

  get lastStableOffset(): number {
    return this.producers.lastStableOffset(this.highWatermark);
  }

  get logStartOffset(): number {
    return this.log.logStartOffset;
  }

  /** Validates and appends a Produce record set. */
  append(records: Buffer, o: AppendOptions, txnGuard: TxnGuard): AppendResult {
    let split: ReturnType<typeof splitAndValidate>;
    try {
      split = splitAndValidate(records, o.maxBatchBytes, o.requireKeys ?? false);
    } catch (e) {
      if (e instanceof InvalidRecordBatchError) return { errorCode: e.code, baseOffset: -1, message: e.message };
      throw e;
    }
    let firstOffset = -1;
    for (let i = 0; i < split.headers.length; i++) {
      const h = split.headers[i]!;
      if (h.attributes & Attr.TRANSACTIONAL) {
        const refused = txnGuard(h.producerId, h.producerEpoch);
        if (refused) return { errorCode: refused.code, baseOffset: -1, message: refused.message };
      }
      const check = this.producers.check(h);
      if (check.kind === 'error') return { errorCode: check.code, baseOffset: -1, message: check.message };
      if (check.kind === 'duplicate') {
        if (firstOffset < 0) firstOffset = check.firstOffset;
        continue;
      }
      if (o.logAppendTime !== undefined) setLogAppendTime(records, split.starts[i]!, h, o.logAppendTime);
      const [base] = this.log.appendBatches(records, [split.starts[i]!], [h]);
      this.producers.onDataBatch(h);
      if (firstOffset < 0) firstOffset = base!;
    }
    return { errorCode: ErrorCode.NONE, baseOffset: firstOffset };
  }

  /** Writes a COMMIT/ABORT marker for the producer; returns true when the LSO may have moved. */
  appendMarker(producerId: number, epoch: number, type: number, now: number): boolean {
    const batch = buildControlBatch(this.highWatermark, producerId, epoch, type, now);
    const offset = this.log.appendOwnBatch(batch);
    return this.producers.onMarker(producerId, epoch, type, offset);
  }

  advanceLogStart(offset: number): void {
    this.log.advanceLogStart(offset);
    this.producers.truncateHead(this.log.logStartOffset);
  }

  close(): void {
    this.log.close();
  }
}

