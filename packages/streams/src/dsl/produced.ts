/** `Produced`: how a sink writes its topic — serdes, partitioner, processor name. */
import type { StreamPartitioner } from '../processor/processor-node';
import type { Serde } from '../serde/serde';
import { validateName } from './named';

interface ProducedProps<K, V> {
  readonly keySerde: Serde<K> | null;
  readonly valueSerde: Serde<V> | null;
  readonly partitioner: StreamPartitioner<K, V> | null;
  readonly name: string | null;
}

export class Produced<K, V> {
  private constructor(readonly props: ProducedProps<K, V>) {
    if (props.name !== null) validateName(props.name);
  }

  /** @example counts.toStream().to('output', Produced.with(Serdes.String(), Serdes.Long())) */
  static with<K, V>(keySerde: Serde<K> | null, valueSerde: Serde<V> | null, partitioner?: StreamPartitioner<K, V>): Produced<K, V> {
    return new Produced({ keySerde, valueSerde, partitioner: partitioner ?? null, name: null });
  }
  static as<K, V>(name: string): Produced<K, V> {
    return new Produced<K, V>({ keySerde: null, valueSerde: null, partitioner: null, name });
  }
  static keySerde<K, V>(keySerde: Serde<K>): Produced<K, V> {
    return Produced.with<K, V>(keySerde, null);
  }
  static valueSerde<K, V>(valueSerde: Serde<V>): Produced<K, V> {
    return Produced.with<K, V>(null, valueSerde);
  }
  static streamPartitioner<K, V>(partitioner: StreamPartitioner<K, V>): Produced<K, V> {
    return Produced.with<K, V>(null, null, partitioner);
  }
  withKeySerde<K2>(keySerde: Serde<K2>): Produced<K2, V> {
    return new Produced<K2, V>({ ...this.props, keySerde, partitioner: this.props.partitioner as unknown as StreamPartitioner<K2, V> | null });
  }
  withValueSerde<V2>(valueSerde: Serde<V2>): Produced<K, V2> {
    return new Produced<K, V2>({ ...this.props, valueSerde, partitioner: this.props.partitioner as unknown as StreamPartitioner<K, V2> | null });
  }
  withStreamPartitioner(partitioner: StreamPartitioner<K, V>): Produced<K, V> {
    return new Produced({ ...this.props, partitioner });
  }
  withName(name: string): Produced<K, V> {
    return new Produced({ ...this.props, name });
  }
}
