/** `Consumed`: how a source reads its topic — serdes, timestamp extractor, offset reset, processor name. */
import type { TimestampExtractor } from '../processor/timestamp-extractor';
import type { Serde } from '../serde/serde';
import type { AutoOffsetReset } from '../topology/internal-topology-builder';
import { validateName } from './named';

interface ConsumedProps<K, V> {
  readonly keySerde: Serde<K> | null;
  readonly valueSerde: Serde<V> | null;
  readonly timestampExtractor: TimestampExtractor | null;
  readonly offsetReset: AutoOffsetReset | null;
  readonly name: string | null;
}

export class Consumed<K, V> {
  private constructor(readonly props: ConsumedProps<K, V>) {
    if (props.name !== null) validateName(props.name);
  }

  /** @example builder.stream('input', Consumed.with(Serdes.String(), Serdes.Long())) */
  static with<K, V>(keySerde: Serde<K> | null, valueSerde: Serde<V> | null, timestampExtractor?: TimestampExtractor, offsetReset?: AutoOffsetReset): Consumed<K, V> {
    return new Consumed({ keySerde, valueSerde, timestampExtractor: timestampExtractor ?? null, offsetReset: offsetReset ?? null, name: null });
  }
  static as<K, V>(name: string): Consumed<K, V> {
    return new Consumed<K, V>({ keySerde: null, valueSerde: null, timestampExtractor: null, offsetReset: null, name });
  }
  static withTimestampExtractor<K, V>(extractor: TimestampExtractor): Consumed<K, V> {
    return Consumed.with<K, V>(null, null, extractor);
  }
  static withOffsetResetPolicy<K, V>(reset: AutoOffsetReset): Consumed<K, V> {
    return Consumed.with<K, V>(null, null, undefined, reset);
  }
  withKeySerde<K2>(keySerde: Serde<K2>): Consumed<K2, V> {
    return new Consumed<K2, V>({ ...this.props, keySerde });
  }
  withValueSerde<V2>(valueSerde: Serde<V2>): Consumed<K, V2> {
    return new Consumed<K, V2>({ ...this.props, valueSerde });
  }
  withTimestampExtractor(timestampExtractor: TimestampExtractor): Consumed<K, V> {
    return new Consumed({ ...this.props, timestampExtractor });
  }
  withOffsetResetPolicy(offsetReset: AutoOffsetReset): Consumed<K, V> {
    return new Consumed({ ...this.props, offsetReset });
  }
  withName(name: string): Consumed<K, V> {
    return new Consumed({ ...this.props, name });
  }
}
