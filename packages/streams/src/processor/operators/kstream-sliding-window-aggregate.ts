/**
 * `TimeWindowedKStream` aggregations over `SlidingWindows` (Kafka's `KStreamSlidingWindowAggregate`). Each
 * record `t` updates every existing window of its key that contains it, creates its own left window
 * `[t - d, t]` (seeded with the aggregate of the records already in it) and, when a later record exists within
 * `d`, its right window `[t + 1, t + 1 + d]`; it may also create the right window of the previous record.
 * Records before `d` go into the `[0, d]` window (no negative starts). A record is dropped when
 * `t + d < observedStreamTime - grace`.
 */
import { IllegalArgumentException, IllegalStateException } from '../../errors';
import { log } from '../../logger';
import type { EmitStrategy } from '../../dsl/windows/emit-strategy';
import type { SlidingWindows } from '../../dsl/windows/sliding-windows';
import { TimeWindow, type Window } from '../../dsl/windows/window';
import type { Windowed } from '../../dsl/windows/windowed';
import { ValueAndTimestamp } from '../../state/value-and-timestamp';
import type { Processor } from '../api';
import type { Record } from '../record';
import type { Change } from './change';
import type { Aggregator, Initializer } from './functions';
import { AbstractTimeWindowAggregateProcessor, type WindowCloseDefinition } from './kstream-time-window-aggregate-base';

export class KStreamSlidingWindowAggregateSupplier<K, V, VA> implements WindowCloseDefinition {
  sendOldValues = false;

  constructor(
    readonly windows: SlidingWindows,
    readonly storeName: string,
    readonly emitStrategy: EmitStrategy,
    private readonly initializer: Initializer<VA | null>,
    private readonly aggregator: Aggregator<K, V, VA | null>,
  ) {}

  enableSendingOldValues(): boolean {
    this.sendOldValues = true;
    return true;
  }

  windowCloseDelayMs(): number {
    return this.windows.gracePeriodMs();
  }

  get(): Processor<K, V, Windowed<K>, Change<VA>> {
    return new KStreamSlidingWindowAggregate(this.windows, this.storeName, this.emitStrategy, this.sendOldValues, this.initializer, this.aggregator);
  }
}

type Agg<VA> = ValueAndTimestamp<VA>;

class KStreamSlidingWindowAggregate<K, V, VA> extends AbstractTimeWindowAggregateProcessor<K, V, VA> {
  readonly #d: number;

  constructor(
    private readonly windows: SlidingWindows,
    storeName: string,
    emitStrategy: EmitStrategy,
    sendOldValues: boolean,
    private readonly initializer: Initializer<VA | null>,
    private readonly aggregator: Aggregator<K, V, VA | null>,
  ) {
    super(storeName, emitStrategy, sendOldValues);
    this.#d = windows.timeDifferenceMs;
  }

  protected gracePeriodMs(): number {
    return this.windows.gracePeriodMs();
  }

