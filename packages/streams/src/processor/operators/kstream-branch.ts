/** `KStream.split()`: sends each record to the first branch whose predicate holds, else to the default branch. */
import type { Processor, ProcessorContext } from '../api';
import type { Record } from '../record';
import type { Predicate } from './functions';

export class KStreamBranch<K, V> implements Processor<K, V, K, V> {
  #context!: ProcessorContext<K, V>;
  constructor(
    private readonly predicates: ReadonlyArray<Predicate<K, V>>,
    private readonly childNames: ReadonlyArray<string>,
    private readonly defaultChild: string | null,
  ) {}
  init(context: ProcessorContext<K, V>): void {
    this.#context = context;
  }
  process(record: Record<K, V>): void {
    for (let i = 0; i < this.predicates.length; i++) {
      if (this.predicates[i]!(record.key, record.value)) {
        this.#context.forward(record, this.childNames[i]!);
        return;
      }
    }
    if (this.defaultChild !== null) this.#context.forward(record, this.defaultChild);
  }
}
