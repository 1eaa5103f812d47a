/**
 * The caching layer of window stores (Kafka's `CachingWindowStore`): writes go to the thread's record cache under
 * the key `key ‖ windowStart ‖ 0` and reach the store below when the cache flushes (commit) or evicts; each
 * flushed write also goes to the flush listener (DSL windowed aggregations forward only those, so updates of one
 * window between commits collapse into one record). Reads merge cache and store, cached writes winning.
 */
import { TimeWindow } from '../../dsl/windows/window';
import { Windowed } from '../../dsl/windows/windowed';
import type { CacheFlushListener } from '../cached-state-store';
import { keyString } from '../key-bytes';
import type { DirtyEntry } from '../thread-cache';
import { WindowedStoreCache } from '../windowed-store-cache';
import type { KeyValue, KeyValueIterator, StateStore, StateStoreContext } from '../state-store';
import { ArrayKeyValueIterator } from './array-iterators';
import { parseWindowStoreKey, windowStoreKey } from './window-key-schema';
import type { WindowBytesStore, WindowStoreIterator } from './window-store';
import { WrappedWindowBytesStore } from './wrapped-window-store';

export class CachingWindowStore extends WrappedWindowBytesStore {
  readonly #cache = new WindowedStoreCache(this.name, () => this.wrapped.isOpen());

  /**
   * @param segmentIntervalMs the store's segment interval: merged range reads come segment by segment, then by
   *   stored bytes (key first), as Kafka's `MergedSortedCacheWindowStoreKeyValueIterator` (1 for in-memory stores,
   *   whose reads are then by window start first). As Kafka's `CachingWindowStore`, windows still in the cache are
   *   visible even once the store below has expired them.
   */
  constructor(
    wrapped: WindowBytesStore,
    readonly segmentIntervalMs: number = 1,
  ) {
    super(wrapped);
  }


  override init(context: StateStoreContext, root: StateStore): void {
    this.#cache.init(context, (entry) => this.#putAndMaybeForward(entry));
    super.init(context, root);
  }

  override setFlushListener(listener: CacheFlushListener<Windowed<Buffer>, Buffer>, sendOldValues: boolean): boolean {
    return this.#cache.setFlushListener(listener, sendOldValues);
  }

  override flushCache(): void {
    this.#cache.flush();
  }

  override flush(): void {
    this.#cache.flush();
    this.wrapped.flush();
  }

  override close(): void {
    this.#cache.close(() => this.wrapped.close());
  }

  override put(key: Buffer, value: Buffer | null, windowStart: number): void {
    const cache = this.#cache.open();
    const entryContext = this.#cache.entryContext();
    if (this.#cache.writesThrough()) {
      this.#writeAndMaybeForward(key, windowStart, value, entryContext);
      return;
    }
    cache.put(windowStoreKey(key, windowStart, 0), value, true, entryContext);
  }

  override fetchWindow(key: Buffer, windowStart: number): Buffer | null {
    const entry = this.#cache.open().get(windowStoreKey(key, windowStart, 0));
    if (entry !== null) return entry.value;
    return this.wrapped.fetchWindow(key, windowStart);
  }

  override fetchKey(key: Buffer, timeFrom: number, timeTo: number, backward: boolean): WindowStoreIterator<Buffer> {
    const merged = new Map<number, Buffer | null>();
    for (const e of drainAll(this.wrapped.fetchKey(key, timeFrom, timeTo, false))) merged.set(e.key, e.value);
    const from = keyString(windowStoreKey(key, Math.max(0, timeFrom), 0));
    const to = keyString(windowStoreKey(key, Math.max(0, timeTo), 0));
    if (timeTo >= 0) {
      for (const { windowKey, value } of this.#cached(from, to)) {
        if (windowKey.key.equals(key) && windowKey.windowStart >= timeFrom && windowKey.windowStart <= timeTo) {
          merged.set(windowKey.windowStart, value);
        }
      }
    }
    const out: KeyValue<number, Buffer>[] = [];
    for (const [start, value] of merged) if (value !== null) out.push({ key: start, value });
    out.sort((a, b) => a.key - b.key);
    if (backward) out.reverse();
    return new ArrayKeyValueIterator(this.name, out);
  }

