/**
 * The caching layer of session stores (Kafka's `CachingSessionStore`): writes wait in the record cache under
 * `key ‖ end ‖ start` until commit or eviction, then go to the store below and to the flush listener. Reads merge
 * cache and store, cached writes (and deletes) winning.
 */
import { SessionWindow } from '../../dsl/windows/window';
import { Windowed } from '../../dsl/windows/windowed';
import type { CacheFlushListener } from '../cached-state-store';
import { keyString } from '../key-bytes';
import type { DirtyEntry } from '../thread-cache';
import { WindowedStoreCache } from '../windowed-store-cache';
import type { KeyValue, KeyValueIterator, StateStore, StateStoreContext } from '../state-store';
import { ArrayKeyValueIterator } from '../window/array-iterators';
import { parseSessionStoreKey, sessionStoreKey } from '../window/window-key-schema';
import type { SessionBytesStore } from './session-store';
import { WrappedSessionBytesStore } from './wrapped-session-store';

interface Row {
  readonly key: Buffer;
  readonly start: number;
  readonly end: number;
  readonly value: Buffer | null;
}

export class CachingSessionStore extends WrappedSessionBytesStore {
  readonly #cache = new WindowedStoreCache(this.name, () => this.wrapped.isOpen());

  /**
   * @param segmentIntervalMs the store's segment interval: merged reads come segment by segment (by session end),
   *   then by stored bytes (key first), as Kafka's `MergedSortedCacheSessionStoreIterator`. As Kafka's
   *   `CachingSessionStore`, sessions still in the cache are visible even once the store below has expired them.
   */
  constructor(
    wrapped: SessionBytesStore,
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

  override put(key: Buffer, start: number, end: number, value: Buffer | null): void {
    const cache = this.#cache.open();
    const entryContext = this.#cache.entryContext();
    if (this.#cache.writesThrough()) {
      this.#putAndMaybeForward({ key: sessionStoreKey(key, start, end), newValue: value, context: entryContext });
      return;
    }
    cache.put(sessionStoreKey(key, start, end), value, true, entryContext);
  }

  override fetchSession(key: Buffer, start: number, end: number): Buffer | null {
    const entry = this.#cache.open().get(sessionStoreKey(key, start, end));
    if (entry !== null) return entry.value;
    return this.wrapped.fetchSession(key, start, end);
  }

  override findSessions(keyFrom: Buffer | null, keyTo: Buffer | null, earliestEnd: number, latestStart: number, backward: boolean): KeyValueIterator<Windowed<Buffer>, Buffer> {
    const from = keyFrom === null ? null : keyString(keyFrom);
    const to = keyTo === null ? null : keyString(keyTo);
    // one key: scan only its cached sessions, `key ‖ end ‖ start` from the earliest end on
    const cacheRange: [string | null, string | null] =
      keyFrom !== null && from === to
        ? [keyString(sessionStoreKey(keyFrom, 0, Math.max(0, earliestEnd))), keyString(sessionStoreKey(keyFrom, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER))]
        : [null, null];
    return this.#merged(
      this.wrapped.findSessions(keyFrom, keyTo, earliestEnd, latestStart, false),
      (r) => r.end >= earliestEnd && r.start <= latestStart && (from === null || keyString(r.key) >= from) && (to === null || keyString(r.key) <= to),
      backward,
      cacheRange,
    );
  }

  override findSessionsByEndTime(earliestEnd: number, latestEnd: number): KeyValueIterator<Windowed<Buffer>, Buffer> {
    return this.#merged(this.wrapped.findSessionsByEndTime(earliestEnd, latestEnd), (r) => r.end >= earliestEnd && r.end <= latestEnd, false);
  }

  #merged(
    stored: KeyValueIterator<Windowed<Buffer>, Buffer>,
    keep: (r: Row) => boolean,
    backward: boolean,
    cacheRange: [string | null, string | null] = [null, null],
  ): KeyValueIterator<Windowed<Buffer>, Buffer> {
    const rows = new Map<string, Row>();
    try {
      for (let r = stored.next(); !r.done; r = stored.next()) {
        const w = r.value.key;
        const row = { key: w.key(), start: w.window().start(), end: w.window().end(), value: r.value.value };
        rows.set(keyString(sessionStoreKey(row.key, row.start, row.end)), row);
      }
    } finally {
      stored.close();
    }
    const cache = this.#cache.open();
    const cursor = cache.keyCursor(cacheRange[0], cacheRange[1], true, false);
    for (let ks = cursor.next(); ks !== undefined; ks = cursor.next()) {
      const entry = cache.entryFor(ks);
      if (entry === undefined) continue;
      const p = parseSessionStoreKey(entry.key);
      const row = { key: p.key, start: p.start, end: p.end, value: entry.value };
      if (keep(row)) rows.set(ks, row);
    }
    const live = [...rows.values()].filter((r) => r.value !== null);
    const segment = (end: number): number => Math.floor(end / this.segmentIntervalMs);
    live.sort((a, b) => segment(a.end) - segment(b.end) || Buffer.compare(sessionStoreKey(a.key, a.start, a.end), sessionStoreKey(b.key, b.start, b.end)));
    if (backward) live.reverse();
    const out: KeyValue<Windowed<Buffer>, Buffer>[] = live.map((r) => ({ key: new Windowed(r.key, new SessionWindow(r.start, r.end)), value: r.value! }));
    return new ArrayKeyValueIterator(this.name, out);
  }

  #putAndMaybeForward(entry: DirtyEntry): void {
    const { key, start, end } = parseSessionStoreKey(entry.key);
    this.#cache.writeAndMaybeForward(entry.newValue, entry.context, {
      write: () => this.wrapped.put(key, start, end, entry.newValue),
      fetchOld: () => this.wrapped.fetchSession(key, start, end),
      windowedKey: () => new Windowed(Buffer.from(key), new SessionWindow(start, end)),
    });
  }


}
