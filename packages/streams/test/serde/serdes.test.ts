/**
 * Byte compatibility of the built-in serdes with Kafka's Java serializers (vectors are what the Java classes
 * write for the same values), plus their error handling and singleton caching.
 */
import {
  BigIntSerializer,
  ByteArraySerializer,
  Bytes,
  IntegerSerializer,
  LongDeserializer,
  LongSerializer,
  Serdes,
  StringDeserializer,
  StringSerializer,
  type Serde,
} from '../../src/index';
import { IllegalArgumentException, SerializationException } from '../../src/errors';

const T = 'topic-a';
const hex = (b: Buffer | null): string | null => (b === null ? null : b.toString('hex'));
const bytes = (h: string): Buffer => Buffer.from(h.replace(/\s+/g, ''), 'hex');

function roundTrip<V>(serde: Serde<V>, value: V): V | null {
  return serde.deserializer().deserialize(T, serde.serializer().serialize(T, value));
}

describe('byte formats match Kafka Java serializers', () => {
  test.each<[number, string]>([
    [0, '0000000000000000'],
    [1, '0000000000000001'],
    [-1, 'ffffffffffffffff'],
    [256, '0000000000000100'],
    [2 ** 32, '0000000100000000'],
    [-(2 ** 32), 'ffffffff00000000'],
    [1700000000000, '0000018bcfe56800'],
    [Number.MAX_SAFE_INTEGER, '001fffffffffffff'],
    [Number.MIN_SAFE_INTEGER, 'ffe0000000000001'],
  ])('Long %p -> %s and back', (value, expected) => {
    expect(hex(Serdes.Long().serializer().serialize(T, value))).toBe(expected);
    expect(Serdes.Long().deserializer().deserialize(T, bytes(expected))).toBe(value);
  });

  test.each<[bigint, string]>([
    [1n, '0000000000000001'],
    [-1n, 'ffffffffffffffff'],
    [2n ** 63n - 1n, '7fffffffffffffff'],
    [-(2n ** 63n), '8000000000000000'],
    [1234567890123456789n, '112210f47de98115'],
  ])('BigInt %p -> %s and back', (value, expected) => {
    expect(hex(Serdes.BigInt().serializer().serialize(T, value))).toBe(expected);
    expect(Serdes.BigInt().deserializer().deserialize(T, bytes(expected))).toBe(value);
  });

  test.each<[number, string]>([
    [0, '00000000'],
    [1, '00000001'],
    [-1, 'ffffffff'],
    [2147483647, '7fffffff'],
    [-2147483648, '80000000'],
    [305419896, '12345678'],
  ])('Integer %p -> %s and back', (value, expected) => {
    expect(hex(Serdes.Integer().serializer().serialize(T, value))).toBe(expected);
    expect(Serdes.Integer().deserializer().deserialize(T, bytes(expected))).toBe(value);
  });

  test.each<[number, string]>([
    [1, '0001'],
    [-2, 'fffe'],
    [32767, '7fff'],
    [-32768, '8000'],
  ])('Short %p -> %s and back', (value, expected) => {
    expect(hex(Serdes.Short().serializer().serialize(T, value))).toBe(expected);
    expect(Serdes.Short().deserializer().deserialize(T, bytes(expected))).toBe(value);
  });

  test.each<[number, string]>([
    [1.5, '3ff8000000000000'],
    [0.1, '3fb999999999999a'],
    [-2, 'c000000000000000'],
    [-0, '8000000000000000'],
    [Infinity, '7ff0000000000000'],
    [-Infinity, 'fff0000000000000'],
    [Number.MAX_VALUE, '7fefffffffffffff'],
    [Number.MIN_VALUE, '0000000000000001'],
  ])('Double %p -> %s and back', (value, expected) => {
    expect(hex(Serdes.Double().serializer().serialize(T, value))).toBe(expected);
    expect(Object.is(Serdes.Double().deserializer().deserialize(T, bytes(expected)), value)).toBe(true);
  });

  test('Double NaN is written as the canonical NaN (Double.doubleToLongBits) and read back as NaN', () => {
    expect(hex(Serdes.Double().serializer().serialize(T, NaN))).toBe('7ff8000000000000');
    expect(Serdes.Double().deserializer().deserialize(T, bytes('7ff8000000000001'))).toBeNaN();
  });

  test.each<[number, string, number]>([
    [1.5, '3fc00000', 1.5],
    [0.1, '3dcccccd', Math.fround(0.1)],
    [-1, 'bf800000', -1],
    [Infinity, '7f800000', Infinity],
    [3.4028234663852886e38, '7f7fffff', 3.4028234663852886e38],
  ])('Float %p -> %s, read back as the float value', (value, expected, readBack) => {
    expect(hex(Serdes.Float().serializer().serialize(T, value))).toBe(expected);
    expect(Serdes.Float().deserializer().deserialize(T, bytes(expected))).toBe(readBack);
  });

  test('Float NaN is 7fc00000 (Float.floatToRawIntBits(Float.NaN))', () => {
    expect(hex(Serdes.Float().serializer().serialize(T, NaN))).toBe('7fc00000');
  });

  test('Boolean is one byte 01/00', () => {
    expect(hex(Serdes.Boolean().serializer().serialize(T, true))).toBe('01');
    expect(hex(Serdes.Boolean().serializer().serialize(T, false))).toBe('00');
    expect(Serdes.Boolean().deserializer().deserialize(T, bytes('01'))).toBe(true);
    expect(Serdes.Boolean().deserializer().deserialize(T, bytes('00'))).toBe(false);
  });

  test('Boolean serializer returns a fresh buffer each time, so callers cannot corrupt the constant', () => {
    const a = Serdes.Boolean().serializer().serialize(T, true)!;
    a[0] = 0;
    expect(hex(Serdes.Boolean().serializer().serialize(T, true))).toBe('01');
  });

  test('String is UTF-8', () => {
    expect(hex(Serdes.String().serializer().serialize(T, 'héllo'))).toBe('68c3a96c6c6f');
    expect(hex(Serdes.String().serializer().serialize(T, '€𝄞'))).toBe('e282acf09d849e');
    expect(hex(Serdes.String().serializer().serialize(T, ''))).toBe('');
    expect(Serdes.String().deserializer().deserialize(T, bytes('e282acf09d849e'))).toBe('€𝄞');
  });

  test('String deserializer replaces malformed UTF-8 with U+FFFD, as Java does', () => {
    expect(Serdes.String().deserializer().deserialize(T, bytes('61ff62'))).toBe('a\ufffdb');
  });

  test('UUID is its 36-character lower-case text (UUIDSerializer writes uuid.toString())', () => {
    const id = '123e4567-e89b-12d3-a456-426614174000';
    const out = Serdes.UUID().serializer().serialize(T, id.toUpperCase());
    expect(out?.length).toBe(36);
    expect(out?.toString('latin1')).toBe(id);
    expect(hex(out)).toBe(Buffer.from(id, 'ascii').toString('hex'));
    expect(Serdes.UUID().deserializer().deserialize(T, Buffer.from(id.toUpperCase()))).toBe(id);
  });

  test('ByteArray passes bytes through and views a plain Uint8Array without copying', () => {
    const u8 = new Uint8Array([9, 8, 7, 6]).subarray(1, 3);
    const out = new ByteArraySerializer().serialize(T, u8)!;
    expect(Serdes.ByteArray().serializer()).toBeInstanceOf(ByteArraySerializer);
    expect(Buffer.isBuffer(out)).toBe(true);
    expect(hex(out)).toBe('0807');
    u8[0] = 1;
    expect(out[0]).toBe(1);
    const buf = bytes('0102');
    expect(Serdes.ByteArray().deserializer().deserialize(T, buf)).toBe(buf);
  });

  test('Bytes wraps the record bytes with content equality', () => {
    const b = Serdes.Bytes().deserializer().deserialize(T, bytes('6b31'))!;
    expect(b).toBeInstanceOf(Bytes);
    expect(b.equals(Bytes.wrap(Buffer.from('k1')))).toBe(true);
    expect(hex(Serdes.Bytes().serializer().serialize(T, b))).toBe('6b31');
  });

  test('Void only carries null', () => {
    expect(Serdes.Void().serializer().serialize(T, null)).toBeNull();
    expect(Serdes.Void().deserializer().deserialize(T, null)).toBeNull();
    expect(() => Serdes.Void().deserializer().deserialize(T, bytes('00'))).toThrow(
      /Data should be null for a VoidDeserializer.*topic-a/,
    );
  });

  test('null stays null for every serde in both directions', () => {
    const all: Array<Serde<unknown>> = [
      Serdes.String(), Serdes.Long(), Serdes.BigInt(), Serdes.Integer(), Serdes.Short(), Serdes.Double(),
      Serdes.Float(), Serdes.ByteArray(), Serdes.Bytes(), Serdes.UUID(), Serdes.Boolean(), Serdes.Void(),
      Serdes.Json(), Serdes.ListSerde(Serdes.String()),
    ];
    for (const s of all) {
      expect(s.serializer().serialize(T, null)).toBeNull();
      expect(s.deserializer().deserialize(T, null)).toBeNull();
    }
  });
});

