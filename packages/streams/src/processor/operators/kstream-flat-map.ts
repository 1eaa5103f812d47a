/** `KStream.flatMap`: zero or more new records (new keys) per record. */
import type { Processor, ProcessorContext } from '../api';
import type { Record } from '../record';
import type { FlatMapper } from './functions';

export class KStreamFlatMap<K, V, KR, VR> implements Processor<K, V, KR, VR> {
  #context!: ProcessorContext<KR, VR>;
  constructor(private readonly mapper: FlatMapper<K, V, KR, VR>) {}
  init(context: ProcessorContext<KR, VR>): void {
    this.#context = context;
  }
  process(record: Record<K, V>): void {
    for (const kv of this.mapper(record.key, record.value)) this.#context.forward(record.withKey(kv.key).withValue(kv.value));
  }
}
