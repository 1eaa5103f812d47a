/**
 * A producer's record batch v2 (magic 2, uncompressed), written in place: each appended record is encoded
 * straight into one pre-sized buffer (no per-record objects, arrays or copies of the batch), and sealing the
 * batch fills in the header (producer id, epoch, base sequence, transactional flag) and the CRC-32C. This is the
 * format the broker stores as is (see record-batch.ts for the layout and for the broker's side).
 */
import { crc32c } from './crc32c';
import { Attr, BATCH_HEADER_SIZE, LOG_OVERHEAD } from './record-batch';

/** A record header as producers hand it over: a UTF-8 key and a value that may be null. */
export interface HeaderLike {
  readonly key: string;
  readonly value: Uint8Array | null;
}

/** Headers of one record: anything iterable that knows its size (an array, kstreams' `Headers`). */
export interface HeadersLike extends Iterable<HeaderLike> {
  readonly size?: number;
  readonly length?: number;
}

/** How the sealed batch identifies its producer (idempotent and transactional producers). */
export interface BatchProducer {
  readonly producerId: number;
  readonly producerEpoch: number;
  readonly baseSequence: number;
  readonly transactional: boolean;
}

/** The batch of a non-idempotent producer: no producer id, no sequence. */
export const NO_PRODUCER: BatchProducer = { producerId: -1, producerEpoch: -1, baseSequence: -1, transactional: false };

/** Bytes an unsigned varint of `v` (0 ≤ v < 2^31) takes. */
function uvarintSize(v: number): number {
  if (v < 0x80) return 1;
  if (v < 0x4000) return 2;
  if (v < 0x200000) return 3;
  if (v < 0x10000000) return 4;
  return 5;
}

/** Bytes a zigzag varint of a signed 32-bit `v` takes. */
function varintSize(v: number): number {
  return uvarintSize(((v << 1) ^ (v >> 31)) >>> 0);
}

/** Bytes a zigzag varlong of a safe integer `v` takes. */
function varlongSize(v: number): number {
  if (v >= -0x40000000 && v < 0x40000000) return varintSize(v);
  let z = v >= 0 ? v * 2 : -v * 2 - 1;
  let n = 1;
  while (z >= 128) {
    z = Math.floor(z / 128);
    n++;
  }
  return n;
}

function writeUvarint(buf: Buffer, pos: number, v: number): number {
  while (v >= 0x80) {
    buf[pos++] = (v & 0x7f) | 0x80;
    v >>>= 7;
  }
  buf[pos++] = v;
  return pos;
}

function writeVarint(buf: Buffer, pos: number, v: number): number {
  return writeUvarint(buf, pos, ((v << 1) ^ (v >> 31)) >>> 0);
}

function writeVarlong(buf: Buffer, pos: number, v: number): number {
  if (v >= -0x40000000 && v < 0x40000000) return writeVarint(buf, pos, v);
  let z = v >= 0 ? v * 2 : -v * 2 - 1;
  while (z >= 128) {
    buf[pos++] = (z % 128) | 0x80;
    z = Math.floor(z / 128);
  }
  buf[pos++] = z;
  return pos;
}

function headerCount(h: HeadersLike | null): number {
  if (h === null) return 0;
  return h.size ?? h.length ?? [...h].length;
}

/**
 * One open batch. `append` returns false when the record does not fit in the remaining capacity (then seal this
 * batch and start another); the first record always fits, because an empty builder grows to hold it.
 */
export class BatchBuilder {
  #buf: Buffer;
  #pos = BATCH_HEADER_SIZE;
  #count = 0;
  #baseTimestamp = 0;
  #maxTimestamp = 0;

  constructor(readonly capacity: number) {
    this.#buf = Buffer.allocUnsafe(Math.max(capacity, BATCH_HEADER_SIZE + 64));
  }

  /** Records appended so far. */
  get count(): number {
    return this.#count;
  }

  /** Bytes the batch takes so far (header included). */
  get sizeInBytes(): number {
    return this.#pos;
  }

