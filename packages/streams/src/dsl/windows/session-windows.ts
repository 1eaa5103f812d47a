/**
 * `SessionWindows`: per-key windows of activity separated by gaps of at least `inactivityGap`. A record at `t`
 * merges every session of its key that ends at or after `t - gap` and starts at or before `t + gap`; the merged
 * session replaces them (Kafka emits a tombstone for each replaced session). A record is dropped when its
 * (merged) session ends before `streamTime - gap - grace`.
 */
import { IllegalArgumentException } from '../../errors';
import type { DurationLike } from '../../time/duration';
import { durationMs } from '../../time/duration';

export class SessionWindows {
  private constructor(
    readonly gapMs: number,
    readonly graceMs: number,
  ) {
    if (gapMs <= 0) throw new IllegalArgumentException('Gap time cannot be zero or negative.');
    if (graceMs < 0) throw new IllegalArgumentException('Grace period must not be negative.');
  }

  /** Sessions closed by `inactivityGap` without grace. */
  static ofInactivityGapWithNoGrace(inactivityGap: DurationLike): SessionWindows {
    return SessionWindows.ofInactivityGapAndGrace(inactivityGap, 0);
  }

  /** Sessions closed by `inactivityGap`, accepting records until `afterWindowEnd` past a session's close. */
  static ofInactivityGapAndGrace(inactivityGap: DurationLike, afterWindowEnd: DurationLike): SessionWindows {
    return new SessionWindows(durationMs(inactivityGap, 'inactivityGap'), durationMs(afterWindowEnd, 'afterWindowEnd'));
  }

  inactivityGap(): number {
    return this.gapMs;
  }

  gracePeriodMs(): number {
    return this.graceMs;
  }

  toString(): string {
    return `SessionWindows{gapMs=${this.gapMs}, graceMs=${this.graceMs}}`;
  }
}
