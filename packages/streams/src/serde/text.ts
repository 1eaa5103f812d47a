/**
 * Text serializers: UTF-8 strings (Java's `StringSerializer`) and UUIDs in their 36-character string form
 * (Java's `UUIDSerializer` writes `uuid.toString()` as UTF-8, not 16 raw bytes).
 */
import { SerializationException } from '../errors';
import type { Deserializer, Serializer } from './serde';
import { badValue } from './serde-errors';

/**
 * Writes a string as UTF-8, as Java's `StringSerializer` does with its default encoding.
 *
 * One difference from Java: an unpaired surrogate in the string becomes U+FFFD (`ef bf bd`) here, `?` in Java.
 *
 * @example
 * new StringSerializer().serialize('words', 'héllo'); // <Buffer 68 c3 a9 6c 6c 6f>
 */
export class StringSerializer implements Serializer<string> {
  serialize(topic: string, data: string | null): Buffer | null {
    if (data === null || data === undefined) return null;
    if (typeof data !== 'string') throw badValue('StringSerializer', topic, data, 'not a string');
    return Buffer.from(data, 'utf8');
  }
}

/**
 * Reads UTF-8 bytes into a string; malformed sequences become U+FFFD, as in Java.
 *
 * @example
 * new StringDeserializer().deserialize('words', Buffer.from('hi')); // 'hi'
 */
export class StringDeserializer implements Deserializer<string> {
  deserialize(_topic: string, data: Buffer | null): string | null {
    if (data === null || data === undefined) return null;
    return data.toString('utf8');
  }
}

const UUID_PATTERN = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** True when `s` is a UUID in the canonical 8-4-4-4-12 hex form (either case). */
export function isUuidString(s: string): boolean {
  return UUID_PATTERN.test(s);
}

/**
 * Writes a UUID string as Java's `UUIDSerializer` does: its lower-case 36-character text in UTF-8.
 * Upper-case input is lower-cased, as `UUID.fromString(s).toString()` would in Java.
 *
 * @example
 * new UUIDSerializer().serialize('t', '123E4567-E89B-12D3-A456-426614174000');
 * // the 36 bytes of '123e4567-e89b-12d3-a456-426614174000'
 */
export class UUIDSerializer implements Serializer<string> {
  serialize(topic: string, data: string | null): Buffer | null {
    if (data === null || data === undefined) return null;
    if (typeof data !== 'string' || !UUID_PATTERN.test(data)) {
      throw badValue('UUIDSerializer', topic, data, 'not a UUID string (8-4-4-4-12 hex digits)');
    }
    return Buffer.from(data.toLowerCase(), 'latin1');
  }
}

/**
 * Reads a UUID written by Java's `UUIDSerializer` and returns it as a lower-case string. Only the canonical
 * 8-4-4-4-12 form is accepted; Java's `UUID.fromString` also takes shortened groups (`1-2-3-4-5`), which Java's
 * serializer never writes.
 *
 * @example
 * new UUIDDeserializer().deserialize('t', Buffer.from('123e4567-e89b-12d3-a456-426614174000'));
 * // '123e4567-e89b-12d3-a456-426614174000'
 */
export class UUIDDeserializer implements Deserializer<string> {
  deserialize(topic: string, data: Buffer | null): string | null {
    if (data === null || data === undefined) return null;
    const s = data.toString('utf8');
    if (!UUID_PATTERN.test(s)) {
      throw new SerializationException(`Error parsing data into UUID (topic "${topic}", got ${data.length} bytes)`);
    }
    return s.toLowerCase();
  }
}
