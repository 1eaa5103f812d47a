/**
 * Tiny codec combinators for the non-flexible Kafka encodings. Each message file declares its request
 * and response as a struct of fields in the documented order; decode and encode both follow that one
 * declaration, so a field can never be read in one order and written in another.
 */
import { MalformedRequestError } from './errors';
import { Reader } from './reader';
import { Writer } from './writer';

export interface Codec<T> {
  read(r: Reader): T;
  write(w: Writer, v: T): void;
}

export type Infer<C> = C extends Codec<infer T> ? T : never;

export const int8: Codec<number> = { read: (r) => r.int8(), write: (w, v) => void w.int8(v) };
export const int16: Codec<number> = { read: (r) => r.int16(), write: (w, v) => void w.int16(v) };
export const int32: Codec<number> = { read: (r) => r.int32(), write: (w, v) => void w.int32(v) };
export const int64: Codec<number> = { read: (r) => r.int64(), write: (w, v) => void w.int64(v) };
export const bool: Codec<boolean> = { read: (r) => r.bool(), write: (w, v) => void w.bool(v) };
export const string: Codec<string> = { read: (r) => r.string(), write: (w, v) => void w.string(v) };
export const nullableString: Codec<string | null> = {
  read: (r) => r.nullableString(),
  write: (w, v) => void w.nullableString(v),
};
export const bytes: Codec<Buffer> = { read: (r) => r.bytes(), write: (w, v) => void w.bytes(v) };
export const nullableBytes: Codec<Buffer | null> = {
  read: (r) => r.nullableBytes(),
  write: (w, v) => void w.nullableBytes(v),
};

/** Record data in a Fetch response: a list of stored batches sent back to back as one BYTES field. */
export const recordChunks: Codec<Buffer[] | null> = {
  read: (r) => {
    const b = r.nullableBytes();
    return b === null ? null : [b];
  },
  write: (w, v) => void (v === null ? w.int32(-1) : w.bytesChunks(v)),
};

export function array<T>(item: Codec<T>): Codec<T[]> {
  return {
    read(r) {
      const n = r.arrayLength();
      if (n < 0) throw new MalformedRequestError('null where a non-nullable array is required');
      const out = new Array<T>(n);
      for (let i = 0; i < n; i++) out[i] = item.read(r);
      return out;
    },
    write(w, v) {
      w.int32(v.length);
      for (const x of v) item.write(w, x);
    },
  };
}

export function nullableArray<T>(item: Codec<T>): Codec<T[] | null> {
  return {
    read(r) {
      const n = r.arrayLength();
      if (n === -1) return null;
      const out = new Array<T>(n);
      for (let i = 0; i < n; i++) out[i] = item.read(r);
      return out;
    },
    write(w, v) {
      if (v === null) {
        w.int32(-1);
        return;
      }
      w.int32(v.length);
      for (const x of v) item.write(w, x);
    },
  };
}

/**
 * A field that exists only in API versions `min`..`max` (Kafka's `"versions": "min-max"`): in other
 * versions it is neither read (the value is `absent`) nor written.
 */
export function versions<T>(min: number, max: number, codec: Codec<T>, absent: T): Codec<T> {
  return {
    read: (r) => (r.version >= min && r.version <= max ? codec.read(r) : absent),
    write: (w, v) => {
      if (w.version >= min && w.version <= max) codec.write(w, v);
    },
  };
}

/** A field added in version `min` (Kafka's `"versions": "min+"`). */
export function since<T>(min: number, codec: Codec<T>, absent: T): Codec<T> {
  return versions(min, 0x7fff, codec, absent);
}

type Fields = Record<string, Codec<unknown>>;
export type StructOf<F extends Fields> = { [K in keyof F]: Infer<F[K]> };

export function struct<F extends Fields>(fields: F): Codec<StructOf<F>> {
  const entries = Object.entries(fields);
  return {
    read(r) {
      const out: Record<string, unknown> = {};
      for (const [name, codec] of entries) out[name] = codec.read(r);
      return out as StructOf<F>;
    },
    write(w, v) {
      const obj = v as Record<string, unknown>;
      for (const [name, codec] of entries) codec.write(w, obj[name]);
    },
  };
}

/** Decodes `buf` fully with `codec`; trailing bytes are tolerated as Kafka does for newer optional fields. */
export function decode<T>(codec: Codec<T>, buf: Buffer, version = 0x7fff): T {
  const r = new Reader(buf);
  r.version = version;
  return codec.read(r);
}

export function encode<T>(codec: Codec<T>, value: T, version = 0x7fff): Buffer {
  const w = new Writer();
  w.version = version;
  codec.write(w, value);
  return w.toBuffer();
}
