/**
 * The in-memory session store over bytes (Kafka's `InMemorySessionStore`): sessions indexed by end time, then
 * key, then start time. Stream time is the largest session end written; sessions ending at or before
 * `streamTime - retention` are dropped on write ("Skipping record for expired segment.") and removed. A second index
 * by key serves the single-key lookups a session aggregation makes for every record.
 */
import { log } from '../../logger';
import { SessionWindow } from '../../dsl/windows/window';
import { Windowed } from '../../dsl/windows/windowed';
import { keyString } from '../key-bytes';
import { storeNotOpen } from '../store-errors';
import type { KeyValue, KeyValueIterator, StateStore, StateStoreContext } from '../state-store';
import { ArrayKeyValueIterator } from '../window/array-iterators';
import { parseSessionStoreKey } from '../window/window-key-schema';
import type { SessionBytesStore } from './session-store';

interface KeySessions {
  readonly key: Buffer;
  readonly byStart: Map<number, Buffer>;
}

/** First index in sorted `arr` whose value is >= `x`. */
function lowerBound(arr: number[], x: number): number {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (arr[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

interface Session {
  readonly start: number;
  readonly end: number;
  readonly value: Buffer;
}

export class InMemorySessionStore implements SessionBytesStore {
  readonly #byEnd = new Map<number, Map<string, KeySessions>>();
  /** Session ends present in `#byEnd`, ascending. */
  #ends: number[] = [];
  /** Sessions per key (for the single-key lookups of session aggregations): `end:start` → session. */
  readonly #byKey = new Map<string, { key: Buffer; sessions: Map<string, Session> }>();
  #observedStreamTime = -1;
  #open = false;

  constructor(
    readonly name: string,
    readonly retentionPeriodMs: number,
  ) {}

  init(context: StateStoreContext, root: StateStore): void {
    context.register(root, (records) => {
      for (const r of records) {
        const { key, start, end } = parseSessionStoreKey(r.key);
        this.put(Buffer.from(key), start, end, r.value);
      }
    });
    this.#open = true;
  }

  persistent(): boolean {
    return false;
  }
  isOpen(): boolean {
    return this.#open;
  }
  flush(): void {
    // the changelog is the durable copy
  }
  close(): void {
    this.#byEnd.clear();
    this.#byKey.clear();
    this.#ends = [];
    this.#open = false;
  }

  put(key: Buffer, start: number, end: number, value: Buffer | null): void {
    this.#checkOpen();
    this.#removeExpired();
    if (end > this.#observedStreamTime) this.#observedStreamTime = end;
    if (end <= this.#observedStreamTime - this.retentionPeriodMs) {
      log.warn('Skipping record for expired segment.');
      return;
    }
    const ks = keyString(key);
    if (value !== null) {
      let keys = this.#byEnd.get(end);
      if (keys === undefined) {
        this.#byEnd.set(end, (keys = new Map()));
        this.#ends.splice(lowerBound(this.#ends, end), 0, end);
      }
      let sessions = keys.get(ks);
      if (sessions === undefined) keys.set(ks, (sessions = { key: Buffer.from(key), byStart: new Map() }));
      sessions.byStart.set(start, value);
      let perKey = this.#byKey.get(ks);
      if (perKey === undefined) this.#byKey.set(ks, (perKey = { key: sessions.key, sessions: new Map() }));
      perKey.sessions.set(`${end}:${start}`, { start, end, value });
    } else {
      const keys = this.#byEnd.get(end);
      const sessions = keys?.get(ks);
      if (sessions !== undefined) {
        sessions.byStart.delete(start);
        if (sessions.byStart.size === 0) keys!.delete(ks);
        if (keys!.size === 0) {
          this.#byEnd.delete(end);
          this.#ends.splice(lowerBound(this.#ends, end), 1);
        }
      }
      this.#forgetInKeyIndex(ks, start, end);
    }
    this.#removeExpired();
  }

  fetchSession(key: Buffer, start: number, end: number): Buffer | null {
    this.#checkOpen();
    this.#removeExpired();
    return this.#byEnd.get(end)?.get(keyString(key))?.byStart.get(start) ?? null;
  }

  findSessions(keyFrom: Buffer | null, keyTo: Buffer | null, earliestSessionEndTime: number, latestSessionStartTime: number, backward: boolean): KeyValueIterator<Windowed<Buffer>, Buffer> {
    const from = keyFrom === null ? null : keyString(keyFrom);
    const to = keyTo === null ? null : keyString(keyTo);
    let out: KeyValue<Windowed<Buffer>, Buffer>[];
    if (from !== null && from === to) {
      // one key: only its own sessions, ordered by end then start
      this.#checkOpen();
      this.#removeExpired();
      const perKey = this.#byKey.get(from);
      const found = perKey === undefined ? [] : [...perKey.sessions.values()].filter((x) => x.end >= earliestSessionEndTime && x.start <= latestSessionStartTime);
      found.sort((a, b) => a.end - b.end || a.start - b.start);
      out = found.map((x) => ({ key: new Windowed(perKey!.key, new SessionWindow(x.start, x.end)), value: x.value }));
    } else {
      out = this.#collect(
        earliestSessionEndTime,
        Number.MAX_SAFE_INTEGER,
        (ks) => (from === null || ks >= from) && (to === null || ks <= to),
        (start) => start <= latestSessionStartTime,
      );
    }
    if (backward) out.reverse();
    return new ArrayKeyValueIterator(this.name, out);
  }

  findSessionsByEndTime(earliestSessionEndTime: number, latestSessionEndTime: number): KeyValueIterator<Windowed<Buffer>, Buffer> {
    return new ArrayKeyValueIterator(
      this.name,
      this.#collect(earliestSessionEndTime, latestSessionEndTime, () => true, () => true),
    );
  }

  #collect(minEnd: number, maxEnd: number, keyOk: (ks: string) => boolean, startOk: (start: number) => boolean): KeyValue<Windowed<Buffer>, Buffer>[] {
    this.#checkOpen();
    this.#removeExpired();
    const out: KeyValue<Windowed<Buffer>, Buffer>[] = [];
    for (let i = lowerBound(this.#ends, minEnd); i < this.#ends.length && this.#ends[i]! <= maxEnd; i++) {
      const end = this.#ends[i]!;
      const keys = this.#byEnd.get(end)!;
      for (const ks of [...keys.keys()].filter(keyOk).sort()) {
        const sessions = keys.get(ks)!;
        for (const start of [...sessions.byStart.keys()].filter(startOk).sort((a, b) => a - b)) {
          out.push({ key: new Windowed(sessions.key, new SessionWindow(start, end)), value: sessions.byStart.get(start)! });
        }
      }
    }
    return out;
  }

  #forgetInKeyIndex(ks: string, start: number, end: number): void {
    const perKey = this.#byKey.get(ks);
    if (perKey === undefined) return;
    perKey.sessions.delete(`${end}:${start}`);
    if (perKey.sessions.size === 0) this.#byKey.delete(ks);
  }

  #removeExpired(): void {
    const minLiveTime = Math.max(0, this.#observedStreamTime - this.retentionPeriodMs + 1);
    let n = 0;
    while (n < this.#ends.length && this.#ends[n]! < minLiveTime) {
      const end = this.#ends[n++]!;
      for (const [ks, sessions] of this.#byEnd.get(end)!) for (const start of sessions.byStart.keys()) this.#forgetInKeyIndex(ks, start, end);
      this.#byEnd.delete(end);
    }
    if (n > 0) this.#ends = this.#ends.slice(n);
  }

  #checkOpen(): void {
    if (!this.#open) throw storeNotOpen(this.name);
  }
}