  process(record: Record<K, V>): void {
    if (record.key == null || record.value == null) {
      const m = this.context.recordMetadata();
      if (m !== null) log.warn(`Skipping record due to null key or value. topic=[${m.topic}] partition=[${m.partition}] offset=[${m.offset}]`);
      else log.warn('Skipping record due to null key or value. Topic, partition, and offset not known.');
      this.countDropped();
      return;
    }
    const ts = record.timestamp;
    this.updateObservedStreamTime(ts);
    const closeTime = this.observedStreamTime - this.windows.gracePeriodMs();
    if (ts + this.#d < closeTime) {
      this.logSkippedRecordForExpiredWindow(ts, closeTime, `[${ts},${ts + this.#d}]`);
      return;
    }
    if (ts < this.#d) this.#processEarly(record, closeTime);
    else this.#processReverse(record, closeTime);
    this.maybeForwardFinalResult(record, closeTime);
  }

  #processReverse(record: Record<K, V>, closeTime: number): void {
    const ts = record.timestamp;
    const starts = new Set<number>();
    let leftWinAgg: Agg<VA> | null = null;
    let rightWinAgg: Agg<VA> | null = null;
    let leftWinAlreadyCreated = false;
    let rightWinAlreadyCreated = false;
    let previousRecordTimestamp: number | null = null;
    const it = this.windowStore.backwardFetch(record.key, Math.max(0, ts - 2 * this.#d), ts + 1);
    try {
      for (let r = it.next(); !r.done; r = it.next()) {
        const startTime = r.value.key;
        const agg = r.value.value;
        starts.add(startTime);
        const endTime = startTime + this.#d;
        const windowMaxRecordTimestamp = agg.timestamp;
        if (startTime === ts + 1) {
          rightWinAlreadyCreated = true;
        } else if (endTime > ts) {
          if (rightWinAgg === null) rightWinAgg = agg;
          this.#updateWindowAndForward(new TimeWindow(startTime, endTime), agg, record, closeTime);
        } else if (endTime === ts) {
          leftWinAlreadyCreated = true;
          this.#updateWindowAndForward(new TimeWindow(startTime, endTime), agg, record, closeTime);
          if (windowMaxRecordTimestamp < ts) previousRecordTimestamp = windowMaxRecordTimestamp;
          else return;
        } else if (endTime < ts) {
          leftWinAgg = agg;
          previousRecordTimestamp = windowMaxRecordTimestamp;
          break;
        } else {
          throw this.#unexpected(startTime, ts);
        }
      }
    } finally {
      it.close();
    }
    this.#createWindows(record, closeTime, starts, rightWinAgg, leftWinAgg, leftWinAlreadyCreated, rightWinAlreadyCreated, previousRecordTimestamp);
  }

  /** Records with `0 <= t < d` share the `[0, d]` window instead of windows with negative starts. */
  #processEarly(record: Record<K, V>, closeTime: number): void {
    const ts = record.timestamp;
    if (ts < 0 || ts >= this.#d) {
      throw new IllegalArgumentException('Early record for sliding windows must fall between fall between 0 <= inputRecordTimestamp');
    }
    let combined: { start: number; agg: Agg<VA> } | null = null;
    let rightWinAgg: Agg<VA> | null = null;
    let rightWinAlreadyCreated = false;
    const starts = new Set<number>();
    let previousRecordTimestamp: number | null = null;
    const it = this.windowStore.fetch(record.key, 0, ts + 1);
    try {
      for (let r = it.next(); !r.done; r = it.next()) {
        const startTime = r.value.key;
        const agg = r.value.value;
        starts.add(startTime);
        if (startTime === 0) {
          combined = { start: 0, agg };
          if (agg.timestamp < ts) previousRecordTimestamp = agg.timestamp;
        } else if (startTime <= ts) {
          rightWinAgg = agg;
          this.#updateWindowAndForward(new TimeWindow(startTime, startTime + this.#d), agg, record, closeTime);
        } else if (startTime === ts + 1) {
          rightWinAlreadyCreated = true;
        } else {
          throw this.#unexpected(startTime, ts);
        }
      }
    } finally {
      it.close();
    }
    if (rightWinAgg === null && combined !== null && combined.agg.timestamp > ts) rightWinAgg = combined.agg;
    if (!rightWinAlreadyCreated && this.#rightWindowIsNotEmpty(rightWinAgg, ts)) this.#createCurrentRecordRightWindow(ts, rightWinAgg!, record);
    if (previousRecordTimestamp !== null && !starts.has(previousRecordTimestamp + 1)) {
      this.#createPreviousRecordRightWindow(previousRecordTimestamp + 1, record, closeTime);
    }
    if (combined === null) {
      this.#updateWindowAndForward(new TimeWindow(0, this.#d), ValueAndTimestamp.make(this.initializer(), ts), record, closeTime);
    } else {
      this.#updateWindowAndForward(new TimeWindow(0, this.#d), combined.agg, record, closeTime);
    }
  }

  #createWindows(
    record: Record<K, V>,
    closeTime: number,
    starts: Set<number>,
    rightWinAgg: Agg<VA> | null,
    leftWinAgg: Agg<VA> | null,
    leftWinAlreadyCreated: boolean,
    rightWinAlreadyCreated: boolean,
    previousRecordTimestamp: number | null,
  ): void {
    const ts = record.timestamp;
    if (previousRecordTimestamp !== null) {
      const previousRightWinStart = previousRecordTimestamp + 1;
      if (!starts.has(previousRightWinStart) && previousRightWinStart + this.#d >= ts) {
        this.#createPreviousRecordRightWindow(previousRightWinStart, record, closeTime);
      }
    }
    if (!leftWinAlreadyCreated) {
      const leftNotEmpty = previousRecordTimestamp !== null && ts - this.#d <= previousRecordTimestamp;
      const valueAndTime = leftNotEmpty ? ValueAndTimestamp.make(leftWinAgg!.value, ts) : ValueAndTimestamp.make(this.initializer(), ts);
      this.#updateWindowAndForward(new TimeWindow(ts - this.#d, ts), valueAndTime, record, closeTime);
    }
    if (!rightWinAlreadyCreated && this.#rightWindowIsNotEmpty(rightWinAgg, ts)) this.#createCurrentRecordRightWindow(ts, rightWinAgg!, record);
  }

  #createCurrentRecordRightWindow(ts: number, rightWinAgg: Agg<VA>, record: Record<K, V>): void {
    const window = new TimeWindow(ts + 1, ts + 1 + this.#d);
    this.windowStore.put(record.key, rightWinAgg, window.start());
    this.maybeForwardUpdate(record, window, null, rightWinAgg.value, rightWinAgg.timestamp);
  }

  #createPreviousRecordRightWindow(windowStart: number, record: Record<K, V>, closeTime: number): void {
    const window = new TimeWindow(windowStart, windowStart + this.#d);
    this.#updateWindowAndForward(window, ValueAndTimestamp.make(this.initializer(), record.timestamp), record, closeTime);
  }

  #rightWindowIsNotEmpty(rightWinAgg: Agg<VA> | null, ts: number): boolean {
    return rightWinAgg !== null && rightWinAgg.timestamp > ts;
  }

  /** `valueAndTime` may be null: the window is new and its initial aggregate is null (reduce). */
  #updateWindowAndForward(window: Window, valueAndTime: Agg<VA> | null, record: Record<K, V>, closeTime: number): void {
    const start = window.start();
    const end = window.end();
    if (end >= closeTime) {
      const oldAgg = valueAndTime === null ? null : valueAndTime.value;
      const newAgg = this.aggregator(record.key, record.value, oldAgg) as VA;
      const newTimestamp = oldAgg === null ? record.timestamp : Math.max(record.timestamp, valueAndTime!.timestamp);
      this.windowStore.put(record.key, ValueAndTimestamp.make(newAgg, newTimestamp), start);
      this.maybeForwardUpdate(record, window, oldAgg, newAgg, newTimestamp);
    } else {
      this.logSkippedRecordForExpiredWindow(record.timestamp, closeTime, `[${start},${end}]`);
    }
  }

  #unexpected(startTime: number, ts: number): IllegalStateException {
    log.error(`Unexpected window with start ${startTime} found when processing record at ${ts} in \`KStreamSlidingWindowAggregate\`.`);
    return new IllegalStateException('Unexpected window found when processing sliding windows');
  }

  protected emitRangeLowerBound(): number {
    return this.lastEmitWindowCloseTime === -1 ? 0 : Math.max(0, this.lastEmitWindowCloseTime - this.#d);
  }

  protected emitRangeUpperBound(windowCloseTime: number): number {
    return windowCloseTime - this.#d - 1;
  }

  protected shouldRangeFetch(): boolean {
    return true;
  }
}
