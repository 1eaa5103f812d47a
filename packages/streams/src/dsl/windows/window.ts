/**
 * Windows as time intervals (Kafka's `Window`, `TimeWindow`, `SessionWindow`): a time window is half-open
 * `[start, end)`, a session window closed `[start, end]`. Bounds are epoch milliseconds.
 */
import { DateTime } from 'luxon';
import { IllegalArgumentException } from '../../errors';

/** A time interval with a start and an end in epoch milliseconds. */
export abstract class Window {
  constructor(
    protected readonly startMs: number,
    protected readonly endMs: number,
  ) {
    if (startMs < 0) throw new IllegalArgumentException('Window startMs time cannot be negative.');
    if (endMs < startMs) throw new IllegalArgumentException('Window endMs time cannot be smaller than window startMs time.');
  }

  /** Start of the window in epoch milliseconds. */
  start(): number {
    return this.startMs;
  }

  /** End of the window in epoch milliseconds. */
  end(): number {
    return this.endMs;
  }

  /** Start as a luxon `DateTime` (UTC). */
  startTime(): DateTime {
    return DateTime.fromMillis(this.startMs, { zone: 'utc' });
  }

  /** End as a luxon `DateTime` (UTC). */
  endTime(): DateTime {
    return DateTime.fromMillis(this.endMs, { zone: 'utc' });
  }

  /** Whether this window overlaps another of the same type. */
  abstract overlap(other: Window): boolean;

  equals(other: unknown): boolean {
    return other instanceof Window && other.constructor === this.constructor && other.startMs === this.startMs && other.endMs === this.endMs;
  }

  toString(): string {
    return `Window{startMs=${this.startMs}, endMs=${this.endMs}}`;
  }
}

/** A time window `[start, end)` (tumbling, hopping, and sliding windows). */
export class TimeWindow extends Window {
  constructor(startMs: number, endMs: number) {
    super(startMs, endMs);
    if (startMs === endMs) throw new IllegalArgumentException('Window endMs must be greater than window startMs.');
  }

  overlap(other: Window): boolean {
    if (!(other instanceof TimeWindow)) {
      throw new IllegalArgumentException(`Cannot compare windows of different type. Other window has type ${other.constructor.name}.`);
    }
    return this.startMs < other.endMs && other.startMs < this.endMs;
  }
}

/** A session window `[start, end]`: both bounds are record timestamps of the session. */
export class SessionWindow extends Window {
  overlap(other: Window): boolean {
    if (!(other instanceof SessionWindow)) {
      throw new IllegalArgumentException(`Cannot compare windows of different type. Other window has type ${other.constructor.name}.`);
    }
    return !(this.startMs > other.endMs || other.startMs > this.endMs);
  }
}
