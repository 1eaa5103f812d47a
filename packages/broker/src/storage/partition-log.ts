/**
 * The log of one partition: a directory of segments holding record batches verbatim, an in-memory
 * offset index per segment, the log start offset (moved by DeleteRecords and retention), and
 * recovery that truncates a torn tail on open. Offsets are assigned here, synchronously.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import {
  Attr,
  BATCH_HEADER_SIZE,
  assignBaseOffset,
  batchCrcValid,
  readBatchHeader,
  readRecords,
  type BatchHeader,
} from '@kstreams/protocol/record-batch';
import { StorageError } from '@kstreams/protocol/errors';
import { Segment } from './segment';

export interface LogConfig {
  segmentBytes: number;
}

export interface RecoveryReport {
  truncatedBytes: number;
  reason: string | null;
}

/** Called for every valid batch found while opening the log, in offset order. */
export type BatchVisitor = (header: BatchHeader, buf: Buffer, at: number) => void;

export interface ReadResult {
  chunks: Buffer[];
  bytes: number;
  /** offset after the last batch returned (the fetch offset when nothing was returned) */
  nextOffset: number;
}

const LOG_START_FILE = 'log-start-offset';

function firstRecordAtOrAfter(
  batch: Buffer,
  h: BatchHeader,
  ts: number,
  minOffset: number,
): { offset: number; timestamp: number } | null {
  if (h.attributes & Attr.CONTROL) return null;
  const codec = h.attributes & Attr.COMPRESSION_MASK;
  let body: Buffer | null = null;
  if (codec === 0) body = batch.subarray(BATCH_HEADER_SIZE);
  else if (codec === 1) body = zlib.gunzipSync(batch.subarray(BATCH_HEADER_SIZE));
  if (body === null) return { offset: Math.max(minOffset, h.baseOffset), timestamp: h.maxTimestamp };
  for (const r of readRecords(body, h.recordCount)) {
    const offset = h.baseOffset + r.offsetDelta;
    const timestamp = h.baseTimestamp + r.timestampDelta;
    if (offset >= minOffset && timestamp >= ts) return { offset, timestamp };
  }
  return null;
}

export class PartitionLog {
  segments: Segment[] = [];
  logStartOffset = 0;
  recovery: RecoveryReport = { truncatedBytes: 0, reason: null };

  private constructor(
    readonly dir: string,
    public config: LogConfig,
  ) {}

  static open(dir: string, config: LogConfig, visit?: BatchVisitor): PartitionLog {
    fs.mkdirSync(dir, { recursive: true });
    const log = new PartitionLog(dir, config);
    log.load(visit);
    return log;
  }

  get active(): Segment {
    return this.segments[this.segments.length - 1]!;
  }

  /** Log end offset: the offset the next batch gets. */
  get logEndOffset(): number {
    return this.active.nextOffset;
  }

  get sizeInBytes(): number {
    let s = 0;
    for (const seg of this.segments) s += seg.size;
    return s;
  }

  private load(visit?: BatchVisitor): void {
    const files = fs
      .readdirSync(this.dir)
      .filter((f) => /^\d{20}\.log$/.test(f))
      .sort();
    // leftovers of an interrupted compaction are discarded; the original segment is still in place
    for (const f of fs.readdirSync(this.dir)) if (f.endsWith('.cleaned')) fs.rmSync(path.join(this.dir, f));
    let persistedStart = 0;
    try {
      persistedStart = Number(fs.readFileSync(path.join(this.dir, LOG_START_FILE), 'utf8').trim()) || 0;
    } catch {
      persistedStart = 0;
    }
    let expected = -1;
    for (let i = 0; i < files.length; i++) {
      const base = Number(files[i]!.slice(0, 20));
      const seg = new Segment(this.dir, base, fs.statSync(path.join(this.dir, files[i]!)).size);
      const isLast = i === files.length - 1;
      const stop = this.scanSegment(seg, Math.max(expected, base), isLast, visit);
      this.segments.push(seg);
      expected = seg.nextOffset;
      if (stop) {
        // a damaged segment ends the log: later segments cannot follow a hole
        for (const later of files.slice(i + 1)) {
          this.recovery.truncatedBytes += fs.statSync(path.join(this.dir, later)).size;
          fs.rmSync(path.join(this.dir, later));
        }
        break;
      }
    }
    if (this.segments.length === 0) this.segments.push(new Segment(this.dir, persistedStart, 0));
    const first = this.segments[0]!;
    this.logStartOffset = Math.max(persistedStart, first.index.count > 0 ? first.index.baseOffset(0) : first.baseOffset);
    if (this.logStartOffset > this.logEndOffset) this.logStartOffset = this.logEndOffset;
  }

