/**
 * Byte layouts of window and session store keys, as Kafka's `WindowKeySchema` and `SessionKeySchema` (the
 * changelog topics carry these keys, so they must match Kafka's):
 * window store key `key ‖ windowStart (8) ‖ seqnum (4)`, session store key `key ‖ end (8) ‖ start (8)`.
 */
import { readTimeBE, writeTimeBE } from '../time-bytes';

const TS = 8;
const SEQ = 4;

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
