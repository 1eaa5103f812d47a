/**
 * The persistent window store over bytes (Kafka's `RocksDBWindowStore` on a segmented bytes store): keys laid out
 * as Kafka's `WindowKeySchema` (`key ‖ windowStart ‖ seqnum`) in time segments of `segmentInterval`. The store
 * keeps its own stream time (the largest window start written): writes to windows at or before
 * `streamTime - retention` are dropped, reads hide them, and whole segments are deleted once they expire.
 * Results follow the `WindowBytesStore` contract: one key's windows in time order; ranges by window start, then key.
 */
import { IllegalArgumentException } from '../../errors';
import { log } from '../../logger';
import { Windowed } from '../../dsl/windows/windowed';
import { TimeWindow } from '../../dsl/windows/window';
import { compareKeys } from '../key-bytes';
import { warnInvertedRange } from '../store-errors';
import type { KeyValue, KeyValueIterator } from '../state-store';
import { ArrayKeyValueIterator } from '../window/array-iterators';
import { parseWindowStoreKey, windowStoreKey } from '../window/window-key-schema';
import type { WindowBytesStore, WindowBytesStoreSupplier, WindowStoreIterator } from '../window/window-store';
import { defaultSegmentInterval, SegmentedRocksDBStore } from './rocksdb-segments';

const MAX_SEQ = 0x7fffffff;

export class RocksDBWindowStore extends SegmentedRocksDBStore implements WindowBytesStore {
  #observedStreamTime = -1;
  #seqnum = 0;

  constructor(
    name: string,
    retentionPeriodMs: number,
    readonly windowSizeMs: number,
    readonly retainDuplicates: boolean,
    readonly segmentIntervalMs: number,
  ) {
    super(name, retentionPeriodMs, segmentIntervalMs);
  }

  protected restoreRecord(binaryKey: Buffer, value: Buffer | null): void {
    const { key, windowStart, seqnum } = parseWindowStoreKey(binaryKey);
    this.#write(Buffer.from(key), value, windowStart, seqnum);
  }

  /** The largest window start written so far (-1 before the first write). */
  get observedStreamTime(): number {
    return this.#observedStreamTime;
  }