  /** Validates and indexes one segment; returns true when it had to be truncated. */
  private scanSegment(seg: Segment, minOffset: number, checkCrc: boolean, visit?: BatchVisitor): boolean {
    const buf = seg.readAll();
    let at = 0;
    let expected = minOffset;
    let reason: string | null = null;
    while (at < buf.length) {
      if (buf.length - at < BATCH_HEADER_SIZE) {
        reason = `torn batch header at byte ${at} of ${seg.path}`;
        break;
      }
      const h = readBatchHeader(buf, at);
      if (buf.readInt8(at + 16) !== 2 || h.size < BATCH_HEADER_SIZE) {
        reason = `invalid batch header at byte ${at} of ${seg.path}`;
        break;
      }
      if (at + h.size > buf.length) {
        reason = `torn batch at byte ${at} of ${seg.path}: ${h.size} bytes declared, ${buf.length - at} present`;
        break;
      }
      if (checkCrc && !batchCrcValid(buf, at, h.size)) {
        reason = `batch CRC mismatch at byte ${at} of ${seg.path}`;
        break;
      }
      if (h.baseOffset < expected) {
        reason = `batch offset ${h.baseOffset} below expected ${expected} at byte ${at} of ${seg.path}`;
        break;
      }
      seg.index.append(h.baseOffset, h.baseOffset + h.lastOffsetDelta, at, h.size, h.maxTimestamp);
      visit?.(h, buf, at);
      expected = h.baseOffset + h.lastOffsetDelta + 1;
      at += h.size;
    }
    if (reason === null) return false;
    this.recovery = { truncatedBytes: this.recovery.truncatedBytes + (buf.length - at), reason };
    seg.truncate(at);
    return true;
  }

  /**
   * Appends client batches already validated, assigning offsets from the log end. `buf` is modified in
   * place (base offset rewritten). Returns the base offset of each batch.
   */
  appendBatches(buf: Buffer, starts: readonly number[], headers: readonly BatchHeader[]): number[] {
    const bases: number[] = [];
    let next = this.logEndOffset;
    for (let i = 0; i < starts.length; i++) {
      const h = headers[i]!;
      assignBaseOffset(buf, starts[i]!, next);
      h.baseOffset = next;
      bases.push(next);
      next += h.lastOffsetDelta + 1;
    }
    // contiguous batches go to disk in one write
    const first = starts[0]!;
    const lastH = headers[headers.length - 1]!;
    const end = starts[starts.length - 1]! + lastH.size;
    if (this.active.size > 0 && this.active.size + (end - first) > this.config.segmentBytes) this.roll();
    const seg = this.active;
    const chunk = buf.subarray(first, end);
    const startPos = seg.size;
    seg.write(chunk);
    for (let i = 0; i < starts.length; i++) {
      const h = headers[i]!;
      seg.index.append(bases[i]!, bases[i]! + h.lastOffsetDelta, startPos + (starts[i]! - first), h.size, h.maxTimestamp);
    }
    return bases;
  }

  /** Appends one broker-built batch (a transaction marker) whose base offset is already set. */
  appendOwnBatch(batch: Buffer): number {
    const h = readBatchHeader(batch, 0);
    return this.appendBatches(batch, [0], [h])[0]!;
  }

  roll(): void {
    if (this.active.size === 0) return;
    this.segments.push(new Segment(this.dir, this.logEndOffset, 0));
  }

  /**
   * Reads whole batches from `offset` (the batch containing it included) while their last offset is
   * below `upperBound`, up to `maxBytes`; `minOneBatch` returns the first batch even if it is larger.
   */
  read(offset: number, upperBound: number, maxBytes: number, minOneBatch: boolean): ReadResult {
    const chunks: Buffer[] = [];
    let bytes = 0;
    let nextOffset = offset;
    let si = this.findSegment(offset);
    let budget = maxBytes;
    let first = minOneBatch;
    for (; si < this.segments.length; si++) {
      const seg = this.segments[si]!;
      const idx = seg.index;
      let i = idx.findFirstEndingAtOrAfter(nextOffset);
      if (i >= idx.count) continue;
      const startPos = idx.position(i);
      let endPos = startPos;
      for (; i < idx.count; i++) {
        if (idx.lastOffset(i) >= upperBound) break;
        const size = idx.sizeAt(i);
        if (size > budget && !first) break;
        first = false;
        budget -= size;
        endPos = idx.position(i) + size;
        nextOffset = idx.lastOffset(i) + 1;
      }
      if (endPos > startPos) {
        const chunk = seg.read(startPos, endPos - startPos);
        chunks.push(chunk);
        bytes += chunk.length;
      }
      if (i < idx.count) break;
    }
    return { chunks, bytes, nextOffset };
  }

