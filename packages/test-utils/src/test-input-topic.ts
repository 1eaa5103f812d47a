/**
 * `TestInputTopic`: pipes records into one input topic of a `TopologyTestDriver`, serializing with the given
 * serializers; record time starts at `startTimestamp` and advances by `autoAdvance` after each record.
 */
import type { DurationLike, KeyValue, Serializer, TimestampLike } from '@kstreams/streams';
import { Headers } from '@kstreams/streams';
import { durationMs, timestampMs } from '@kstreams/streams/internal';
import { TestRecord } from './test-record';

/** An instant: what Java's `pipeInput(V, Instant)` takes (a `Date` or a luxon `DateTime`). */
export type Instant = Exclude<TimestampLike, number>;

function isInstant(x: unknown): x is Instant {
  // luxon's own DateTime.isDateTime test, without making luxon a dependency of this package
  return x instanceof Date || (typeof x === 'object' && x !== null && (x as { isLuxonDateTime?: unknown }).isLuxonDateTime === true);
}

/** What an input topic needs from its driver. */
export interface InputPipe {
  pipe(topic: string, key: Buffer | null, value: Buffer | null, timestamp: number, headers: Headers): void;
}

export class TestInputTopic<K, V> {
  #currentTime: number;
  readonly #advanceMs: number;

  constructor(
    private readonly driver: InputPipe,
    readonly topic: string,
    private readonly keySerializer: Serializer<K>,
    private readonly valueSerializer: Serializer<V>,
    startTimestamp: TimestampLike,
    autoAdvance: DurationLike,
  ) {
    this.#currentTime = timestampMs(startTimestamp, 'startTimestamp');
    this.#advanceMs = durationMs(autoAdvance, 'autoAdvance');
    if (this.#advanceMs < 0) throw new RangeError('autoAdvance must be positive');
  }

  /** Moves this topic's record time forward. */
  advanceTime(advance: DurationLike): void {
    const ms = durationMs(advance, 'advance');
    if (ms < 0) throw new RangeError('advance must be positive');
    this.#currentTime += ms;
  }

  #nextTimestamp(): number {
    const t = this.#currentTime;
    this.#currentTime += this.#advanceMs;
    return t;
  }

  /**
   * Pipes one record: `pipeInput(value)`, `pipeInput(value, timestamp)`, `pipeInput(key, value)`,
   * `pipeInput(key, value, timestamp)`, or `pipeInput(testRecord)`. Without a timestamp the topic's current time
   * is used (then auto-advanced), and an explicit timestamp leaves the topic's time alone, as in Kafka Streams.
   *
   * `pipeInput(value, timestamp)` is Java's `pipeInput(V, Instant)`: the timestamp must be a `Date` or a luxon
   * `DateTime` (an instant), because with a number in second place `pipeInput(k, 5)` is a key and a value
   * (and so a `Date` or `DateTime` in second place is read as a timestamp, never as a value).
   * @example input.pipeInput('hello', new Date('2024-01-01T00:00:00Z'))
   */
  pipeInput(value: V): void;
  pipeInput(record: TestRecord<K, V>): void;
  pipeInput(value: V, timestamp: Instant): void;
  pipeInput(key: K, value: V, timestamp?: TimestampLike): void;
  pipeInput(...args: unknown[]): void {
    if (args.length === 1 && args[0] instanceof TestRecord) {
      const r = args[0] as TestRecord<K, V>;
      this.#pipe(r.key, r.value, r.timestamp === null ? this.#nextTimestamp() : r.timestamp, r.headers);
    } else if (args.length === 1) {
      this.#pipe(null, args[0] as V, this.#nextTimestamp(), new Headers());
    } else if (args.length === 2 && isInstant(args[1])) {
      this.#pipe(null, args[0] as V, timestampMs(args[1], 'timestamp'), new Headers());
    } else {
      const ts = args.length >= 3 && args[2] !== undefined ? timestampMs(args[2] as TimestampLike) : this.#nextTimestamp();
      this.#pipe(args[0] as K, args[1] as V, ts, new Headers());
    }
  }

  #pipe(key: K | null, value: V | null, timestamp: number, headers: Headers): void {
    const k = this.keySerializer.serialize(this.topic, key, headers);
    const v = this.valueSerializer.serialize(this.topic, value, headers);
    this.driver.pipe(this.topic, k, v, timestamp, headers);
  }

  /**
   * Pipes values (null keys). Without `startTimestamp` each gets the topic's current time (then auto-advanced).
   * With it, the records are timed `startTimestamp`, `+advance`, … and, as Java's ("Does not auto advance
   * internally tracked time"), the topic's own time is left where it was.
   */
  pipeValueList(values: Iterable<V>, startTimestamp?: TimestampLike, advance?: DurationLike): void {
    if (startTimestamp === undefined) {
      for (const v of values) this.pipeInput(v);
      return;
    }
    const step = this.#listStep(advance);
    let time = timestampMs(startTimestamp, 'startTimestamp');
    for (const v of values) {
      this.#pipe(null, v, time, new Headers());
      time += step;
    }
  }

  /** Pipes key-value pairs, timed as `pipeValueList` times its values (the topic's own time moves only without `startTimestamp`). */
  pipeKeyValueList(pairs: Iterable<KeyValue<K, V>>, startTimestamp?: TimestampLike, advance?: DurationLike): void {
    if (startTimestamp === undefined) {
      for (const { key, value } of pairs) this.#pipe(key, value, this.#nextTimestamp(), new Headers());
      return;
    }
    const step = this.#listStep(advance);
    let time = timestampMs(startTimestamp, 'startTimestamp');
    for (const { key, value } of pairs) {
      this.#pipe(key, value, time, new Headers());
      time += step;
    }
  }

  #listStep(advance: DurationLike | undefined): number {
    const step = advance === undefined ? 0 : durationMs(advance, 'advance');
    if (step < 0) throw new RangeError('advance must be positive');
    return step;
  }

  /** Pipes test records (those without a timestamp get the topic's current time). */
  pipeRecordList(records: Iterable<TestRecord<K, V>>): void {
    for (const r of records) this.pipeInput(r);
  }

  toString(): string {
    return `TestInputTopic[topic='${this.topic}', currentTime=${this.#currentTime}]`;
  }
}
