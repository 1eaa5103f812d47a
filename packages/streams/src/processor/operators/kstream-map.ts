/** `KStream.map` and `selectKey`: a new key and value per record (marks the stream for repartitioning). */
import type { KeyValue } from '../../state/state-store';
import { StreamsException } from '../../errors';
import type { Processor, ProcessorContext } from '../api';
import type { Record } from '../record';
import type { KeyValueMapper } from './functions';

export class KStreamMap<K, V, KR, VR> implements Processor<K, V, KR, VR> {
  #context!: ProcessorContext<KR, VR>;
  constructor(private readonly mapper: KeyValueMapper<K, V, KeyValue<KR, VR>>) {}
  init(context: ProcessorContext<KR, VR>): void {
    this.#context = context;
  }
  process(record: Record<K, V>): void {
    const kv = this.mapper(record.key, record.value);
    if (kv == null) throw new StreamsException('The provided KeyValueMapper returned null which is not allowed.');
    this.#context.forward(record.withKey(kv.key).withValue(kv.value));
  }
}
