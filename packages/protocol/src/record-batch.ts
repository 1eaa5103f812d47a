/**
 * Record batch v2 (magic 2) header access, validation and construction. The broker never re-encodes a
 * client's batch: it validates the header and CRC, then rewrites only baseOffset and the leader epoch,
 * which lie outside the CRC.
 */
import { crc32c } from './crc32c';
import { ErrorCode, InvalidRecordBatchError } from './errors';

export const BATCH_HEADER_SIZE = 61;
/** baseOffset (8) + batchLength (4): bytes before the batchLength count starts. */
export const LOG_OVERHEAD = 12;

export const Attr = {
  COMPRESSION_MASK: 0x07,
  TIMESTAMP_LOG_APPEND: 0x08,
  TRANSACTIONAL: 0x10,
  CONTROL: 0x20,
} as const;

export const ControlType = { ABORT: 0, COMMIT: 1 } as const;

export interface BatchHeader {
  baseOffset: number;
  /** Total size of the batch in bytes, including the 12-byte log overhead. */
  size: number;
  attributes: number;
  lastOffsetDelta: number;
  baseTimestamp: number;
  maxTimestamp: number;
  producerId: number;
  producerEpoch: number;
  baseSequence: number;
  recordCount: number;
}

export function readBatchHeader(buf: Buffer, at: number): BatchHeader {
  return {
    baseOffset: Number(buf.readBigInt64BE(at)),
    size: buf.readInt32BE(at + 8) + LOG_OVERHEAD,
    attributes: buf.readInt16BE(at + 21),
    lastOffsetDelta: buf.readInt32BE(at + 23),
    baseTimestamp: Number(buf.readBigInt64BE(at + 27)),
    maxTimestamp: Number(buf.readBigInt64BE(at + 35)),
    producerId: Number(buf.readBigInt64BE(at + 43)),
    producerEpoch: buf.readInt16BE(at + 51),
    baseSequence: buf.readInt32BE(at + 53),
    recordCount: buf.readInt32BE(at + 57),
  };
}

export function isTransactional(h: BatchHeader): boolean {
  return (h.attributes & Attr.TRANSACTIONAL) !== 0;
}
export function isControl(h: BatchHeader): boolean {
  return (h.attributes & Attr.CONTROL) !== 0;
}

export function batchCrcValid(buf: Buffer, at: number, size: number): boolean {
  return buf.readUInt32BE(at + 17) === crc32c(buf, at + 21, at + size);
}

/**
 * Splits a Produce request's record set into validated v2 batches. Every failure is an
 * InvalidRecordBatchError that names what is wrong; the request's partition gets its code.
 */
export function splitAndValidate(
  records: Buffer,
  maxBatchBytes: number,
  requireKeys = false,
): { headers: BatchHeader[]; starts: number[] } {
  const headers: BatchHeader[] = [];
  const starts: number[] = [];
  let at = 0;
  if (records.length === 0) throw new InvalidRecordBatchError(ErrorCode.CORRUPT_MESSAGE, 'empty record set');
  while (at < records.length) {
    if (records.length - at < BATCH_HEADER_SIZE) {
      throw new InvalidRecordBatchError(
        ErrorCode.CORRUPT_MESSAGE,
        `record set has ${records.length - at} trailing bytes, less than a batch header`,
      );
    }
    const h = readBatchHeader(records, at);
    if (h.size < BATCH_HEADER_SIZE || at + h.size > records.length) {
      throw new InvalidRecordBatchError(
        ErrorCode.CORRUPT_MESSAGE,
        `record batch length ${h.size - LOG_OVERHEAD} does not fit the ${records.length - at} bytes sent`,
      );
    }
    const magic = records.readInt8(at + 16);
    if (magic !== 2) {
      // message formats v0/v1 are valid Kafka formats that Produce v3+ may not carry; anything else is noise
      throw new InvalidRecordBatchError(
        magic === 0 || magic === 1 ? ErrorCode.INVALID_RECORD : ErrorCode.CORRUPT_MESSAGE,
        `record batch magic ${magic} is not supported (Produce v3+ carries only magic 2)`,
      );
    }
    if (h.size > maxBatchBytes) {
      throw new InvalidRecordBatchError(
        ErrorCode.MESSAGE_TOO_LARGE,
        `record batch of ${h.size} bytes exceeds max.message.bytes ${maxBatchBytes}`,
      );
    }
    if (!batchCrcValid(records, at, h.size)) {
      throw new InvalidRecordBatchError(ErrorCode.CORRUPT_MESSAGE, `record batch CRC mismatch at byte ${at}`);
    }
    if (h.recordCount < 0 || h.lastOffsetDelta < 0 || (h.recordCount > 0 && h.lastOffsetDelta < h.recordCount - 1)) {
      throw new InvalidRecordBatchError(
        ErrorCode.CORRUPT_MESSAGE,
        `record batch has ${h.recordCount} records but lastOffsetDelta ${h.lastOffsetDelta}`,
      );
    }
    if (isControl(h)) {
      throw new InvalidRecordBatchError(ErrorCode.INVALID_REQUEST, 'clients may not produce control batches');
    }
    validateRecords(records, at, h, requireKeys);
    headers.push(h);
    starts.push(at);
    at += h.size;
  }
  return { headers, starts };
}

