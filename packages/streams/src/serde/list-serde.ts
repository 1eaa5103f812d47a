/**
 * Lists in Kafka's `ListSerializer` format, byte for byte:
 * `flag:int8` (0 = constant size, 1 = variable size), then for constant size `nullCount:int32, nullIndex:int32*`,
 * then `size:int32` and the entries — bare for constant size, each prefixed by `length:int32` (-1 for null) for
 * variable size. Constant size is used exactly when the inner serde is one of Java's fixed-width ones
 * (Short, Integer, Float, Long, Double, UUID); `BigInt` counts as Java's Long.
 */
import { SerializationException } from '../errors';
import type { Deserializer, Serializer } from './serde';
import {
  BigIntDeserializer,
  BigIntSerializer,
  DoubleDeserializer,
  DoubleSerializer,
  FloatDeserializer,
  FloatSerializer,
  IntegerDeserializer,
  IntegerSerializer,
  LongDeserializer,
  LongSerializer,
  ShortDeserializer,
  ShortSerializer,
} from './numeric';
import { UUIDDeserializer, UUIDSerializer } from './text';

const CONSTANT_SIZE = 0;
const VARIABLE_SIZE = 1;
const NULL_ENTRY = -1;

type AnyCtor = abstract new (...args: never[]) => unknown;

const FIXED_SIZE_SERIALIZERS: ReadonlySet<AnyCtor> = new Set<AnyCtor>([
  ShortSerializer,
  IntegerSerializer,
  FloatSerializer,
  LongSerializer,
  BigIntSerializer,
  DoubleSerializer,
  UUIDSerializer,
]);

const FIXED_SIZE_DESERIALIZERS: ReadonlyMap<AnyCtor, number> = new Map<AnyCtor, number>([
  [ShortDeserializer, 2],
  [IntegerDeserializer, 4],
  [FloatDeserializer, 4],
  [LongDeserializer, 8],
  [BigIntDeserializer, 8],
  [DoubleDeserializer, 8],
  [UUIDDeserializer, 36],
]);

/** Java picks the strategy by the inner serializer's exact class, not a subclass; so do we. */
function constructorOf(o: object): AnyCtor | undefined {
  return (Object.getPrototypeOf(o) as { constructor?: AnyCtor } | null)?.constructor;
}

/**
 * Serializes an array with Kafka's `ListSerializer` format; `null` entries are allowed.
 *
 * @example
 * new ListSerializer(new IntegerSerializer()).serialize('t', [1, null]);
 * // 00 | 00000001 00000001 | 00000002 | 00000001   (flag, one null at index 1, size 2, entry 1)
 */
export class ListSerializer<T> implements Serializer<ReadonlyArray<T | null>> {
  readonly #inner: Serializer<T>;
  readonly #constantSize: boolean;

  constructor(inner: Serializer<T>) {
    this.#inner = inner;
    const ctor = constructorOf(inner);
    this.#constantSize = ctor !== undefined && FIXED_SIZE_SERIALIZERS.has(ctor);
  }

  /** The serializer of the entries. */
  innerSerializer(): Serializer<T> {
    return this.#inner;
  }

