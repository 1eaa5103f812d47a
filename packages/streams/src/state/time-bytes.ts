/**
 * Times in store layouts (window and session keys, `timestamp ‖ value`): signed 64-bit big-endian milliseconds, as
 * Java writes a `long`. Safe integers take the fast path without a BigInt; everything else falls back to one.
 */
const TWO_32 = 0x1_0000_0000;

/** Writes a millisecond time as a signed 64-bit big-endian integer. */
export function writeTimeBE(buf: Buffer, ms: number, offset: number): void {
  if (ms >= 0 && ms <= Number.MAX_SAFE_INTEGER) {
    buf.writeUInt32BE(Math.floor(ms / TWO_32), offset);
    buf.writeUInt32BE(ms >>> 0, offset + 4);
  } else {
    buf.writeBigInt64BE(BigInt(ms), offset);
  }
}

/** Reads a signed 64-bit big-endian millisecond time. */
export function readTimeBE(buf: Buffer, offset: number): number {
  const hi = buf.readInt32BE(offset);
  return hi * TWO_32 + buf.readUInt32BE(offset + 4);
}
