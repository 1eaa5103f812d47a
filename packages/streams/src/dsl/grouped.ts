/** `Grouped`: serdes for a grouping and the name of its repartition topic (`<name>-repartition`). */
import type { Serde } from '../serde/serde';
import { validateName } from './named';

interface GroupedProps<K, V> {
  readonly name: string | null;
  readonly keySerde: Serde<K> | null;
  readonly valueSerde: Serde<V> | null;
}

export class Grouped<K, V> {
  private constructor(readonly props: GroupedProps<K, V>) {
    if (props.name !== null) validateName(props.name);
  }

  /** Names the repartition topic and, for `KStream.groupBy`, the key-select processor. */
  static as<K, V>(name: string): Grouped<K, V> {
    return new Grouped<K, V>({ name, keySerde: null, valueSerde: null });
  }
  /** `Grouped.with(keySerde, valueSerde)` or `Grouped.with(name, keySerde, valueSerde)`. */
  static with<K, V>(keySerde: Serde<K> | null, valueSerde: Serde<V> | null): Grouped<K, V>;
  static with<K, V>(name: string, keySerde: Serde<K> | null, valueSerde: Serde<V> | null): Grouped<K, V>;
  static with<K, V>(a: string | Serde<K> | null, b: Serde<K> | Serde<V> | null, c?: Serde<V> | null): Grouped<K, V> {
    if (typeof a === 'string') return new Grouped<K, V>({ name: a, keySerde: b as Serde<K> | null, valueSerde: c ?? null });
    return new Grouped<K, V>({ name: null, keySerde: a, valueSerde: b as Serde<V> | null });
  }
  static keySerde<K, V>(keySerde: Serde<K>): Grouped<K, V> {
    return new Grouped<K, V>({ name: null, keySerde, valueSerde: null });
  }
  static valueSerde<K, V>(valueSerde: Serde<V>): Grouped<K, V> {
    return new Grouped<K, V>({ name: null, keySerde: null, valueSerde });
  }
  withName(name: string): Grouped<K, V> {
    return new Grouped({ ...this.props, name });
  }
  withKeySerde<K2>(keySerde: Serde<K2>): Grouped<K2, V> {
    return new Grouped<K2, V>({ ...this.props, keySerde });
  }
  withValueSerde<V2>(valueSerde: Serde<V2>): Grouped<K, V2> {
    return new Grouped<K, V2>({ ...this.props, valueSerde });
  }
}
