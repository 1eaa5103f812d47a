/** `Repartitioned`: name, serdes, partition count and partitioner of an explicit `KStream.repartition()`. */
import type { StreamPartitioner } from '../processor/processor-node';
import type { Serde } from '../serde/serde';
import { validateName } from './named';

interface RepartitionedProps<K, V> {
  readonly name: string | null;
  readonly keySerde: Serde<K> | null;
  readonly valueSerde: Serde<V> | null;
  readonly numberOfPartitions: number | null;
  readonly partitioner: StreamPartitioner<K, V> | null;
}

const none = { name: null, keySerde: null, valueSerde: null, numberOfPartitions: null, partitioner: null };

export class Repartitioned<K, V> {
  private constructor(readonly props: RepartitionedProps<K, V>) {
    if (props.name !== null) validateName(props.name);
  }
  static as<K, V>(name: string): Repartitioned<K, V> {
    return new Repartitioned<K, V>({ ...none, name });
  }
  static with<K, V>(keySerde: Serde<K> | null, valueSerde: Serde<V> | null): Repartitioned<K, V> {
    return new Repartitioned<K, V>({ ...none, keySerde, valueSerde });
  }
  static numberOfPartitions<K, V>(n: number): Repartitioned<K, V> {
    return new Repartitioned<K, V>({ ...none, numberOfPartitions: n });
  }
  static streamPartitioner<K, V>(partitioner: StreamPartitioner<K, V>): Repartitioned<K, V> {
    return new Repartitioned<K, V>({ ...none, partitioner });
  }
  withName(name: string): Repartitioned<K, V> {
    return new Repartitioned({ ...this.props, name });
  }
  withKeySerde(keySerde: Serde<K>): Repartitioned<K, V> {
    return new Repartitioned({ ...this.props, keySerde });
  }
  withValueSerde(valueSerde: Serde<V>): Repartitioned<K, V> {
    return new Repartitioned({ ...this.props, valueSerde });
  }
  withNumberOfPartitions(numberOfPartitions: number): Repartitioned<K, V> {
    return new Repartitioned({ ...this.props, numberOfPartitions });
  }
  withStreamPartitioner(partitioner: StreamPartitioner<K, V>): Repartitioned<K, V> {
    return new Repartitioned({ ...this.props, partitioner });
  }
}