  put(key: Buffer, value: Buffer | null, windowStart: number): void {
    this.checkOpen();
    if (value === null && this.retainDuplicates) return; // duplicates are never deleted one by one
    const seqnum = this.retainDuplicates ? (this.#seqnum = (this.#seqnum + 1) & MAX_SEQ) : 0;
    this.#write(key, value, windowStart, seqnum);
  }

  #write(key: Buffer, value: Buffer | null, windowStart: number, seqnum: number): void {
    if (windowStart > this.#observedStreamTime) this.#observedStreamTime = windowStart;
    if (windowStart <= this.#observedStreamTime - this.retentionPeriodMs) {
      log.warn('Skipping record for expired segment.');
      return;
    }
    const segment = this.segments.getOrCreateSegmentIfLive(this.segments.segmentId(windowStart), this.#observedStreamTime);
    if (segment === null) {
      log.warn('Skipping record for expired segment.');
      return;
    }
    segment.put(windowStoreKey(key, windowStart, seqnum), value);
  }

  fetchWindow(key: Buffer, windowStart: number): Buffer | null {
    this.checkOpen();
    if (windowStart <= this.#observedStreamTime - this.retentionPeriodMs) return null;
    const segment = this.segments.getSegment(this.segments.segmentId(windowStart));
    if (segment === null) return null;
    if (!this.retainDuplicates) return segment.get(windowStoreKey(key, windowStart, 0));
    const it = segment.range(windowStoreKey(key, windowStart, 0), windowStoreKey(key, windowStart, MAX_SEQ));
    try {
      for (const kv of it) if (parseWindowStoreKey(kv.key).key.equals(key)) return kv.value;
      return null;
    } finally {
      it.close();
    }
  }

  fetchKey(key: Buffer, timeFrom: number, timeTo: number, backward: boolean): WindowStoreIterator<Buffer> {
    const minTime = this.#minLiveTime(timeFrom);
    const out: KeyValue<number, Buffer>[] = [];
    if (timeTo >= minTime) {
      for (const segment of this.segments.segments(minTime, timeTo, false)) {
        const it = segment.range(windowStoreKey(key, minTime, 0), windowStoreKey(key, timeTo, MAX_SEQ));
        try {
          for (const kv of it) {
            const parsed = parseWindowStoreKey(kv.key);
            if (parsed.key.equals(key) && parsed.windowStart >= minTime && parsed.windowStart <= timeTo) out.push({ key: parsed.windowStart, value: kv.value });
          }
        } finally {
          it.close();
        }
      }
    }
    if (backward) out.reverse();
    return new ArrayKeyValueIterator(this.name, out);
  }

  fetchKeyRange(keyFrom: Buffer | null, keyTo: Buffer | null, timeFrom: number, timeTo: number, backward: boolean): KeyValueIterator<Windowed<Buffer>, Buffer> {
    if (keyFrom !== null && keyTo !== null && compareKeys(keyFrom, keyTo) > 0) {
      warnInvertedRange(this.name);
      return new ArrayKeyValueIterator(this.name, []);
    }
    return this.#collect(timeFrom, timeTo, backward, keyFrom, keyTo);
  }

  fetchAllWindows(timeFrom: number, timeTo: number, backward: boolean): KeyValueIterator<Windowed<Buffer>, Buffer> {
    return this.#collect(timeFrom, timeTo, backward, null, null);
  }

  /**
   * Windows starting in the time range with keys in the key range, in Kafka's RocksDB order: segment by segment
   * (oldest first), and inside a segment by stored bytes (`key ‖ windowStart ‖ seqnum`, so key first); backward is
   * the exact reverse. (The in-memory store orders by window start first, as Kafka's does.)
   */
  #collect(timeFrom: number, timeTo: number, backward: boolean, keyFrom: Buffer | null, keyTo: Buffer | null): KeyValueIterator<Windowed<Buffer>, Buffer> {
    const minTime = this.#minLiveTime(timeFrom);
    const found: Array<{ start: number; key: Buffer; value: Buffer }> = [];
    if (timeTo >= minTime) {
      for (const segment of this.segments.segments(minTime, timeTo, false)) {
        const it = keyFrom === null && keyTo === null ? segment.all() : segment.range(keyFrom === null ? null : windowStoreKey(keyFrom, 0, 0), null);
        try {
          for (const kv of it) {
            const parsed = parseWindowStoreKey(kv.key);
            if (keyTo !== null && compareKeys(parsed.key, keyTo) > 0) {
              // key-first layout: every later entry has a larger key (its prefix may compare equal, so check bytes)
              if (compareKeys(kv.key.subarray(0, keyTo.length), keyTo) > 0) break;
              continue;
            }
            if (keyFrom !== null && compareKeys(parsed.key, keyFrom) < 0) continue;
            if (parsed.windowStart < minTime || parsed.windowStart > timeTo) continue;
            found.push({ start: parsed.windowStart, key: Buffer.from(parsed.key), value: kv.value });
          }
        } finally {
          it.close();
        }
      }
    }
    if (backward) found.reverse();
    const size = Math.max(1, this.windowSizeMs);
    const windows = new Map<number, TimeWindow>();
    const out = found.map(({ start, key, value }) => {
      let window = windows.get(start);
      if (window === undefined) windows.set(start, (window = new TimeWindow(start, start + size)));
      return { key: new Windowed(key, window), value };
    });
    return new ArrayKeyValueIterator(this.name, out);
  }

  #minLiveTime(timeFrom: number): number {
    this.checkOpen();
    return Math.max(timeFrom, this.#observedStreamTime - this.retentionPeriodMs + 1, 0);
  }

}

/** The supplier of a persistent window store (`Stores.persistentWindowStore`), validated as Kafka validates it. */
export function persistentWindowStoreSupplier(name: string, retentionPeriodMs: number, windowSizeMs: number, retainDuplicates: boolean): WindowBytesStoreSupplier {
  if (typeof name !== 'string' || name.length === 0) throw new IllegalArgumentException('store name cannot be null or empty');
  if (retentionPeriodMs < 0) throw new IllegalArgumentException('retentionPeriod cannot be negative');
  if (windowSizeMs < 0) throw new IllegalArgumentException('windowSize cannot be negative');
  if (windowSizeMs > retentionPeriodMs) {
    throw new IllegalArgumentException(
      `The retention period of the window store ${name} must be no smaller than its window size. Got size=[${windowSizeMs}], retention=[${retentionPeriodMs}]`,
    );
  }
  const segmentIntervalMs = defaultSegmentInterval(retentionPeriodMs);
  return Object.freeze({
    name,
    get: () => new RocksDBWindowStore(name, retentionPeriodMs, windowSizeMs, retainDuplicates, segmentIntervalMs),
    metricsScope: () => 'rocksdb-window',
    windowSize: () => windowSizeMs,
    retentionPeriod: () => retentionPeriodMs,
    retainDuplicates: () => retainDuplicates,
    segmentIntervalMs: () => segmentIntervalMs,
  });
}
