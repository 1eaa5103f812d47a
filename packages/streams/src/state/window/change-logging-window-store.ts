/**
 * The change-logging layer of window stores (Kafka's `ChangeLoggingWindowBytesStore`): every write is also sent
 * to the changelog as `key ‖ windowStart ‖ seqnum` (seqnum counts up only when duplicates are retained). The
 * timestamped variant logs the plain value stamped with the value's own timestamp.
 */
import { rawValueOf, timestampOf } from '../value-and-timestamp';
import type { StateStore, StateStoreContext } from '../state-store';
import { windowStoreKey } from './window-key-schema';
import { WrappedWindowBytesStore } from './wrapped-window-store';

export class ChangeLoggingWindowBytesStore extends WrappedWindowBytesStore {
  protected context: StateStoreContext | null = null;
  #seqnum = 0;

  override init(context: StateStoreContext, root: StateStore): void {
    this.context = context;
    super.init(context, root);
  }

  override put(key: Buffer, value: Buffer | null, windowStart: number): void {
    this.wrapped.put(key, value, windowStart);
    if (this.retainDuplicates) this.#seqnum = (this.#seqnum + 1) & 0x7fffffff;
    this.log(windowStoreKey(key, windowStart, this.retainDuplicates ? this.#seqnum : 0), value);
  }

  protected log(key: Buffer, value: Buffer | null): void {
    this.context!.logChange(this.name, key, value, this.context!.recordContext().timestamp);
  }
}

export class ChangeLoggingTimestampedWindowBytesStore extends ChangeLoggingWindowBytesStore {
  protected override log(key: Buffer, valueAndTimestamp: Buffer | null): void {
    const ts = valueAndTimestamp === null ? this.context!.recordContext().timestamp : timestampOf(valueAndTimestamp);
    this.context!.logChange(this.name, key, rawValueOf(valueAndTimestamp), ts);
  }
}
