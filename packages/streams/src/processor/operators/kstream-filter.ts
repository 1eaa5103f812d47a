/** `KStream.filter` / `filterNot`: forwards records whose predicate holds (or, with `filterNot`, fails). */
import type { Processor, ProcessorContext } from '../api';
import type { Record } from '../record';
import type { Predicate } from './functions';

export class KStreamFilter<K, V> implements Processor<K, V, K, V> {
  #context!: ProcessorContext<K, V>;
  constructor(
    private readonly predicate: Predicate<K, V>,
    private readonly filterNot: boolean,
  ) {}
  init(context: ProcessorContext<K, V>): void {
    this.#context = context;
  }
  process(record: Record<K, V>): void {
    if (this.predicate(record.key, record.value) !== this.filterNot) this.#context.forward(record);
  }
}
