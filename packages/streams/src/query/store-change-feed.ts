/**
 * `KafkaStreams.changes$(store)`: the committed updates of a key-value store on this instance, as an rxjs
 * Observable. Writes are taken from the metered layer of each local task's store (only while someone subscribes),
 * held per task, and emitted once the task's offsets are committed; writes of a task that is closed dirty or
 * re-reads its input after a rebalance are dropped, because they are processed (and emitted) again.
 */
import { Observable, Subject, type Observer, type Subscription } from 'rxjs';
import { InvalidStateStoreException } from '../errors';
import { MeteredKeyValueStore, type StoreChange } from '../state/metered-key-value-store';
import { MeteredTimestampedKeyValueStore } from '../state/timestamped-key-value-store';
import { ValueAndTimestamp } from '../state/value-and-timestamp';
import type { QueryableTask } from './store-provider';

/** One committed update of a key-value store. `value === null` is a delete. */
export interface CommittedStoreChange<K, V> {
  readonly store: string;
  readonly key: K;
  readonly value: V | null;
  readonly oldValue: V | null;
  /** Timestamp of the update (the record's, or the timestamp a timestamped store kept with the value). */
  readonly timestamp: number;
  /** Partition of the task that made the update. */
  readonly partition: number;
}

type AnyChange = CommittedStoreChange<unknown, unknown>;

interface Feed {
  readonly subject: Subject<AnyChange>;
  observers: number;
  /** Per task id: the subscription to its store's writes. */
  readonly taps: Map<string, Subscription>;
}

export class StoreChangeFeed {
  readonly #feeds = new Map<string, Feed>();
  /** Per task id: updates not committed yet. */
  readonly #pending = new Map<string, AnyChange[]>();
  #closed = false;

  constructor(private readonly tasks: () => Iterable<QueryableTask>) {}

  /** Committed updates of `storeName`, from subscription on. */
  changes$<K, V>(storeName: string): Observable<CommittedStoreChange<K, V>> {
    return new Observable<CommittedStoreChange<K, V>>((subscriber) => {
      if (this.#closed) {
        subscriber.complete();
        return undefined;
      }
      let feed = this.#feeds.get(storeName);
      if (!feed) {
        feed = { subject: new Subject<AnyChange>(), observers: 0, taps: new Map() };
        this.#feeds.set(storeName, feed);
      }
      const f = feed;
      f.observers++;
      const sub = f.subject.subscribe(subscriber as unknown as Observer<AnyChange>);
      try {
        for (const t of this.tasks()) this.#tap(storeName, f, t);
      } catch (e) {
        subscriber.error(e);
      }
      return () => {
        sub.unsubscribe();
        if (--f.observers === 0) {
          for (const s of f.taps.values()) s.unsubscribe();
          f.taps.clear();
          this.#feeds.delete(storeName);
        }
      };
    });
  }

  /** New tasks: start taking the writes of observed stores. */
  onTasksCreated(tasks: Iterable<QueryableTask>): void {
    for (const t of tasks) {
      for (const [name, f] of this.#feeds) {
        try {
          this.#tap(name, f, t);
        } catch (e) {
          f.subject.error(e);
        }
      }
    }
  }

  /** Tasks that keep running after a rebalance re-read their input from the committed offsets: drop their pending writes. */
  onTasksKept(taskIds: Iterable<string>): void {
    for (const id of taskIds) this.#pending.delete(id);
  }

  /** A task's offsets were committed: emit its pending writes. */
  onCommitted(taskId: string): void {
    const pending = this.#pending.get(taskId);
    if (pending === undefined || pending.length === 0) return;
    this.#pending.set(taskId, []);
    for (const c of pending) this.#feeds.get(c.store)?.subject.next(c);
  }

  /** KafkaStreams stopped: every feed completes. */
  close(): void {
    this.#closed = true;
    for (const f of this.#feeds.values()) {
      for (const s of f.taps.values()) s.unsubscribe();
      f.subject.complete();
    }
    this.#feeds.clear();
    this.#pending.clear();
  }

  #tap(storeName: string, feed: Feed, task: QueryableTask): void {
    if (feed.taps.has(task.id) || task.state === 'CLOSED') return;
    const store = task.store(storeName);
    if (store === undefined) return;
    if (!(store instanceof MeteredKeyValueStore)) {
      throw new InvalidStateStoreException(`Store ${storeName} is a ${store.constructor.name}; change feeds are available for key-value stores only.`);
    }
    const timestamped = store instanceof MeteredTimestampedKeyValueStore;
    const taskId = task.id;
    const partition = task.partition;
    const sub = (store as MeteredKeyValueStore<unknown, unknown>).changes().subscribe({
      next: (c: StoreChange<unknown, unknown>) => {
        let list = this.#pending.get(taskId);
        if (list === undefined) {
          list = [];
          this.#pending.set(taskId, list);
        }
        list.push(timestamped ? unwrapTimestamped(c, partition) : { store: c.store, key: c.key, value: c.value, oldValue: c.oldValue, timestamp: c.timestamp, partition });
      },
      // the store closed (its task was closed): whatever was not committed is not emitted
      complete: () => {
        feed.taps.delete(taskId);
        this.#pending.delete(taskId);
      },
    });
    feed.taps.set(taskId, sub);
  }
}

function unwrapTimestamped(c: StoreChange<unknown, unknown>, partition: number): AnyChange {
  const nv = c.value as ValueAndTimestamp<unknown> | null;
  const ov = c.oldValue as ValueAndTimestamp<unknown> | null;
  return {
    store: c.store,
    key: c.key,
    value: ValueAndTimestamp.getValueOrNull(nv),
    oldValue: ValueAndTimestamp.getValueOrNull(ov),
    timestamp: nv?.timestamp ?? c.timestamp,
    partition,
  };
}
