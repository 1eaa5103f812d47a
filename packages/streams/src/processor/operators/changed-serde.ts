/**
 * Serializes KTable updates (`Change`) on repartition topics in Kafka's format: `old ‖ 0`, `new ‖ 1`, or
 * `varint(len(new)) ‖ new ‖ old ‖ 2`, so Java and TypeScript instances can share a repartition topic.
 */
import { StreamsException } from '../../errors';
import type { Headers } from '../headers';
import type { Deserializer, Serde, Serializer } from '../../serde/serde';
import { Change } from './change';

/** A serializer/deserializer whose inner serde falls back to the configured default at task start. */
export interface UsesDefaultSerde {
  /** `serde` is the default for this serializer's role; `defaults` has both (a wrapper may hold a key inside a value). */
  useDefaultSerde(serde: Serde<unknown> | null, defaults?: DefaultSerdes): void;
}

/** The application's default key and value serdes. */
export interface DefaultSerdes {
  readonly key: Serde<unknown> | null;
  readonly value: Serde<unknown> | null;
}

export function usesDefaultSerde(x: object): x is UsesDefaultSerde {
  return typeof (x as Partial<UsesDefaultSerde>).useDefaultSerde === 'function';
}

function writeVarint(value: number): Buffer {
  let v = ((value << 1) ^ (value >> 31)) >>> 0; // zig-zag
  const bytes: number[] = [];
  while ((v & ~0x7f) !== 0) {
    bytes.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  bytes.push(v);
  return Buffer.from(bytes);
}

function readVarint(buf: Buffer): { value: number; size: number } {
  let raw = 0;
  let shift = 0;
  let i = 0;
  for (;;) {
    if (i >= buf.length || shift > 28) throw new StreamsException('Malformed varint in a Change record of a repartition topic.');
    const b = buf[i++]!;
    raw |= (b & 0x7f) << shift;
    if ((b & 0x80) === 0) break;
    shift += 7;
  }
  return { value: (raw >>> 1) ^ -(raw & 1), size: i };
}

export class ChangedSerde<V> implements Serializer<Change<V>>, Deserializer<Change<V>>, UsesDefaultSerde {
  #inner: Serde<V> | null;
  constructor(inner: Serde<V> | null) {
    this.#inner = inner;
  }

  useDefaultSerde(serde: Serde<unknown> | null): void {
    this.#inner ??= serde as Serde<V> | null;
  }

  #serde(): Serde<V> {
    if (!this.#inner) throw new StreamsException('No value serde for a KTable repartition topic: set default.value.serde or pass Grouped.with(...).');
    return this.#inner;
  }

  serialize(topic: string, data: Change<V> | null, headers?: Headers): Buffer | null {
    if (data === null) return null;
    const ser = this.#serde().serializer();
    const newData = data.newValue !== null ? ser.serialize(topic, data.newValue, headers) : null;
    const oldData = data.oldValue !== null ? ser.serialize(topic, data.oldValue, headers) : null;
    if (newData && oldData) return Buffer.concat([writeVarint(newData.length), newData, oldData, Buffer.from([2])]);
    if (newData) return Buffer.concat([newData, Buffer.from([1])]);
    if (oldData) return Buffer.concat([oldData, Buffer.from([0])]);
    throw new StreamsException('Both old and new values are null in ChangeSerializer, which is not allowed.');
  }

  deserialize(topic: string, data: Buffer | null, headers?: Headers): Change<V> | null {
    if (data === null) return null;
    const de = this.#serde().deserializer();
    const flag = data[data.length - 1];
    const body = data.subarray(0, data.length - 1);
    switch (flag) {
      case 0:
        return new Change<V>(null, de.deserialize(topic, body, headers));
      case 1:
        return new Change<V>(de.deserialize(topic, body, headers), null);
      case 2: {
        const { value: len, size } = readVarint(body);
        const newBytes = body.subarray(size, size + len);
        const oldBytes = body.subarray(size + len);
        return new Change<V>(de.deserialize(topic, newBytes, headers), de.deserialize(topic, oldBytes, headers));
      }
      default:
        throw new StreamsException(`Encoding flag ${String(flag)} of a Change record on topic ${topic} is not one of 0, 1, 2.`);
    }
  }
}
