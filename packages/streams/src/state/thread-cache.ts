/**
 * The record cache shared by all caching stores of a stream thread (or of the test driver): a bytes-bounded,
 * write-back LRU cache split into one named cache per store (`<taskId>-<storeName>`), as Kafka's `ThreadCache` and
 * `NamedCache`. Writes are kept per key (later writes replace earlier ones) and marked dirty; dirty entries go to
 * the store's flush listener, in the order of their last write, when the store flushes (on commit) or when the
 * cache evicts a dirty entry to stay under `statestore.cache.max.bytes` (then the evicted entry goes first, followed
 * by the rest of that store's dirty entries, exactly as Kafka does).
 */
import { IllegalStateException } from '../errors';
import { keyString } from './key-bytes';
import { SortedKeyIndex, type KeyCursor } from './sorted-key-index';
import type { StoreRecordContext } from './state-store';

/** Default of `statestore.cache.max.bytes`: 10 MiB. */
export const DEFAULT_CACHE_MAX_BYTES = 10 * 1024 * 1024;

/** A cached value with the context of the write that produced it. `value === null` is a cached delete. */
export interface CacheEntry {
  readonly value: Buffer | null;
  readonly dirty: boolean;
  /** The record context of the write (null for clean entries read through from the store). */
  readonly context: StoreRecordContext | null;
}

/** A dirty entry handed to a flush listener. */
export interface DirtyEntry {
  readonly key: Buffer;
  readonly newValue: Buffer | null;
  readonly context: StoreRecordContext;
}

/** Receives a store's dirty entries when its cache flushes or evicts. */
export type DirtyEntryFlushListener = (entries: readonly DirtyEntry[]) => void;

/** Node overhead Kafka counts per cached entry (three references plus the dirty flag). */
const NODE_OVERHEAD_BYTES = 8 + 8 + 8 + 1;
/** Record-context overhead Kafka counts: timestamp, offset and partition. */
const CONTEXT_OVERHEAD_BYTES = 8 + 8 + 4;

interface LruNode {
  readonly keyStr: string;
  readonly key: Buffer;
  value: Buffer | null;
  dirty: boolean;
  context: StoreRecordContext | null;
  size: number;
  prev: LruNode | null;
  next: LruNode | null;
}

function contextSize(context: StoreRecordContext | null): number {
  if (context === null) return CONTEXT_OVERHEAD_BYTES;
  let size = CONTEXT_OVERHEAD_BYTES + (context.topic === null ? 0 : context.topic.length);
  if (context.headers.size > 0) {
    for (const h of context.headers) size += h.key.length + (h.value === null ? 0 : h.value.length);
  }
  return size;
}

/** The cache of one store within a `ThreadCache`. */
export class NamedCache {
  readonly name: string;
  readonly #owner: ThreadCache;
  readonly #nodes = new Map<string, LruNode>();
  /** Key order, built on the first range over this cache and maintained from then on (most caches never need it). */
  #index: SortedKeyIndex | null = null;
  /** Dirty keys in order of their last write (re-adding moves a key to the end). */
  readonly #dirtyKeys = new Set<string>();
  #listener: DirtyEntryFlushListener | null = null;
  /** Most recently used. */
  #head: LruNode | null = null;
  /** Least recently used: the next to evict. */
  #tail: LruNode | null = null;
  #sizeBytes = 0;
  hits = 0;
  misses = 0;
  overwrites = 0;
  flushes = 0;

  constructor(name: string, owner: ThreadCache) {
    this.name = name;
    this.#owner = owner;
  }

  get sizeBytes(): number {
    return this.#sizeBytes;
  }

  get size(): number {
    return this.#nodes.size;
  }

  setListener(listener: DirtyEntryFlushListener): void {
    this.#listener = listener;
  }

  get(key: Buffer): CacheEntry | null {
    const node = this.#nodes.get(keyString(key));
    if (node === undefined) {
      this.misses++;
      return null;
    }
    this.hits++;
    this.#touch(node);
    return node;
  }

