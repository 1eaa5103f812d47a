/**
 * Opt-in, beyond Kafka Streams: closing windows on idle partitions. In Kafka Streams stream time only moves with
 * new records, so a partition that goes quiet never closes its last windows (suppress and emit-on-close never
 * emit them). With `windowCloseIdleMs` set (>= 0), once a processor has seen no record for that long in
 * wall-clock time, its stream time advances with wall-clock time from where it stopped:
 * `streamTime = lastStreamTime + (now - lastRecordWallClock - windowCloseIdleMs)`. Checked by a wall-clock
 * punctuation; off (-1) by default.
 */
import { ConfigException } from '../../errors';
import { durationMs, type DurationLike } from '../../time/duration';
import { PunctuationType, type ProcessingContext } from '../api';

/** The camelCase config key (no Kafka name: this is a kstreams extension). */
export const WINDOW_CLOSE_IDLE_MS_CONFIG = 'windowCloseIdleMs';

/** The configured idle period in ms, or -1 when the feature is off. */
export function windowCloseIdleMs(appConfigs: Readonly<{ [key: string]: unknown }>): number {
  const raw = appConfigs[WINDOW_CLOSE_IDLE_MS_CONFIG];
  if (raw === undefined || raw === null) return -1;
  const ms = durationMs(raw as DurationLike, WINDOW_CLOSE_IDLE_MS_CONFIG);
  if (ms < -1) throw new ConfigException(`Invalid value ${ms} for configuration ${WINDOW_CLOSE_IDLE_MS_CONFIG}: must be -1 (off) or at least 0`);
  return ms;
}

/** Advances a processor's stream time while its input is idle; calls `advance(streamTime)` when it moved. */
export class IdleStreamTimeAdvancer {
  #lastRecordWallClock = -1;
  #lastStreamTime = -1;

  private constructor(
    private readonly context: ProcessingContext,
    private readonly idleMs: number,
    private readonly advance: (streamTime: number) => void,
  ) {
    context.schedule(Math.max(1, Math.min(idleMs, 1000)), PunctuationType.WALL_CLOCK_TIME, (now) => this.#tick(now));
  }

  /** An advancer when the feature is configured, else null. */
  static create(context: ProcessingContext, advance: (streamTime: number) => void): IdleStreamTimeAdvancer | null {
    const idle = windowCloseIdleMs(context.appConfigs());
    return idle < 0 ? null : new IdleStreamTimeAdvancer(context, idle, advance);
  }

  /** Call for every record, with the processor's stream time after it. */
  recordSeen(streamTime: number): void {
    this.#lastRecordWallClock = this.context.currentSystemTimeMs();
    this.#lastStreamTime = streamTime;
  }

  #tick(now: number): void {
    if (this.#lastStreamTime < 0) return;
    const idleFor = now - this.#lastRecordWallClock - this.idleMs;
    if (idleFor <= 0) return;
    this.advance(this.#lastStreamTime + idleFor);
  }
}
