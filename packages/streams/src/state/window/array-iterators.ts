/** Store iterators over results collected up front (window and session stores build their answers as arrays). */
import { AbstractKeyValueIterator } from '../key-value-iterators';
import type { KeyValue } from '../state-store';

/** Iterates a prepared array of entries. */
export class ArrayKeyValueIterator<K, V> extends AbstractKeyValueIterator<K, V> {
  #i = 0;

  constructor(
    storeName: string,
    private readonly entries: ReadonlyArray<KeyValue<K, V>>,
  ) {
    super(storeName);
  }

  protected fetch(): KeyValue<K, V> | undefined {
    return this.#i < this.entries.length ? this.entries[this.#i++] : undefined;
  }
}
