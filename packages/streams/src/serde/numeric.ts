/**
 * Number serializers with the exact big-endian byte layouts of Kafka's Java `Long`, `Integer`, `Short`, `Double`
 * and `Float` serializers, so a Java consumer reads what kstreams writes and the other way round.
 *
 * Java's `long` does not fit a JS `number`. `LongSerializer`/`LongDeserializer` map it to `number` (counts, sums
 * and timestamps are numbers for users) and refuse anything outside `Number.MIN_SAFE_INTEGER..MAX_SAFE_INTEGER`
 * with a `SerializationException` rather than silently losing precision; `BigIntSerializer`/`BigIntDeserializer`
 * carry the full signed 64-bit range as `bigint` with the same bytes.
 */
import { SerializationException } from '../errors';
import type { Deserializer, Serializer } from './serde';
import { badValue, wrongSize } from './serde-errors';

const TWO_POW_32 = 4294967296;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * Writes a safe-integer `number` as Java's `LongSerializer` does: 8 bytes, big-endian two's complement.
 *
 * @example
 * new LongSerializer().serialize('counts', 1); // <Buffer 00 00 00 00 00 00 00 01>
 */
export class LongSerializer implements Serializer<number> {
  serialize(topic: string, data: number | null): Buffer | null {
    if (data === null || data === undefined) return null;
    if (!Number.isSafeInteger(data)) {
      throw badValue('LongSerializer', topic, data, 'not a safe integer (use Serdes.BigInt() for the full 64-bit range)');
    }
    const out = Buffer.allocUnsafe(8);
    const hi = Math.floor(data / TWO_POW_32);
    out.writeInt32BE(hi, 0);
    out.writeUInt32BE(data - hi * TWO_POW_32, 4);
    return out;
  }
}

/**
 * Reads Java's 8-byte `long` into a `number`; a value beyond the safe-integer range is a `SerializationException`.
 *
 * @example
 * new LongDeserializer().deserialize('counts', Buffer.from('00000000000000ff', 'hex')); // 255
 */
export class LongDeserializer implements Deserializer<number> {
  deserialize(topic: string, data: Buffer | null): number | null {
    if (data === null || data === undefined) return null;
    if (data.length !== 8) throw wrongSize('LongDeserializer', 8, topic, data.length);
    const value = data.readInt32BE(0) * TWO_POW_32 + data.readUInt32BE(4);
    if (!Number.isSafeInteger(value)) {
      throw new SerializationException(
        `LongDeserializer read ${data.readBigInt64BE(0)} from topic "${topic}", which is not a safe integer ` +
          '(use Serdes.BigInt() for the full 64-bit range)',
      );
    }
    return value;
  }
}

/**
 * Writes a `bigint` in the signed 64-bit range with the bytes of Java's `LongSerializer`.
 *
 * @example
 * new BigIntSerializer().serialize('t', -1n); // <Buffer ff ff ff ff ff ff ff ff>
 */
export class BigIntSerializer implements Serializer<bigint> {
  serialize(topic: string, data: bigint | null): Buffer | null {
    if (data === null || data === undefined) return null;
    if (typeof data !== 'bigint' || data < INT64_MIN || data > INT64_MAX) {
      throw badValue('BigIntSerializer', topic, data, 'not a signed 64-bit bigint');
    }
    const out = Buffer.allocUnsafe(8);
    out.writeBigInt64BE(data, 0);
    return out;
  }
}

/**
 * Reads Java's 8-byte `long` as a `bigint` (the full signed 64-bit range).
 *
 * @example
 * new BigIntDeserializer().deserialize('t', Buffer.from('8000000000000000', 'hex')); // -9223372036854775808n
 */
export class BigIntDeserializer implements Deserializer<bigint> {
  deserialize(topic: string, data: Buffer | null): bigint | null {
    if (data === null || data === undefined) return null;
    if (data.length !== 8) throw wrongSize('BigIntDeserializer', 8, topic, data.length);
    return data.readBigInt64BE(0);
  }
}

/**
 * Writes a 32-bit signed integer as Java's `IntegerSerializer` does (4 bytes, big-endian).
 *
 * @example
 * new IntegerSerializer().serialize('t', -1); // <Buffer ff ff ff ff>
 */
