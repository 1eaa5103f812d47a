/**
 * The key and value types of the outer-join shared store (Kafka's `TimestampedKeyAndJoinSide` and
 * `LeftOrRightValue`) and their serdes, byte for byte Kafka's: key = `timestamp:int64 ‖ side:int8 (1 = left) ‖
 * key bytes`, so the store iterates by time, then right side before left; value = `side:int8 ‖ value bytes`.
 */
import type { Headers } from '../processor/headers';
import type { Deserializer, Serde, Serializer } from '../serde/serde';

export class TimestampedKeyAndJoinSide<K> {
  private constructor(
    readonly key: K,
    readonly timestamp: number,
    readonly leftSide: boolean,
  ) {}

  static make<K>(leftSide: boolean, key: K, timestamp: number): TimestampedKeyAndJoinSide<K> {
    return new TimestampedKeyAndJoinSide(key, timestamp, leftSide);
  }
}

export class LeftOrRightValue<V1, V2> {
  private constructor(
    readonly leftValue: V1 | null,
    readonly rightValue: V2 | null,
  ) {}

  static makeLeftValue<V1, V2>(value: V1): LeftOrRightValue<V1, V2> {
    return new LeftOrRightValue<V1, V2>(value, null);
  }

  static makeRightValue<V1, V2>(value: V2): LeftOrRightValue<V1, V2> {
    return new LeftOrRightValue<V1, V2>(null, value);
  }
}

export class TimestampedKeyAndJoinSideSerde<K> implements Serde<TimestampedKeyAndJoinSide<K>> {
  constructor(private readonly keySerde: Serde<K>) {}

  serializer(): Serializer<TimestampedKeyAndJoinSide<K>> {
    const ks = this.keySerde.serializer();
    return {
      serialize: (topic: string, data: TimestampedKeyAndJoinSide<K> | null, headers?: Headers): Buffer | null => {
        if (data === null) return null;
        const key = ks.serialize(topic, data.key, headers);
        if (key === null) return null;
        const out = Buffer.allocUnsafe(9 + key.length);
        out.writeBigInt64BE(BigInt(data.timestamp), 0);
        out.writeInt8(data.leftSide ? 1 : 0, 8);
        key.copy(out, 9);
        return out;
      },
    };
  }

  deserializer(): Deserializer<TimestampedKeyAndJoinSide<K>> {
    const kd = this.keySerde.deserializer();
    return {
      deserialize: (topic: string, data: Buffer | null, headers?: Headers): TimestampedKeyAndJoinSide<K> | null => {
        if (data === null) return null;
        const timestamp = Number(data.readBigInt64BE(0));
        return TimestampedKeyAndJoinSide.make(data[8] === 1, kd.deserialize(topic, data.subarray(9), headers) as K, timestamp);
      },
    };
  }
}

export class LeftOrRightValueSerde<V1, V2> implements Serde<LeftOrRightValue<V1, V2>> {
  constructor(
    private readonly leftSerde: Serde<V1>,
    private readonly rightSerde: Serde<V2>,
  ) {}

  serializer(): Serializer<LeftOrRightValue<V1, V2>> {
    const ls = this.leftSerde.serializer();
    const rs = this.rightSerde.serializer();
    return {
      serialize: (topic: string, data: LeftOrRightValue<V1, V2> | null, headers?: Headers): Buffer | null => {
        if (data === null) return null;
        const left = data.leftValue !== null;
        const raw = left ? ls.serialize(topic, data.leftValue!, headers) : rs.serialize(topic, data.rightValue!, headers);
        if (raw === null) return null;
        return Buffer.concat([Buffer.from([left ? 1 : 0]), raw]);
      },
    };
  }

  deserializer(): Deserializer<LeftOrRightValue<V1, V2>> {
    const ld = this.leftSerde.deserializer();
    const rd = this.rightSerde.deserializer();
    return {
      deserialize: (topic: string, data: Buffer | null, headers?: Headers): LeftOrRightValue<V1, V2> | null => {
        if (data === null || data.length === 0) return null;
        const raw = data.subarray(1);
        return data[0] === 1
          ? LeftOrRightValue.makeLeftValue<V1, V2>(ld.deserialize(topic, raw, headers) as V1)
          : LeftOrRightValue.makeRightValue<V1, V2>(rd.deserialize(topic, raw, headers) as V2);
      },
    };
  }
}
