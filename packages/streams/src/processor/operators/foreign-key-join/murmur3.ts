/**
 * MurmurHash3 x64 128-bit with Kafka Streams' seed (104729): the hash a foreign-key join puts on every
 * subscription, over the serialized primary-table value, so a response computed for an older value is dropped.
 * Returns the two 64-bit halves as signed bigints, as Java's `long[2]`.
 */
const SEED = 104729n;
const MASK = 0xffffffffffffffffn;
const C1 = 0x87c37b91114253d5n;
const C2 = 0x4cf5ad432745937fn;

const rotl = (x: bigint, r: bigint): bigint => ((x << r) | (x >> (64n - r))) & MASK;
const mul = (a: bigint, b: bigint): bigint => (a * b) & MASK;

function fmix64(h: bigint): bigint {
  h ^= h >> 33n;
  h = mul(h, 0xff51afd7ed558ccdn);
  h ^= h >> 33n;
  h = mul(h, 0xc4ceb9fe1a85ec53n);
  h ^= h >> 33n;
  return h;
}

function tailLong(data: Uint8Array, start: number, count: number): bigint {
  let k = 0n;
  for (let i = count - 1; i >= 0; i--) k = (k << 8n) | BigInt(data[start + i]!);
  return k;
}

export function murmur3Hash128(data: Uint8Array): [bigint, bigint] {
  const length = data.length;
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let h1 = SEED;
  let h2 = SEED;
  const nblocks = length >> 4;
  for (let i = 0; i < nblocks; i++) {
    let k1 = view.getBigUint64(i * 16, true);
    let k2 = view.getBigUint64(i * 16 + 8, true);
    k1 = mul(rotl(mul(k1, C1), 31n), C2);
    h1 ^= k1;
    h1 = (mul(rotl(h1, 27n) + h2, 5n) + 0x52dce729n) & MASK;
    k2 = mul(rotl(mul(k2, C2), 33n), C1);
    h2 ^= k2;
    h2 = (mul(rotl(h2, 31n) + h1, 5n) + 0x38495ab5n) & MASK;
  }
  const tail = nblocks << 4;
  const rest = length - tail;
  if (rest > 8) {
    const k2 = mul(rotl(mul(tailLong(data, tail + 8, rest - 8), C2), 33n), C1);
    h2 ^= k2;
  }
  if (rest > 0) {
    const k1 = mul(rotl(mul(tailLong(data, tail, Math.min(rest, 8)), C1), 31n), C2);
    h1 ^= k1;
  }
  h1 ^= BigInt(length);
  h2 ^= BigInt(length);
  h1 = (h1 + h2) & MASK;
  h2 = (h2 + h1) & MASK;
  h1 = fmix64(h1);
  h2 = fmix64(h2);
  h1 = (h1 + h2) & MASK;
  h2 = (h2 + h1) & MASK;
  return [BigInt.asIntN(64, h1), BigInt.asIntN(64, h2)];
}

/** Java's `Arrays.equals(long[], long[])` for hashes that may be null. */
export function hashesEqual(a: readonly [bigint, bigint] | null, b: readonly [bigint, bigint] | null): boolean {
  if (a === null || b === null) return a === b;
  return a[0] === b[0] && a[1] === b[1];
}
