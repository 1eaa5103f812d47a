/**
 * `SlidingWindows` (KIP-450): windows of a fixed time difference aligned to the data. Every record `t` defines a
 * left window `[t - d, t]` and, when another record follows within `d`, a right window `[t + 1, t + 1 + d]`;
 * both bounds are inclusive. Only windows containing at least one record exist, so one record updates every
 * window it falls into but no empty window is ever emitted. A record is dropped once `streamTime > t + d + grace`.
 */
import { IllegalArgumentException } from '../../errors';
import type { DurationLike } from '../../time/duration';
import { durationMs } from '../../time/duration';

export class SlidingWindows {
  private constructor(
    readonly timeDifferenceMs: number,
    readonly graceMs: number,
  ) {
    if (timeDifferenceMs < 0) throw new IllegalArgumentException('Window time difference must not be negative.');
    if (graceMs < 0) throw new IllegalArgumentException('Window grace period must not be negative.');
  }

  /** Sliding windows of `timeDifference` without grace. */
  static ofTimeDifferenceWithNoGrace(timeDifference: DurationLike): SlidingWindows {
    return SlidingWindows.ofTimeDifferenceAndGrace(timeDifference, 0);
  }

  /** Sliding windows of `timeDifference` accepting records until `afterWindowEnd` past a window's end. */
  static ofTimeDifferenceAndGrace(timeDifference: DurationLike, afterWindowEnd: DurationLike): SlidingWindows {
    return new SlidingWindows(durationMs(timeDifference, 'timeDifference'), durationMs(afterWindowEnd, 'afterWindowEnd'));
  }

  gracePeriodMs(): number {
    return this.graceMs;
  }

  toString(): string {
    return `SlidingWindows{, sizeMs=${this.timeDifferenceMs}, graceMs=${this.graceMs}}`;
  }
}