const MAX_COMPRESSION_CODEC = 4;

/**
 * Checks the records of an uncompressed batch fill it exactly, `recordCount` of them, each within
 * bounds (and, for compacted topics, each with a key). Compressed batches are only checked for a
 * known codec: decompressing every batch on the hot path would cost more than it catches.
 */
function validateRecords(buf: Buffer, at: number, h: BatchHeader, requireKeys: boolean): void {
  const codec = h.attributes & Attr.COMPRESSION_MASK;
  if (codec > MAX_COMPRESSION_CODEC) {
    throw new InvalidRecordBatchError(ErrorCode.CORRUPT_MESSAGE, `record batch at byte ${at} names unknown compression codec ${codec}`);
  }
  if (codec !== 0) return;
  const body = buf.subarray(at + BATCH_HEADER_SIZE, at + h.size);
  let p = 0;
  try {
    for (let i = 0; i < h.recordCount; i++) {
      const [len, q] = readVarint(body, p);
      if (len < 0 || q + len > body.length) {
        throw new InvalidRecordBatchError(ErrorCode.CORRUPT_MESSAGE, `record ${i} of the batch at byte ${at} runs past the batch end`);
      }
      if (requireKeys) {
        const [, q1] = readVarint(body, q + 1);
        const [, q2] = readVarint(body, q1);
        const [keyLen] = readVarint(body, q2);
        if (keyLen < 0) {
          throw new InvalidRecordBatchError(ErrorCode.INVALID_RECORD, 'Compacted topic cannot accept message without key');
        }
      }
      p = q + len;
    }
  } catch (e) {
    if (e instanceof InvalidRecordBatchError) throw e;
    throw new InvalidRecordBatchError(ErrorCode.CORRUPT_MESSAGE, `records of the batch at byte ${at} are malformed: ${(e as Error).message}`);
  }
  if (p !== body.length) {
    throw new InvalidRecordBatchError(
      ErrorCode.CORRUPT_MESSAGE,
      `batch at byte ${at} declares ${h.recordCount} records but they end ${body.length - p} bytes before the batch does`,
    );
  }
}

/** Marks a batch's timestamps as LogAppendTime (`message.timestamp.type=LogAppendTime`) and fixes its CRC. */
export function setLogAppendTime(buf: Buffer, at: number, h: BatchHeader, now: number): void {
  h.attributes |= Attr.TIMESTAMP_LOG_APPEND;
  h.maxTimestamp = now;
  buf.writeInt16BE(h.attributes, at + 21);
  buf.writeBigInt64BE(BigInt(now), at + 35);
  buf.writeUInt32BE(crc32c(buf, at + 21, at + h.size), at + 17);
}

/** Assigns offsets in place: writes baseOffset and clears the partition leader epoch (outside the CRC). */
export function assignBaseOffset(buf: Buffer, at: number, baseOffset: number): void {
  buf.writeBigInt64BE(BigInt(baseOffset), at);
  buf.writeInt32BE(0, at + 12);
}

// ---- varints inside records (zigzag, protobuf style) ----

