/**
 * Error messages shared by the built-in serializers, so every one of them names the topic and what was wrong
 * in the same words Kafka's Java serializers use.
 */
import { SerializationException } from '../errors';

/** "Size of data received by LongDeserializer is not 8 (topic "t", got 3 bytes)", as Java says it, plus context. */
export function wrongSize(deserializer: string, expected: number, topic: string, actual: number): SerializationException {
  return new SerializationException(
    `Size of data received by ${deserializer} is not ${expected} (topic "${topic}", got ${actual} bytes)`,
  );
}

/** A value the serializer cannot write, e.g. a fraction for an integer serde. */
export function badValue(serializer: string, topic: string, value: unknown, reason: string): SerializationException {
  return new SerializationException(`${serializer} cannot serialize ${show(value)} for topic "${topic}": ${reason}`);
}

/** Renders a user value for an error message without throwing (bigints, symbols, cyclic objects). */
export function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) return String(value);
  try {
    return `${Object.prototype.toString.call(value)}`;
  } catch {
    return typeof value;
  }
}