describe('wrong sizes and bad values are SerializationExceptions naming topic and size', () => {
  test.each<[string, Serde<unknown>, number, string]>([
    ['LongDeserializer', Serdes.Long(), 8, '000102'],
    ['BigIntDeserializer', Serdes.BigInt(), 8, '00'],
    ['IntegerDeserializer', Serdes.Integer(), 4, '0001020304'],
    ['ShortDeserializer', Serdes.Short(), 2, '00'],
    ['DoubleDeserializer', Serdes.Double(), 8, '0000'],
    ['FloatDeserializer', Serdes.Float(), 4, ''],
    ['BooleanDeserializer', Serdes.Boolean(), 1, '0000'],
  ])('%s rejects wrong size', (name, serde, size, input) => {
    const call = (): unknown => serde.deserializer().deserialize(T, bytes(input));
    expect(call).toThrow(SerializationException);
    expect(call).toThrow(`Size of data received by ${name} is not ${size} (topic "topic-a", got ${input.length / 2} bytes)`);
  });

  test('Boolean rejects bytes other than 00/01 with Java message', () => {
    expect(() => Serdes.Boolean().deserializer().deserialize(T, bytes('02'))).toThrow(
      'Unexpected byte received by BooleanDeserializer: 2 (topic "topic-a")',
    );
    expect(() => Serdes.Boolean().deserializer().deserialize(T, bytes('ff'))).toThrow(/BooleanDeserializer: -1/);
  });

  test('Long rejects non-safe integers and fractions on write, and unsafe values on read', () => {
    const ser = Serdes.Long().serializer();
    expect(() => ser.serialize(T, 2 ** 53)).toThrow(SerializationException);
    expect(() => ser.serialize(T, 2 ** 53)).toThrow(
      'LongSerializer cannot serialize 9007199254740992 for topic "topic-a": not a safe integer (use Serdes.BigInt() for the full 64-bit range)',
    );
    expect(() => ser.serialize(T, 1.5)).toThrow(SerializationException);
    expect(() => ser.serialize(T, NaN)).toThrow(SerializationException);
    expect(() => Serdes.Long().deserializer().deserialize(T, bytes('0020000000000000'))).toThrow(
      'LongDeserializer read 9007199254740992 from topic "topic-a", which is not a safe integer (use Serdes.BigInt() for the full 64-bit range)',
    );
    expect(() => Serdes.Long().deserializer().deserialize(T, bytes('ffe0000000000000'))).toThrow(/-9007199254740992/);
  });

  test('BigInt rejects values outside signed 64 bits and non-bigints', () => {
    expect(() => Serdes.BigInt().serializer().serialize(T, 2n ** 63n)).toThrow(SerializationException);
    expect(() => Serdes.BigInt().serializer().serialize(T, -(2n ** 63n) - 1n)).toThrow(/not a signed 64-bit bigint/);
    expect(() => new BigIntSerializer().serialize(T, 5 as unknown as bigint)).toThrow(SerializationException);
  });

  test('Integer and Short reject out-of-range and fractional numbers', () => {
    expect(() => Serdes.Integer().serializer().serialize(T, 2 ** 31)).toThrow(/IntegerSerializer.*not a 32-bit integer/);
    expect(() => Serdes.Integer().serializer().serialize(T, 0.5)).toThrow(SerializationException);
    expect(() => new IntegerSerializer().serialize(T, '1' as unknown as number)).toThrow(SerializationException);
    expect(() => Serdes.Short().serializer().serialize(T, 32768)).toThrow(/ShortSerializer.*not a 16-bit integer/);
    expect(() => Serdes.Short().serializer().serialize(T, -32769)).toThrow(SerializationException);
  });

  test('wrong JS types are rejected by String, Double, Float, Boolean, ByteArray, Bytes serializers', () => {
    const bad = { x: 1 } as unknown as never;
    for (const s of [Serdes.String(), Serdes.Double(), Serdes.Float(), Serdes.Boolean(), Serdes.ByteArray(), Serdes.Bytes()]) {
      expect(() => (s as Serde<never>).serializer().serialize(T, bad)).toThrow(SerializationException);
    }
  });

  test('UUID rejects malformed text both ways', () => {
    expect(() => Serdes.UUID().serializer().serialize(T, 'not-a-uuid')).toThrow(/UUIDSerializer.*not a UUID/);
    expect(() => Serdes.UUID().deserializer().deserialize(T, Buffer.from('123e4567-e89b-12d3-a456-42661417400'))).toThrow(
      'Error parsing data into UUID (topic "topic-a", got 35 bytes)',
    );
  });
});

