/**
 * Bounds-checked big-endian reader over one request frame. Every read past the end throws
 * MalformedRequestError naming the field, so a bad frame never reads foreign memory or hangs.
 */
import { MalformedRequestError } from './errors';

export class Reader {
  offset: number;
  /** API version being decoded; fields outside their version range are skipped (see schema `versions`). */
  version = 0x7fff;
  /** True while decoding a flexible version (KIP-482): compact strings, bytes and arrays, tagged-field sections. */
  flexible = false;

  constructor(
    readonly buf: Buffer,
    offset = 0,
    readonly end = buf.length,
  ) {
    this.offset = offset;
  }

  get remaining(): number {
    return this.end - this.offset;
  }

  private need(n: number, what: string): number {
    const at = this.offset;
    if (n < 0 || at + n > this.end) {
      throw new MalformedRequestError(`truncated ${what}: need ${n} bytes at ${at}, frame has ${this.end - at}`);
    }
    this.offset = at + n;
    return at;
  }

  int8(): number {
    return this.buf.readInt8(this.need(1, 'int8'));
  }
  int16(): number {
    return this.buf.readInt16BE(this.need(2, 'int16'));
  }
  int32(): number {
    return this.buf.readInt32BE(this.need(4, 'int32'));
  }
  uint32(): number {
    return this.buf.readUInt32BE(this.need(4, 'uint32'));
  }
  /** int64 as a JS number: offsets, producer ids and timestamps all stay far below 2^53. */
  int64(): number {
    return Number(this.buf.readBigInt64BE(this.need(8, 'int64')));
  }
  bool(): boolean {
    return this.int8() !== 0;
  }
  nullableString(): string | null {
    const len = this.flexible ? this.unsignedVarint() - 1 : this.int16();
    if (len === -1) return null;
    if (len < -1) throw new MalformedRequestError(`invalid string length ${len}`);
    const at = this.need(len, 'string');
    return this.buf.toString('utf8', at, at + len);
  }
  string(): string {
    const s = this.nullableString();
    if (s === null) throw new MalformedRequestError('null where a non-nullable string is required');
    return s;
  }
  /** Bytes as a view into the frame (no copy). */
  nullableBytes(): Buffer | null {
    const len = this.flexible ? this.unsignedVarint() - 1 : this.int32();
    if (len === -1) return null;
    if (len < -1) throw new MalformedRequestError(`invalid bytes length ${len}`);
    const at = this.need(len, 'bytes');
    return this.buf.subarray(at, at + len);
  }
  bytes(): Buffer {
    const b = this.nullableBytes();
    if (b === null) throw new MalformedRequestError('null where non-nullable bytes are required');
    return b;
  }
  arrayLength(): number {
    const n = this.flexible ? this.unsignedVarint() - 1 : this.int32();
    if (n < -1) throw new MalformedRequestError(`invalid array length ${n}`);
    // Each element takes at least one byte, so a count above the bytes left is a lie; refuse it before allocating.
    if (n > this.remaining) throw new MalformedRequestError(`array length ${n} exceeds the ${this.remaining} bytes left`);
    return n;
  }
  unsignedVarint(): number {
    let value = 0;
    let shift = 0;
    for (let i = 0; i < 5; i++) {
      const b = this.buf.readUInt8(this.need(1, 'varint'));
      value |= (b & 0x7f) << shift;
      if ((b & 0x80) === 0) return value >>> 0;
      shift += 7;
    }
    throw new MalformedRequestError('unsigned varint longer than 5 bytes');
  }
  /** A 16-byte UUID as 32 lowercase hex digits. */
  uuid(): string {
    const at = this.need(16, 'uuid');
    return this.buf.toString('hex', at, at + 16);
  }
  float64(): number {
    return this.buf.readDoubleBE(this.need(8, 'float64'));
  }
  uint16(): number {
    return this.buf.readUInt16BE(this.need(2, 'uint16'));
  }
  /** A view of the next `n` bytes. */
  slice(n: number): Buffer {
    const at = this.need(n, 'tagged field');
    return this.buf.subarray(at, at + n);
  }
  skip(n: number): void {
    this.need(n, 'skipped bytes');
  }
}
