/** `KStream.flatMapValues`: zero or more new values per record, each with the original key. */
import type { Processor, ProcessorContext } from '../api';
import type { Record } from '../record';
import type { ValueMapperWithKey } from './functions';

export class KStreamFlatMapValues<K, V, VR> implements Processor<K, V, K, VR> {
  #context!: ProcessorContext<K, VR>;
  constructor(private readonly mapper: ValueMapperWithKey<K, V, Iterable<VR>>) {}
  init(context: ProcessorContext<K, VR>): void {
    this.#context = context;
  }
  process(record: Record<K, V>): void {
    for (const value of this.mapper(record.key, record.value)) this.#context.forward(record.withValue(value));
  }
}
