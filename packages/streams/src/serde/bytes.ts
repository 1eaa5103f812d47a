/**
 * `Bytes`: an immutable byte-array value with equality, ordering and hashing by content, like Java's
 * `org.apache.kafka.common.utils.Bytes` (the key type of Kafka Streams' byte stores).
 */

/**
 * A byte array compared by content. Wraps the buffer without copying; do not mutate it afterwards.
 *
 * @example
 * const a = Bytes.wrap(Buffer.from('k1'));
 * a.equals(Bytes.wrap(Buffer.from('k1'))); // true
 * a.compareTo(Bytes.wrap(Buffer.from('k2'))); // < 0
 */
export class Bytes {
  /** The empty byte array. */
  static readonly EMPTY: Bytes = new Bytes(Buffer.alloc(0));

  readonly #bytes: Buffer;
  #hash: number | undefined;

  private constructor(bytes: Buffer) {
    this.#bytes = bytes;
  }

  /** Wraps `bytes` (a `Uint8Array` is viewed as a `Buffer` without copying); `null` gives `null`, as in Java. */
  static wrap(bytes: Uint8Array): Bytes;
  static wrap(bytes: Uint8Array | null): Bytes | null;
  static wrap(bytes: Uint8Array | null): Bytes | null {
    if (bytes === null) return null;
    return new Bytes(Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  }

  /** The wrapped bytes (not a copy). */
  get(): Buffer {
    return this.#bytes;
  }

  /** Number of bytes. */
  get length(): number {
    return this.#bytes.length;
  }

  /** Content equality. */
  equals(other: unknown): boolean {
    if (this === other) return true;
    return other instanceof Bytes && this.#bytes.equals(other.#bytes);
  }

  /** Unsigned lexicographic order, as Java's `Bytes.BYTES_LEXICO_COMPARATOR`: negative, zero or positive. */
  compareTo(other: Bytes): number {
    return Buffer.compare(this.#bytes, other.#bytes);
  }

  /** Java's `Arrays.hashCode(byte[])` of the content (signed bytes), cached. */
  hashCode(): number {
    if (this.#hash === undefined) {
      let h = 1;
      const b = this.#bytes;
      for (let i = 0; i < b.length; i++) h = (Math.imul(31, h) + ((b[i]! << 24) >> 24)) | 0;
      this.#hash = h;
    }
    return this.#hash;
  }

  /** Printable ASCII as is, other bytes as `\xNN`, as Java's `Bytes.toString()`. */
  toString(): string {
    let s = '';
    for (const c of this.#bytes) {
      s += c >= 0x20 && c < 0x7f && c !== 0x5c ? String.fromCharCode(c) : `\\x${c.toString(16).toUpperCase().padStart(2, '0')}`;
    }
    return s;
  }
}
