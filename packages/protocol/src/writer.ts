/**
 * Growable big-endian writer. Large byte blobs (record batches read from disk) are kept by reference
 * as separate chunks, so a Fetch response is written to the socket without copying stored batches.
 */
const BLOB_BY_REFERENCE = 1024;

export class Writer {
  private buf: Buffer;
  private pos = 0;
  private readonly chunks: Buffer[] = [];
  private flushedBytes = 0;
  /** API version being encoded; fields outside their version range are not written. */
  version = 0x7fff;
  /** True while encoding a flexible version (KIP-482). */
  flexible = false;

  constructor(initial = 256) {
    this.buf = Buffer.allocUnsafe(initial);
  }

  get length(): number {
    return this.flushedBytes + this.pos;
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  int8(v: number): this {
    this.ensure(1);
    this.buf.writeInt8(v, this.pos);
    this.pos += 1;
    return this;
  }
  int16(v: number): this {
    this.ensure(2);
    this.buf.writeInt16BE(v, this.pos);
    this.pos += 2;
    return this;
  }
  int32(v: number): this {
    this.ensure(4);
    this.buf.writeInt32BE(v, this.pos);
    this.pos += 4;
    return this;
  }
  uint32(v: number): this {
    this.ensure(4);
    this.buf.writeUInt32BE(v >>> 0, this.pos);
    this.pos += 4;
    return this;
  }
  int64(v: number): this {
    this.ensure(8);
    this.buf.writeBigInt64BE(BigInt.asIntN(64, BigInt(v)), this.pos);
    this.pos += 8;
    return this;
  }
  bool(v: boolean): this {
    return this.int8(v ? 1 : 0);
  }
  nullableString(v: string | null): this {
    if (this.flexible) {
      if (v === null) return this.unsignedVarint(0);
    } else if (v === null) return this.int16(-1);
    const len = Buffer.byteLength(v, 'utf8');
    if (this.flexible) this.unsignedVarint(len + 1);
    else this.int16(len);
    this.ensure(len);
    this.buf.write(v, this.pos, len, 'utf8');
    this.pos += len;
    return this;
  }
  string(v: string): this {
    return this.nullableString(v);
  }
  raw(b: Buffer): this {
    if (b.length >= BLOB_BY_REFERENCE) {
      this.flushBuf();
      this.chunks.push(b);
      this.flushedBytes += b.length;
      return this;
    }
    this.ensure(b.length);
    b.copy(this.buf, this.pos);
    this.pos += b.length;
    return this;
  }
  nullableBytes(v: Buffer | null): this {
    if (v === null) return this.flexible ? this.unsignedVarint(0) : this.int32(-1);
    this.length32(v.length);
    return this.raw(v);
  }
  bytes(v: Buffer): this {
    return this.nullableBytes(v);
  }
  /** Bytes given as several buffers that are sent back to back (a Fetch's batches). */
  bytesChunks(parts: readonly Buffer[]): this {
    let total = 0;
    for (const p of parts) total += p.length;
    this.length32(total);
    for (const p of parts) this.raw(p);
    return this;
  }
  /** A byte or element count: int32, or N+1 as an unsigned varint in flexible versions. */
  length32(n: number): this {
    return this.flexible ? this.unsignedVarint(n + 1) : this.int32(n);
  }
  /** A null array or bytes: int32 -1, or varint 0 in flexible versions. */
  nullLength(): this {
    return this.flexible ? this.unsignedVarint(0) : this.int32(-1);
  }
  uuid(hex: string): this {
    this.ensure(16);
    const n = this.buf.write(hex, this.pos, 16, 'hex');
    if (n !== 16) throw new RangeError(`invalid uuid ${hex}`);
    this.pos += 16;
    return this;
  }
  float64(v: number): this {
    this.ensure(8);
    this.buf.writeDoubleBE(v, this.pos);
    this.pos += 8;
    return this;
  }
  uint16(v: number): this {
    this.ensure(2);
    this.buf.writeUInt16BE(v, this.pos);
    this.pos += 2;
    return this;
  }
  unsignedVarint(v: number): this {
    let x = v >>> 0;
    while (x >= 0x80) {
      this.int8(((x & 0x7f) | 0x80) << 24 >> 24);
      x >>>= 7;
    }
    return this.int8(x << 24 >> 24);
  }

  private flushBuf(): void {
    if (this.pos === 0) return;
    this.chunks.push(this.buf.subarray(0, this.pos));
    this.flushedBytes += this.pos;
    this.buf = Buffer.allocUnsafe(Math.max(256, this.buf.length - this.pos));
    this.pos = 0;
  }

  /** The written bytes as chunks, in order. */
  toChunks(): Buffer[] {
    this.flushBuf();
    return this.chunks;
  }

  toBuffer(): Buffer {
    const chunks = this.toChunks();
    return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
  }
}
