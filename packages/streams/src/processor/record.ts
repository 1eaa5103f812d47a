/** The unit of data flowing through a topology: key, value, timestamp and headers (Kafka's `api.Record`). */
import { StreamsException } from '../errors';
import { Headers } from './headers';

/** An immutable record. `with*` return copies; a negative timestamp is rejected as in Kafka Streams. */
export class Record<K, V> {
  readonly key: K;
  readonly value: V;
  readonly timestamp: number;
  readonly headers: Headers;

  constructor(key: K, value: V, timestamp: number, headers?: Headers) {
    if (timestamp < 0) {
      throw new StreamsException(`Malformed Record: timestamp may not be negative. Got: ${timestamp}`);
    }
    this.key = key;
    this.value = value;
    this.timestamp = timestamp;
    this.headers = headers ?? new Headers();
  }

  withKey<NewK>(key: NewK): Record<NewK, V> {
    return new Record(key, this.value, this.timestamp, this.headers);
  }

  withValue<NewV>(value: NewV): Record<K, NewV> {
    return new Record(this.key, value, this.timestamp, this.headers);
  }

  withTimestamp(timestamp: number): Record<K, V> {
    return new Record(this.key, this.value, timestamp, this.headers);
  }

  withHeaders(headers: Headers): Record<K, V> {
    return new Record(this.key, this.value, this.timestamp, headers);
  }

  toString(): string {
    return `Record{key=${String(this.key)}, value=${String(this.value)}, timestamp=${this.timestamp}, headers=${this.headers.toString()}}`;
  }
}
