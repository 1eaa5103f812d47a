/**
 * Pass-through and tiny fixed-format serializers: raw bytes (`ByteArray`, `Bytes`), Java's one-byte `Boolean`,
 * and `Void` (only `null`, for keyless topics).
 */
import { SerializationException } from '../errors';
import { Bytes } from './bytes';
import type { Deserializer, Serializer } from './serde';
import { badValue, wrongSize } from './serde-errors';

/** Views a Uint8Array as a Buffer over the same memory (no copy). */
function asBuffer(data: Uint8Array): Buffer {
  return Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

/**
 * Passes bytes through unchanged, as Java's `ByteArraySerializer`; a plain `Uint8Array` is viewed as a `Buffer`.
 *
 * @example
 * new ByteArraySerializer().serialize('raw', new Uint8Array([1, 2])); // <Buffer 01 02>
 */
export class ByteArraySerializer implements Serializer<Uint8Array> {
  serialize(topic: string, data: Uint8Array | null): Buffer | null {
    if (data === null || data === undefined) return null;
    if (!(data instanceof Uint8Array)) throw badValue('ByteArraySerializer', topic, data, 'not a Buffer or Uint8Array');
    return asBuffer(data);
  }
}

/**
 * Returns the record's bytes unchanged.
 *
 * @example
 * new ByteArrayDeserializer().deserialize('raw', Buffer.from([1, 2])); // <Buffer 01 02>
 */
export class ByteArrayDeserializer implements Deserializer<Buffer> {
  deserialize(_topic: string, data: Buffer | null): Buffer | null {
    return data ?? null;
  }
}

/**
 * Writes the bytes wrapped by a {@link Bytes}, as Java's `BytesSerializer`.
 *
 * @example
 * new BytesSerializer().serialize('raw', Bytes.wrap(Buffer.from('k'))); // <Buffer 6b>
 */
export class BytesSerializer implements Serializer<Bytes> {
  serialize(topic: string, data: Bytes | null): Buffer | null {
    if (data === null || data === undefined) return null;
    if (!(data instanceof Bytes)) throw badValue('BytesSerializer', topic, data, 'not a Bytes');
    return data.get();
  }
}

/**
 * Wraps the record's bytes in a {@link Bytes}.
 *
 * @example
 * new BytesDeserializer().deserialize('raw', Buffer.from('k'))?.toString(); // 'k'
 */
export class BytesDeserializer implements Deserializer<Bytes> {
  deserialize(_topic: string, data: Buffer | null): Bytes | null {
    if (data === null || data === undefined) return null;
    return Bytes.wrap(data);
  }
}

const TRUE_BYTES: Buffer = Buffer.from([1]);
const FALSE_BYTES: Buffer = Buffer.from([0]);

/**
 * Writes `true` as `01` and `false` as `00`, as Java's `BooleanSerializer`.
 *
 * Returns a fresh one-byte buffer each call, so a caller may keep or modify it.
 *
 * @example
 * new BooleanSerializer().serialize('flags', true); // <Buffer 01>
 */
export class BooleanSerializer implements Serializer<boolean> {
  serialize(topic: string, data: boolean | null): Buffer | null {
    if (data === null || data === undefined) return null;
    if (data === true) return Buffer.from(TRUE_BYTES);
    if (data === false) return Buffer.from(FALSE_BYTES);
    throw badValue('BooleanSerializer', topic, data, 'not a boolean');
  }
}

/**
 * Reads Java's one-byte boolean; any byte other than `00`/`01` is a `SerializationException`.
 *
 * @example
 * new BooleanDeserializer().deserialize('flags', Buffer.from([0])); // false
 */
export class BooleanDeserializer implements Deserializer<boolean> {
  deserialize(topic: string, data: Buffer | null): boolean | null {
    if (data === null || data === undefined) return null;
    if (data.length !== 1) throw wrongSize('BooleanDeserializer', 1, topic, data.length);
    const b = data[0]!;
    if (b === 1) return true;
    if (b === 0) return false;
    throw new SerializationException(`Unexpected byte received by BooleanDeserializer: ${(b << 24) >> 24} (topic "${topic}")`);
  }
}

/**
 * Always writes `null`, as Java's `VoidSerializer` (for keys of keyless topics).
 *
 * @example
 * new VoidSerializer().serialize('t', null); // null
 */
export class VoidSerializer implements Serializer<null> {
  serialize(_topic: string, _data: null): Buffer | null {
    return null;
  }
}

/**
 * Accepts only `null` bytes. Java throws `IllegalArgumentException` for data; here it is a
 * `SerializationException` with Java's message, so the deserialization exception handler sees it.
 *
 * @example
 * new VoidDeserializer().deserialize('t', null); // null
 */
export class VoidDeserializer implements Deserializer<null> {
  deserialize(topic: string, data: Buffer | null): null {
    if (data !== null && data !== undefined) {
      throw new SerializationException(`Data should be null for a VoidDeserializer. (topic "${topic}", got ${data.length} bytes)`);
    }
    return null;
  }
}
