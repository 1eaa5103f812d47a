/**
 * `Serdes`: the factory of built-in serdes, named as in Kafka's Java `Serdes` (`Serdes.String()`, `Serdes.Long()`, …).
 * Built-in serdes are stateless, so every factory returns one shared instance whose `serializer()` and
 * `deserializer()` return the same objects on every call (the hot path calls them per record).
 */
import { IllegalArgumentException } from '../errors';
import {
  BooleanDeserializer,
  BooleanSerializer,
  ByteArrayDeserializer,
  ByteArraySerializer,
  BytesDeserializer,
  BytesSerializer,
  VoidDeserializer,
  VoidSerializer,
} from './binary';
import type { Bytes } from './bytes';
import { JsonDeserializer, JsonSerializer, type JsonSerdeOptions } from './json';
import { ListDeserializer, ListSerializer } from './list-serde';
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
import type { Deserializer, Serde, Serializer } from './serde';
import { StringDeserializer, StringSerializer, UUIDDeserializer, UUIDSerializer } from './text';

/**
 * A serde made of a fixed serializer and deserializer (Java's `Serdes.WrapperSerde`).
 *
 * @example
 * const serde = new WrapperSerde(new StringSerializer(), new StringDeserializer());
 * serde.serializer() === serde.serializer(); // true
 */
export class WrapperSerde<T> implements Serde<T> {
  readonly #serializer: Serializer<T>;
  readonly #deserializer: Deserializer<T>;

  constructor(serializer: Serializer<T>, deserializer: Deserializer<T>) {
    this.#serializer = serializer;
    this.#deserializer = deserializer;
  }

  serializer(): Serializer<T> {
    return this.#serializer;
  }

  deserializer(): Deserializer<T> {
    return this.#deserializer;
  }
}

/** Builds a singleton serde on first use. */
function lazy<T>(make: () => Serde<T>): () => Serde<T> {
  let serde: Serde<T> | undefined;
  return () => (serde ??= make());
}

const stringSerde = lazy(() => new WrapperSerde<string>(new StringSerializer(), new StringDeserializer()));
const longSerde = lazy(() => new WrapperSerde<number>(new LongSerializer(), new LongDeserializer()));
const bigIntSerde = lazy(() => new WrapperSerde<bigint>(new BigIntSerializer(), new BigIntDeserializer()));
const integerSerde = lazy(() => new WrapperSerde<number>(new IntegerSerializer(), new IntegerDeserializer()));
const shortSerde = lazy(() => new WrapperSerde<number>(new ShortSerializer(), new ShortDeserializer()));
const doubleSerde = lazy(() => new WrapperSerde<number>(new DoubleSerializer(), new DoubleDeserializer()));
const floatSerde = lazy(() => new WrapperSerde<number>(new FloatSerializer(), new FloatDeserializer()));
const byteArraySerde = lazy(() => new WrapperSerde<Buffer>(new ByteArraySerializer(), new ByteArrayDeserializer()));
const bytesSerde = lazy(() => new WrapperSerde<Bytes>(new BytesSerializer(), new BytesDeserializer()));
const uuidSerde = lazy(() => new WrapperSerde<string>(new UUIDSerializer(), new UUIDDeserializer()));
const booleanSerde = lazy(() => new WrapperSerde<boolean>(new BooleanSerializer(), new BooleanDeserializer()));
const voidSerde = lazy(() => new WrapperSerde<null>(new VoidSerializer(), new VoidDeserializer()));
const jsonSerde = lazy(() => new WrapperSerde<unknown>(new JsonSerializer<unknown>(), new JsonDeserializer<unknown>()));

/**
 * Factory of the built-in serdes. Byte formats are those of Kafka's Java serializers.
 *
 * | serde | TS type | bytes |
 * |---|---|---|
 * | `String()` | `string` | UTF-8 |
 * | `Long()` | `number` (safe integers only) | 8, big-endian two's complement |
 * | `BigInt()` | `bigint` (signed 64-bit) | 8, same as `Long()` |
 * | `Integer()` / `Short()` | `number` | 4 / 2, big-endian |
 * | `Double()` / `Float()` | `number` | IEEE-754, 8 / 4, big-endian |
 * | `ByteArray()` | `Buffer` (accepts any `Uint8Array`) | as is |
 * | `Bytes()` | {@link Bytes} | as is |
 * | `UUID()` | `string` | the 36-character text, UTF-8 |
 * | `Boolean()` | `boolean` | 1 byte, `00`/`01` |
 * | `Void()` | `null` | always null |
 * | `Json<T>()` | `T` | UTF-8 JSON (not a Kafka built-in) |
 * | `ListSerde(inner)` | `(T \| null)[]` | Kafka's `ListSerializer` format |
 *
 * @example
 * builder.stream('words', Consumed.with(Serdes.String(), Serdes.String()))
 *   .groupBy((_k, word) => word)
 *   .count()
 *   .toStream()
 *   .to('counts', Produced.with(Serdes.String(), Serdes.Long()));
 */
