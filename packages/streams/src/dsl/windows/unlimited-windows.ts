/**
 * `UnlimitedWindows`: one window per key that starts at a fixed time (epoch by default) and never ends (Kafka's
 * `UnlimitedWindows`). Kafka's end is `Long.MAX_VALUE`; here it is `Number.MAX_SAFE_INTEGER`, the largest
 * exact millisecond a JavaScript number holds (a deliberate difference, in the README).
 */
import { IllegalArgumentException } from '../../errors';
import { timestampMs, type TimestampLike } from '../../time/duration';
import { Window } from './window';

/** The end of an unlimited window. */
export const UNLIMITED_WINDOW_END = Number.MAX_SAFE_INTEGER;

/** A window `[start, ∞)`: every later record belongs to it. */
export class UnlimitedWindow extends Window {
  constructor(startMs: number) {
    super(startMs, UNLIMITED_WINDOW_END);
  }

  overlap(other: Window): boolean {
    if (!(other instanceof UnlimitedWindow)) {
      throw new IllegalArgumentException(`Cannot compare windows of different type. Other window has type ${other.constructor.name}.`);
    }
    return true;
  }
}

export class UnlimitedWindows {
  private constructor(readonly startMs: number) {
    if (startMs < 0) throw new IllegalArgumentException('Window start time (startMs) cannot be negative.');
  }

  /** One window per key starting at the epoch. */
  static of(): UnlimitedWindows {
    return new UnlimitedWindows(0);
  }

  /** One window per key starting at `start`. */
  static ofStartOn(start: TimestampLike): UnlimitedWindows {
    return new UnlimitedWindows(timestampMs(start, 'start'));
  }

  /** The window containing `timestamp` (none before the start). */
  windowsFor(timestamp: number): Map<number, UnlimitedWindow> {
    const windows = new Map<number, UnlimitedWindow>();
    if (timestamp >= this.startMs) windows.set(this.startMs, new UnlimitedWindow(this.startMs));
    return windows;
  }

  /** Unbounded (`Number.MAX_SAFE_INTEGER`). */
  size(): number {
    return UNLIMITED_WINDOW_END;
  }

  /** Nothing is ever late for a window that never closes. */
  gracePeriodMs(): number {
    return 0;
  }

  toString(): string {
    return `UnlimitedWindows{startMs=${this.startMs}}`;
  }
}
