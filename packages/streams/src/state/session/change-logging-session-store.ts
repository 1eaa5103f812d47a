/** The change-logging layer of session stores (Kafka's `ChangeLoggingSessionBytesStore`): logs `key ‖ end ‖ start`. */
import type { StateStore, StateStoreContext } from '../state-store';
import { sessionStoreKey } from '../window/window-key-schema';
import { WrappedSessionBytesStore } from './wrapped-session-store';

export class ChangeLoggingSessionBytesStore extends WrappedSessionBytesStore {
  #context: StateStoreContext | null = null;

  override init(context: StateStoreContext, root: StateStore): void {
    this.#context = context;
    super.init(context, root);
  }

  override put(key: Buffer, start: number, end: number, value: Buffer | null): void {
    this.wrapped.put(key, start, end, value);
    this.#context!.logChange(this.name, sessionStoreKey(key, start, end), value, this.#context!.recordContext().timestamp);
  }
}
