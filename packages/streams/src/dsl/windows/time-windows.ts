/**
 * `TimeWindows`: fixed-size, epoch-aligned windows `[N*advance, N*advance + size)` — tumbling when the advance
 * equals the size (the default), hopping when it is smaller (`advanceBy`). A record belongs to every window
 * containing its timestamp. The grace period says how long after a window's end (in stream time) late records
 * are still accepted: a record is dropped for a window once `streamTime >= windowEnd + grace`.
 *
 * @example
 * ```ts
 * stream.groupByKey().windowedBy(TimeWindows.ofSizeAndGrace(Duration.fromObject({ minutes: 5 }), 30_000)).count();
 * ```
 */
import { IllegalArgumentException } from '../../errors';
import type { DurationLike } from '../../time/duration';
import { durationMs } from '../../time/duration';
import { TimeWindow } from './window';

/** Kafka's `Windows.NO_GRACE_PERIOD`. */
export const NO_GRACE_PERIOD = 0;

export class TimeWindows {
  private constructor(
    /** Window size in milliseconds. */
    readonly sizeMs: number,
    /** Distance between window starts in milliseconds. */
    readonly advanceMs: number,
    readonly graceMs: number,
  ) {
    if (sizeMs <= 0) throw new IllegalArgumentException('Window size (sizeMs) must be larger than zero.');
    if (advanceMs <= 0 || advanceMs > sizeMs) {
      throw new IllegalArgumentException(
        `Window advancement interval should be more than zero and less than window duration which is ${sizeMs} ms, but given advancement interval is: ${advanceMs} ms`,
      );
    }
    if (graceMs < 0) throw new IllegalArgumentException('Grace period must not be negative.');
  }

  /** Tumbling windows of `size` that drop every record arriving after its window ended (no grace). */
  static ofSizeWithNoGrace(size: DurationLike): TimeWindows {
    return TimeWindows.ofSizeAndGrace(size, NO_GRACE_PERIOD);
  }

  /** Tumbling windows of `size` accepting late records until `afterWindowEnd` past the window end. */
  static ofSizeAndGrace(size: DurationLike, afterWindowEnd: DurationLike): TimeWindows {
    const sizeMs = durationMs(size, 'size');
    return new TimeWindows(sizeMs, sizeMs, durationMs(afterWindowEnd, 'afterWindowEnd'));
  }

  /** Hopping windows: a new window starts every `advance` (0 < advance <= size). */
  advanceBy(advance: DurationLike): TimeWindows {
    return new TimeWindows(this.sizeMs, durationMs(advance, 'advance'), this.graceMs);
  }

  /** The windows containing `timestamp`, by start time, in ascending order. */
  windowsFor(timestamp: number): Map<number, TimeWindow> {
    let start = Math.floor(Math.max(0, timestamp - this.sizeMs + this.advanceMs) / this.advanceMs) * this.advanceMs;
    const windows = new Map<number, TimeWindow>();
    while (start <= timestamp) {
      windows.set(start, new TimeWindow(start, start + this.sizeMs));
      start += this.advanceMs;
    }
    return windows;
  }

  size(): number {
    return this.sizeMs;
  }

  gracePeriodMs(): number {
    return this.graceMs;
  }

  toString(): string {
    return `TimeWindows{sizeMs=${this.sizeMs}, advanceMs=${this.advanceMs}, graceMs=${this.graceMs}}`;
  }
}
