/** `TestRecord`: a record as piped into or read from a test topic: key, value, headers and record time. */
import { Headers } from '@kstreams/streams';

export class TestRecord<K, V> {
  readonly headers: Headers;
  constructor(
    readonly key: K,
    readonly value: V,
    headers?: Headers | null,
    /** Record time in ms; `null` lets the input topic assign its current time. */
    readonly timestamp: number | null = null,
  ) {
    this.headers = headers ?? new Headers();
  }

  /** The record time (Java's `getRecordTime()` as epoch ms). */
  get recordTime(): number | null {
    return this.timestamp;
  }

  toString(): string {
    return `TestRecord[key=${String(this.key)}, value=${String(this.value)}, headers=${this.headers.toString()}, recordTime=${this.timestamp}]`;
  }
}