export function writeVarint(out: number[], value: number): void {
  let v = (value << 1) ^ (value >> 31);
  v >>>= 0;
  while (v >= 0x80) {
    out.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  out.push(v);
}

/** Reads a zigzag varint (up to 64-bit, returned as a number) at `pos`; returns [value, nextPos]. */
export function readVarint(buf: Buffer, pos: number): [number, number] {
  let result = 0;
  let mul = 1;
  for (let i = 0; i < 10; i++) {
    if (pos >= buf.length) throw new RangeError('varint runs past the end of the batch');
    const b = buf[pos++]!;
    result += (b & 0x7f) * mul;
    if ((b & 0x80) === 0) {
      // zigzag decode without 32-bit truncation
      const v = result % 2 === 0 ? result / 2 : -(result + 1) / 2;
      return [v, pos];
    }
    mul *= 128;
  }
  throw new RangeError('varint longer than 10 bytes');
}

export interface RecordInput {
  key: Buffer | null;
  value: Buffer | null;
  timestampDelta?: number;
  offsetDelta: number;
  headers?: readonly { key: string; value: Buffer | null }[];
}

function encodeRecord(r: RecordInput): Buffer {
  const body: number[] = [0];
  writeVarint(body, r.timestampDelta ?? 0);
  writeVarint(body, r.offsetDelta);
  const parts: Buffer[] = [];
  const flush = (): void => {
    parts.push(Buffer.from(body));
    body.length = 0;
  };
  const field = (b: Buffer | null): void => {
    if (b === null) {
      writeVarint(body, -1);
    } else {
      writeVarint(body, b.length);
      flush();
      parts.push(b);
    }
  };
  field(r.key);
  field(r.value);
  const headers = r.headers ?? [];
  writeVarint(body, headers.length);
  for (const h of headers) {
    field(Buffer.from(h.key, 'utf8'));
    field(h.value);
  }
  flush();
  const payload = Buffer.concat(parts);
  const len: number[] = [];
  writeVarint(len, payload.length);
  return Buffer.concat([Buffer.from(len), payload]);
}

export interface BatchInput {
  baseOffset: number;
  attributes: number;
  lastOffsetDelta?: number;
  baseTimestamp: number;
  maxTimestamp?: number;
  producerId: number;
  producerEpoch: number;
  baseSequence: number;
  partitionLeaderEpoch?: number;
}

/** Builds a batch from already-encoded record bytes, computing lengths and the CRC. */
export function buildBatchFromRecordBytes(b: BatchInput, recordCount: number, recordBytes: Buffer): Buffer {
  const buf = Buffer.alloc(BATCH_HEADER_SIZE + recordBytes.length);
  buf.writeBigInt64BE(BigInt(b.baseOffset), 0);
  buf.writeInt32BE(buf.length - LOG_OVERHEAD, 8);
  buf.writeInt32BE(b.partitionLeaderEpoch ?? 0, 12);
  buf.writeInt8(2, 16);
  buf.writeInt16BE(b.attributes, 21);
  buf.writeInt32BE(b.lastOffsetDelta ?? Math.max(0, recordCount - 1), 23);
  buf.writeBigInt64BE(BigInt(b.baseTimestamp), 27);
  buf.writeBigInt64BE(BigInt(b.maxTimestamp ?? b.baseTimestamp), 35);
  buf.writeBigInt64BE(BigInt(b.producerId), 43);
  buf.writeInt16BE(b.producerEpoch, 51);
  buf.writeInt32BE(b.baseSequence, 53);
  buf.writeInt32BE(recordCount, 57);
  recordBytes.copy(buf, BATCH_HEADER_SIZE);
  buf.writeUInt32BE(crc32c(buf, 21, buf.length), 17);
  return buf;
}

/** Builds an uncompressed batch of records (used for markers and by tests). */
export function buildBatch(b: BatchInput, records: readonly RecordInput[]): Buffer {
  const recordBytes = Buffer.concat(records.map(encodeRecord));
  const lastOffsetDelta = b.lastOffsetDelta ?? records.reduce((m, r) => Math.max(m, r.offsetDelta), 0);
  return buildBatchFromRecordBytes({ ...b, lastOffsetDelta }, records.length, recordBytes);
}

/** A COMMIT or ABORT marker: a transactional control batch with one record (KIP-98). */
export function buildControlBatch(
  baseOffset: number,
  producerId: number,
  producerEpoch: number,
  type: number,
  timestamp: number,
  coordinatorEpoch = 0,
): Buffer {
  const key = Buffer.alloc(4);
  key.writeInt16BE(0, 0);
  key.writeInt16BE(type, 2);
  const value = Buffer.alloc(6);
  value.writeInt16BE(0, 0);
  value.writeInt32BE(coordinatorEpoch, 2);
  return buildBatch(
    {
      baseOffset,
      attributes: Attr.TRANSACTIONAL | Attr.CONTROL,
      baseTimestamp: timestamp,
      producerId,
      producerEpoch,
      baseSequence: -1,
    },
    [{ key, value, offsetDelta: 0 }],
  );
}

/** The control type (ABORT 0 / COMMIT 1) of a control batch, read from its first record's key. */
export function controlType(buf: Buffer, at: number, size: number): number {
  const end = at + size;
  const rec = buf.subarray(at + BATCH_HEADER_SIZE, end);
  let [, p] = readVarint(rec, 0); // record length
  p += 1; // attributes
  [, p] = readVarint(rec, p); // timestamp delta
  [, p] = readVarint(rec, p); // offset delta
  const [keyLen, kp] = readVarint(rec, p);
  if (keyLen < 4) throw new RangeError('control record key shorter than 4 bytes');
  return rec.readInt16BE(kp + 2);
}

export interface RecordView {
  offsetDelta: number;
  timestampDelta: number;
  key: Buffer | null;
  value: Buffer | null;
  /** byte range of the whole record (length varint included) inside `records` */
  start: number;
  end: number;
}

/** Walks the uncompressed records of a batch body. */
export function readRecords(records: Buffer, count: number): RecordView[] {
  const out: RecordView[] = [];
  let p = 0;
  for (let i = 0; i < count; i++) {
    const start = p;
    const [len, bodyStart] = readVarint(records, p);
    const end = bodyStart + len;
    if (len < 0 || end > records.length) throw new RangeError(`record ${i} runs past the end of the batch`);
    const [timestampDelta, q1] = readVarint(records, bodyStart + 1);
    const [offsetDelta, q2] = readVarint(records, q1);
    const [keyLen, kp] = readVarint(records, q2);
    const key = keyLen < 0 ? null : records.subarray(kp, kp + keyLen);
    const [valLen, vp] = readVarint(records, keyLen < 0 ? kp : kp + keyLen);
    const value = valLen < 0 ? null : records.subarray(vp, vp + valLen);
    out.push({ offsetDelta, timestampDelta, key, value, start, end });
    p = end;
  }
  return out;
}