describe('Json', () => {
  interface Order { id: string; total: number; tags: string[] }

  test('writes UTF-8 JSON text and parses it back', () => {
    const serde = Serdes.Json<Order>();
    const order: Order = { id: 'é1', total: 2.5, tags: ['a'] };
    const out = serde.serializer().serialize(T, order)!;
    expect(out.toString('utf8')).toBe('{"id":"é1","total":2.5,"tags":["a"]}');
    expect(serde.deserializer().deserialize(T, out)).toEqual(order);
    expect(roundTrip(Serdes.Json<number>(), 0)).toBe(0);
    expect(roundTrip(Serdes.Json<string>(), '')).toBe('');
  });

  test('malformed JSON is a SerializationException naming the topic', () => {
    const call = (): unknown => Serdes.Json().deserializer().deserialize(T, Buffer.from('{"a":'));
    expect(call).toThrow(SerializationException);
    expect(call).toThrow(/JsonDeserializer cannot parse 5 bytes from topic "topic-a"/);
  });

  test('values JSON cannot represent are SerializationExceptions', () => {
    const cyclic: { self?: unknown } = {};
    cyclic.self = cyclic;
    expect(() => Serdes.Json().serializer().serialize(T, cyclic)).toThrow(/JsonSerializer cannot serialize value for topic "topic-a"/);
    expect(() => Serdes.Json().serializer().serialize(T, 1n)).toThrow(SerializationException);
    expect(() => Serdes.Json().serializer().serialize(T, () => 1)).toThrow(/cannot serialize a function/);
  });

  test('replacer and reviver options are applied and give a separate serde', () => {
    const serde = Serdes.Json<{ at: Date }>({
      replacer(key, value) {
        return key === 'at' && typeof value === 'string' ? `D:${value}` : value;
      },
      reviver: (key, value) => (key === 'at' && typeof value === 'string' ? new Date(value.slice(2)) : value),
    });
    expect(serde).not.toBe(Serdes.Json());
    const at = new Date(1700000000000);
    const out = serde.serializer().serialize(T, { at })!;
    expect(out.toString()).toBe('{"at":"D:2023-11-14T22:13:20.000Z"}');
    expect(serde.deserializer().deserialize(T, out)).toEqual({ at });
  });
});

