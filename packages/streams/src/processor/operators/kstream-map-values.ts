/** `KStream.mapValues`: a new value per record; the key is unchanged. */
import type { Processor, ProcessorContext } from '../api';
import type { Record } from '../record';
import type { ValueMapperWithKey } from './functions';

export class KStreamMapValues<K, V, VR> implements Processor<K, V, K, VR> {
  #context!: ProcessorContext<K, VR>;
  constructor(private readonly mapper: ValueMapperWithKey<K, V, VR>) {}
  init(context: ProcessorContext<K, VR>): void {
    this.#context = context;
  }
  process(record: Record<K, V>): void {
    this.#context.forward(record.withValue(this.mapper(record.key, record.value)));
  }
}
