/** `KTable.toStream`: the table's changelog as a stream of new values (a delete becomes a null value). */
import type { Processor, ProcessorContext } from '../api';
import type { Record } from '../record';
import type { Change } from './change';
import type { KeyValueMapper } from './functions';

export class KTableToStream<K, V, KR = K> implements Processor<K, Change<V>, KR, V | null> {
  #context!: ProcessorContext<KR, V | null>;
  constructor(private readonly keyMapper: KeyValueMapper<K, V | null, KR> | null = null) {}
  init(context: ProcessorContext<KR, V | null>): void {
    this.#context = context;
  }
  process(record: Record<K, Change<V>>): void {
    const value = record.value.newValue;
    const key = this.keyMapper ? this.keyMapper(record.key, value) : (record.key as unknown as KR);
    this.#context.forward(record.withKey(key).withValue(value));
  }
}
