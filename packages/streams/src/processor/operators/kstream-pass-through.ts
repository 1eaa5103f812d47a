/** Forwards every record unchanged (`KStream.merge`, the repartition filter). */
import type { Processor, ProcessorContext } from '../api';
import type { Record } from '../record';

export class KStreamPassThrough<K, V> implements Processor<K, V, K, V> {
  #context!: ProcessorContext<K, V>;
  init(context: ProcessorContext<K, V>): void {
    this.#context = context;
  }
  process(record: Record<K, V>): void {
    this.#context.forward(record);
  }
}
