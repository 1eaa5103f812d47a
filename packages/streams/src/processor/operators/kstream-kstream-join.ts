/**
 * `KStream.join / leftJoin / outerJoin(KStream, JoinWindows)` (Kafka's `KStreamJoinWindow` and
 * `KStreamKStreamJoin{LeftSide,RightSide}`). Each side first passes through a window processor that keeps its
 * records in a window store (retention `before + after + grace`, duplicates retained); a late record the store
 * would drop is counted in `dropped-records`. Each side's join processor then looks up the other side's store
 * in `[t - before, t + after]` (mirrored for the right side) and forwards every match with the larger timestamp.
 *
 * Left/outer results (Kafka's current semantics, no spurious results): an unmatched record waits in the shared
 * outer-join store, is dropped from it when a match arrives, and is emitted with `null` for the other side once
 * stream time has passed its window end plus grace. A record already past that point is emitted at once. The
 * store scan is throttled to once per `__emit.interval.ms.kstreams.outer.join.spurious.results.fix__` of
 * wall-clock time (default 1 s; the test driver sets 0, as Kafka's driver does).
 */
import { log } from '../../logger';
import type { KeyValueStore } from '../../state/state-store';
import { LeftOrRightValue, TimestampedKeyAndJoinSide } from '../../state/timestamped-key-and-join-side';
import type { WindowStore } from '../../state/window/window-store';
import type { Processor, ProcessorContext } from '../api';
import type { Record } from '../record';
import { droppedRecordsSensorOf } from './dropped-records';
import type { ValueJoinerWithKey } from './kstream-ktable-join';

/** Kafka's `InternalConfig.EMIT_INTERVAL_MS_KSTREAMS_OUTER_JOIN_SPURIOUS_RESULTS_FIX`. */
export const EMIT_INTERVAL_MS_KSTREAMS_OUTER_JOIN_SPURIOUS_RESULTS_FIX = '__emit.interval.ms.kstreams.outer.join.spurious.results.fix__';

/** Kafka's `KStreamJoinWindow`: forwards every record and keeps keyed ones in the side's window store. */
export class KStreamJoinWindowSupplier<K, V> {
  constructor(
    private readonly storeName: string,
    /** The store's retention (`before + after + grace`): a record older than stream time minus this is dropped. */
    private readonly retentionMs: number,
  ) {}

  get(): Processor<K, V, K, V> {
    const storeName = this.storeName;
    const retention = this.retentionMs;
    let context!: ProcessorContext<K, V>;
    let store!: WindowStore<K, V>;
    let dropped!: { increment(): void };
    let observed = -1;
    return {
      init(c) {
        context = c;
        store = c.getStateStore<WindowStore<K, V>>(storeName);
        dropped = droppedRecordsSensorOf(c);
      },
      process(record) {
        context.forward(record);
        if (record.key == null) return;
        // the window store drops what is expired at its observed stream time; count it as Kafka's store does
        if (record.timestamp > observed) observed = record.timestamp;
        if (record.timestamp <= observed - retention) dropped.increment();
        store.put(record.key, record.value ?? null, record.timestamp);
      },
    };
  }
}

/** The stream time and earliest pending outer record shared by both sides of one join in one task. */
class TimeTracker {
  emitIntervalMs = 1000;
  streamTime = -1;
  minTime = Number.MAX_SAFE_INTEGER;
  nextTimeToEmit = 0;

  advanceStreamTime(ts: number): void {
    if (ts > this.streamTime) this.streamTime = ts;
  }
  updatedMinTime(ts: number): void {
    if (ts < this.minTime) this.minTime = ts;
  }
}

/** One tracker per task, shared by the join's two processors. */
export class TimeTrackerSupplier {
  readonly #trackers = new Map<string, TimeTracker>();
  get(taskId: string): TimeTracker {
    let t = this.#trackers.get(taskId);
    if (t === undefined) {
      t = new TimeTracker();
      this.#trackers.set(taskId, t);
    }
    return t;
  }
  remove(taskId: string): void {
    this.#trackers.delete(taskId);
  }
}

export interface JoinSideSettings<K, VThis, VOther, VOut> {
  /** The other side's window store. */
  readonly otherWindowStore: string;
  /** Look-back and look-ahead of this side (the right side mirrors the windows). */
  readonly joinBeforeMs: number;
  readonly joinAfterMs: number;
  readonly windowsBeforeMs: number;
  readonly windowsAfterMs: number;
  readonly graceMs: number;
  /** `(key, thisValue, otherValue)`: for the right side, the user's joiner with its value arguments swapped. */
  readonly joiner: ValueJoinerWithKey<K, VThis, VOther | null, VOut>;
  /** Whether unmatched records of this side are emitted (left side of left/outer, right side of outer). */
  readonly outer: boolean;
  readonly outerJoinStore: string | null;
  readonly leftSide: boolean;
  readonly timeTrackers: TimeTrackerSupplier;
}

export class KStreamKStreamJoinSupplier<K, VThis, VOther, VOut> {
  constructor(readonly settings: JoinSideSettings<K, VThis, VOther, VOut>) {}

  get(): Processor<K, VThis, K, VOut> {
    return new KStreamKStreamJoin(this.settings);
  }
}

type OuterStore<K> = KeyValueStore<TimestampedKeyAndJoinSide<K>, LeftOrRightValue<unknown, unknown>>;

