/**
 * The record-cache side shared by the caching window and session stores: the store's named cache in the thread
 * cache, its flush listener, and how a flushed (or written-through) entry reaches the store below and the listener
 * — under the record context of the write, skipping deletes of entries the store never held, as Kafka does.
 */
import type { Windowed } from '../dsl/windows/windowed';
import type { CacheFlushListener } from './cached-state-store';
import { storeNotOpen } from './store-errors';
import { ThreadCache, type DirtyEntry, type NamedCache } from './thread-cache';
import type { StateStoreContext, StoreRecordContext } from './state-store';

/** How one entry is written to the store below, read from it, and named downstream. */
export interface WindowedEntryAccess {
  write(): void;
  fetchOld(): Buffer | null;
  windowedKey(): Windowed<Buffer>;
}

export class WindowedStoreCache {
  #context: StateStoreContext | null = null;
  #cache: NamedCache | null = null;
  #threadCache: ThreadCache | null = null;
  #namespace = '';
  #listener: CacheFlushListener<Windowed<Buffer>, Buffer> | null = null;
  #sendOldValues = false;

  constructor(
    private readonly storeName: string,
    private readonly wrappedIsOpen: () => boolean,
  ) {}

  init(context: StateStoreContext, onFlush: (entry: DirtyEntry) => void): void {
    this.#context = context;
    this.#namespace = ThreadCache.nameSpaceFromTaskIdAndStore(context.taskId, this.storeName);
    this.#threadCache = context.cache ?? new ThreadCache(0);
    this.#cache = this.#threadCache.namedCache(this.#namespace);
    this.#cache.setListener((entries) => {
      for (const e of entries) onFlush(e);
    });
  }

  setFlushListener(listener: CacheFlushListener<Windowed<Buffer>, Buffer>, sendOldValues: boolean): boolean {
    this.#listener = listener;
    this.#sendOldValues = sendOldValues;
    return true;
  }

  /** The named cache; throws naming the store once it (or the store below) is closed. */
  open(): NamedCache {
    if (this.#cache === null || !this.wrappedIsOpen()) throw storeNotOpen(this.storeName);
    return this.#cache;
  }

  /** A copy of the current record context, to keep with a cached write. */
  entryContext(): StoreRecordContext {
    const rc = this.#context!.recordContext();
    return { topic: rc.topic, partition: rc.partition, offset: rc.offset, timestamp: rc.timestamp, headers: rc.headers };
  }

  /** Whether a write should go straight through: a zero-byte cache evicts and flushes every write at once. */
  writesThrough(): boolean {
    return this.#threadCache!.maxCacheSizeBytes === 0 && this.open().size === 0;
  }

  flush(): void {
    this.open().flush();
  }

  /** Flushes what is cached (if the store below is still open), drops the named cache, then closes the store below. */
  close(closeWrapped: () => void): void {
    try {
      if (this.#cache !== null && this.wrappedIsOpen()) this.#cache.flush();
    } finally {
      this.#threadCache?.close(this.#namespace);
      this.#cache = null;
      closeWrapped();
    }
  }

  /** Writes one entry to the store below and hands it to the flush listener, under the entry's record context. */
  writeAndMaybeForward(newValue: Buffer | null, entryContext: StoreRecordContext, access: WindowedEntryAccess): void {
    const context = this.#context!;
    const current = context.recordContext();
    context.setRecordContext(entryContext);
    try {
      const listener = this.#listener;
      if (listener === null) {
        access.write();
        return;
      }
      const rawOld = newValue === null || this.#sendOldValues ? access.fetchOld() : null;
      if (newValue === null && rawOld === null) return;
      access.write();
      listener({
        key: access.windowedKey(),
        newValue,
        oldValue: this.#sendOldValues ? rawOld : null,
        timestamp: entryContext.timestamp,
        headers: entryContext.headers,
      });
    } finally {
      context.setRecordContext(current);
    }
  }
}
