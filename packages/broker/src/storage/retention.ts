/**
 * Time and size retention for `cleanup.policy=delete` topics: whole closed segments are removed from the
 * head of the log, and the log start offset moves past them. The active segment is rolled first when all
 * of its data has expired, so an idle topic still empties.
 */
import type { PartitionLog } from './partition-log';

export interface RetentionPolicy {
  retentionMs: number;
  retentionBytes: number;
}

/** Applies retention; returns the number of segments deleted. */
export function applyRetention(log: PartitionLog, policy: RetentionPolicy, now: number): number {
  let deleted = 0;
  if (policy.retentionMs >= 0) {
    const cutoff = now - policy.retentionMs;
    const active = log.active;
    if (active.size > 0 && log.segments.length >= 1 && active.maxTimestamp < cutoff) log.roll();
    while (log.segments.length > 1 && log.segments[0]!.maxTimestamp < cutoff) {
      log.advanceLogStart(log.segments[1]!.baseOffset);
      deleted++;
    }
  }
  if (policy.retentionBytes >= 0) {
    while (log.segments.length > 1 && log.sizeInBytes > policy.retentionBytes) {
      log.advanceLogStart(log.segments[1]!.baseOffset);
      deleted++;
    }
  }
  return deleted;
}
