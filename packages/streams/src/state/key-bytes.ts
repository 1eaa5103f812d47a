/**
 * Byte-order helpers for store keys. Stores order keys by unsigned lexicographic byte order (RocksDB's default
 * comparator). In memory, keys are indexed as latin1 strings: latin1 maps each byte to one UTF-16 code unit of the
 * same value, so JavaScript's string `<` orders them exactly as the bytes, without a native call per comparison.
 */

/** The latin1 string of a key's bytes; its string order is the bytes' unsigned lexicographic order. */
export function keyString(key: Buffer): string {
  return key.toString('latin1');
}

/** The key bytes of a string made by `keyString`. */
export function keyBytes(key: string): Buffer {
  return Buffer.from(key, 'latin1');
}

/** Unsigned lexicographic comparison of two keys (negative, zero or positive). */
export function compareKeys(a: Buffer, b: Buffer): number {
  return Buffer.compare(a, b);
}

/**
 * The smallest key greater than every key starting with `prefix` (Kafka's `Bytes.increment`), or `null` when the
 * prefix is all 0xff bytes (then every key from the prefix on matches).
 */
export function prefixUpperBound(prefix: Buffer): Buffer | null {
  for (let i = prefix.length - 1; i >= 0; i--) {
    if (prefix[i]! !== 0xff) {
      const upper = Buffer.from(prefix.subarray(0, i + 1));
      upper[i] = prefix[i]! + 1;
      return upper;
    }
  }
  return null;
}
