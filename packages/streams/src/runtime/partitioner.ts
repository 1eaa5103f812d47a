/**
 * Kafka's default key partitioner: `toPositive(murmur2(keyBytes)) % numPartitions`, bit for bit the Java client's
 * `Utils.murmur2` (seed `0x9747b28c`), so a keyed record written by kstreams lands on the partition a Java
 * producer (or Kafka Streams) would pick, and co-partitioned joins line up across languages.
 */

const SEED = 0x9747b28c;
const M = 0x5bd1e995;

/**
 * Java's `Utils.murmur2(byte[])`: the 32-bit MurmurHash2 Kafka uses for partitioning, as a signed int32.
 * Allocation-free; reads the bytes in place.
 *
 * @example
 * murmur2(Buffer.from('21')); // -973932308
 */
export function murmur2(data: Uint8Array): number {
  const length = data.length;
  let h = (SEED ^ length) | 0;
  const length4 = length & ~3;

  for (let i = 0; i < length4; i += 4) {
    let k = data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24);
    k = Math.imul(k, M);
    k ^= k >>> 24;
    k = Math.imul(k, M);
    h = Math.imul(h, M) ^ k;
  }

  // The tail (1–3 bytes), as Java's fall-through switch: bytes 2 and 1 only when present, then mix.
  const tail = length & 3;
  if (tail !== 0) {
    if (tail === 3) h ^= data[length4 + 2]! << 16;
    if (tail >= 2) h ^= data[length4 + 1]! << 8;
    h ^= data[length4]!;
    h = Math.imul(h, M);
  }

  h ^= h >>> 13;
  h = Math.imul(h, M);
  h ^= h >>> 15;
  return h | 0;
}

/** Java's `Utils.toPositive`: clears the sign bit (not `Math.abs`, which would differ for negative values). */
export function toPositive(n: number): number {
  return n & 0x7fffffff;
}

/**
 * The partition Kafka's default partitioner picks for a non-null serialized key.
 *
 * @example
 * partitionForKey(Buffer.from('user-42'), 12); // the same partition the Java producer chooses
 */
export function partitionForKey(keyBytes: Uint8Array, numPartitions: number): number {
  return toPositive(murmur2(keyBytes)) % numPartitions;
}
