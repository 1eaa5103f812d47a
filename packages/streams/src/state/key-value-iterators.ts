/**
 * Building blocks for store iterators: a base class with one-entry lookahead and close checks, an empty iterator,
 * and a mapping iterator for typed layers. Every iterator is also closed by `return()`, so `for…of` with `break`
 * releases native resources.
 */
import { InvalidStateStoreException } from '../errors';
import type { KeyValue, KeyValueIterator } from './state-store';

/** Base of all store iterators: subclasses produce entries in `fetch()`; this class handles peek, close, iteration. */
export abstract class AbstractKeyValueIterator<K, V> implements KeyValueIterator<K, V> {
  /** The fetched-but-not-returned entry; `null` when nothing is fetched yet, `undefined` at the end. */
  #pending: KeyValue<K, V> | undefined | null = null;
  #open = true;

  constructor(protected readonly storeName: string) {}

  /** The next entry, or `undefined` at the end. Called at most once past the end. */
  protected abstract fetch(): KeyValue<K, V> | undefined;

  /** Frees resources; called once, on close. */
  protected release(): void {}

  isOpen(): boolean {
    return this.#open;
  }

  hasNext(): boolean {
    this.#checkOpen();
    if (this.#pending === null) this.#pending = this.fetch();
    return this.#pending !== undefined;
  }

  next(): IteratorResult<KeyValue<K, V>, undefined> {
    if (!this.hasNext()) return { done: true, value: undefined };
    const entry = this.#pending!;
    this.#pending = null;
    return { done: false, value: entry };
  }

  peekNextKey(): K | undefined {
    return this.hasNext() ? this.#pending!.key : undefined;
  }

  close(): void {
    if (!this.#open) return;
    this.#open = false;
    this.#pending = undefined;
    this.release();
  }

  return(): IteratorResult<KeyValue<K, V>, undefined> {
    this.close();
    return { done: true, value: undefined };
  }

  [Symbol.iterator](): this {
    return this;
  }

  /** Reads the rest of the iterator into an array and closes it. */
  toArray(): KeyValue<K, V>[] {
    const out: KeyValue<K, V>[] = [];
    try {
      for (let r = this.next(); !r.done; r = this.next()) out.push(r.value);
    } finally {
      this.close();
    }
    return out;
  }

  #checkOpen(): void {
    if (!this.#open) throw new InvalidStateStoreException(`Iterator over store ${this.storeName} has already been closed.`);
  }
}

/** An iterator with no entries. */
export class EmptyKeyValueIterator<K, V> extends AbstractKeyValueIterator<K, V> {
  protected fetch(): undefined {
    return undefined;
  }
}

/** Maps the keys and values of another iterator (used by typed and facade layers); closing it closes the source. */
export class MappedKeyValueIterator<K1, V1, K2, V2> extends AbstractKeyValueIterator<K2, V2> {
  constructor(
    storeName: string,
    private readonly source: KeyValueIterator<K1, V1>,
    private readonly mapEntry: (key: K1, value: V1) => KeyValue<K2, V2>,
  ) {
    super(storeName);
  }

  protected fetch(): KeyValue<K2, V2> | undefined {
    const r = this.source.next();
    return r.done ? undefined : this.mapEntry(r.value.key, r.value.value);
  }

  protected override release(): void {
    this.source.close();
  }
}

/** Drains an iterator into an array and closes it (for tests and small scans). */
export function drain<K, V>(iterator: KeyValueIterator<K, V>): KeyValue<K, V>[] {
  const out: KeyValue<K, V>[] = [];
  try {
    for (let r = iterator.next(); !r.done; r = iterator.next()) out.push(r.value);
  } finally {
    iterator.close();
  }
  return out;
}