  /** Caches a value (`dirty` for writes, clean for read-through), then evicts while the thread cache is over budget. */
  put(key: Buffer, value: Buffer | null, dirty: boolean, context: StoreRecordContext | null): void {
    const keyStr = keyString(key);
    let node = this.#nodes.get(keyStr);
    if (!dirty && this.#dirtyKeys.has(keyStr)) {
      throw new IllegalStateException(
        `Attempting to put a clean entry for key into NamedCache [${this.name}] when it already contains a dirty entry for the same key`,
      );
    }
    const size = key.length + NODE_OVERHEAD_BYTES + (value === null ? 0 : value.length) + contextSize(context);
    if (node !== undefined) {
      this.overwrites++;
      this.#resize(size - node.size);
      node.value = value;
      node.dirty = dirty;
      node.context = context;
      node.size = size;
      this.#touch(node);
    } else {
      node = { keyStr, key, value, dirty, context, size, prev: null, next: null };
      this.#nodes.set(keyStr, node);
      this.#index?.insert(keyStr);
      this.#pushHead(node);
      this.#resize(size);
    }
    if (dirty) {
      this.#dirtyKeys.delete(keyStr);
      this.#dirtyKeys.add(keyStr);
    }
    this.#owner.maybeEvict(this);
  }

  /**
   * Caches a clean value read through from the store, only if it fits without evicting anything: a read then never
   * flushes or forwards dirty entries (reads may come from interactive queries, between records). Returns whether
   * it was cached.
   */
  putCleanIfRoom(key: Buffer, value: Buffer): boolean {
    const keyStr = keyString(key);
    if (this.#nodes.has(keyStr)) return false;
    const size = key.length + NODE_OVERHEAD_BYTES + value.length + contextSize(null);
    if (!this.#owner.hasRoomFor(size)) return false;
    const node: LruNode = { keyStr, key, value, dirty: false, context: null, size, prev: null, next: null };
    this.#nodes.set(keyStr, node);
    this.#index?.insert(keyStr);
    this.#pushHead(node);
    this.#resize(size);
    return true;
  }

  /** Removes a key from the cache without flushing it; returns the removed entry. */
  delete(key: Buffer): CacheEntry | null {
    const keyStr = keyString(key);
    const node = this.#nodes.get(keyStr);
    if (node === undefined) return null;
    this.#removeNode(node);
    this.#dirtyKeys.delete(keyStr);
    return node;
  }

  /** Evicts the least recently used entry; a dirty one is flushed first (with every other dirty entry). */
  evict(): void {
    const eldest = this.#tail;
    if (eldest === null) return;
    this.#removeNode(eldest);
    if (eldest.dirty) this.#flush(eldest);
  }

  flush(): void {
    this.#flush(null);
  }

  /** Keys in a range, in order, read live from the cache as the cursor advances. */
  keyCursor(from: string | null, to: string | null, toInclusive: boolean, reverse: boolean): KeyCursor {
    if (this.#index === null) {
      const index = new SortedKeyIndex();
      for (const keyStr of this.#nodes.keys()) index.insert(keyStr);
      this.#index = index;
    }
    return this.#index.cursor({ from, fromInclusive: true, to, toInclusive }, reverse);
  }

  /** @internal The entry for a key string produced by `keyCursor`, or undefined if it has gone. */
  entryFor(keyStr: string): (CacheEntry & { readonly key: Buffer }) | undefined {
    return this.#nodes.get(keyStr);
  }

  clear(): void {
    this.#resize(-this.#sizeBytes);
    this.#nodes.clear();
    this.#index = null;
    this.#dirtyKeys.clear();
    this.#head = this.#tail = null;
  }

  #flush(evicted: LruNode | null): void {
    this.flushes++;
    if (this.#listener === null) {
      throw new IllegalStateException(`No listener for namespace ${this.name} registered with cache`);
    }
    if (this.#dirtyKeys.size === 0) return;
    const entries: DirtyEntry[] = [];
    const deleted: Buffer[] = [];
    if (evicted !== null) {
      entries.push({ key: evicted.key, newValue: evicted.value, context: evicted.context! });
      this.#dirtyKeys.delete(evicted.keyStr);
    }
    for (const keyStr of this.#dirtyKeys) {
      const node = this.#nodes.get(keyStr);
      if (node === undefined) {
        throw new IllegalStateException(`Key found in dirty key set of cache ${this.name}, but entry is missing`);
      }
      entries.push({ key: node.key, newValue: node.value, context: node.context! });
      node.dirty = false;
      if (node.value === null) deleted.push(node.key);
    }
    // clear before calling the listener: it may write to this cache again
    this.#dirtyKeys.clear();
    this.#listener(entries);
    for (const key of deleted) {
      const node = this.#nodes.get(keyString(key));
      // only drop the tombstone if the listener did not write the key again
      if (node !== undefined && !node.dirty && node.value === null) this.#removeNode(node);
    }
  }

  #resize(delta: number): void {
    this.#sizeBytes += delta;
    this.#owner.adjustSize(delta);
  }

  #removeNode(node: LruNode): void {
    this.#nodes.delete(node.keyStr);
    this.#index?.delete(node.keyStr);
    this.#unlink(node);
    this.#resize(-node.size);
  }

  #touch(node: LruNode): void {
    if (this.#head === node) return;
    this.#unlink(node);
    this.#pushHead(node);
  }

  #unlink(node: LruNode): void {
    if (node.prev !== null) node.prev.next = node.next;
    else this.#head = node.next;
    if (node.next !== null) node.next.prev = node.prev;
    else this.#tail = node.prev;
    node.prev = node.next = null;
  }

