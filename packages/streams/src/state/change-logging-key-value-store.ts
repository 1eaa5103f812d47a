/**
 * The change-logging layer (Kafka's `ChangeLoggingKeyValueBytesStore`): every write to the store below is also sent
 * to the store's changelog topic through `context.logChange`, stamped with the current record's timestamp. The
 * timestamped variant logs the plain value with the value's own timestamp, so the changelog holds the same bytes a
 * non-timestamped store would (restoration adds the timestamp back from the record).
 */
import { MemoryLruCache } from './memory-lru-cache';
import { rawValueOf, timestampOf } from './value-and-timestamp';
import { innermostStore, WrappedKeyValueBytesStore } from './wrapped-key-value-store';
import type { KeyValue, StateStore, StateStoreContext } from './state-store';

/** Logs every write of the wrapped store to its changelog. */
export class ChangeLoggingKeyValueBytesStore extends WrappedKeyValueBytesStore {
  protected context: StateStoreContext | null = null;

  override init(context: StateStoreContext, root: StateStore): void {
    this.context = context;
    super.init(context, root);
    const inner = innermostStore(this.wrapped);
    // an LRU map drops entries on its own: log them as deletes so a restore does not bring them back
    if (inner instanceof MemoryLruCache) {
      inner.setWhenEldestRemoved((key) => this.log(key, null, context.recordContext().timestamp));
    }
  }

  override put(key: Buffer, value: Buffer | null): void {
    this.wrapped.put(key, value);
    this.logValue(key, value);
  }

  override putIfAbsent(key: Buffer, value: Buffer | null): Buffer | null {
    const previous = this.wrapped.putIfAbsent(key, value);
    if (previous === null) this.logValue(key, value);
    return previous;
  }

  override putAll(entries: ReadonlyArray<KeyValue<Buffer, Buffer | null>>): void {
    this.wrapped.putAll(entries);
    for (const e of entries) this.logValue(e.key, e.value);
  }

  override delete(key: Buffer): Buffer | null {
    const previous = this.wrapped.delete(key);
    this.logValue(key, null);
    return previous;
  }

  /** Logs a value as stored by this store's format. */
  protected logValue(key: Buffer, value: Buffer | null): void {
    this.log(key, value, this.context!.recordContext().timestamp);
  }

  protected log(key: Buffer, value: Buffer | null, timestamp: number): void {
    this.context!.logChange(this.name, key, value, timestamp);
  }
}

/** Logs writes of a timestamped store (`timestamp ‖ value`) as the plain value stamped with its timestamp. */
export class ChangeLoggingTimestampedKeyValueBytesStore extends ChangeLoggingKeyValueBytesStore {
  protected override logValue(key: Buffer, valueAndTimestamp: Buffer | null): void {
    this.log(
      key,
      rawValueOf(valueAndTimestamp),
      valueAndTimestamp === null ? this.context!.recordContext().timestamp : timestampOf(valueAndTimestamp),
    );
  }
}