export class Serdes {
  private constructor() {}

  /** UTF-8 strings (Java `Serdes.String()`). @example Serdes.String().serializer().serialize('t', 'a') */
  static String(): Serde<string> {
    return stringSerde();
  }

  /**
   * Java `long` as a JS `number`; a value outside the safe-integer range throws a `SerializationException`
   * (use {@link Serdes.BigInt} for the full range). @example Serdes.Long().deserializer().deserialize('t', bytes)
   */
  static Long(): Serde<number> {
    return longSerde();
  }

  /** Java `long` as a `bigint`, same bytes as {@link Serdes.Long}. @example Serdes.BigInt().serializer().serialize('t', 2n ** 62n) */
  static BigInt(): Serde<bigint> {
    return bigIntSerde();
  }

  /** Java `int` (32-bit signed). @example Serdes.Integer().serializer().serialize('t', -1) // ff ff ff ff */
  static Integer(): Serde<number> {
    return integerSerde();
  }

  /** Java `short` (16-bit signed). @example Serdes.Short().serializer().serialize('t', 1) // 00 01 */
  static Short(): Serde<number> {
    return shortSerde();
  }

  /** Java `double`. @example Serdes.Double().serializer().serialize('t', 1.5) // 3f f8 00 … */
  static Double(): Serde<number> {
    return doubleSerde();
  }

  /** Java `float` (the number is rounded to single precision). @example Serdes.Float().serializer().serialize('t', 1.5) // 3f c0 00 00 */
  static Float(): Serde<number> {
    return floatSerde();
  }

  /** Raw bytes, passed through. @example Serdes.ByteArray().serializer().serialize('t', Buffer.from([1])) */
  static ByteArray(): Serde<Buffer> {
    return byteArraySerde();
  }

  /** Raw bytes wrapped in {@link Bytes} (content equality and order). @example Serdes.Bytes().deserializer().deserialize('t', buf) */
  static Bytes(): Serde<Bytes> {
    return bytesSerde();
  }

  /** UUIDs as their 36-character lower-case string, as Java writes them. @example Serdes.UUID().serializer().serialize('t', crypto.randomUUID()) */
  static UUID(): Serde<string> {
    return uuidSerde();
  }

  /** Java `boolean`, one byte. @example Serdes.Boolean().serializer().serialize('t', true) // 01 */
  static Boolean(): Serde<boolean> {
    return booleanSerde();
  }

  /** Only `null` (keys of keyless topics). @example Serdes.Void().serializer().serialize('t', null) // null */
  static Void(): Serde<null> {
    return voidSerde();
  }

  /**
   * Values as UTF-8 JSON. Without options the shared singleton is returned; with a replacer or reviver, a new serde.
   *
   * @example
   * const orders = Serdes.Json<{ id: string; total: number }>();
   * orders.serializer().serialize('orders', { id: 'a', total: 3 }); // '{"id":"a","total":3}'
   */
  static Json<T>(options?: JsonSerdeOptions): Serde<T> {
    if (options === undefined || (options.replacer === undefined && options.reviver === undefined)) {
      return jsonSerde() as Serde<T>;
    }
    return new WrapperSerde<T>(new JsonSerializer<T>(options), new JsonDeserializer<T>(options));
  }

  /**
   * Lists in Kafka's `ListSerde` byte format, entries written by `inner` (Java's `Serdes.ListSerde(ArrayList.class, inner)`).
   *
   * @example
   * Serdes.ListSerde(Serdes.Integer()).serializer().serialize('t', [1, 2, null]);
   */
  static ListSerde<T>(inner: Serde<T>): Serde<Array<T | null>> {
    if (inner === null || inner === undefined) throw new IllegalArgumentException('ListSerde requires an inner serde');
    return new WrapperSerde<Array<T | null>>(
      new ListSerializer<T>(inner.serializer()),
      new ListDeserializer<T>(inner.deserializer()),
    );
  }

  /**
   * A serde from a serializer and a deserializer (Java's `Serdes.serdeFrom`).
   *
   * @example
   * const upper = Serdes.serdeFrom<string>(
   *   { serialize: (_t, s) => (s === null ? null : Buffer.from(s.toUpperCase())) },
   *   new StringDeserializer(),
   * );
   */
  static serdeFrom<T>(serializer: Serializer<T>, deserializer: Deserializer<T>): Serde<T> {
    if (serializer === null || serializer === undefined) throw new IllegalArgumentException('serializer must not be null');
    if (deserializer === null || deserializer === undefined) throw new IllegalArgumentException('deserializer must not be null');
    return new WrapperSerde<T>(serializer, deserializer);
  }
}