  private findSegment(offset: number): number {
    let lo = 0;
    let hi = this.segments.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.segments[mid]!.baseOffset <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /**
   * ListOffsets by time: the first record (at or after the log start) whose timestamp is >= ts, found
   * through the batches' max timestamps and then the records of the one batch that holds it.
   */
  offsetForTimestamp(ts: number): { offset: number; timestamp: number } | null {
    for (const seg of this.segments) {
      for (let i = seg.index.findFirstWithTimestampAtLeast(ts); i < seg.index.count; i++) {
        if (seg.index.lastOffset(i) < this.logStartOffset || seg.index.maxTimestamp(i) < ts) continue;
        const batch = seg.read(seg.index.position(i), seg.index.sizeAt(i));
        const h = readBatchHeader(batch, 0);
        const found = firstRecordAtOrAfter(batch, h, ts, this.logStartOffset);
        if (found) return found;
      }
    }
    return null;
  }

  /** ListOffsets MAX_TIMESTAMP (-3, KIP-734): the first record carrying the log's largest timestamp. */
  offsetOfMaxTimestamp(): { offset: number; timestamp: number } | null {
    let best: { seg: Segment; i: number; ts: number } | null = null;
    for (const seg of this.segments) {
      for (let i = 0; i < seg.index.count; i++) {
        if (seg.index.lastOffset(i) < this.logStartOffset) continue;
        const ts = seg.index.maxTimestamp(i);
        if (best === null || ts > best.ts) best = { seg, i, ts };
      }
    }
    if (best === null) return null;
    const batch = best.seg.read(best.seg.index.position(best.i), best.seg.index.sizeAt(best.i));
    return firstRecordAtOrAfter(batch, readBatchHeader(batch, 0), best.ts, this.logStartOffset);
  }

  /** Moves the log start offset forward (DeleteRecords, retention), dropping whole segments below it. */
  advanceLogStart(offset: number): void {
    if (offset <= this.logStartOffset) return;
    this.logStartOffset = Math.min(offset, this.logEndOffset);
    while (this.segments.length > 1 && this.segments[1]!.baseOffset <= this.logStartOffset) {
      this.segments.shift()!.delete();
    }
    if (this.segments.length === 1 && this.active.nextOffset <= this.logStartOffset && this.active.size > 0) {
      // everything is deleted: start a fresh empty segment at the log end
      const old = this.segments.shift()!;
      this.segments.push(new Segment(this.dir, this.logStartOffset, 0));
      old.delete();
    }
    this.persistLogStart();
  }

  persistLogStart(): void {
    const file = path.join(this.dir, LOG_START_FILE);
    fs.writeFileSync(`${file}.tmp`, String(this.logStartOffset));
    fs.renameSync(`${file}.tmp`, file);
  }

  /** Replaces a closed segment by a rewritten one (compaction). */
  replaceSegment(i: number, batches: readonly Buffer[]): void {
    const old = this.segments[i];
    if (!old || i === this.segments.length - 1) throw new StorageError(`segment ${i} of ${this.dir} is not closed`);
    const tmp = `${old.path}.cleaned`;
    fs.writeFileSync(tmp, Buffer.concat(batches as Buffer[]));
    old.close();
    fs.renameSync(tmp, old.path);
    const seg = new Segment(this.dir, old.baseOffset, 0);
    let pos = 0;
    for (const b of batches) {
      const h = readBatchHeader(b, 0);
      seg.index.append(h.baseOffset, h.baseOffset + h.lastOffsetDelta, pos, b.length, h.maxTimestamp);
      pos += b.length;
    }
    seg.size = pos;
    this.segments[i] = seg;
  }

  flush(): void {
    this.active.flush();
  }

  close(): void {
    for (const s of this.segments) s.close();
  }

  deleteAll(): void {
    this.close();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

