/**
 * MurmurHash3 x64 128-bit with Kafka Streams' seed (104729): the hash a foreign-key join puts on every
 * subscription, over the serialized primary-table value, so a response computed for an older value is dropped.
 * 64-bit lanes are computed as pairs of uint32 (no BigInt on the per-record path). The result is 16 bytes: the two
 * 64-bit halves big-endian, as Kafka writes Java's `long[2]` into its wrappers.
 */

// results of the 64-bit helpers (hi, lo), module-level to avoid allocating per operation
let RH = 0;
let RL = 0;

/** (ah,al) * (bh,bl) mod 2^64, with 16-bit limbs. */
function mul64(ah: number, al: number, bh: number, bl: number): void {
  const a48 = ah >>> 16;
  const a32 = ah & 0xffff;
  const a16 = al >>> 16;
  const a00 = al & 0xffff;
  const b48 = bh >>> 16;
  const b32 = bh & 0xffff;
  const b16 = bl >>> 16;
  const b00 = bl & 0xffff;
  let c00 = a00 * b00;
  let c16 = c00 >>> 16;
  c00 &= 0xffff;
  c16 += a16 * b00;
  let c32 = c16 >>> 16;
  c16 &= 0xffff;
  c16 += a00 * b16;
  c32 += c16 >>> 16;
  c16 &= 0xffff;
  c32 += a32 * b00;
  let c48 = c32 >>> 16;
  c32 &= 0xffff;
  c32 += a16 * b16;
  c48 += c32 >>> 16;
  c32 &= 0xffff;
  c32 += a00 * b32;
  c48 += c32 >>> 16;
  c32 &= 0xffff;
  c48 += a48 * b00 + a32 * b16 + a16 * b32 + a00 * b48;
  c48 &= 0xffff;
  RH = ((c48 << 16) | c32) >>> 0;
  RL = ((c16 << 16) | c00) >>> 0;
}

function rotl64(h: number, l: number, r: number): void {
  if (r >= 32) {
    const t = h;
    h = l;
    l = t;
    r -= 32;
  }
  if (r === 0) {
    RH = h >>> 0;
    RL = l >>> 0;
    return;
  }
  RH = ((h << r) | (l >>> (32 - r))) >>> 0;
  RL = ((l << r) | (h >>> (32 - r))) >>> 0;
}

function add64(ah: number, al: number, bh: number, bl: number): void {
  const lo = al + bl;
  RL = lo >>> 0;
  RH = (ah + bh + (lo > 0xffffffff ? 1 : 0)) >>> 0;
}

// C1 = 0x87c37b91114253d5, C2 = 0x4cf5ad432745937f
const C1H = 0x87c37b91;
const C1L = 0x114253d5;
const C2H = 0x4cf5ad43;
const C2L = 0x2745937f;

function fmix64(h: number, l: number): void {
  l = (l ^ (h >>> 1)) >>> 0; // h ^= h >>> 33
  mul64(h, l, 0xff51afd7, 0xed558ccd);
  h = RH;
  l = (RL ^ (RH >>> 1)) >>> 0;
  mul64(h, l, 0xc4ceb9fe, 0x1a85ec53);
  h = RH;
  l = (RL ^ (RH >>> 1)) >>> 0;
  RH = h;
  RL = l;
}

const le32 = (d: Uint8Array, i: number): number => (d[i]! | (d[i + 1]! << 8) | (d[i + 2]! << 16) | (d[i + 3]! << 24)) >>> 0;

/** Little-endian bytes [start, start + count) (count <= 8) as (hi, lo). */
function tail64(d: Uint8Array, start: number, count: number): void {
  let lo = 0;
  let hi = 0;
  for (let i = Math.min(count, 4) - 1; i >= 0; i--) lo = (lo << 8) | d[start + i]!;
  for (let i = count - 1; i >= 4; i--) hi = (hi << 8) | d[start + i]!;
  RH = hi >>> 0;
  RL = lo >>> 0;
}

/** k1 *= C1; k1 = rotl(k1, 31); k1 *= C2 (the k1 mix), result in RH/RL. */
function mixK1(h: number, l: number): void {
  mul64(h, l, C1H, C1L);
  rotl64(RH, RL, 31);
  mul64(RH, RL, C2H, C2L);
}

/** k2 *= C2; k2 = rotl(k2, 33); k2 *= C1 (the k2 mix), result in RH/RL. */
function mixK2(h: number, l: number): void {
  mul64(h, l, C2H, C2L);
  rotl64(RH, RL, 33);
  mul64(RH, RL, C1H, C1L);
}

/** The 128-bit hash of `data` as 16 bytes (h1 then h2, each big-endian). */
export function murmur3Hash128(data: Uint8Array): Buffer {
  const length = data.length;
  let h1h = 0;
  let h1l = 104729;
  let h2h = 0;
  let h2l = 104729;
  const nblocks = length >> 4;
  for (let i = 0; i < nblocks; i++) {
    const o = i << 4;
    mixK1(le32(data, o + 4), le32(data, o));
    h1h = (h1h ^ RH) >>> 0;
    h1l = (h1l ^ RL) >>> 0;
    rotl64(h1h, h1l, 27);
    add64(RH, RL, h2h, h2l);
    mul64(RH, RL, 0, 5);
    add64(RH, RL, 0, 0x52dce729);
    h1h = RH;
    h1l = RL;
    mixK2(le32(data, o + 12), le32(data, o + 8));
    h2h = (h2h ^ RH) >>> 0;
    h2l = (h2l ^ RL) >>> 0;
    rotl64(h2h, h2l, 31);
    add64(RH, RL, h1h, h1l);
    mul64(RH, RL, 0, 5);
    add64(RH, RL, 0, 0x38495ab5);
    h2h = RH;
    h2l = RL;
  }
  const tail = nblocks << 4;
  const rest = length - tail;
  if (rest > 8) {
    tail64(data, tail + 8, rest - 8);
    mixK2(RH, RL);
    h2h = (h2h ^ RH) >>> 0;
    h2l = (h2l ^ RL) >>> 0;
  }
  if (rest > 0) {
    tail64(data, tail, Math.min(rest, 8));
    mixK1(RH, RL);
    h1h = (h1h ^ RH) >>> 0;
    h1l = (h1l ^ RL) >>> 0;
  }
  // h ^= length (a Java int widened to long: lengths are non-negative, so the high word is untouched)
  h1l = (h1l ^ length) >>> 0;
  h2l = (h2l ^ length) >>> 0;
  add64(h1h, h1l, h2h, h2l);
  h1h = RH;
  h1l = RL;
  add64(h2h, h2l, h1h, h1l);
  h2h = RH;
  h2l = RL;
  fmix64(h1h, h1l);
  h1h = RH;
  h1l = RL;
  fmix64(h2h, h2l);
  h2h = RH;
  h2l = RL;
  add64(h1h, h1l, h2h, h2l);
  h1h = RH;
  h1l = RL;
  add64(h2h, h2l, h1h, h1l);
  h2h = RH;
  h2l = RL;
  const out = Buffer.allocUnsafe(16);
  out.writeUInt32BE(h1h, 0);
  out.writeUInt32BE(h1l, 4);
  out.writeUInt32BE(h2h, 8);
  out.writeUInt32BE(h2l, 12);
  return out;
}

/** Java's `Arrays.equals(long[], long[])` for hashes that may be null. */
export function hashesEqual(a: Buffer | null, b: Buffer | null): boolean {
  if (a === null || b === null) return a === b;
  return a.equals(b);
}
