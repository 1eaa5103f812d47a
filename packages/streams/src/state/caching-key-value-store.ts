/**
 * The caching layer (Kafka's `CachingKeyValueStore`): writes go to the thread's record cache and reach the store
 * below (and its changelog) only when the cache flushes — on `flush()` (commit) or when the cache evicts. Reads look
 * in the cache first; ranges merge the cache with the store. With a flush listener set (by DSL aggregations), each
 * flushed entry is also handed to the listener with its old value, under the record context of the write.
 * A context without a cache (standby tasks) gets a private zero-byte cache: every write then flushes at once.
 * Values read through from the store are cached only when they fit without eviction, so a read (for instance an
 * interactive query between records) never flushes or forwards anything; Kafka gets the same guarantee by caching
 * reads only on the stream thread.
 */
import { AbstractKeyValueIterator, EmptyKeyValueIterator } from './key-value-iterators';
import { compareKeys, keyString, prefixUpperBound } from './key-bytes';
import { storeNotOpen, warnInvertedRange } from './store-errors';
import { ThreadCache, type DirtyEntry, type NamedCache } from './thread-cache';
import { WrappedKeyValueBytesStore } from './wrapped-key-value-store';
import type { CacheFlushListener } from './cached-state-store';
import type { KeyCursor } from './sorted-key-index';
import type { Serializer } from '../serde/serde';
import type { KeyValue, KeyValueIterator, StateStore, StateStoreContext } from './state-store';

/** Holds writes in the record cache and flushes them to the wrapped store. */
export class CachingKeyValueStore extends WrappedKeyValueBytesStore {
  #context: StateStoreContext | null = null;
  #cache: NamedCache | null = null;
  #threadCache: ThreadCache | null = null;
  #namespace = '';
  #listener: CacheFlushListener<Buffer, Buffer> | null = null;
  #sendOldValues = false;

  override init(context: StateStoreContext, root: StateStore): void {
    this.#context = context;
    this.#namespace = ThreadCache.nameSpaceFromTaskIdAndStore(context.taskId, this.name);
    this.#threadCache = context.cache ?? new ThreadCache(0);
    this.#cache = this.#threadCache.namedCache(this.#namespace);
    this.#cache.setListener((entries) => {
      for (const entry of entries) this.#putAndMaybeForward(entry);
    });
    super.init(context, root);
  }

  override setFlushListener(listener: CacheFlushListener<Buffer, Buffer>, sendOldValues: boolean): boolean {
    this.#listener = listener;
    this.#sendOldValues = sendOldValues;
    return true;
  }

  override flushCache(): void {
    this.#openCache().flush();
  }

  override flush(): void {
    this.#openCache().flush();
    this.wrapped.flush();
  }

  override close(): void {
    const errors: unknown[] = [];
    const attempt = (fn: () => void): void => {
      try {
        fn();
      } catch (err) {
        errors.push(err);
      }
    };
    if (this.#cache !== null && this.wrapped.isOpen()) attempt(() => this.#cache!.flush());
    attempt(() => this.#threadCache?.close(this.#namespace));
    this.#cache = null;
    attempt(() => this.wrapped.close());
    if (errors.length > 0) throw errors[0];
  }

  override get(key: Buffer): Buffer | null {
    return this.#getInternal(this.#openCache(), key);
  }

  override put(key: Buffer, value: Buffer | null): void {
    this.#putInternal(this.#openCache(), key, value);
  }

  override putIfAbsent(key: Buffer, value: Buffer | null): Buffer | null {
    const cache = this.#openCache();
    const previous = this.#getInternal(cache, key);
    if (previous === null) this.#putInternal(cache, key, value);
    return previous;
  }

  override putAll(entries: ReadonlyArray<KeyValue<Buffer, Buffer | null>>): void {
    const cache = this.#openCache();
    for (const e of entries) this.#putInternal(cache, e.key, e.value);
  }

  override delete(key: Buffer): Buffer | null {
    const cache = this.#openCache();
    const previous = this.#getInternal(cache, key);
    this.#putInternal(cache, key, null);
    return previous;
  }

  override range(from: Buffer | null, to: Buffer | null): KeyValueIterator<Buffer, Buffer> {
    return this.#merged(from, to, true, false, () => this.wrapped.range(from, to));
  }

  override reverseRange(from: Buffer | null, to: Buffer | null): KeyValueIterator<Buffer, Buffer> {
    return this.#merged(from, to, true, true, () => this.wrapped.reverseRange(from, to));
  }

  override all(): KeyValueIterator<Buffer, Buffer> {
    return this.#merged(null, null, true, false, () => this.wrapped.all());
  }

  override reverseAll(): KeyValueIterator<Buffer, Buffer> {
    return this.#merged(null, null, true, true, () => this.wrapped.reverseAll());
  }

  override prefixScan<P>(prefix: P, prefixKeySerializer: Serializer<P>): KeyValueIterator<Buffer, Buffer> {
    const from = prefixKeySerializer.serialize('', prefix) ?? Buffer.alloc(0);
    return this.#merged(from, prefixUpperBound(from), false, false, () => this.wrapped.prefixScan(prefix, prefixKeySerializer));
  }

  #merged(
    from: Buffer | null,
    to: Buffer | null,
    toInclusive: boolean,
    reverse: boolean,
    storeIterator: () => KeyValueIterator<Buffer, Buffer>,
  ): KeyValueIterator<Buffer, Buffer> {
    const cache = this.#openCache();
    if (from !== null && to !== null && compareKeys(from, to) > 0) {
      warnInvertedRange(this.name);
      return new EmptyKeyValueIterator(this.name);
    }
    const cursor = cache.keyCursor(from === null ? null : keyString(from), to === null ? null : keyString(to), toInclusive, reverse);
    return new MergedSortedCacheKeyValueIterator(this.name, cache, cursor, storeIterator(), reverse);
  }

  #getInternal(cache: NamedCache, key: Buffer): Buffer | null {
    const entry = cache.get(key);
    if (entry !== null) return entry.value;
    const raw = this.wrapped.get(key);
    if (raw === null) return null;
    cache.putCleanIfRoom(key, raw);
    return raw;
  }

  #putInternal(cache: NamedCache, key: Buffer, value: Buffer | null): void {
    const rc = this.#context!.recordContext();
    cache.put(key, value, true, {
      topic: rc.topic,
      partition: rc.partition,
      offset: rc.offset,
      timestamp: rc.timestamp,
      headers: rc.headers,
    });
  }

  #putAndMaybeForward(entry: DirtyEntry): void {
    const context = this.#context!;
    const listener = this.#listener;
    const current = context.recordContext();
    if (listener === null) {
      context.setRecordContext(entry.context);
      try {
        this.wrapped.put(entry.key, entry.newValue);
      } finally {
        context.setRecordContext(current);
      }
      return;
    }
    const rawNew = entry.newValue;
    const rawOld = rawNew === null || this.#sendOldValues ? this.wrapped.get(entry.key) : null;
    // a delete of a key the store never had: nothing to write and nothing to forward
    if (rawNew === null && rawOld === null) return;
    context.setRecordContext(entry.context);
    try {
      this.wrapped.put(entry.key, rawNew);
      listener({
        key: entry.key,
        newValue: rawNew,
        oldValue: this.#sendOldValues ? rawOld : null,
        timestamp: entry.context.timestamp,
        headers: entry.context.headers,
      });
    } finally {
      context.setRecordContext(current);
    }
  }

  #openCache(): NamedCache {
    if (this.#cache === null || !this.wrapped.isOpen()) throw storeNotOpen(this.name);
    return this.#cache;
  }
}

