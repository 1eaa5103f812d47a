/**
 * Time segments of a persistent window or session store (Kafka's `KeyValueSegments`): one RocksDB database per
 * `segmentInterval` of time at `<taskDir>/<store>/<store>.<segmentStartMs>`, so that expiring old data is closing a
 * database and deleting its directory instead of deleting keys one by one. A segment is live while it may hold
 * data newer than `streamTime - retention`.
 */
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ProcessorStateException } from '../../errors';
import { storeNotOpen } from '../store-errors';
import type { RestoreCallback, StateStore, StateStoreContext } from '../state-store';
import { RocksDBStore } from './rocksdb-store';

/** Kafka's default segment interval for a retention: `max(retention / 2, 60000)`. */
export function defaultSegmentInterval(retentionPeriodMs: number): number {
  return Math.max(Math.floor(retentionPeriodMs / 2), 60_000);
}

export class RocksDBSegments {
  readonly #segments = new Map<number, RocksDBStore>();
  #directory: string | null = null;
  #context: StateStoreContext | null = null;
  #root: StateStore | null = null;

  constructor(
    readonly storeName: string,
    readonly retentionPeriodMs: number,
    readonly segmentIntervalMs: number,
  ) {}

  segmentId(timestamp: number): number {
    return Math.floor(timestamp / this.segmentIntervalMs);
  }

  /** Opens the segments a previous run left in the store directory. */
  openExisting(context: StateStoreContext, root: StateStore): void {
    if (context.stateDir === null) {
      throw new ProcessorStateException(`Persistent store ${this.storeName} needs a state directory, but task ${context.taskId} has none`);
    }
    this.#context = context;
    this.#root = root;
    this.#directory = join(context.stateDir, this.storeName);
    mkdirSync(this.#directory, { recursive: true });
    const prefix = `${this.storeName}.`;
    for (const entry of readdirSync(this.#directory)) {
      if (!entry.startsWith(prefix)) continue;
      const start = Number(entry.slice(prefix.length));
      if (!Number.isInteger(start) || start % this.segmentIntervalMs !== 0) continue;
      this.#open(start / this.segmentIntervalMs);
    }
  }

  #open(segmentId: number): RocksDBStore {
    const location = join(this.#directory!, `${this.storeName}.${segmentId * this.segmentIntervalMs}`);
    const segment = new RocksDBStore(`${this.storeName}.${segmentId * this.segmentIntervalMs}`, { location });
    segment.init(this.#context!, this.#root!);
    this.#segments.set(segmentId, segment);
    return segment;
  }

  /** The segment for `segmentId`, created if it is still live at `streamTime`; null when it has expired. */
  getOrCreateSegmentIfLive(segmentId: number, streamTime: number): RocksDBStore | null {
    const minLiveSegment = this.segmentId(streamTime - this.retentionPeriodMs);
    if (segmentId < minLiveSegment) return null;
    const segment = this.#segments.get(segmentId) ?? this.#open(segmentId);
    this.cleanupEarlierThan(minLiveSegment);
    return segment;
  }

  /** The segment for `segmentId` if it exists. */
  getSegment(segmentId: number): RocksDBStore | null {
    return this.#segments.get(segmentId) ?? null;
  }

  /** Existing segments overlapping `[timeFrom, timeTo]`, oldest first (newest first when `backward`). */
  segments(timeFrom: number, timeTo: number, backward: boolean): RocksDBStore[] {
    const lo = this.segmentId(Math.max(0, timeFrom));
    const hi = this.segmentId(timeTo);
    const ids = [...this.#segments.keys()].filter((id) => id >= lo && id <= hi).sort((a, b) => a - b);
    if (backward) ids.reverse();
    return ids.map((id) => this.#segments.get(id)!);
  }

  all(): RocksDBStore[] {
    return [...this.#segments.entries()].sort((a, b) => a[0] - b[0]).map(([, s]) => s);
  }

  /** Closes and deletes every segment older than `minLiveSegment`. */
  cleanupEarlierThan(minLiveSegment: number): void {
    for (const [id, segment] of [...this.#segments]) {
      if (id >= minLiveSegment) continue;
      this.#segments.delete(id);
      const location = segment.location;
      segment.close();
      if (location !== null && existsSync(location)) rmSync(location, { recursive: true, force: true });
    }
  }

  flush(): void {
    for (const s of this.#segments.values()) s.flush();
  }

  close(): void {
    let failure: unknown = null;
    for (const s of this.#segments.values()) {
      try {
        s.close();
      } catch (e) {
        failure ??= e;
      }
    }
    this.#segments.clear();
    if (failure !== null) throw failure;
  }
}

/**
 * The lifecycle every segmented store shares: open the segments left on disk, register for restoration, flush and
 * close them all, and refuse use after close.
 */
export abstract class SegmentedRocksDBStore implements StateStore {
  protected readonly segments: RocksDBSegments;
  #open = false;

  constructor(
    readonly name: string,
    readonly retentionPeriodMs: number,
    segmentIntervalMs: number,
  ) {
    this.segments = new RocksDBSegments(name, retentionPeriodMs, segmentIntervalMs);
  }

  /** Applies one changelog record (key in the store's key schema) during restoration. */
  protected abstract restoreRecord(key: Buffer, value: Buffer | null): void;

  init(context: StateStoreContext, root: StateStore): void {
    this.segments.openExisting(context, root);
    this.#open = true;
    const restore: RestoreCallback = (records) => {
      for (const r of records) this.restoreRecord(r.key, r.value);
      this.segments.flush();
    };
    context.register(root, restore);
  }

  persistent(): boolean {
    return true;
  }

  isOpen(): boolean {
    return this.#open;
  }

  flush(): void {
    this.checkOpen();
    this.segments.flush();
  }

  close(): void {
    if (!this.#open) return;
    this.#open = false;
    this.segments.close();
  }

  protected checkOpen(): void {
    if (!this.#open) throw storeNotOpen(this.name);
  }
}
