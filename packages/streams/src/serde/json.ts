/**
 * JSON serde: a value as UTF-8 JSON text, the common format for structured records between JS and JVM apps
 * (what Jackson-based Java serdes read and write). Not part of Kafka's built-ins; the type parameter is a promise
 * the caller makes, nothing is validated against it.
 */
import type { Deserializer, Serializer } from './serde';
import { SerializationException } from '../errors';

/** Options of {@link JsonSerializer} and {@link JsonDeserializer}: `JSON.stringify`'s replacer and `JSON.parse`'s reviver. */
export interface JsonSerdeOptions {
  readonly replacer?: (this: unknown, key: string, value: unknown) => unknown;
  readonly reviver?: (this: unknown, key: string, value: unknown) => unknown;
}

/**
 * Writes `JSON.stringify(value)` as UTF-8. A value JSON cannot represent (`undefined`, a function, a bigint, a
 * cycle) is a `SerializationException` naming the topic.
 *
 * @example
 * new JsonSerializer<{ n: number }>().serialize('t', { n: 1 }); // the bytes of '{"n":1}'
 */
export class JsonSerializer<T> implements Serializer<T> {
  readonly #replacer: ((this: unknown, key: string, value: unknown) => unknown) | undefined;

  constructor(options: JsonSerdeOptions = {}) {
    this.#replacer = options.replacer;
  }

  serialize(topic: string, data: T | null): Buffer | null {
    if (data === null || data === undefined) return null;
    let text: string | undefined;
    try {
      text = JSON.stringify(data, this.#replacer);
    } catch (e) {
      throw new SerializationException(`JsonSerializer cannot serialize value for topic "${topic}": ${(e as Error).message}`, {
        cause: e,
      });
    }
    if (text === undefined) {
      throw new SerializationException(`JsonSerializer cannot serialize a ${typeof data} for topic "${topic}"`);
    }
    return Buffer.from(text, 'utf8');
  }
}

/**
 * Parses UTF-8 JSON; malformed text is a `SerializationException` naming the topic.
 *
 * @example
 * new JsonDeserializer<{ n: number }>().deserialize('t', Buffer.from('{"n":1}')); // { n: 1 }
 */
export class JsonDeserializer<T> implements Deserializer<T> {
  readonly #reviver: ((this: unknown, key: string, value: unknown) => unknown) | undefined;

  constructor(options: JsonSerdeOptions = {}) {
    this.#reviver = options.reviver;
  }

  deserialize(topic: string, data: Buffer | null): T | null {
    if (data === null || data === undefined) return null;
    try {
      return JSON.parse(data.toString('utf8'), this.#reviver) as T;
    } catch (e) {
      throw new SerializationException(
        `JsonDeserializer cannot parse ${data.length} bytes from topic "${topic}": ${(e as Error).message}`,
        { cause: e },
      );
    }
  }
}