  override fetchKeyRange(keyFrom: Buffer | null, keyTo: Buffer | null, timeFrom: number, timeTo: number, backward: boolean): KeyValueIterator<Windowed<Buffer>, Buffer> {
    const from = keyFrom === null ? null : keyString(keyFrom);
    const to = keyTo === null ? null : keyString(keyTo);
    return this.#mergedWindows(this.wrapped.fetchKeyRange(keyFrom, keyTo, timeFrom, timeTo, false), timeFrom, timeTo, backward, (ks) => (from === null || ks >= from) && (to === null || ks <= to));
  }

  override fetchAllWindows(timeFrom: number, timeTo: number, backward: boolean): KeyValueIterator<Windowed<Buffer>, Buffer> {
    return this.#mergedWindows(this.wrapped.fetchAllWindows(timeFrom, timeTo, false), timeFrom, timeTo, backward, () => true);
  }

  #mergedWindows(
    stored: KeyValueIterator<Windowed<Buffer>, Buffer>,
    timeFrom: number,
    timeTo: number,
    backward: boolean,
    keep: (keyStr: string) => boolean,
  ): KeyValueIterator<Windowed<Buffer>, Buffer> {
    const merged = new Map<string, { key: Buffer; start: number; value: Buffer | null }>();
    for (const e of drainAll(stored)) {
      const start = e.key.window().start();
      merged.set(keyString(windowStoreKey(e.key.key(), start, 0)), { key: e.key.key(), start, value: e.value });
    }
    for (const { keyStr, windowKey, value } of this.#cached(null, null)) {
      if (windowKey.windowStart < timeFrom || windowKey.windowStart > timeTo || !keep(keyString(windowKey.key))) continue;
      merged.set(keyStr, { key: windowKey.key, start: windowKey.windowStart, value });
    }
    const rows = [...merged.values()].filter((r) => r.value !== null);
    const segment = (start: number): number => Math.floor(start / this.segmentIntervalMs);
    rows.sort((a, b) => segment(a.start) - segment(b.start) || Buffer.compare(windowStoreKey(a.key, a.start, 0), windowStoreKey(b.key, b.start, 0)));
    if (backward) rows.reverse();
    const size = Math.max(1, this.windowSizeMs);
    return new ArrayKeyValueIterator(
      this.name,
      rows.map((r) => ({ key: new Windowed(r.key, new TimeWindow(r.start, r.start + size)), value: r.value! })),
    );
  }

  *#cached(from: string | null, to: string | null): Generator<{ keyStr: string; windowKey: ReturnType<typeof parseWindowStoreKey>; value: Buffer | null }> {
    const cache = this.#cache.open();
    const cursor = cache.keyCursor(from, to, true, false);
    for (let ks = cursor.next(); ks !== undefined; ks = cursor.next()) {
      const entry = cache.entryFor(ks);
      if (entry === undefined) continue;
      yield { keyStr: ks, windowKey: parseWindowStoreKey(entry.key), value: entry.value };
    }
  }

  #putAndMaybeForward(entry: DirtyEntry): void {
    const { key, windowStart } = parseWindowStoreKey(entry.key);
    this.#writeAndMaybeForward(key, windowStart, entry.newValue, entry.context);
  }

  /** Writes one flushed (or written-through) window to the store below and hands it to the flush listener. */
  #writeAndMaybeForward(key: Buffer, windowStart: number, newValue: Buffer | null, entryContext: DirtyEntry['context']): void {
    this.#cache.writeAndMaybeForward(newValue, entryContext, {
      write: () => this.wrapped.put(key, newValue, windowStart),
      fetchOld: () => this.wrapped.fetchWindow(key, windowStart),
      windowedKey: () => new Windowed(key, new TimeWindow(windowStart, windowStart + Math.max(1, this.windowSizeMs))),
    });
  }


}

function drainAll<K, V>(it: KeyValueIterator<K, V>): KeyValue<K, V>[] {
  const out: KeyValue<K, V>[] = [];
  try {
    for (let r = it.next(); !r.done; r = it.next()) out.push(r.value);
  } finally {
    it.close();
  }
  return out;
}
