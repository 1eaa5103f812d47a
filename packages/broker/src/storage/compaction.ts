/**
 * Log compaction for `cleanup.policy=compact` topics (changelogs): closed segments below the last stable
 * offset are rewritten keeping, for every key, only its latest record. Offsets never change; a rewritten
 * batch keeps its base offset and lastOffsetDelta, drops the superseded records' bytes (no re-encoding of
 * the survivors) and gets a new CRC. Tombstones are dropped once older than delete.retention.ms. Batches
 * left with no records are dropped. Compressed batches other than gzip are kept as they are.
 */
import * as zlib from 'node:zlib';
import {
  Attr,
  BATCH_HEADER_SIZE,
  buildBatchFromRecordBytes,
  readBatchHeader,
  readRecords,
  type BatchHeader,
} from '@kstreams/protocol/record-batch';
import type { PartitionLog } from './partition-log';

const COMPRESSION_NONE = 0;
const COMPRESSION_GZIP = 1;

export interface CompactionOptions {
  now: number;
  deleteRetentionMs: number;
  /** Only segments wholly below this offset (the LSO) are cleaned. */
  cleanableEnd: number;
  /** Whether the batch belongs to an aborted transaction (its records are removed). */
  isAborted(producerId: number, offset: number): boolean;
}

export interface CompactionResult {
  segmentsCleaned: number;
  recordsRemoved: number;
}

function recordBytesOf(buf: Buffer, at: number, h: BatchHeader): Buffer | null {
  const body = buf.subarray(at + BATCH_HEADER_SIZE, at + h.size);
  const codec = h.attributes & Attr.COMPRESSION_MASK;
  if (codec === COMPRESSION_NONE) return body;
  if (codec === COMPRESSION_GZIP) return zlib.gunzipSync(body);
  return null;
}

function forEachBatch(buf: Buffer, fn: (h: BatchHeader, at: number) => void): void {
  let at = 0;
  while (at + BATCH_HEADER_SIZE <= buf.length) {
    const h = readBatchHeader(buf, at);
    fn(h, at);
    at += h.size;
  }
}

export function compactLog(log: PartitionLog, opts: CompactionOptions): CompactionResult {
  const result: CompactionResult = { segmentsCleaned: 0, recordsRemoved: 0 };
  const closed = log.segments.slice(0, -1).filter((s) => s.nextOffset <= opts.cleanableEnd);
  if (closed.length === 0) return result;
  // pass 1: latest offset of every key over the whole log
  const latest = new Map<string, number>();
  for (const seg of log.segments) {
    const buf = seg.readAll();
    forEachBatch(buf, (h, at) => {
      if (h.attributes & Attr.CONTROL) return;
      if (h.producerId >= 0 && h.attributes & Attr.TRANSACTIONAL && opts.isAborted(h.producerId, h.baseOffset)) return;
      const body = recordBytesOf(buf, at, h);
      if (body === null) return;
      for (const r of readRecords(body, h.recordCount)) {
        if (r.key !== null) latest.set(r.key.toString('latin1'), h.baseOffset + r.offsetDelta);
      }
    });
  }
  // pass 2: rewrite each cleanable closed segment
  const tombstoneCutoff = opts.now - opts.deleteRetentionMs;
  for (let i = 0; i < log.segments.length - 1; i++) {
    const seg = log.segments[i]!;
    if (seg.nextOffset > opts.cleanableEnd) break;
    const buf = seg.readAll();
    const out: Buffer[] = [];
    let changed = false;
    forEachBatch(buf, (h, at) => {
      const original = buf.subarray(at, at + h.size);
      if (h.attributes & Attr.CONTROL) {
        out.push(original);
        return;
      }
      const aborted = h.producerId >= 0 && (h.attributes & Attr.TRANSACTIONAL) !== 0 && opts.isAborted(h.producerId, h.baseOffset);
      const body = recordBytesOf(buf, at, h);
      if (body === null) {
        out.push(original);
        return;
      }
      const records = readRecords(body, h.recordCount);
      const kept = aborted
        ? []
        : records.filter((r) => {
            if (r.key === null) return true;
            if (latest.get(r.key.toString('latin1')) !== h.baseOffset + r.offsetDelta) return false;
            return !(r.value === null && h.maxTimestamp < tombstoneCutoff);
          });
      if (kept.length === records.length) {
        out.push(original);
        return;
      }
      changed = true;
      result.recordsRemoved += records.length - kept.length;
      if (kept.length === 0) return;
      let recordBytes = Buffer.concat(kept.map((r) => body.subarray(r.start, r.end)));
      if ((h.attributes & Attr.COMPRESSION_MASK) === COMPRESSION_GZIP) recordBytes = zlib.gzipSync(recordBytes);
      out.push(
        buildBatchFromRecordBytes(
          {
            baseOffset: h.baseOffset,
            attributes: h.attributes,
            lastOffsetDelta: h.lastOffsetDelta,
            baseTimestamp: h.baseTimestamp,
            maxTimestamp: h.maxTimestamp,
            producerId: h.producerId,
            producerEpoch: h.producerEpoch,
            baseSequence: h.baseSequence,
          },
          kept.length,
          recordBytes,
        ),
      );
    });
    if (changed) {
      log.replaceSegment(i, out);
      result.segmentsCleaned++;
    }
  }
  return result;
}
