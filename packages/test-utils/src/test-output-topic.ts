/** `TestOutputTopic`: reads what a `TopologyTestDriver` produced to one topic, deserialized. */
import type { Deserializer, Headers, KeyValue } from '@kstreams/streams';
import { IllegalStateException } from '@kstreams/streams';
import { TestRecord } from './test-record';

/** One produced record in bytes. */
export interface ProducedRecord {
  readonly topic: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly timestamp: number;
  readonly headers: Headers;
}

/** What an output topic needs from its driver. */
export interface OutputSource {
  /** The queue of produced records for a topic, or undefined if nothing was ever produced to it. */
  queue(topic: string): ProducedRecord[] | undefined;
}

/** Thrown when reading an empty (or never written) output topic, as Java's NoSuchElementException. */
export class NoSuchElementException extends Error {
  override readonly name = 'NoSuchElementException';
}

export class TestOutputTopic<K, V> {
  constructor(
    private readonly driver: OutputSource,
    readonly topic: string,
    private readonly keyDeserializer: Deserializer<K>,
    private readonly valueDeserializer: Deserializer<V>,
  ) {}

  #next(): ProducedRecord {
    const q = this.driver.queue(this.topic);
    if (q === undefined) throw new NoSuchElementException(`Uninitialized topic: ${this.topic}`);
    const r = q.shift();
    if (r === undefined) throw new NoSuchElementException(`Empty topic: ${this.topic}`);
    return r;
  }

  #decode(r: ProducedRecord): TestRecord<K, V> {
    const key = this.keyDeserializer.deserialize(r.topic, r.key, r.headers) as K;
    const value = this.valueDeserializer.deserialize(r.topic, r.value, r.headers) as V;
    return new TestRecord(key, value, r.headers, r.timestamp);
  }

  readRecord(): TestRecord<K, V> {
    return this.#decode(this.#next());
  }
  readValue(): V {
    return this.readRecord().value;
  }
  readKeyValue(): KeyValue<K, V> {
    const r = this.readRecord();
    return { key: r.key, value: r.value };
  }
  readRecordsToList(): Array<TestRecord<K, V>> {
    const q = this.driver.queue(this.topic);
    if (q === undefined) return [];
    // Take the whole queue at once: shifting one by one is quadratic on large outputs.
    return q.splice(0, q.length).map((r) => this.#decode(r));
  }
  readKeyValuesToList(): Array<KeyValue<K, V>> {
    return this.readRecordsToList().map((r) => ({ key: r.key, value: r.value }));
  }
  readValuesToList(): V[] {
    return this.readRecordsToList().map((r) => r.value);
  }
  /** The last value per key (a tombstone keeps its key with `null`); null keys are not allowed. */
  readKeyValuesToMap(): Map<K, V> {
    const out = new Map<K, V>();
    for (const r of this.readRecordsToList()) {
      if (r.key === null || r.key === undefined) throw new IllegalStateException('Null keys not allowed with readKeyValuesToMap method');
      out.set(r.key, r.value);
    }
    return out;
  }
  getQueueSize(): number {
    return this.driver.queue(this.topic)?.length ?? 0;
  }
  isEmpty(): boolean {
    return this.getQueueSize() === 0;
  }
  toString(): string {
    return `TestOutputTopic[topic='${this.topic}', size=${this.getQueueSize()}]`;
  }
}
