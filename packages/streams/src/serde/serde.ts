/**
 * The serde contract: how keys and values become bytes and back. Byte formats of the built-in serdes match
 * Kafka's Java serializers, so Java clients read what kstreams writes.
 */
import type { Headers } from '../processor/headers';

/** Turns a value into bytes. `null` stays `null` (a tombstone or absent key). */
export interface Serializer<T> {
  serialize(topic: string, data: T | null, headers?: Headers): Buffer | null;
}

/** Turns bytes into a value. `null` bytes give `null`. */
export interface Deserializer<T> {
  deserialize(topic: string, data: Buffer | null, headers?: Headers): T | null;
}

/** A serializer and a deserializer for one type. */
export interface Serde<T> {
  serializer(): Serializer<T>;
  deserializer(): Deserializer<T>;
}
