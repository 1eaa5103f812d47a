/** Tiny serdes for store tests (the real `Serdes` live in src/serde). */
import type { Deserializer, Serde, Serializer } from '../../src/serde/serde';

function serde<T>(serialize: (v: T) => Buffer, deserialize: (b: Buffer) => T): Serde<T> {
  const s: Serializer<T> = { serialize: (_t, v) => (v === null ? null : serialize(v)) };
  const d: Deserializer<T> = { deserialize: (_t, b) => (b === null ? null : deserialize(b)) };
  return { serializer: () => s, deserializer: () => d };
}

export const utf8Serde: Serde<string> = serde(
  (v) => Buffer.from(v, 'utf8'),
  (b) => b.toString('utf8'),
);

/** 8-byte big-endian signed long, as Kafka's LongSerializer. */
export const longSerde: Serde<number> = serde(
  (v) => {
    const b = Buffer.alloc(8);
    b.writeBigInt64BE(BigInt(v));
    return b;
  },
  (b) => Number(b.readBigInt64BE(0)),
);

export const bytesSerde: Serde<Buffer> = serde(
  (v) => v,
  (b) => b,
);
