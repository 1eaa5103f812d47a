/**
 * `JoinWindows`: how far apart in time two records of a stream-stream join may be. A left record at `t` joins
 * right records in `[t - before, t + after]`; the window of a record closes (for left/outer results) once stream
 * time passes its end plus the grace period. Kafka 4's API: `ofTimeDifferenceWithNoGrace`,
 * `ofTimeDifferenceAndGrace`, then optionally `before` / `after` for asymmetric windows.
 *
 * @example
 * ```ts
 * orders.join(payments, (o, p) => ({ ...o, paid: p.amount }), JoinWindows.ofTimeDifferenceAndGrace(60_000, 5_000));
 * ```
 */
import { IllegalArgumentException } from '../../errors';
import type { DurationLike } from '../../time/duration';
import { durationMs } from '../../time/duration';
import { NO_GRACE_PERIOD } from './time-windows';

export class JoinWindows {
  private constructor(
    /** Maximum time difference for a right record before a left record (ms). */
    readonly beforeMs: number,
    /** Maximum time difference for a right record after a left record (ms). */
    readonly afterMs: number,
    readonly graceMs: number,
  ) {
    if (beforeMs + afterMs < 0) throw new IllegalArgumentException('Window interval (ie, beforeMs+afterMs) must not be negative.');
    if (graceMs < 0) throw new IllegalArgumentException('Grace period must not be negative.');
  }

  /** Records at most `timeDifference` apart join; late records within `afterWindowEnd` still join. */
  static ofTimeDifferenceAndGrace(timeDifference: DurationLike, afterWindowEnd: DurationLike): JoinWindows {
    const ms = durationMs(timeDifference, 'timeDifference');
    return new JoinWindows(ms, ms, durationMs(afterWindowEnd, 'afterWindowEnd'));
  }

  /** Records at most `timeDifference` apart join; no grace for late records. */
  static ofTimeDifferenceWithNoGrace(timeDifference: DurationLike): JoinWindows {
    return JoinWindows.ofTimeDifferenceAndGrace(timeDifference, NO_GRACE_PERIOD);
  }

  /** These windows with `before` changed: a right record may be at most this much earlier than a left one. */
  before(timeDifference: DurationLike): JoinWindows {
    return new JoinWindows(durationMs(timeDifference, 'timeDifference'), this.afterMs, this.graceMs);
  }

  /** These windows with `after` changed: a right record may be at most this much later than a left one. */
  after(timeDifference: DurationLike): JoinWindows {
    return new JoinWindows(this.beforeMs, durationMs(timeDifference, 'timeDifference'), this.graceMs);
  }

  /** `before + after`: the window store's window size. */
  size(): number {
    return this.beforeMs + this.afterMs;
  }

  gracePeriodMs(): number {
    return this.graceMs;
  }

  equals(other: unknown): boolean {
    return other instanceof JoinWindows && other.beforeMs === this.beforeMs && other.afterMs === this.afterMs && other.graceMs === this.graceMs;
  }

  toString(): string {
    return `JoinWindows{beforeMs=${this.beforeMs}, afterMs=${this.afterMs}, graceMs=${this.graceMs}}`;
  }
}
