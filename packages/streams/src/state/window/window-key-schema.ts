/**
 * Byte layouts of window and session store keys, as Kafka's `WindowKeySchema` and `SessionKeySchema` (the
 * changelog topics carry these keys, so they must match Kafka's):
 * window store key `key ‖ windowStart (8) ‖ seqnum (4)`, session store key `key ‖ end (8) ‖ start (8)`.
 */
const TS = 8;
const SEQ = 4;
const TWO_32 = 0x1_0000_0000;

/** Writes a millisecond time as a signed 64-bit big-endian integer, without a BigInt for safe integers. */
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

/** `key ‖ windowStart ‖ seqnum` (Kafka's `WindowKeySchema.toStoreKeyBinary`). */
export function windowStoreKey(key: Buffer, windowStart: number, seqnum: number): Buffer {
  const out = Buffer.allocUnsafe(key.length + TS + SEQ);
  key.copy(out, 0);
  writeTimeBE(out, windowStart, key.length);
  out.writeInt32BE(seqnum, key.length + TS);
  return out;
}

/** The parts of a window store key. */
export function parseWindowStoreKey(binary: Buffer): { key: Buffer; windowStart: number; seqnum: number } {
  const keyLength = binary.length - TS - SEQ;
  return {
    key: binary.subarray(0, keyLength),
    windowStart: readTimeBE(binary, keyLength),
    seqnum: binary.readInt32BE(keyLength + TS),
  };
}

/** `key ‖ end ‖ start` (Kafka's `SessionKeySchema.toBinary`). */
export function sessionStoreKey(key: Buffer, start: number, end: number): Buffer {
  const out = Buffer.allocUnsafe(key.length + 2 * TS);
  key.copy(out, 0);
  writeTimeBE(out, end, key.length);
  writeTimeBE(out, start, key.length + TS);
  return out;
}

/** The parts of a session store key. */
export function parseSessionStoreKey(binary: Buffer): { key: Buffer; start: number; end: number } {
  const keyLength = binary.length - 2 * TS;
  return {
    key: binary.subarray(0, keyLength),
    end: readTimeBE(binary, keyLength),
    start: readTimeBE(binary, keyLength + TS),
  };
}
