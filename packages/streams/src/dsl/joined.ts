/**
 * `Joined`: serdes and a name for a KStream–KTable join (Kafka's `Joined`). The name names the join processor
 * and, when the stream must be repartitioned first, its repartition topic (`<name>-repartition`).
 */
import { IllegalArgumentException } from '../errors';
import type { Serde } from '../serde/serde';
import type { DurationLike } from '../time/duration';
import { durationMs } from '../time/duration';
import { validateName } from './named';

export interface JoinedProps<K, V, VO> {
  readonly name: string | null;
  readonly keySerde: Serde<K> | null;
  readonly valueSerde: Serde<V> | null;
  readonly otherValueSerde: Serde<VO> | null;
  /** Only for versioned tables (KIP-923); null when not set. */
  readonly gracePeriodMs: number | null;
}

export class Joined<K, V, VO> {
  private constructor(readonly props: JoinedProps<K, V, VO>) {
    if (props.name !== null) validateName(props.name);
  }

  /** `Joined.with(keySerde, valueSerde, otherValueSerde[, name])`. */
  static with<K, V, VO>(keySerde: Serde<K> | null, valueSerde: Serde<V> | null, otherValueSerde: Serde<VO> | null, name: string | null = null): Joined<K, V, VO> {
    return new Joined<K, V, VO>({ name, keySerde, valueSerde, otherValueSerde, gracePeriodMs: null });
  }
  static keySerde<K, V, VO>(keySerde: Serde<K>): Joined<K, V, VO> {
    return Joined.with<K, V, VO>(keySerde, null, null);
  }
  static valueSerde<K, V, VO>(valueSerde: Serde<V>): Joined<K, V, VO> {
    return Joined.with<K, V, VO>(null, valueSerde, null);
  }
  static otherValueSerde<K, V, VO>(otherValueSerde: Serde<VO>): Joined<K, V, VO> {
    return Joined.with<K, V, VO>(null, null, otherValueSerde);
  }
  /** Names the join processor (and the repartition topic, if one is needed). */
  static as<K, V, VO>(name: string): Joined<K, V, VO> {
    return Joined.with<K, V, VO>(null, null, null, name);
  }
  withName(name: string): Joined<K, V, VO> {
    return new Joined({ ...this.props, name });
  }
  withKeySerde(keySerde: Serde<K>): Joined<K, V, VO> {
    return new Joined({ ...this.props, keySerde });
  }
  withValueSerde(valueSerde: Serde<V>): Joined<K, V, VO> {
    return new Joined({ ...this.props, valueSerde });
  }
  withOtherValueSerde(otherValueSerde: Serde<VO>): Joined<K, V, VO> {
    return new Joined({ ...this.props, otherValueSerde });
  }
  /** Grace for out-of-order stream records against a versioned table (KIP-923). */
  withGracePeriod(gracePeriod: DurationLike): Joined<K, V, VO> {
    const ms = durationMs(gracePeriod, 'gracePeriod');
    if (ms < 0) throw new IllegalArgumentException('Grace period must not be negative.');
    return new Joined({ ...this.props, gracePeriodMs: ms });
  }
  keySerde(): Serde<K> | null {
    return this.props.keySerde;
  }
  valueSerde(): Serde<V> | null {
    return this.props.valueSerde;
  }
  otherValueSerde(): Serde<VO> | null {
    return this.props.otherValueSerde;
  }
  name(): string | null {
    return this.props.name;
  }
}
