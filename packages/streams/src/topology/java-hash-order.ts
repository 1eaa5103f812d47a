/**
 * Java's `HashMap`/`HashSet` iteration order for strings. Kafka Streams prints sets of names (topics, stores,
 * fan-in/fan-out lists built while walking a HashMap) in this order, so `describe()` must reproduce it to be
 * byte-identical.
 */

/** `java.lang.String.hashCode()` over UTF-16 code units, as a signed 32-bit int. */
export function javaStringHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}

function bucketOf(key: string, capacity: number): number {
  const h = javaStringHash(key);
  return (h ^ (h >>> 16)) & (capacity - 1);
}

/**
 * The order a Java `HashMap<String, …>` (default capacity 16, load factor 0.75, filled by `put` in the given
 * order) iterates its keys. Resizes keep the relative order of keys within a bucket, which re-bucketing in the
 * current iteration order reproduces.
 */
export function javaHashOrder(keys: Iterable<string>, initialCapacity = 16): string[] {
  let capacity = initialCapacity;
  let buckets: string[][] = Array.from({ length: capacity }, () => []);
  let size = 0;
  for (const key of keys) {
    const bucket = buckets[bucketOf(key, capacity)]!;
    if (bucket.includes(key)) continue;
    bucket.push(key);
    size++;
    if (size > capacity * 0.75) {
      capacity *= 2;
      const next: string[][] = Array.from({ length: capacity }, () => []);
      for (const b of buckets) for (const k of b) next[bucketOf(k, capacity)]!.push(k);
      buckets = next;
    }
  }
  return buckets.flat();
}

/** The capacity `new HashSet<>(collection)` starts with: `tableSizeFor(max(n / .75 + 1, 16))`. */
function copyConstructorCapacity(n: number): number {
  const wanted = Math.max(Math.floor(n / 0.75) + 1, 16);
  let capacity = 1;
  while (capacity < wanted) capacity *= 2;
  return capacity;
}

/** `new HashSet<>(names).toString()`, e.g. `[b, a]`. */
export function javaSetToString(names: Iterable<string>): string {
  const list = [...names];
  return `[${javaHashOrder(list, copyConstructorCapacity(list.length)).join(', ')}]`;
}

/** Kafka's `Bytes.hashCode()` (`Arrays.hashCode(byte[])` over signed bytes), as a signed 32-bit int. */
export function javaBytesHash(b: Uint8Array): number {
  let h = 1;
  for (let i = 0; i < b.length; i++) h = (Math.imul(31, h) + ((b[i]! << 24) >> 24)) | 0;
  return h;
}

/**
 * A `HashSet<Bytes>` that is filled, iterated and cleared again and again (Kafka's dirty-key sets): its table only
 * grows, so the iteration order of each round depends on the largest size reached so far.
 */
export class JavaBytesHashSetOrder {
  #capacity = 16;

  /** The order a `HashSet<Bytes>` iterates `keys` (added in this order since its last `clear()`). */
  order<T>(keys: ReadonlyArray<T>, bytesOf: (key: T) => Uint8Array): T[] {
    const hashed = keys.map((k) => ({ k, h: javaBytesHash(bytesOf(k)) }));
    const bucketOfHash = (h: number, capacity: number): number => (h ^ (h >>> 16)) & (capacity - 1);
    let buckets: Array<typeof hashed> = Array.from({ length: this.#capacity }, () => []);
    let size = 0;
    for (const e of hashed) {
      buckets[bucketOfHash(e.h, this.#capacity)]!.push(e);
      if (++size > this.#capacity * 0.75) {
        this.#capacity *= 2;
        const next: Array<typeof hashed> = Array.from({ length: this.#capacity }, () => []);
        for (const b of buckets) for (const x of b) next[bucketOfHash(x.h, this.#capacity)]!.push(x);
        buckets = next;
      }
    }
    return buckets.flat().map((e) => e.k);
  }
}
