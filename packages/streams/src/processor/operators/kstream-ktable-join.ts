/**
 * `KStream.join / leftJoin(KTable)` and `KStream.join / leftJoin(GlobalKTable)` (Kafka's
 * `KStreamKTableJoinProcessor`): each stream record looks up the table by its key (or, for a global table, by the
 * key its mapper picks) and forwards the joiner's result with the stream record's timestamp. The table side
 * never triggers output. A record with a null value, or whose lookup key is null, is dropped and counted —
 * except that a left join keeps a null-keyed record with a value (KIP-962) and joins it with `null`.
 */
import { log } from '../../logger';
import type { Processor, ProcessorContext } from '../api';
import type { Record } from '../record';
import { droppedRecordsSensorOf } from './dropped-records';
import type { KeyValueMapper } from './functions';
import type { KTableValueGetter, KTableValueGetterSupplier } from './ktable-value-getter';

/** Java's `ValueJoiner` (`(value1, value2)`) or `ValueJoinerWithKey` (`(readOnlyKey, value1, value2)`). */
export type ValueJoiner<V1, V2, VR> = (value1: V1, value2: V2) => VR;
export type ValueJoinerWithKey<K, V1, V2, VR> = (readOnlyKey: K, value1: V1, value2: V2) => VR;

/** Calls a joiner with `(value1, value2)` or `(key, value1, value2)` depending on how many parameters it declares. */
export function joinerWithKey<K, V1, V2, VR>(joiner: ValueJoiner<V1, V2, VR> | ValueJoinerWithKey<K, V1, V2, VR>): ValueJoinerWithKey<K, V1, V2, VR> {
  if (joiner.length >= 3) return joiner as ValueJoinerWithKey<K, V1, V2, VR>;
  const f = joiner as ValueJoiner<V1, V2, VR>;
  return (_key, v1, v2) => f(v1, v2);
}

/** Swaps the value arguments: the right side of a join sees `(key, itsValue, otherValue)`. */
export function reverseJoiner<K, V1, V2, VR>(joiner: ValueJoinerWithKey<K, V1, V2, VR>): ValueJoinerWithKey<K, V2, V1, VR> {
  return (key, v2, v1) => joiner(key, v1, v2);
}

export class KStreamKTableJoinSupplier<K1, V1, K2, V2, VR> {
  constructor(
    private readonly valueGetterSupplier: KTableValueGetterSupplier<K2, V2>,
    private readonly keyMapper: KeyValueMapper<K1, V1, K2>,
    private readonly joiner: ValueJoinerWithKey<K1, V1, V2 | null, VR>,
    private readonly leftJoin: boolean,
  ) {}

  get(): Processor<K1, V1, K1, VR> {
    return new KStreamKTableJoin(this.valueGetterSupplier.get(), this.keyMapper, this.joiner, this.leftJoin);
  }
}

class KStreamKTableJoin<K1, V1, K2, V2, VR> implements Processor<K1, V1, K1, VR> {
  #context!: ProcessorContext<K1, VR>;
  #dropped!: { increment(): void };

  constructor(
    private readonly valueGetter: KTableValueGetter<K2, V2>,
    private readonly keyMapper: KeyValueMapper<K1, V1, K2>,
    private readonly joiner: ValueJoinerWithKey<K1, V1, V2 | null, VR>,
    private readonly leftJoin: boolean,
  ) {}

  init(context: ProcessorContext<K1, VR>): void {
    this.#context = context;
    this.#dropped = droppedRecordsSensorOf(context);
    this.valueGetter.init(context);
  }

  process(record: Record<K1, V1>): void {
    const value = record.value ?? null;
    const key = record.key ?? null;
    const relaxed = this.leftJoin && key === null && value !== null;
    const mappedKey = this.keyMapper(record.key, record.value) ?? null;
    if (!relaxed && (mappedKey === null || value === null)) {
      const m = this.#context.recordMetadata();
      log.warn(
        m
          ? `Skipping record due to null join key or value. topic=[${m.topic}] partition=[${m.partition}] offset=[${m.offset}]`
          : 'Skipping record due to null join key or value. Topic, partition, and offset not known.',
      );
      this.#dropped.increment();
      return;
    }
    const other = mappedKey === null ? null : (this.valueGetter.get(mappedKey)?.value ?? null);
    if (this.leftJoin || other !== null) this.#context.forward(record.withValue(this.joiner(record.key, record.value, other)));
  }

  close(): void {
    this.valueGetter.close();
  }
}
