/**
 * The in-memory window store over bytes (Kafka's `InMemoryWindowStore`): one map of keys per window start, window
 * starts kept sorted. The store tracks its own stream time (the largest window start written): writes to windows
 * that start at or before `streamTime - retention` are dropped ("Skipping record for expired segment."), and
 * windows past retention are removed on every write and hidden from reads.
 */
import { log } from '../../logger';
import { Windowed } from '../../dsl/windows/windowed';
import { TimeWindow } from '../../dsl/windows/window';
import { compareKeys, keyString } from '../key-bytes';
import { storeNotOpen } from '../store-errors';
import type { KeyValue, KeyValueIterator, StateStore, StateStoreContext } from '../state-store';
import { ArrayKeyValueIterator } from './array-iterators';
import { parseWindowStoreKey } from './window-key-schema';
import type { WindowBytesStore, WindowStoreIterator } from './window-store';

interface Slot {
  readonly key: Buffer;
  /** One value, or several when the store retains duplicates (stream-stream joins). */
  values: Buffer[];
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

export class InMemoryWindowStore implements WindowBytesStore {
  readonly #segments = new Map<number, Map<string, Slot>>();
  /** Window starts present in `#segments`, ascending. */
  #starts: number[] = [];
  #observedStreamTime = -1;
  #open = false;
  #lastKey: Buffer | null = null;
  #lastKeyStr = '';

  constructor(
    readonly name: string,
    readonly retentionPeriodMs: number,
    readonly windowSizeMs: number,
    readonly retainDuplicates: boolean,
  ) {}

  init(context: StateStoreContext, root: StateStore): void {
    context.register(root, (records) => {
      for (const r of records) {
        const { key, windowStart } = parseWindowStoreKey(r.key);
        this.put(Buffer.from(key), r.value, windowStart);
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
    this.#segments.clear();
    this.#starts = [];
    this.#open = false;
  }

  /** The largest window start written so far (-1 before the first write). */
  get observedStreamTime(): number {
    return this.#observedStreamTime;
  }

  put(key: Buffer, value: Buffer | null, windowStart: number): void {
    this.#checkOpen();
    this.#removeExpiredSegments();
    if (windowStart > this.#observedStreamTime) this.#observedStreamTime = windowStart;
    if (windowStart <= this.#observedStreamTime - this.retentionPeriodMs) {
      log.warn('Skipping record for expired segment.');
      return;
    }
    const ks = this.#keyString(key);
    if (value !== null) {
      let segment = this.#segments.get(windowStart);
      if (segment === undefined) {
        segment = new Map();
        this.#segments.set(windowStart, segment);
        const at = lowerBound(this.#starts, windowStart);
        this.#starts.splice(at, 0, windowStart);
      }
      const slot = segment.get(ks);
      if (slot === undefined) segment.set(ks, { key: Buffer.from(key), values: [value] });
      else if (this.retainDuplicates) slot.values.push(value);
      else slot.values[0] = value;
    } else if (!this.retainDuplicates) {
      const segment = this.#segments.get(windowStart);
      if (segment !== undefined) {
        segment.delete(ks);
        if (segment.size === 0) {
          this.#segments.delete(windowStart);
          this.#starts.splice(lowerBound(this.#starts, windowStart), 1);
        }
      }
    }
    this.#removeExpiredSegments();
  }

  fetchWindow(key: Buffer, windowStart: number): Buffer | null {
    this.#checkOpen();
    this.#removeExpiredSegments();
    if (windowStart <= this.#observedStreamTime - this.retentionPeriodMs) return null;
    const slot = this.#segments.get(windowStart)?.get(this.#keyString(key));
    return slot === undefined ? null : slot.values[0]!;
  }

  fetchKey(key: Buffer, timeFrom: number, timeTo: number, backward: boolean): WindowStoreIterator<Buffer> {
    const ks = this.#keyString(key);
    const out: KeyValue<number, Buffer>[] = [];
    for (const start of this.#startsIn(timeFrom, timeTo)) {
      const slot = this.#segments.get(start)!.get(ks);
      if (slot !== undefined) for (const v of slot.values) out.push({ key: start, value: v });
    }
    if (backward) out.reverse();
    return new ArrayKeyValueIterator(this.name, out);
  }

  fetchKeyRange(keyFrom: Buffer | null, keyTo: Buffer | null, timeFrom: number, timeTo: number, backward: boolean): KeyValueIterator<Windowed<Buffer>, Buffer> {
    if (keyFrom !== null && keyTo !== null && compareKeys(keyFrom, keyTo) > 0) {
      log.warn(
        'Returning empty iterator for fetch with invalid key range: from > to. ' +
          'This may be due to range arguments set in the wrong order, ' +
          "or serdes that don't preserve ordering when lexicographically comparing the serialized bytes. " +
          'Note that the built-in numerical serdes do not follow this for negative numbers',
      );
      return new ArrayKeyValueIterator(this.name, []);
    }
    const from = keyFrom === null ? null : keyString(keyFrom);
    const to = keyTo === null ? null : keyString(keyTo);
    return this.#collect(timeFrom, timeTo, backward, (ks) => (from === null || ks >= from) && (to === null || ks <= to));
  }

  fetchAllWindows(timeFrom: number, timeTo: number, backward: boolean): KeyValueIterator<Windowed<Buffer>, Buffer> {
    return this.#collect(timeFrom, timeTo, backward, () => true);
  }

  #collect(timeFrom: number, timeTo: number, backward: boolean, keep: (ks: string) => boolean): KeyValueIterator<Windowed<Buffer>, Buffer> {
    const out: KeyValue<Windowed<Buffer>, Buffer>[] = [];
    for (const start of this.#startsIn(timeFrom, timeTo)) {
      const segment = this.#segments.get(start)!;
      const keys = [...segment.keys()].filter(keep).sort();
      const window = new TimeWindow(start, start + Math.max(1, this.windowSizeMs));
      for (const ks of keys) {
        const slot = segment.get(ks)!;
        for (const v of slot.values) out.push({ key: new Windowed(slot.key, window), value: v });
      }
    }
    if (backward) out.reverse();
    return new ArrayKeyValueIterator(this.name, out);
  }

  /** Live window starts in `[timeFrom, timeTo]`, ascending. */
  #startsIn(timeFrom: number, timeTo: number): number[] {
    this.#checkOpen();
    this.#removeExpiredSegments();
    const minTime = Math.max(timeFrom, this.#observedStreamTime - this.retentionPeriodMs + 1);
    if (timeTo < minTime) return [];
    const lo = lowerBound(this.#starts, minTime);
    const hi = lowerBound(this.#starts, timeTo + 1);
    return this.#starts.slice(lo, hi);
  }

  /** The latin1 key string; the metered layer hands the same buffer for consecutive calls on one key. */
  #keyString(key: Buffer): string {
    if (key !== this.#lastKey) {
      this.#lastKey = key;
      this.#lastKeyStr = keyString(key);
    }
    return this.#lastKeyStr;
  }

  #removeExpiredSegments(): void {
    const minLiveTime = Math.max(0, this.#observedStreamTime - this.retentionPeriodMs + 1);
    let n = 0;
    while (n < this.#starts.length && this.#starts[n]! < minLiveTime) this.#segments.delete(this.#starts[n++]!);
    if (n > 0) this.#starts = this.#starts.slice(n);
  }

  #checkOpen(): void {
    if (!this.#open) throw storeNotOpen(this.name);
  }
}