class KStreamKStreamJoin<K, VThis, VOther, VOut> implements Processor<K, VThis, K, VOut> {
  #context!: ProcessorContext<K, VOut>;
  #otherStore!: WindowStore<K, VOther>;
  #outerStore: OuterStore<K> | null = null;
  #tracker!: TimeTracker;
  #dropped!: { increment(): void };

  constructor(private readonly s: JoinSideSettings<K, VThis, VOther, VOut>) {}

  init(context: ProcessorContext<K, VOut>): void {
    this.#context = context;
    this.#dropped = droppedRecordsSensorOf(context);
    this.#otherStore = context.getStateStore<WindowStore<K, VOther>>(this.s.otherWindowStore);
    this.#tracker = this.s.timeTrackers.get(context.taskId);
    if (this.s.outerJoinStore !== null) {
      this.#outerStore = context.getStateStore<OuterStore<K>>(this.s.outerJoinStore);
      const configured = Number(context.appConfigs()[EMIT_INTERVAL_MS_KSTREAMS_OUTER_JOIN_SPURIOUS_RESULTS_FIX] ?? 1000);
      this.#tracker.emitIntervalMs = Number.isFinite(configured) ? configured : 1000;
    }
  }

  process(record: Record<K, VThis>): void {
    const s = this.s;
    const ts = record.timestamp;
    this.#tracker.advanceStreamTime(ts);
    if (s.outer && record.key == null && record.value != null) {
      this.#context.forward(record.withValue(s.joiner(record.key, record.value, null)));
      return;
    }
    if (record.key == null || record.value == null) {
      const m = this.#context.recordMetadata();
      log.warn(
        m
          ? `Skipping record due to null key or value. topic=[${m.topic}] partition=[${m.partition}] offset=[${m.offset}]`
          : 'Skipping record due to null key or value. Topic, partition, and offset not known.',
      );
      this.#dropped.increment();
      return;
    }
    if (ts === this.#tracker.streamTime && this.#outerStore !== null) this.#emitNonJoinedOuterRecords(this.#outerStore, record);
    const timeFrom = Math.max(0, ts - s.joinBeforeMs);
    const timeTo = Math.max(0, ts + s.joinAfterMs);
    const it = this.#otherStore.fetch(record.key, timeFrom, timeTo);
    try {
      let matched = false;
      for (const other of it) {
        matched = true;
        if (this.#outerStore !== null) {
          // a pending outer record of the other side now has a match: drop it
          this.#outerStore.putIfAbsent(TimestampedKeyAndJoinSide.make(!s.leftSide, record.key, other.key), null);
        }
        this.#context.forward(record.withValue(s.joiner(record.key, record.value, other.value)).withTimestamp(Math.max(ts, other.key)));
      }
      if (s.outer && !matched) {
        if (this.#outerStore === null || timeTo < this.#tracker.streamTime) {
          this.#context.forward(record.withValue(s.joiner(record.key, record.value, null)));
        } else {
          this.#tracker.updatedMinTime(ts);
          const value = s.leftSide ? LeftOrRightValue.makeLeftValue(record.value) : LeftOrRightValue.makeRightValue(record.value);
          this.#outerStore.put(TimestampedKeyAndJoinSide.make(s.leftSide, record.key, ts), value as LeftOrRightValue<unknown, unknown>);
        }
      }
    } finally {
      it.close();
    }
  }

  #emitNonJoinedOuterRecords(store: OuterStore<K>, record: Record<K, VThis>): void {
    const s = this.s;
    const tracker = this.#tracker;
    // only scan when a pending record might have closed
    if (tracker.minTime + s.joinAfterMs + s.graceMs >= tracker.streamTime) return;
    const now = this.#context.currentSystemTimeMs();
    if (now < tracker.nextTimeToEmit) return;
    tracker.nextTimeToEmit = now + tracker.emitIntervalMs;
    tracker.minTime = Number.MAX_SAFE_INTEGER;
    const it = store.all();
    try {
      let prevKey: TimestampedKeyAndJoinSide<K> | null = null;
      let leftOpen = false;
      let rightOpen = false;
      for (const { key, value } of it) {
        tracker.minTime = key.timestamp;
        if (leftOpen && rightOpen) break;
        const lookBack = key.leftSide ? s.windowsAfterMs : s.windowsBeforeMs;
        if (tracker.minTime + lookBack + s.graceMs >= tracker.streamTime) {
          if (key.leftSide) leftOpen = true;
          else rightOpen = true;
          continue;
        }
        // the joiner of this side takes (key, thisValue, otherValue)
        const thisValue = (s.leftSide ? value.leftValue : value.rightValue) as VThis;
        const otherValue = (s.leftSide ? value.rightValue : value.leftValue) as VOther | null;
        this.#context.forward(record.withKey(key.key).withValue(s.joiner(key.key, thisValue, otherValue)).withTimestamp(key.timestamp));
        if (prevKey !== null && !sameOuterKey(prevKey, key)) store.put(prevKey, null);
        prevKey = key;
      }
      if (prevKey !== null) store.put(prevKey, null);
    } finally {
      it.close();
    }
  }

  close(): void {
    this.s.timeTrackers.remove(this.#context.taskId);
  }
}

function sameOuterKey<K>(a: TimestampedKeyAndJoinSide<K>, b: TimestampedKeyAndJoinSide<K>): boolean {
  return a.timestamp === b.timestamp && a.leftSide === b.leftSide && a.key === b.key;
}
