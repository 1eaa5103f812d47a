/**
 * Forwards a table processor's updates either directly (no cache) or only through the store's cache-flush
 * listener (caching on), so that updates to one key between commits collapse into one downstream record.
 */
import { isCachedStateStore } from '../../state/cached-state-store';
import type { ValueAndTimestamp } from '../../state/value-and-timestamp';
import type { ProcessorContext } from '../api';
import { Record } from '../record';
import { Change } from './change';

export class TimestampedTupleForwarder<K, V> {
  readonly #cachingEnabled: boolean;

  constructor(
    store: object,
    private readonly context: ProcessorContext<K, Change<V>>,
    private readonly sendOldValues: boolean,
  ) {
    this.#cachingEnabled =
      isCachedStateStore(store) &&
      store.setFlushListener((r) => {
        const newValue = r.newValue as ValueAndTimestamp<V> | null;
        const oldValue = r.oldValue as ValueAndTimestamp<V> | null;
        context.forward(
          new Record(
            r.key as K,
            new Change<V>(newValue?.value ?? null, sendOldValues ? (oldValue?.value ?? null) : null),
            newValue ? newValue.timestamp : r.timestamp,
            r.headers,
          ),
        );
      }, sendOldValues);
  }

  get cachingEnabled(): boolean {
    return this.#cachingEnabled;
  }

  maybeForward(record: Record<K, Change<V>>): void {
    if (this.#cachingEnabled) return;
    this.context.forward(this.sendOldValues ? record : record.withValue(new Change<V>(record.value.newValue, null, record.value.isLatest)));
  }
}
