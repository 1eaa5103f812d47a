/**
 * Iterators of the composite query views: one that walks the iterators of several local stores one after the
 * other, opening each only when the previous one is exhausted (Kafka's `CompositeKeyValueIterator`).
 */
import { AbstractKeyValueIterator } from '../state/key-value-iterators';
import type { KeyValue, KeyValueIterator } from '../state/state-store';

export class ConcatenatedKeyValueIterator<K, V> extends AbstractKeyValueIterator<K, V> {
  #current: KeyValueIterator<K, V> | null = null;
  #next = 0;

  constructor(
    storeName: string,
    private readonly opens: ReadonlyArray<() => KeyValueIterator<K, V>>,
  ) {
    super(storeName);
  }

  protected fetch(): KeyValue<K, V> | undefined {
    for (;;) {
      if (this.#current === null) {
        if (this.#next >= this.opens.length) return undefined;
        this.#current = this.opens[this.#next++]!();
      }
      const r = this.#current.next();
      if (!r.done) return r.value;
      this.#current.close();
      this.#current = null;
    }
  }

  protected override release(): void {
    this.#current?.close();
    this.#current = null;
  }
}
