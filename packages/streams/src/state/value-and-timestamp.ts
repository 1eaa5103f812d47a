/**
 * A value with the timestamp of the record that last wrote it (Kafka's `ValueAndTimestamp`), and its byte format:
 * an 8-byte big-endian timestamp followed by the value bytes. DSL tables and aggregations store these.
 */
import type { Headers } from '../processor/headers';
import type { Deserializer, Serde, Serializer } from '../serde/serde';
import { readTimeBE, writeTimeBE } from './time-bytes';

/** An immutable value and timestamp. */
export class ValueAndTimestamp<V> {
  private constructor(
    readonly value: V,
    readonly timestamp: number,
  ) {}

  /** The pair, or `null` when `value` is null (as Kafka: a null value means "no entry"). */
  static make<V>(value: V | null, timestamp: number): ValueAndTimestamp<V> | null {
    return value === null ? null : new ValueAndTimestamp(value, timestamp);
  }

  /** The pair, even for a null value (Kafka: used for versioned-store tombstones). */
  static makeAllowNullable<V>(value: V, timestamp: number): ValueAndTimestamp<V> {
    return new ValueAndTimestamp(value, timestamp);
  }

  /** The value of a pair, or null for a null pair. */
  static getValueOrNull<V>(valueAndTimestamp: ValueAndTimestamp<V> | null): V | null {
    return valueAndTimestamp === null ? null : valueAndTimestamp.value;
  }

  equals(other: unknown): boolean {
    return other instanceof ValueAndTimestamp && other.timestamp === this.timestamp && other.value === this.value;
  }

  toString(): string {
    return `<${String(this.value)},${this.timestamp}>`;
  }
}

/** Length of the timestamp prefix. */
export const TIMESTAMP_SIZE = 8;

/** `timestamp ‖ rawValue`, or null for a null value. */
export function rawValueAndTimestamp(rawValue: Buffer | null, timestamp: number): Buffer | null {
  if (rawValue === null) return null;
  const out = Buffer.allocUnsafe(TIMESTAMP_SIZE + rawValue.length);
  writeTimeBE(out, timestamp, 0);
  rawValue.copy(out, TIMESTAMP_SIZE);
  return out;
}

/** The value bytes of `timestamp ‖ value` (a view, no copy), or null. */
export function rawValueOf(valueAndTimestamp: Buffer | null): Buffer | null {
  return valueAndTimestamp === null ? null : valueAndTimestamp.subarray(TIMESTAMP_SIZE);
}

/** The timestamp of `timestamp ‖ value`. */
export function timestampOf(valueAndTimestamp: Buffer): number {
  return readTimeBE(valueAndTimestamp, 0);
}

/** Serializes `ValueAndTimestamp<V>` with the value's serializer. */
export class ValueAndTimestampSerializer<V> implements Serializer<ValueAndTimestamp<V>> {
  constructor(readonly valueSerializer: Serializer<V>) {}

  serialize(topic: string, data: ValueAndTimestamp<V> | null, headers?: Headers): Buffer | null {
    if (data === null) return null;
    return rawValueAndTimestamp(this.valueSerializer.serialize(topic, data.value, headers), data.timestamp);
  }
}

/** Deserializes `ValueAndTimestamp<V>` with the value's deserializer. */
export class ValueAndTimestampDeserializer<V> implements Deserializer<ValueAndTimestamp<V>> {
  constructor(readonly valueDeserializer: Deserializer<V>) {}

  deserialize(topic: string, data: Buffer | null, headers?: Headers): ValueAndTimestamp<V> | null {
    if (data === null) return null;
    return ValueAndTimestamp.make(this.valueDeserializer.deserialize(topic, rawValueOf(data), headers), timestampOf(data));
  }
}

/** The serde of `ValueAndTimestamp<V>`. */
export class ValueAndTimestampSerde<V> implements Serde<ValueAndTimestamp<V>> {
  readonly #serializer: ValueAndTimestampSerializer<V>;
  readonly #deserializer: ValueAndTimestampDeserializer<V>;

  constructor(readonly valueSerde: Serde<V>) {
    this.#serializer = new ValueAndTimestampSerializer(valueSerde.serializer());
    this.#deserializer = new ValueAndTimestampDeserializer(valueSerde.deserializer());
  }

  serializer(): ValueAndTimestampSerializer<V> {
    return this.#serializer;
  }

  deserializer(): ValueAndTimestampDeserializer<V> {
    return this.#deserializer;
  }
}
