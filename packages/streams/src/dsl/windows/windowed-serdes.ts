/**
 * Serdes of `Windowed<K>` keys with Kafka's byte formats, so windowed topics interoperate with Java apps:
 * a time-windowed key is `innerKey ‖ start (8 bytes, big-endian)` — the end is recomputed from the window size —
 * and a session-windowed key is `innerKey ‖ end ‖ start`.
 *
 * @example
 * ```ts
 * const serde = WindowedSerdes.timeWindowedSerdeFrom(Serdes.String(), 300_000);
 * driver.createOutputTopic('counts', serde.deserializer(), Serdes.Long().deserializer());
 * ```
 */
import { IllegalArgumentException, SerializationException } from '../../errors';
import type { Headers } from '../../processor/headers';
import type { Deserializer, Serde, Serializer } from '../../serde/serde';
import type { DurationLike } from '../../time/duration';
import { durationMs } from '../../time/duration';
import { readTimeBE, writeTimeBE } from '../../state/time-bytes';
import { SessionWindow, TimeWindow } from './window';
import { Windowed } from './windowed';

const TS = 8;

function innerBytes<K>(inner: Serializer<K>, topic: string, key: K, headers?: Headers): Buffer {
  const b = inner.serialize(topic, key, headers);
  if (b === null) throw new SerializationException('The inner serializer of a windowed key returned null for a non-null key');
  return b;
}

/** `innerKey ‖ start`. */
export class TimeWindowedSerializer<K> implements Serializer<Windowed<K>> {
  constructor(readonly inner: Serializer<K>) {}

  /** The inner key alone (what `WindowedStreamPartitioner` hashes), as Java's `serializeBaseKey`. */
  serializeBaseKey(topic: string, data: Windowed<K>, headers?: Headers): Buffer {
    return innerBytes(this.inner, topic, data.key(), headers);
  }

  serialize(topic: string, data: Windowed<K> | null, headers?: Headers): Buffer | null {
    if (data === null) return null;
    const key = innerBytes(this.inner, topic, data.key(), headers);
    const out = Buffer.allocUnsafe(key.length + TS);
    key.copy(out, 0);
    writeTimeBE(out, data.window().start(), key.length);
    return out;
  }
}

/** Reads `innerKey ‖ start`; the window end is `start + windowSize`. */
export class TimeWindowedDeserializer<K> implements Deserializer<Windowed<K>> {
  constructor(
    readonly inner: Deserializer<K>,
    readonly windowSizeMs: number,
  ) {}

  deserialize(topic: string, data: Buffer | null, headers?: Headers): Windowed<K> | null {
    if (data === null) return null;
    if (data.length < TS) throw new SerializationException(`A time-windowed key needs at least ${TS} bytes, got ${data.length}`);
    const start = readTimeBE(data, data.length - TS);
    const key = this.inner.deserialize(topic, data.subarray(0, data.length - TS), headers) as K;
    return new Windowed(key, new TimeWindow(start, Math.min(start + this.windowSizeMs, Number.MAX_SAFE_INTEGER)));
  }
}

/** `innerKey ‖ end ‖ start`. */
export class SessionWindowedSerializer<K> implements Serializer<Windowed<K>> {
  constructor(readonly inner: Serializer<K>) {}

  /** The inner key alone (what `WindowedStreamPartitioner` hashes), as Java's `serializeBaseKey`. */
  serializeBaseKey(topic: string, data: Windowed<K>, headers?: Headers): Buffer {
    return innerBytes(this.inner, topic, data.key(), headers);
  }

  serialize(topic: string, data: Windowed<K> | null, headers?: Headers): Buffer | null {
    if (data === null) return null;
    const key = innerBytes(this.inner, topic, data.key(), headers);
    const out = Buffer.allocUnsafe(key.length + 2 * TS);
    key.copy(out, 0);
    writeTimeBE(out, data.window().end(), key.length);
    writeTimeBE(out, data.window().start(), key.length + TS);
    return out;
  }
}

/** Reads `innerKey ‖ end ‖ start`. */
export class SessionWindowedDeserializer<K> implements Deserializer<Windowed<K>> {
  constructor(readonly inner: Deserializer<K>) {}

  deserialize(topic: string, data: Buffer | null, headers?: Headers): Windowed<K> | null {
    if (data === null) return null;
    if (data.length < 2 * TS) throw new SerializationException(`A session-windowed key needs at least ${2 * TS} bytes, got ${data.length}`);
    const end = readTimeBE(data, data.length - 2 * TS);
    const start = readTimeBE(data, data.length - TS);
    const key = this.inner.deserialize(topic, data.subarray(0, data.length - 2 * TS), headers) as K;
    return new Windowed(key, new SessionWindow(start, end));
  }
}

class WindowedSerde<K> implements Serde<Windowed<K>> {
  constructor(
    readonly ser: Serializer<Windowed<K>>,
    readonly de: Deserializer<Windowed<K>>,
  ) {}
  serializer(): Serializer<Windowed<K>> {
    return this.ser;
  }
  deserializer(): Deserializer<Windowed<K>> {
    return this.de;
  }
}

export const WindowedSerdes = Object.freeze({
  /** The serde of time-windowed keys (`innerKey ‖ start`); `windowSize` restores each window's end. */
  timeWindowedSerdeFrom<K>(inner: Serde<K>, windowSize: DurationLike): Serde<Windowed<K>> {
    const size = durationMs(windowSize, 'windowSize');
    if (size <= 0) throw new IllegalArgumentException(`windowSize must be positive, got ${size}`);
    return new WindowedSerde(new TimeWindowedSerializer(inner.serializer()), new TimeWindowedDeserializer(inner.deserializer(), size));
  },

  /** The serde of session-windowed keys (`innerKey ‖ end ‖ start`). */
  sessionWindowedSerdeFrom<K>(inner: Serde<K>): Serde<Windowed<K>> {
    return new WindowedSerde(new SessionWindowedSerializer(inner.serializer()), new SessionWindowedDeserializer(inner.deserializer()));
  },
});
