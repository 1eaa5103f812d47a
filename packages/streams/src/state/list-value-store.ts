/**
 * A key-value byte store holding a list of values per key (Kafka's `ListValueStore`, under the outer-join shared
 * store of stream-stream left/outer joins): `put` appends, `put(key, null)` drops the whole list, `putIfAbsent(key,
 * null)` drops a present list, and iterators yield one entry per listed value. Lists are stored in Kafka's
 * `ListSerde(ByteArray)` format, and the changelog layer logs the whole list after every write, as Kafka's
 * `ChangeLoggingListValueBytesStore`.
 */
import { Serdes } from '../serde/serdes';
import type { KeyValue, KeyValueBytesStore, KeyValueIterator } from './state-store';
import { ChangeLoggingKeyValueBytesStore } from './change-logging-key-value-store';
import { WrappedKeyValueBytesStore } from './wrapped-key-value-store';

const LIST = Serdes.ListSerde(Serdes.ByteArray());

function decodeList(bytes: Buffer): Buffer[] {
  return (LIST.deserializer().deserialize('', bytes) ?? []).filter((b): b is Buffer => b !== null);
}

function encodeList(values: Buffer[]): Buffer {
  return LIST.serializer().serialize('', values)!;
}

export class ListValueStore extends WrappedKeyValueBytesStore {
  override put(key: Buffer, value: Buffer | null): void {
    if (value === null) {
      this.wrapped.put(key, null);
      return;
    }
    this.#append(key, value, this.wrapped.get(key));
  }

  /** Kafka's semantics: acts only when the key has a list (drop it for `null`, else append); always returns null. */
  override putIfAbsent(key: Buffer, value: Buffer | null): Buffer | null {
    const old = this.wrapped.get(key);
    if (old !== null) {
      if (value === null) this.wrapped.put(key, null);
      else this.#append(key, value, old);
    }
    return null;
  }

  override putAll(entries: ReadonlyArray<KeyValue<Buffer, Buffer | null>>): void {
    for (const e of entries) this.put(e.key, e.value);
  }

  override delete(key: Buffer): Buffer | null {
    const old = this.wrapped.get(key);
    this.wrapped.put(key, null);
    return old;
  }

  override all(): KeyValueIterator<Buffer, Buffer> {
    return new ValueListIterator(this.wrapped.all());
  }

  override range(from: Buffer | null, to: Buffer | null): KeyValueIterator<Buffer, Buffer> {
    return new ValueListIterator(this.wrapped.range(from, to));
  }

  override reverseRange(from: Buffer | null, to: Buffer | null): KeyValueIterator<Buffer, Buffer> {
    return new ValueListIterator(this.wrapped.reverseRange(from, to));
  }

  override reverseAll(): KeyValueIterator<Buffer, Buffer> {
    return new ValueListIterator(this.wrapped.reverseAll());
  }

  #append(key: Buffer, value: Buffer, old: Buffer | null): void {
    const list = old === null ? [] : decodeList(old);
    list.push(value);
    this.wrapped.put(key, encodeList(list));
  }
}

/** Logs the key's whole list (or a tombstone) after each write. */
export class ChangeLoggingListValueBytesStore extends ChangeLoggingKeyValueBytesStore {
  override put(key: Buffer, value: Buffer | null): void {
    this.wrapped.put(key, value);
    this.logValue(key, value === null ? null : this.wrapped.get(key));
  }

  override putIfAbsent(key: Buffer, value: Buffer | null): Buffer | null {
    if (this.wrapped.get(key) !== null) this.put(key, value);
    return null;
  }
}

class ValueListIterator implements KeyValueIterator<Buffer, Buffer> {
  #list: Buffer[] = [];
  #key: Buffer | null = null;

  constructor(private readonly inner: KeyValueIterator<Buffer, Buffer>) {}

  [Symbol.iterator](): this {
    return this;
  }

  #fill(): boolean {
    while (this.#list.length === 0) {
      const n = this.inner.next();
      if (n.done === true) return false;
      this.#key = n.value.key;
      this.#list = decodeList(n.value.value);
    }
    return true;
  }

  next(): IteratorResult<KeyValue<Buffer, Buffer>> {
    if (!this.#fill()) return { done: true, value: undefined };
    return { done: false, value: { key: this.#key!, value: this.#list.shift()! } };
  }

  peekNextKey(): Buffer | undefined {
    return this.#fill() ? this.#key! : undefined;
  }

  close(): void {
    this.inner.close();
    this.#list = [];
  }
}

/** The byte store stack of a list-value store: change-logging (optional) over the list layer over `inner`. */
export function listValueBytesStore(inner: KeyValueBytesStore, logging: boolean): KeyValueBytesStore {
  const list = new ListValueStore(inner);
  return logging ? new ChangeLoggingListValueBytesStore(list) : list;
}