  /** Encodes one record at the end of the batch; false (and nothing written) when it does not fit. */
  append(key: Uint8Array | null, value: Uint8Array | null, timestamp: number, headers: HeadersLike | null): boolean {
    const first = this.#count === 0;
    const tsDelta = first ? 0 : timestamp - this.#baseTimestamp;
    const offsetDelta = this.#count;
    const nHeaders = headerCount(headers);
    let hBytes = 0;
    if (nHeaders > 0) {
      for (const h of headers!) {
        const kl = Buffer.byteLength(h.key, 'utf8');
        hBytes += varintSize(kl) + kl + (h.value === null ? 1 : varintSize(h.value.length) + h.value.length);
      }
    }
    const kLen = key === null ? -1 : key.length;
    const vLen = value === null ? -1 : value.length;
    const bodySize =
      1 + // attributes
      varlongSize(tsDelta) +
      varintSize(offsetDelta) +
      varintSize(kLen) +
      (kLen > 0 ? kLen : 0) +
      varintSize(vLen) +
      (vLen > 0 ? vLen : 0) +
      varintSize(nHeaders) +
      hBytes;
    const total = varintSize(bodySize) + bodySize;
    if (this.#pos + total > this.#buf.length) {
      if (!first) return false;
      const grown = Buffer.allocUnsafe(BATCH_HEADER_SIZE + total);
      this.#buf = grown;
    }
    const buf = this.#buf;
    let p = writeVarint(buf, this.#pos, bodySize);
    buf[p++] = 0;
    p = writeVarlong(buf, p, tsDelta);
    p = writeVarint(buf, p, offsetDelta);
    p = writeVarint(buf, p, kLen);
    if (kLen > 0) {
      buf.set(key!, p);
      p += kLen;
    }
    p = writeVarint(buf, p, vLen);
    if (vLen > 0) {
      buf.set(value!, p);
      p += vLen;
    }
    p = writeVarint(buf, p, nHeaders);
    if (nHeaders > 0) {
      for (const h of headers!) {
        const kl = Buffer.byteLength(h.key, 'utf8');
        p = writeVarint(buf, p, kl);
        p += buf.write(h.key, p, kl, 'utf8');
        if (h.value === null) {
          p = writeVarint(buf, p, -1);
        } else {
          p = writeVarint(buf, p, h.value.length);
          buf.set(h.value, p);
          p += h.value.length;
        }
      }
    }
    this.#pos = p;
    if (first) {
      this.#baseTimestamp = timestamp;
      this.#maxTimestamp = timestamp;
    } else if (timestamp > this.#maxTimestamp) {
      this.#maxTimestamp = timestamp;
    }
    this.#count++;
    return true;
  }

  /**
   * Writes the header and CRC and returns the batch (a view of the builder's buffer). Sealing again with another
   * producer identity (a retry after a new producer id) rewrites the header and CRC in place.
   */
  seal(producer: BatchProducer = NO_PRODUCER): Buffer {
    if (this.#count === 0) throw new RangeError('An empty record batch cannot be sealed');
    const buf = this.#buf;
    const size = this.#pos;
    buf.writeInt32BE(0, 0); // baseOffset: the broker assigns it
    buf.writeInt32BE(0, 4);
    buf.writeInt32BE(size - LOG_OVERHEAD, 8);
    buf.writeInt32BE(-1, 12); // partitionLeaderEpoch: set by the broker
    buf[16] = 2; // magic
    buf.writeInt16BE(producer.transactional ? Attr.TRANSACTIONAL : 0, 21);
    buf.writeInt32BE(this.#count - 1, 23);
    writeInt64(buf, 27, this.#baseTimestamp);
    writeInt64(buf, 35, this.#maxTimestamp);
    writeInt64(buf, 43, producer.producerId);
    buf.writeInt16BE(producer.producerEpoch, 51);
    buf.writeInt32BE(producer.baseSequence, 53);
    buf.writeInt32BE(this.#count, 57);
    buf.writeUInt32BE(crc32c(buf, 21, size), 17);
    return buf.subarray(0, size);
  }
}

/** A safe integer as a big-endian int64 (two's complement for negatives such as -1). */
function writeInt64(buf: Buffer, at: number, v: number): void {
  const hi = Math.floor(v / 0x100000000);
  buf.writeInt32BE(hi, at);
  buf.writeUInt32BE(v - hi * 0x100000000, at + 4);
}