  serialize(topic: string, data: ReadonlyArray<T | null> | null): Buffer | null {
    if (data === null || data === undefined) return null;
    const parts: Buffer[] = [];
    let total = 1 + 4;
    const nulls: number[] = [];
    for (let i = 0; i < data.length; i++) {
      const entry = data[i];
      if (entry === null || entry === undefined) {
        nulls.push(i);
        continue;
      }
      const bytes = this.#inner.serialize(topic, entry);
      if (bytes === null) {
        throw new SerializationException(`ListSerializer: inner serializer returned null for the entry at index ${i} (topic "${topic}")`);
      }
      parts.push(bytes);
      total += bytes.length + (this.#constantSize ? 0 : 4);
    }
    if (this.#constantSize) total += 4 + 4 * nulls.length;
    else total += 4 * nulls.length;

    const out = Buffer.allocUnsafe(total);
    let pos = out.writeInt8(this.#constantSize ? CONSTANT_SIZE : VARIABLE_SIZE, 0);
    if (this.#constantSize) {
      pos = out.writeInt32BE(nulls.length, pos);
      for (const n of nulls) pos = out.writeInt32BE(n, pos);
    }
    pos = out.writeInt32BE(data.length, pos);
    let p = 0;
    let nextNull = 0;
    for (let i = 0; i < data.length; i++) {
      if (nextNull < nulls.length && nulls[nextNull] === i) {
        nextNull++;
        if (!this.#constantSize) pos = out.writeInt32BE(NULL_ENTRY, pos);
        continue;
      }
      const bytes = parts[p++]!;
      if (!this.#constantSize) pos = out.writeInt32BE(bytes.length, pos);
      pos += bytes.copy(out, pos);
    }
    return out;
  }
}

/**
 * Reads Kafka's list format into an array, deserializing each entry with the inner deserializer.
 *
 * @example
 * new ListDeserializer(new StringDeserializer()).deserialize('t', bytes); // ['a', null, 'b']
 */
export class ListDeserializer<T> implements Deserializer<Array<T | null>> {
  readonly #inner: Deserializer<T>;
  readonly #primitiveSize: number | undefined;

  constructor(inner: Deserializer<T>) {
    this.#inner = inner;
    const ctor = constructorOf(inner);
    this.#primitiveSize = ctor === undefined ? undefined : FIXED_SIZE_DESERIALIZERS.get(ctor);
  }

  /** The deserializer of the entries. */
  innerDeserializer(): Deserializer<T> {
    return this.#inner;
  }

  deserialize(topic: string, data: Buffer | null): Array<T | null> | null {
    if (data === null || data === undefined) return null;
    const fail = (why: string): SerializationException =>
      new SerializationException(`ListDeserializer: ${why} (topic "${topic}", ${data.length} bytes)`);
    let pos = 0;
    const need = (n: number): void => {
      if (pos + n > data.length) throw fail('End of the stream was reached prematurely');
    };
    need(1);
    const flag = data.readInt8(pos);
    pos += 1;
    if (flag !== CONSTANT_SIZE && flag !== VARIABLE_SIZE) throw fail(`Invalid serialization strategy flag value ${flag}`);
    let nullIndexes: Set<number> | undefined;
    if (flag === CONSTANT_SIZE) {
      if (this.#primitiveSize === undefined) {
        throw fail('constant-size list but the inner deserializer is not a fixed-size one (Short, Integer, Float, Long, Double, UUID)');
      }
      need(4);
      const count = data.readInt32BE(pos);
      pos += 4;
      if (count < 0) throw fail(`negative null index count ${count}`);
      need(4 * count);
      nullIndexes = new Set();
      for (let i = 0; i < count; i++, pos += 4) nullIndexes.add(data.readInt32BE(pos));
    }
    need(4);
    const size = data.readInt32BE(pos);
    pos += 4;
    if (size < 0) throw fail(`negative list size ${size}`);
    const out: Array<T | null> = [];
    for (let i = 0; i < size; i++) {
      let entrySize: number;
      if (flag === CONSTANT_SIZE) {
        if (nullIndexes!.has(i)) {
          out.push(null);
          continue;
        }
        entrySize = this.#primitiveSize!;
      } else {
        need(4);
        entrySize = data.readInt32BE(pos);
        pos += 4;
        if (entrySize === NULL_ENTRY) {
          out.push(null);
          continue;
        }
        if (entrySize < 0) throw fail(`negative entry size ${entrySize} at index ${i}`);
      }
      need(entrySize);
      out.push(this.#inner.deserialize(topic, data.subarray(pos, pos + entrySize)));
      pos += entrySize;
    }
    return out;
  }
}