export class IntegerSerializer implements Serializer<number> {
  serialize(topic: string, data: number | null): Buffer | null {
    if (data === null || data === undefined) return null;
    if ((data | 0) !== data) throw badValue('IntegerSerializer', topic, data, 'not a 32-bit integer');
    const out = Buffer.allocUnsafe(4);
    out.writeInt32BE(data, 0);
    return out;
  }
}

/**
 * Reads Java's 4-byte `int`.
 *
 * @example
 * new IntegerDeserializer().deserialize('t', Buffer.from([0, 0, 1, 0])); // 256
 */
export class IntegerDeserializer implements Deserializer<number> {
  deserialize(topic: string, data: Buffer | null): number | null {
    if (data === null || data === undefined) return null;
    if (data.length !== 4) throw wrongSize('IntegerDeserializer', 4, topic, data.length);
    return data.readInt32BE(0);
  }
}

/**
 * Writes a 16-bit signed integer as Java's `ShortSerializer` does (2 bytes, big-endian).
 *
 * @example
 * new ShortSerializer().serialize('t', -2); // <Buffer ff fe>
 */
export class ShortSerializer implements Serializer<number> {
  serialize(topic: string, data: number | null): Buffer | null {
    if (data === null || data === undefined) return null;
    if ((data << 16) >> 16 !== data) throw badValue('ShortSerializer', topic, data, 'not a 16-bit integer');
    const out = Buffer.allocUnsafe(2);
    out.writeInt16BE(data, 0);
    return out;
  }
}

/**
 * Reads Java's 2-byte `short`.
 *
 * @example
 * new ShortDeserializer().deserialize('t', Buffer.from([0x80, 0])); // -32768
 */
export class ShortDeserializer implements Deserializer<number> {
  deserialize(topic: string, data: Buffer | null): number | null {
    if (data === null || data === undefined) return null;
    if (data.length !== 2) throw wrongSize('ShortDeserializer', 2, topic, data.length);
    return data.readInt16BE(0);
  }
}

/**
 * Writes an IEEE-754 double as Java's `DoubleSerializer` does (8 bytes, big-endian; every NaN is written as the
 * canonical `7ff8000000000000`, as `Double.doubleToLongBits` does).
 *
 * @example
 * new DoubleSerializer().serialize('t', 1.5); // <Buffer 3f f8 00 00 00 00 00 00>
 */
export class DoubleSerializer implements Serializer<number> {
  serialize(topic: string, data: number | null): Buffer | null {
    if (data === null || data === undefined) return null;
    if (typeof data !== 'number') throw badValue('DoubleSerializer', topic, data, 'not a number');
    const out = Buffer.allocUnsafe(8);
    if (data !== data) {
      out.writeUInt32BE(0x7ff80000, 0);
      out.writeUInt32BE(0, 4);
    } else {
      out.writeDoubleBE(data, 0);
    }
    return out;
  }
}

/**
 * Reads Java's 8-byte `double`.
 *
 * @example
 * new DoubleDeserializer().deserialize('t', Buffer.from('3ff8000000000000', 'hex')); // 1.5
 */
export class DoubleDeserializer implements Deserializer<number> {
  deserialize(topic: string, data: Buffer | null): number | null {
    if (data === null || data === undefined) return null;
    if (data.length !== 8) throw wrongSize('DoubleDeserializer', 8, topic, data.length);
    return data.readDoubleBE(0);
  }
}

/**
 * Writes a number rounded to IEEE-754 single precision, as Java's `FloatSerializer` does (4 bytes, big-endian).
 *
 * @example
 * new FloatSerializer().serialize('t', 1.5); // <Buffer 3f c0 00 00>
 */
export class FloatSerializer implements Serializer<number> {
  serialize(topic: string, data: number | null): Buffer | null {
    if (data === null || data === undefined) return null;
    if (typeof data !== 'number') throw badValue('FloatSerializer', topic, data, 'not a number');
    const out = Buffer.allocUnsafe(4);
    out.writeFloatBE(data, 0);
    return out;
  }
}

/**
 * Reads Java's 4-byte `float` (widened to a JS number, exactly as Java widens `float` to `double`).
 *
 * @example
 * new FloatDeserializer().deserialize('t', Buffer.from('3fc00000', 'hex')); // 1.5
 */
export class FloatDeserializer implements Deserializer<number> {
  deserialize(topic: string, data: Buffer | null): number | null {
    if (data === null || data === undefined) return null;
    if (data.length !== 4) throw wrongSize('FloatDeserializer', 4, topic, data.length);
    return data.readFloatBE(0);
  }
}
