/** Base of window store layers: delegates everything to the wrapped byte store. */
import type { Windowed } from '../../dsl/windows/windowed';
import type { CacheFlushListener } from '../cached-state-store';
import { isCachedStateStore } from '../cached-state-store';
import type { KeyValueIterator, StateStore, StateStoreContext } from '../state-store';
import type { WindowBytesStore, WindowStoreIterator } from './window-store';

export abstract class WrappedWindowBytesStore implements WindowBytesStore {
  constructor(readonly wrapped: WindowBytesStore) {}

  get name(): string {
    return this.wrapped.name;
  }
  get windowSizeMs(): number {
    return this.wrapped.windowSizeMs;
  }
  get retentionPeriodMs(): number {
    return this.wrapped.retentionPeriodMs;
  }
  get retainDuplicates(): boolean {
    return this.wrapped.retainDuplicates;
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
  put(key: Buffer, value: Buffer | null, windowStart: number): void {
    this.wrapped.put(key, value, windowStart);
  }
  fetchWindow(key: Buffer, windowStart: number): Buffer | null {
    return this.wrapped.fetchWindow(key, windowStart);
  }
  fetchKey(key: Buffer, timeFrom: number, timeTo: number, backward: boolean): WindowStoreIterator<Buffer> {
    return this.wrapped.fetchKey(key, timeFrom, timeTo, backward);
  }
  fetchKeyRange(keyFrom: Buffer | null, keyTo: Buffer | null, timeFrom: number, timeTo: number, backward: boolean): KeyValueIterator<Windowed<Buffer>, Buffer> {
    return this.wrapped.fetchKeyRange(keyFrom, keyTo, timeFrom, timeTo, backward);
  }
  fetchAllWindows(timeFrom: number, timeTo: number, backward: boolean): KeyValueIterator<Windowed<Buffer>, Buffer> {
    return this.wrapped.fetchAllWindows(timeFrom, timeTo, backward);
  }
  /** Passes a flush listener down to a caching layer, if there is one. */
  setFlushListener(listener: CacheFlushListener<Windowed<Buffer>, Buffer>, sendOldValues: boolean): boolean {
    return isCachedStateStore<Windowed<Buffer>, Buffer>(this.wrapped) ? this.wrapped.setFlushListener(listener, sendOldValues) : false;
  }
  flushCache(): void {
    if (isCachedStateStore(this.wrapped)) this.wrapped.flushCache();
  }
}
