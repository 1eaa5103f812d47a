/**
 * The in-memory ordered key-value store over bytes (Kafka's `InMemoryKeyValueStore`). Values sit in a hash map for
 * O(1) get and put of existing keys; key order lives in a B+tree (`SortedKeyIndex`) so ranges start in O(log n).
 * Iterators read the live store and stay valid while it changes: a key deleted before the iterator reaches it is
 * skipped, and a key added ahead of the iterator is returned (Kafka iterates a snapshot of the keys; this differs
 * only for keys inserted during iteration).
 */
import { AbstractKeyValueIterator, EmptyKeyValueIterator } from './key-value-iterators';
import { compareKeys, keyString, prefixUpperBound } from './key-bytes';
import { SortedKeyIndex, type KeyCursor } from './sorted-key-index';
import { storeNotOpen, warnInvertedRange } from './store-errors';
import type { Serializer } from '../serde/serde';
import type {
  KeyValue,
  KeyValueBytesStore,
  KeyValueIterator,
  RestoreCallback,
  StateStore,
  StateStoreContext,
} from './state-store';

interface Entry {
  readonly key: Buffer;
  value: Buffer;
}

/** An in-memory byte store, ordered by unsigned byte order of the keys. */
export class InMemoryKeyValueStore implements KeyValueBytesStore {
  readonly name: string;
  readonly #entries = new Map<string, Entry>();
  readonly #index = new SortedKeyIndex();
  #open = false;

  constructor(name: string) {
    this.name = name;
  }

  init(context: StateStoreContext, root: StateStore): void {
    const restore: RestoreCallback = (records) => {
      for (const r of records) this.#write(r.key, r.value);
    };
    context.register(root, restore);
    this.#open = true;
  }

  persistent(): boolean {
    return false;
  }

  isOpen(): boolean {
    return this.#open;
  }

  flush(): void {
    // nothing to do: the data lives in memory and the changelog is the durable copy
  }

  close(): void {
    this.#entries.clear();
    this.#index.clear();
    this.#open = false;
  }

  get(key: Buffer): Buffer | null {
    if (!this.#open) throw storeNotOpen(this.name);
    return this.#entries.get(keyString(key))?.value ?? null;
  }

  put(key: Buffer, value: Buffer | null): void {
    if (!this.#open) throw storeNotOpen(this.name);
    this.#write(key, value);
  }

  putIfAbsent(key: Buffer, value: Buffer | null): Buffer | null {
    if (!this.#open) throw storeNotOpen(this.name);
    const previous = this.#entries.get(keyString(key))?.value ?? null;
    if (previous === null) this.#write(key, value);
    return previous;
  }

  putAll(entries: ReadonlyArray<KeyValue<Buffer, Buffer | null>>): void {
    if (!this.#open) throw storeNotOpen(this.name);
    for (const e of entries) this.#write(e.key, e.value);
  }

  delete(key: Buffer): Buffer | null {
    if (!this.#open) throw storeNotOpen(this.name);
    const k = keyString(key);
    const previous = this.#entries.get(k);
    if (previous === undefined) return null;
    this.#entries.delete(k);
    this.#index.delete(k);
    return previous.value;
  }

  range(from: Buffer | null, to: Buffer | null): KeyValueIterator<Buffer, Buffer> {
    return this.#range(from, to, false);
  }

  reverseRange(from: Buffer | null, to: Buffer | null): KeyValueIterator<Buffer, Buffer> {
    return this.#range(from, to, true);
  }

  all(): KeyValueIterator<Buffer, Buffer> {
    return this.#range(null, null, false);
  }

  reverseAll(): KeyValueIterator<Buffer, Buffer> {
    return this.#range(null, null, true);
  }

  prefixScan<P>(prefix: P, prefixKeySerializer: Serializer<P>): KeyValueIterator<Buffer, Buffer> {
    if (!this.#open) throw storeNotOpen(this.name);
    const from = prefixKeySerializer.serialize('', prefix) ?? Buffer.alloc(0);
    const to = prefixUpperBound(from);
    const cursor = this.#index.cursor(
      { from: keyString(from), fromInclusive: true, to: to === null ? null : keyString(to), toInclusive: false },
      false,
    );
    return new InMemoryKeyValueIterator(this, cursor);
  }

  approximateNumEntries(): number {
    if (!this.#open) throw storeNotOpen(this.name);
    return this.#entries.size;
  }

  /** @internal Used by iterators: the live entry of a key string. */
  entry(keyStr: string): Entry | undefined {
    return this.#entries.get(keyStr);
  }

  #range(from: Buffer | null, to: Buffer | null, reverse: boolean): KeyValueIterator<Buffer, Buffer> {
    if (!this.#open) throw storeNotOpen(this.name);
    if (from !== null && to !== null && compareKeys(from, to) > 0) {
      warnInvertedRange(this.name);
      return new EmptyKeyValueIterator(this.name);
    }
    const cursor = this.#index.cursor(
      {
        from: from === null ? null : keyString(from),
        fromInclusive: true,
        to: to === null ? null : keyString(to),
        toInclusive: true,
      },
      reverse,
    );
    return new InMemoryKeyValueIterator(this, cursor);
  }

  #write(key: Buffer, value: Buffer | null): void {
    const k = keyString(key);
    if (value === null) {
      if (this.#entries.delete(k)) this.#index.delete(k);
      return;
    }
    const existing = this.#entries.get(k);
    if (existing !== undefined) {
      existing.value = value;
    } else {
      this.#entries.set(k, { key, value });
      this.#index.insert(k);
    }
  }
}

class InMemoryKeyValueIterator extends AbstractKeyValueIterator<Buffer, Buffer> {
  constructor(
    private readonly store: InMemoryKeyValueStore,
    private readonly cursor: KeyCursor,
  ) {
    super(store.name);
  }

  protected fetch(): KeyValue<Buffer, Buffer> | undefined {
    if (!this.store.isOpen()) throw storeNotOpen(this.storeName);
    for (;;) {
      const k = this.cursor.next();
      if (k === undefined) return undefined;
      const e = this.store.entry(k);
      if (e !== undefined) return { key: e.key, value: e.value };
    }
  }
}