describe('ListSerde uses Kafka ListSerializer format', () => {
  test('fixed-size inner (Integer): constant-size strategy with a null index list', () => {
    const out = Serdes.ListSerde(Serdes.Integer()).serializer().serialize(T, [1, null, 3]);
    expect(hex(out)).toBe(['00', '00000001', '00000001', '00000003', '00000001', '00000003'].join(''));
    expect(Serdes.ListSerde(Serdes.Integer()).deserializer().deserialize(T, out)).toEqual([1, null, 3]);
  });

  test('Long and UUID are fixed-size too (8 and 36 bytes)', () => {
    const longs = Serdes.ListSerde(Serdes.Long());
    const out = longs.serializer().serialize(T, [-1, 2])!;
    expect(hex(out)).toBe('00' + '00000000' + '00000002' + 'ffffffffffffffff' + '0000000000000002');
    expect(longs.deserializer().deserialize(T, out)).toEqual([-1, 2]);
    const id = '123e4567-e89b-12d3-a456-426614174000';
    const uuids = Serdes.ListSerde(Serdes.UUID());
    const u = uuids.serializer().serialize(T, [id, null])!;
    expect(u.length).toBe(1 + 4 + 4 + 4 + 36);
    expect(uuids.deserializer().deserialize(T, u)).toEqual([id, null]);
  });

  test('variable-size inner (String): length-prefixed entries, -1 for null', () => {
    const out = Serdes.ListSerde(Serdes.String()).serializer().serialize(T, ['a', null, 'bc', '']);
    expect(hex(out)).toBe(['01', '00000004', '00000001', '61', 'ffffffff', '00000002', '6263', '00000000'].join(''));
    expect(Serdes.ListSerde(Serdes.String()).deserializer().deserialize(T, out)).toEqual(['a', null, 'bc', '']);
  });

  test('empty list', () => {
    expect(hex(Serdes.ListSerde(Serdes.String()).serializer().serialize(T, []))).toBe('0100000000');
    expect(hex(Serdes.ListSerde(Serdes.Double()).serializer().serialize(T, []))).toBe('000000000000000000');
  });

  test('truncated or invalid input is a SerializationException naming the topic', () => {
    const des = Serdes.ListSerde(Serdes.String()).deserializer();
    expect(() => des.deserialize(T, bytes('01 00000002 00000001 61'))).toThrow(
      /End of the stream was reached prematurely \(topic "topic-a"/,
    );
    expect(() => des.deserialize(T, bytes('02 00000000'))).toThrow(/Invalid serialization strategy flag value 2/);
    expect(() => des.deserialize(T, bytes('00 00000000 00000001 61'))).toThrow(/not a fixed-size one/);
    expect(() => des.deserialize(T, bytes(''))).toThrow(SerializationException);
  });

  test('a custom serializer that returns null for an entry is rejected', () => {
    const nullish = Serdes.serdeFrom<string>({ serialize: () => null }, new StringDeserializer());
    expect(() => Serdes.ListSerde(nullish).serializer().serialize(T, ['x'])).toThrow(/returned null for the entry at index 0/);
  });
});

describe('caching and serdeFrom', () => {
  test('built-in factories return one shared serde with stable serializer/deserializer instances', () => {
    expect(Serdes.String()).toBe(Serdes.String());
    expect(Serdes.Long().serializer()).toBe(Serdes.Long().serializer());
    expect(Serdes.Long().deserializer()).toBe(Serdes.Long().deserializer());
    expect(Serdes.Json()).toBe(Serdes.Json<{ a: 1 }>());
    expect(Serdes.Long().serializer()).toBeInstanceOf(LongSerializer);
    expect(Serdes.Long().deserializer()).toBeInstanceOf(LongDeserializer);
  });

  test('serdeFrom pairs the given objects and rejects missing ones', () => {
    const ser = new StringSerializer();
    const de = new StringDeserializer();
    const serde = Serdes.serdeFrom(ser, de);
    expect(serde.serializer()).toBe(ser);
    expect(serde.deserializer()).toBe(de);
    expect(() => Serdes.serdeFrom(null as unknown as StringSerializer, de)).toThrow(IllegalArgumentException);
    expect(() => Serdes.serdeFrom(ser, undefined as unknown as StringDeserializer)).toThrow('deserializer must not be null');
  });
});