/**
 * Merges cache and store iterators in key order (Kafka's `MergedSortedCacheKeyValueBytesStoreIterator`). Cached
 * entries win over stored ones with the same key; cached deletes hide stored entries.
 */
class MergedSortedCacheKeyValueIterator extends AbstractKeyValueIterator<Buffer, Buffer> {
  #cacheNext: { key: Buffer; value: Buffer | null } | undefined | null = null;

  constructor(
    storeName: string,
    private readonly cache: NamedCache,
    private readonly cursor: KeyCursor,
    private readonly store: KeyValueIterator<Buffer, Buffer>,
    private readonly reverse: boolean,
  ) {
    super(storeName);
  }

  protected fetch(): KeyValue<Buffer, Buffer> | undefined {
    for (;;) {
      const cached = this.#peekCache();
      const storeKey = this.store.peekNextKey();
      if (cached === undefined) {
        if (storeKey === undefined) return undefined;
        return this.store.next().value!;
      }
      if (storeKey !== undefined) {
        const cmp = this.reverse ? compareKeys(storeKey, cached.key) : compareKeys(cached.key, storeKey);
        if (cmp > 0) return this.store.next().value!;
        // equal keys: the cached entry overrides the stored one
        if (cmp === 0) this.store.next();
      }
      this.#cacheNext = null;
      if (cached.value !== null) return { key: cached.key, value: cached.value };
    }
  }

  protected override release(): void {
    this.store.close();
  }

  #peekCache(): { key: Buffer; value: Buffer | null } | undefined {
    while (this.#cacheNext === null) {
      const keyStr = this.cursor.next();
      if (keyStr === undefined) {
        this.#cacheNext = undefined;
        break;
      }
      const entry = this.cache.entryFor(keyStr);
      if (entry !== undefined) this.#cacheNext = { key: entry.key, value: entry.value };
    }
    return this.#cacheNext;
  }
}
