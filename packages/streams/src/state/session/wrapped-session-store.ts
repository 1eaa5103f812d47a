/** Base of session store layers: delegates everything to the wrapped byte store. */
import type { Windowed } from '../../dsl/windows/windowed';
import { isCachedStateStore, type CacheFlushListener } from '../cached-state-store';
import type { KeyValueIterator, StateStore, StateStoreContext } from '../state-store';
import type { SessionBytesStore } from './session-store';

export abstract class WrappedSessionBytesStore implements SessionBytesStore {
  constructor(readonly wrapped: SessionBytesStore) {}

  get name(): string {
    return this.wrapped.name;
  }
  get retentionPeriodMs(): number {
    return this.wrapped.retentionPeriodMs;
  }
  init(context: StateStoreContext, root: StateStore): void {
    this.wrapped.init(context, root);
  }
  flush(): void {
    this.wrapped.flush();
  }
  close(): void {
    this.wrapped.close();
  }
  persistent(): boolean {
    return this.wrapped.persistent();
  }
  isOpen(): boolean {
    return this.wrapped.isOpen();
  }
  put(key: Buffer, start: number, end: number, value: Buffer | null): void {
    this.wrapped.put(key, start, end, value);
  }
  fetchSession(key: Buffer, start: number, end: number): Buffer | null {
    return this.wrapped.fetchSession(key, start, end);
  }
  findSessions(keyFrom: Buffer | null, keyTo: Buffer | null, earliestEnd: number, latestStart: number, backward: boolean): KeyValueIterator<Windowed<Buffer>, Buffer> {
    return this.wrapped.findSessions(keyFrom, keyTo, earliestEnd, latestStart, backward);
  }
  findSessionsByEndTime(earliestEnd: number, latestEnd: number): KeyValueIterator<Windowed<Buffer>, Buffer> {
    return this.wrapped.findSessionsByEndTime(earliestEnd, latestEnd);
  }
  setFlushListener(listener: CacheFlushListener<Windowed<Buffer>, Buffer>, sendOldValues: boolean): boolean {
    return isCachedStateStore<Windowed<Buffer>, Buffer>(this.wrapped) ? this.wrapped.setFlushListener(listener, sendOldValues) : false;
  }
  flushCache(): void {
    if (isCachedStateStore(this.wrapped)) this.wrapped.flushCache();
  }
}
