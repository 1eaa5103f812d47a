/**
 * The base of byte-store decorators (Kafka's `WrappedStateStore`): forwards every call to the wrapped store, so a
 * layer overrides only what it changes. `setFlushListener` reaches the caching layer through any layers above it.
 */
import { isCachedStateStore, type CacheFlushListener, type CachedStateStore } from './cached-state-store';
import type { Serializer } from '../serde/serde';
import type { KeyValue, KeyValueBytesStore, KeyValueIterator, StateStore, StateStoreContext } from './state-store';

/** A byte-store layer over another byte store. */
export abstract class WrappedKeyValueBytesStore implements KeyValueBytesStore, CachedStateStore<Buffer, Buffer> {
  constructor(readonly wrapped: KeyValueBytesStore) {}

  get name(): string {
    return this.wrapped.name;
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

  setFlushListener(listener: CacheFlushListener<Buffer, Buffer>, sendOldValues: boolean): boolean {
    return isCachedStateStore<Buffer, Buffer>(this.wrapped) ? this.wrapped.setFlushListener(listener, sendOldValues) : false;
  }

  flushCache(): void {
    if (isCachedStateStore<Buffer, Buffer>(this.wrapped)) this.wrapped.flushCache();
  }

  get(key: Buffer): Buffer | null {
    return this.wrapped.get(key);
  }

  put(key: Buffer, value: Buffer | null): void {
    this.wrapped.put(key, value);
  }

  putIfAbsent(key: Buffer, value: Buffer | null): Buffer | null {
    return this.wrapped.putIfAbsent(key, value);
  }

  putAll(entries: ReadonlyArray<KeyValue<Buffer, Buffer | null>>): void {
    this.wrapped.putAll(entries);
  }

  delete(key: Buffer): Buffer | null {
    return this.wrapped.delete(key);
  }

  range(from: Buffer | null, to: Buffer | null): KeyValueIterator<Buffer, Buffer> {
    return this.wrapped.range(from, to);
  }

  reverseRange(from: Buffer | null, to: Buffer | null): KeyValueIterator<Buffer, Buffer> {
    return this.wrapped.reverseRange(from, to);
  }

  all(): KeyValueIterator<Buffer, Buffer> {
    return this.wrapped.all();
  }

  reverseAll(): KeyValueIterator<Buffer, Buffer> {
    return this.wrapped.reverseAll();
  }

  prefixScan<P>(prefix: P, prefixKeySerializer: Serializer<P>): KeyValueIterator<Buffer, Buffer> {
    return this.wrapped.prefixScan(prefix, prefixKeySerializer);
  }

  approximateNumEntries(): number {
    return this.wrapped.approximateNumEntries();
  }
}

/** The innermost store under any layers. */
export function innermostStore(store: KeyValueBytesStore): KeyValueBytesStore {
  let s = store;
  while (s instanceof WrappedKeyValueBytesStore) s = s.wrapped;
  return s;
}