  #pushHead(node: LruNode): void {
    node.next = this.#head;
    node.prev = null;
    if (this.#head !== null) this.#head.prev = node;
    this.#head = node;
    if (this.#tail === null) this.#tail = node;
  }
}

/** The record cache of one stream thread (or test driver), shared by all its caching stores. */
export class ThreadCache {
  #maxBytes: number;
  #sizeBytes = 0;
  readonly #caches = new Map<string, NamedCache>();
  puts = 0;
  gets = 0;
  evicts = 0;
  flushes = 0;

  /** @param maxCacheSizeBytes `statestore.cache.max.bytes` (per thread); 0 forwards every write at once. */
  constructor(maxCacheSizeBytes: number = DEFAULT_CACHE_MAX_BYTES) {
    this.#maxBytes = maxCacheSizeBytes;
  }

  /** Kafka's cache namespace of a store in a task. */
  static nameSpaceFromTaskIdAndStore(taskId: string, storeName: string): string {
    return `${taskId}-${storeName}`;
  }

  get maxCacheSizeBytes(): number {
    return this.#maxBytes;
  }

  /** Bytes currently cached across all stores (Kafka's size estimate). */
  get sizeBytes(): number {
    return this.#sizeBytes;
  }

  /** Number of cached entries across all stores. */
  get size(): number {
    let n = 0;
    for (const c of this.#caches.values()) n += c.size;
    return n;
  }

  /** The named cache of a store, created on first use. */
  namedCache(namespace: string): NamedCache {
    let cache = this.#caches.get(namespace);
    if (cache === undefined) {
      cache = new NamedCache(namespace, this);
      this.#caches.set(namespace, cache);
    }
    return cache;
  }

  addDirtyEntryFlushListener(namespace: string, listener: DirtyEntryFlushListener): void {
    this.namedCache(namespace).setListener(listener);
  }

  get(namespace: string, key: Buffer): CacheEntry | null {
    this.gets++;
    return this.#caches.get(namespace)?.get(key) ?? null;
  }

  put(namespace: string, key: Buffer, value: Buffer | null, dirty: boolean, context: StoreRecordContext | null): void {
    this.puts++;
    this.namedCache(namespace).put(key, value, dirty, context);
  }

  delete(namespace: string, key: Buffer): CacheEntry | null {
    return this.#caches.get(namespace)?.delete(key) ?? null;
  }

  flush(namespace: string): void {
    this.flushes++;
    this.#caches.get(namespace)?.flush();
  }

  /** Drops a store's cache without flushing (Kafka's `close(namespace)`). */
  close(namespace: string): void {
    const cache = this.#caches.get(namespace);
    if (cache === undefined) return;
    cache.clear();
    this.#caches.delete(namespace);
  }

  /** Drops a store's cached entries without flushing. */
  clear(namespace: string): void {
    this.#caches.get(namespace)?.clear();
  }

  /** Changes the budget; shrinking evicts round-robin across stores until the cache fits. */
  resize(maxCacheSizeBytes: number): void {
    const shrink = maxCacheSizeBytes < this.#maxBytes;
    this.#maxBytes = maxCacheSizeBytes;
    if (!shrink) return;
    while (this.#sizeBytes > this.#maxBytes) {
      let evicted = false;
      for (const cache of this.#caches.values()) {
        if (this.#sizeBytes <= this.#maxBytes) break;
        if (cache.size > 0) {
          cache.evict();
          this.evicts++;
          evicted = true;
        }
      }
      if (!evicted) break;
    }
  }

  /** @internal Whether `bytes` more fit under the budget. */
  hasRoomFor(bytes: number): boolean {
    return this.#sizeBytes + bytes <= this.#maxBytes;
  }

  /** @internal Called by named caches when their size changes. */
  adjustSize(delta: number): void {
    this.#sizeBytes += delta;
  }

  /** @internal Evicts from the cache just written to while the thread cache is over budget (as Kafka). */
  maybeEvict(cache: NamedCache): void {
    while (this.#sizeBytes > this.#maxBytes) {
      // a put may have triggered writes to other caches; stop when this one has nothing left to evict
      if (cache.size === 0) return;
      cache.evict();
      this.evicts++;
    }
  }
}
