/**
 * Long-poll support for Fetch: parked fetches register on the partitions they read and are woken
 * (once per event-loop turn, however many appends happened) when data is appended or the LSO moves.
 */
import type { Partition } from '../storage/partition';

export interface FetchWaiter {
  wake(): void;
}

export class FetchWaiters {
  private readonly byPartition = new Map<Partition, Set<FetchWaiter>>();
  private readonly dirty = new Set<FetchWaiter>();
  private scheduled = false;

  constructor(private readonly onError: (e: unknown) => void) {}

  add(partitions: readonly Partition[], w: FetchWaiter): void {
    for (const p of partitions) {
      let set = this.byPartition.get(p);
      if (!set) this.byPartition.set(p, (set = new Set()));
      set.add(w);
    }
  }

  remove(partitions: readonly Partition[], w: FetchWaiter): void {
    for (const p of partitions) {
      const set = this.byPartition.get(p);
      if (!set) continue;
      set.delete(w);
      if (set.size === 0) this.byPartition.delete(p);
    }
    this.dirty.delete(w);
  }

  notify(p: Partition): void {
    const set = this.byPartition.get(p);
    if (!set) return;
    for (const w of set) this.dirty.add(w);
    this.schedule();
  }

  notifyAll(): void {
    for (const set of this.byPartition.values()) for (const w of set) this.dirty.add(w);
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled || this.dirty.size === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      const ws = [...this.dirty];
      this.dirty.clear();
      for (const w of ws) {
        try {
          w.wake();
        } catch (e) {
          this.onError(e);
        }
      }
    });
  }
}
