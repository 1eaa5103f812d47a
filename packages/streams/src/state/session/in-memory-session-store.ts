/**
 * The in-memory session store over bytes (Kafka's `InMemorySessionStore`): sessions indexed by end time, then
 * key, then start time. Stream time is the largest session end written; sessions ending at or before
 * `streamTime - retention` are dropped on write ("Skipping record for expired segment.") and removed.
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

export class InMemorySessionStore implements SessionBytesStore {
  readonly #byEnd = new Map<number, Map<string, KeySessions>>();
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
      if (keys === undefined) this.#byEnd.set(end, (keys = new Map()));
      let sessions = keys.get(ks);
      if (sessions === undefined) keys.set(ks, (sessions = { key: Buffer.from(key), byStart: new Map() }));
      sessions.byStart.set(start, value);
    } else {
      const keys = this.#byEnd.get(end);
      const sessions = keys?.get(ks);
      if (sessions !== undefined) {
        sessions.byStart.delete(start);
        if (sessions.byStart.size === 0) keys!.delete(ks);
        if (keys!.size === 0) this.#byEnd.delete(end);
      }
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
    const out = this.#collect(
      (end) => end >= earliestSessionEndTime,
      (ks) => (from === null || ks >= from) && (to === null || ks <= to),
      (start) => start <= latestSessionStartTime,
    );
    if (backward) out.reverse();
    return new ArrayKeyValueIterator(this.name, out);
  }

  findSessionsByEndTime(earliestSessionEndTime: number, latestSessionEndTime: number): KeyValueIterator<Windowed<Buffer>, Buffer> {
    return new ArrayKeyValueIterator(
      this.name,
      this.#collect((end) => end >= earliestSessionEndTime && end <= latestSessionEndTime, () => true, () => true),
    );
  }

  #collect(endOk: (end: number) => boolean, keyOk: (ks: string) => boolean, startOk: (start: number) => boolean): KeyValue<Windowed<Buffer>, Buffer>[] {
    this.#checkOpen();
    this.#removeExpired();
    const ends = [...this.#byEnd.keys()].filter(endOk).sort((a, b) => a - b);
    const out: KeyValue<Windowed<Buffer>, Buffer>[] = [];
    for (const end of ends) {
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

  #removeExpired(): void {
    const minLiveTime = Math.max(0, this.#observedStreamTime - this.retentionPeriodMs + 1);
    for (const end of this.#byEnd.keys()) if (end < minLiveTime) this.#byEnd.delete(end);
  }

  #checkOpen(): void {
    if (!this.#open) throw storeNotOpen(this.name);
  }
}
