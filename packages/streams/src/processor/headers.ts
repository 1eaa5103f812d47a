/** Record headers: an ordered list of (key, bytes) pairs, as on a Kafka record. Keys may repeat. */

/** One record header. */
export interface Header {
  readonly key: string;
  readonly value: Buffer | null;
}

/** Mutable, ordered record headers with Kafka's `Headers` operations. */
export class Headers implements Iterable<Header> {
  readonly #items: Header[];

  constructor(items: Iterable<Header> = []) {
    this.#items = [...items];
  }

  /** Appends a header (an existing one with the same key is kept). */
  add(key: string, value: Buffer | string | null): this {
    this.#items.push({ key, value: typeof value === 'string' ? Buffer.from(value, 'utf8') : value });
    return this;
  }

  /** Removes every header with this key. */
  remove(key: string): this {
    for (let i = this.#items.length - 1; i >= 0; i--) if (this.#items[i]!.key === key) this.#items.splice(i, 1);
    return this;
  }

  /** The last header with this key, or `undefined`. */
  lastHeader(key: string): Header | undefined {
    for (let i = this.#items.length - 1; i >= 0; i--) if (this.#items[i]!.key === key) return this.#items[i];
    return undefined;
  }

  /** Every header with this key, in order. */
  headers(key: string): Header[] {
    return this.#items.filter((h) => h.key === key);
  }

  toArray(): Header[] {
    return [...this.#items];
  }

  get size(): number {
    return this.#items.length;
  }

  [Symbol.iterator](): Iterator<Header> {
    return this.#items[Symbol.iterator]();
  }

  /** A copy whose changes do not affect this one. */
  clone(): Headers {
    return new Headers(this.#items);
  }

  toString(): string {
    return `RecordHeaders(headers = [${this.#items.map((h) => `RecordHeader(key = ${h.key}, value = ${h.value ? `[${[...h.value].join(', ')}]` : 'null'})`).join(', ')}])`;
  }
}
