/**
 * Repartition-topic purging (Kafka's `TaskManager.maybePurgeCommittedRecords`): every `repartition.purge.interval.ms`,
 * after a commit, records of repartition topics below the committed offsets are deleted (DeleteRecords), so a
 * long-running application's repartition topics do not grow without bound. One request at a time, never awaited by
 * the processing loop; a failed request is logged and retried at the next interval.
 */
import { log } from '../logger';
import type { PartitionOffset, RecordDeleter } from './kafka-client';

export class RepartitionPurger {
  readonly #deleter: RecordDeleter;
  readonly #intervalMs: number;
  readonly #clock: () => number;
  /** Offsets already deleted below, by `topic:partition`. */
  readonly #purged = new Map<string, number>();
  #lastPurgeAt: number;
  #inFlight: Promise<void> | null = null;
  #requests = 0;

  constructor(deleter: RecordDeleter, intervalMs: number, clock: () => number = Date.now) {
    this.#deleter = deleter;
    this.#intervalMs = intervalMs;
    this.#clock = clock;
    this.#lastPurgeAt = clock();
  }

  /** DeleteRecords requests sent so far. */
  get requests(): number {
    return this.#requests;
  }

  /**
   * Called after each successful commit with the committed offsets of repartition partitions this instance owns:
   * sends one DeleteRecords request if the interval has passed, no request is in flight, and an offset moved.
   */
  maybePurge(committed: readonly PartitionOffset[]): void {
    if (this.#inFlight !== null) return;
    const now = this.#clock();
    if (now - this.#lastPurgeAt < this.#intervalMs) return;
    const due = committed.filter((o) => o.offset > (this.#purged.get(`${o.topic}:${o.partition}`) ?? 0));
    if (due.length === 0) return;
    this.#lastPurgeAt = now;
    this.#requests++;
    this.#inFlight = this.#deleter
      .deleteBelow(due)
      .then(() => {
        for (const o of due) this.#purged.set(`${o.topic}:${o.partition}`, o.offset);
        log.debug(`Purged repartition records below ${due.map((o) => `${o.topic}-${o.partition}@${o.offset}`).join(', ')}`);
      })
      .catch((e: unknown) => {
        log.warn(`Failed to purge repartition records (retried after repartition.purge.interval.ms): ${e instanceof Error ? e.message : String(e)}`);
      })
      .finally(() => {
        this.#inFlight = null;
      });
  }

  /** Waits for the request in flight, then releases the connection. */
  async close(): Promise<void> {
    await this.#inFlight;
    await this.#deleter.close();
  }
}
