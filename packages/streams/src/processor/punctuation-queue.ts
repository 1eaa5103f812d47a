/**
 * Scheduled punctuations of one task for one time type, fired in time order. Kafka's rules: a schedule's
 * next time is `scheduled + interval`, or, when punctuations were missed, the next multiple after now — a
 * punctuation is never fired twice for one time, and missed ones are skipped.
 */
import type { Cancellable, Punctuator } from './api';

interface Schedule {
  nextTime: number;
  readonly interval: number;
  readonly callback: Punctuator;
  readonly node: string;
  cancelled: boolean;
}

/** Runs a punctuator for a node (the task sets up the node context around the call). */
export type PunctuateFn = (node: string, timestamp: number, callback: Punctuator) => void;

export class PunctuationQueue {
  readonly #schedules: Schedule[] = [];

  /** Adds a schedule whose first firing is at `startTime`. */
  schedule(node: string, startTime: number, interval: number, callback: Punctuator): Cancellable {
    const schedule: Schedule = { nextTime: startTime, interval, callback, node, cancelled: false };
    this.#schedules.push(schedule);
    return {
      cancel: () => {
        schedule.cancelled = true;
        const i = this.#schedules.indexOf(schedule);
        if (i >= 0) this.#schedules.splice(i, 1);
      },
    };
  }

  get size(): number {
    return this.#schedules.length;
  }

  /** Fires every due schedule (in due-time order) for time `now`; returns whether any fired. */
  mayPunctuate(now: number, punctuate: PunctuateFn): boolean {
    let fired = false;
    for (;;) {
      let due: Schedule | undefined;
      for (const s of this.#schedules) if (!s.cancelled && s.nextTime <= now && (!due || s.nextTime < due.nextTime)) due = s;
      if (!due) return fired;
      const missed = Math.floor((now - due.nextTime) / due.interval);
      due.nextTime = due.nextTime + (missed + 1) * due.interval;
      punctuate(due.node, now, due.callback);
      fired = true;
    }
  }
}
