/**
 * Durations and timestamps at the API edge: users pass milliseconds, luxon `Duration`s, `Date`s or luxon
 * `DateTime`s; everything inside runs on plain millisecond numbers.
 */
import { DateTime, Duration } from 'luxon';
import { IllegalArgumentException } from '../errors';

/** A duration given as milliseconds or as a luxon `Duration`. */
export type DurationLike = number | Duration;

/** A point in time given as epoch milliseconds, a `Date` or a luxon `DateTime`. */
export type TimestampLike = number | Date | DateTime;

/** Converts a duration to whole milliseconds; `what` names the argument in the error. */
export function durationMs(d: DurationLike, what = 'duration'): number {
  const ms = typeof d === 'number' ? d : Duration.isDuration(d) ? d.toMillis() : Number.NaN;
  if (!Number.isFinite(ms) || !Number.isInteger(ms)) {
    throw new IllegalArgumentException(`${what} must be a whole number of milliseconds or a luxon Duration, got ${String(d)}`);
  }
  return ms;
}

/** Converts a timestamp to epoch milliseconds; `what` names the argument in the error. */
export function timestampMs(t: TimestampLike, what = 'timestamp'): number {
  let ms: number;
  if (typeof t === 'number') ms = t;
  else if (t instanceof Date) ms = t.getTime();
  else if (DateTime.isDateTime(t)) ms = t.toMillis();
  else ms = Number.NaN;
  if (!Number.isFinite(ms) || !Number.isInteger(ms)) {
    throw new IllegalArgumentException(`${what} must be epoch milliseconds, a Date or a luxon DateTime, got ${String(t)}`);
  }
  return ms;
}
