/**
 * A bounded in-memory key-value store that evicts the least recently used key when full (Kafka's
 * `MemoryNavigableLRUCache`, built by `Stores.lruMap`). Reads count as use. Ranges sort a snapshot of the keys,
 * which is fine for the small maps this is meant for. The change-logging layer logs evictions as deletes.
 */
import { AbstractKeyValueIterator, EmptyKeyValueIterator } from './key-value-iterators';
import { compareKeys, keyString, prefixUpperBound } from './key-bytes';
import { storeNotOpen, warnInvertedRange } from './store-errors';
import { IllegalArgumentException } from '../errors';
import type { Serializer } from '../serde/serde';
import type {
  KeyValue,
  KeyValueBytesStore,
  KeyValueIterator,
  StateStore,
  StateStoreContext,
} from './state-store';

interface Entry {
  readonly key: Buffer;
  readonly value: Buffer;
}

/** Called with each entry the LRU map evicts. */
export type EldestRemovedListener = (key: Buffer, value: Buffer) => void;

/** An LRU-bounded in-memory byte store. */
export class MemoryLruCache implements KeyValueBytesStore {
  readonly name: string;
  readonly maxCacheSize: number;
  /** Insertion order of a JS Map is the LRU order: a used key is deleted and re-inserted at the end. */
  readonly #entries = new Map<string, Entry>();
  #open = false;
  #onEldestRemoved: EldestRemovedListener | null = null;

  constructor(name: string, maxCacheSize: number) {
    if (!Number.isInteger(maxCacheSize) || maxCacheSize <= 0) {
      throw new IllegalArgumentException(`maxCacheSize of LRU store ${name} must be a positive integer, got ${maxCacheSize}`);
    }
    this.name = name;
    this.maxCacheSize = maxCacheSize;
  }

  /** Sets the listener for evicted entries (the change-logging layer logs them as deletes). */
  setWhenEldestRemoved(listener: EldestRemovedListener): void {
    this.#onEldestRemoved = listener;
  }

  init(context: StateStoreContext, root: StateStore): void {
    context.register(root, (records) => {
      for (const r of records) this.#write(r.key, r.value);
    });
    this.#open = true;
  }

  persistent(): boolean {
    return false;
  }

  isOpen(): boolean {
    return this.#open;
  }

  flush(): void {}

  close(): void {
    this.#entries.clear();
    this.#open = false;
  }

  get(key: Buffer): Buffer | null {
    if (!this.#open) throw storeNotOpen(this.name);
    const k = keyString(key);
    const e = this.#entries.get(k);
    if (e === undefined) return null;
    this.#entries.delete(k);
    this.#entries.set(k, e);
    return e.value;
  }

  put(key: Buffer, value: Buffer | null): void {
    if (!this.#open) throw storeNotOpen(this.name);
    this.#write(key, value);
  }

  putIfAbsent(key: Buffer, value: Buffer | null): Buffer | null {
    const previous = this.get(key);
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
    const e = this.#entries.get(k);
    if (e === undefined) return null;
    this.#entries.delete(k);
    return e.value;
  }

  range(from: Buffer | null, to: Buffer | null): KeyValueIterator<Buffer, Buffer> {
    return this.#scan(from, true, to, true, false);
  }

  reverseRange(from: Buffer | null, to: Buffer | null): KeyValueIterator<Buffer, Buffer> {
    return this.#scan(from, true, to, true, true);
  }

  all(): KeyValueIterator<Buffer, Buffer> {
    return this.#scan(null, true, null, true, false);
  }

  reverseAll(): KeyValueIterator<Buffer, Buffer> {
    return this.#scan(null, true, null, true, true);
  }

  prefixScan<P>(prefix: P, prefixKeySerializer: Serializer<P>): KeyValueIterator<Buffer, Buffer> {
    const from = prefixKeySerializer.serialize('', prefix) ?? Buffer.alloc(0);
    return this.#scan(from, true, prefixUpperBound(from), false, false);
  }

  approximateNumEntries(): number {
    if (!this.#open) throw storeNotOpen(this.name);
    return this.#entries.size;
  }

  /** @internal The live entry of a key string (without touching LRU order). */
  entry(keyStr: string): Entry | undefined {
    return this.#entries.get(keyStr);
  }

  #scan(
    from: Buffer | null,
    fromInclusive: boolean,
    to: Buffer | null,
    toInclusive: boolean,
    reverse: boolean,
  ): KeyValueIterator<Buffer, Buffer> {
    if (!this.#open) throw storeNotOpen(this.name);
    if (from !== null && to !== null && compareKeys(from, to) > 0) {
      warnInvertedRange(this.name);
      return new EmptyKeyValueIterator(this.name);
    }
    const lo = from === null ? null : keyString(from);
    const hi = to === null ? null : keyString(to);
    const keys: string[] = [];
    for (const k of this.#entries.keys()) {
      if (lo !== null && (fromInclusive ? k < lo : k <= lo)) continue;
      if (hi !== null && (toInclusive ? k > hi : k >= hi)) continue;
      keys.push(k);
    }
    keys.sort();
    if (reverse) keys.reverse();
    return new SnapshotKeyIterator(this, keys);
  }

  #write(key: Buffer, value: Buffer | null): void {
    const k = keyString(key);
    if (value === null) {
      this.#entries.delete(k);
      return;
    }
    this.#entries.delete(k);
    this.#entries.set(k, { key, value });
    while (this.#entries.size > this.maxCacheSize) {
      const eldest = this.#entries.entries().next().value!;
      this.#entries.delete(eldest[0]);
      this.#onEldestRemoved?.(eldest[1].key, eldest[1].value);
    }
  }
}

/** Iterates a sorted snapshot of keys, reading each value live and skipping keys removed meanwhile. */
class SnapshotKeyIterator extends AbstractKeyValueIterator<Buffer, Buffer> {
  #pos = 0;

  constructor(
    private readonly store: MemoryLruCache,
    private readonly keys: readonly string[],
  ) {
    super(store.name);
  }

  protected fetch(): KeyValue<Buffer, Buffer> | undefined {
    if (!this.store.isOpen()) throw storeNotOpen(this.storeName);
    while (this.#pos < this.keys.length) {
      const e = this.store.entry(this.keys[this.#pos++]!);
      if (e !== undefined) return { key: e.key, value: e.value };
    }
    return undefined;
  }
}
