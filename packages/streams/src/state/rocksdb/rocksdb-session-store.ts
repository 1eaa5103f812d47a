/**
 * The persistent session store over bytes (Kafka's `RocksDBSessionStore` on a segmented bytes store): keys laid out
 * as Kafka's `SessionKeySchema` (`key ‖ end ‖ start`) in time segments by session end. Stream time is the largest
 * session end written; sessions ending at or before `streamTime - retention` are dropped on write and hidden from
 * reads, and whole segments are deleted once they expire. Results are ordered by session end, then key, then start.
 */
import { IllegalArgumentException } from '../../errors';
import { log } from '../../logger';
import { SessionWindow } from '../../dsl/windows/window';
import { Windowed } from '../../dsl/windows/windowed';
import { compareKeys } from '../key-bytes';
import type { KeyValueIterator } from '../state-store';
import { ArrayKeyValueIterator } from '../window/array-iterators';
import { parseSessionStoreKey, sessionStoreKey } from '../window/window-key-schema';
import type { SessionBytesStore, SessionBytesStoreSupplier } from '../session/session-store';
import { defaultSegmentInterval, SegmentedRocksDBStore } from './rocksdb-segments';

interface Found {
  readonly key: Buffer;
  readonly start: number;
  readonly end: number;
  readonly value: Buffer;
}

export class RocksDBSessionStore extends SegmentedRocksDBStore implements SessionBytesStore {
  #observedStreamTime = -1;

  constructor(
    name: string,
    retentionPeriodMs: number,
    readonly segmentIntervalMs: number,
  ) {
    super(name, retentionPeriodMs, segmentIntervalMs);
  }

  protected restoreRecord(binaryKey: Buffer, value: Buffer | null): void {
    const { key, start, end } = parseSessionStoreKey(binaryKey);
    this.put(Buffer.from(key), start, end, value);
  }

  put(key: Buffer, start: number, end: number, value: Buffer | null): void {
    this.checkOpen();
    if (end > this.#observedStreamTime) this.#observedStreamTime = end;
    const segment =
      end <= this.#observedStreamTime - this.retentionPeriodMs
        ? null
        : this.segments.getOrCreateSegmentIfLive(this.segments.segmentId(end), this.#observedStreamTime);
    if (segment === null) {
      log.warn('Skipping record for expired segment.');
      return;
    }
    segment.put(sessionStoreKey(key, start, end), value);
  }

  fetchSession(key: Buffer, start: number, end: number): Buffer | null {
    this.checkOpen();
    if (end < this.#minLiveTime()) return null;
    return this.segments.getSegment(this.segments.segmentId(end))?.get(sessionStoreKey(key, start, end)) ?? null;
  }

  findSessions(keyFrom: Buffer | null, keyTo: Buffer | null, earliestSessionEndTime: number, latestSessionStartTime: number, backward: boolean): KeyValueIterator<Windowed<Buffer>, Buffer> {
    const found = this.#collect(Math.max(earliestSessionEndTime, this.#minLiveTime()), Number.MAX_SAFE_INTEGER, keyFrom, keyTo, (start) => start <= latestSessionStartTime);
    if (backward) found.reverse();
    return this.#iterator(found);
  }

  findSessionsByEndTime(earliestSessionEndTime: number, latestSessionEndTime: number): KeyValueIterator<Windowed<Buffer>, Buffer> {
    // by end time first, as Kafka's time-ordered session store (the one behind emit-on-window-close) answers this
    const found = this.#collect(Math.max(earliestSessionEndTime, this.#minLiveTime()), latestSessionEndTime, null, null, () => true);
    found.sort((a, b) => a.end - b.end || compareKeys(a.key, b.key) || a.start - b.start);
    return this.#iterator(found);
  }

  /**
   * Sessions with end in `[endFrom, endTo]` and keys in the key range, in Kafka's RocksDB order: segment by segment
   * (by session end), and inside a segment by stored bytes (`key ‖ end ‖ start`, so key first).
   */
  #collect(endFrom: number, endTo: number, keyFrom: Buffer | null, keyTo: Buffer | null, startOk: (start: number) => boolean): Found[] {
    this.checkOpen();
    const found: Found[] = [];
    if (endTo < endFrom) return found;
    for (const segment of this.segments.segments(endFrom, endTo, false)) {
      const it = keyFrom === null ? segment.all() : segment.range(sessionStoreKey(keyFrom, 0, 0), null);
      try {
        for (const kv of it) {
          const s = parseSessionStoreKey(kv.key);
          if (keyTo !== null && compareKeys(s.key, keyTo) > 0) {
            // key-first layout: once the raw prefix passes keyTo, every later entry does too
            if (compareKeys(kv.key.subarray(0, keyTo.length), keyTo) > 0) break;
            continue;
          }
          if (keyFrom !== null && compareKeys(s.key, keyFrom) < 0) continue;
          if (s.end < endFrom || s.end > endTo || !startOk(s.start)) continue;
          found.push({ key: Buffer.from(s.key), start: s.start, end: s.end, value: kv.value });
        }
      } finally {
        it.close();
      }
    }
    return found;
  }

  #iterator(found: Found[]): KeyValueIterator<Windowed<Buffer>, Buffer> {
    return new ArrayKeyValueIterator(
      this.name,
      found.map((f) => ({ key: new Windowed(f.key, new SessionWindow(f.start, f.end)), value: f.value })),
    );
  }

  #minLiveTime(): number {
    return Math.max(0, this.#observedStreamTime - this.retentionPeriodMs + 1);
  }

}

/** The supplier of a persistent session store (`Stores.persistentSessionStore`). */
export function persistentSessionStoreSupplier(name: string, retentionPeriodMs: number): SessionBytesStoreSupplier {
  if (typeof name !== 'string' || name.length === 0) throw new IllegalArgumentException('store name cannot be null or empty');
  if (retentionPeriodMs < 0) throw new IllegalArgumentException('retentionPeriod cannot be negative');
  const segmentIntervalMs = defaultSegmentInterval(retentionPeriodMs);
  return Object.freeze({
    name,
    get: () => new RocksDBSessionStore(name, retentionPeriodMs, segmentIntervalMs),
    metricsScope: () => 'rocksdb-session',
    retentionPeriod: () => retentionPeriodMs,
    segmentIntervalMs: () => segmentIntervalMs,
  });
}
