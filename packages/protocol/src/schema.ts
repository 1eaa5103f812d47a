/**
 * Tiny codec combinators for Kafka's encodings, flexible versions (KIP-482) included. Each message file
 * (generated from Kafka's JSON message specs) declares its request and response as a struct of fields in
 * the documented order with their version ranges; decode and encode both follow that one declaration, so
 * a field can never be read in one order and written in another. In a flexible version strings, bytes and
 * arrays take compact lengths (unsigned varint N+1) and every struct ends with a tagged-field section.
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
export const uuid: Codec<string> = { read: (r) => r.uuid(), write: (w, v) => void w.uuid(v) };
export const float64: Codec<number> = { read: (r) => r.float64(), write: (w, v) => void w.float64(v) };
export const uint16: Codec<number> = { read: (r) => r.uint16(), write: (w, v) => void w.uint16(v) };
/** The all-zero UUID Kafka uses for "no topic id". */
export const ZERO_UUID = '00000000000000000000000000000000';
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
  write: (w, v) => void (v === null ? w.nullLength() : w.bytesChunks(v)),
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
      w.length32(v.length);
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
        w.nullLength();
        return;
      }
      w.length32(v.length);
      for (const x of v) item.write(w, x);
    },
  };
}

/** A nullable struct field: int8 -1 for null, 1 then the struct otherwise. */
export function nullableStruct<T>(inner: Codec<T>): Codec<T | null> {
  return {
    read: (r) => (r.int8() < 0 ? null : inner.read(r)),
    write: (w, v) => {
      if (v === null) w.int8(-1);
      else inner.write(w.int8(1), v);
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
      if (w.version >= min && w.version <= max) codec.write(w, v === undefined ? absent : v);
    },
  };
}

/** Marks a response field the handler may leave out (it is then written as its default). */
export interface OptionalCodec<T> extends Codec<T> {
  readonly optional: true;
}
export function opt<T>(codec: Codec<T>): OptionalCodec<T> {
  return { ...codec, optional: true };
}

/** A tagged field (KIP-482): only in the tagged section of a flexible struct, written when not `absent`. */
export interface TaggedCodec<T> extends Codec<T> {
  readonly tag: number;
  readonly min: number;
  readonly max: number;
  readonly inner: Codec<T>;
  readonly absent: T;
}
export function tagged<T>(tag: number, min: number, max: number, inner: Codec<T>, absent: T): TaggedCodec<T> & OptionalCodec<T> {
  return { tag, min, max, inner, absent, optional: true, read: () => absent, write: () => undefined };
}

/** A field added in version `min` (Kafka's `"versions": "min+"`). */
export function since<T>(min: number, codec: Codec<T>, absent: T): Codec<T> {
  return versions(min, 0x7fff, codec, absent);
}

type Fields = Record<string, Codec<unknown>>;
type Simplify<T> = { [K in keyof T]: T[K] };
export type StructOf<F extends Fields> = Simplify<
  { [K in keyof F as F[K] extends { optional: true } ? never : K]: Infer<F[K]> } & {
    [K in keyof F as F[K] extends { optional: true } ? K : never]?: Infer<F[K]>;
  }
>;

function isTagged(c: Codec<unknown>): c is TaggedCodec<unknown> {
  return typeof (c as Partial<TaggedCodec<unknown>>).tag === 'number';
}

function isAbsent(v: unknown, absent: unknown): boolean {
  if (v === undefined || v === absent) return true;
  return Array.isArray(v) && Array.isArray(absent) && v.length === 0 && absent.length === 0;
}

function skipTaggedSection(r: Reader, byTag: Map<number, [string, TaggedCodec<unknown>]>, out: Record<string, unknown> | null): void {
  const n = r.unsignedVarint();
  let last = -1;
  for (let i = 0; i < n; i++) {
    const tag = r.unsignedVarint();
    if (tag <= last) throw new MalformedRequestError(`tagged fields out of order: tag ${tag} after ${last}`);
    last = tag;
    const size = r.unsignedVarint();
    const known = byTag.get(tag);
    if (known && out && r.version >= known[1].min && r.version <= known[1].max) {
      const sub = new Reader(r.slice(size));
      sub.version = r.version;
      sub.flexible = true;
      out[known[0]] = known[1].inner.read(sub);
    } else {
      r.skip(size);
    }
  }
}

const NO_TAGS = new Map<number, [string, TaggedCodec<unknown>]>();

export function struct<F extends Fields>(fields: F): Codec<StructOf<F>> {
  const all = Object.entries(fields);
  const entries = all.filter(([, c]) => !isTagged(c));
  const taggedEntries = all.filter((e): e is [string, TaggedCodec<unknown>] => isTagged(e[1])).sort((a, b) => a[1].tag - b[1].tag);
  const byTag = taggedEntries.length === 0 ? NO_TAGS : new Map(taggedEntries.map((e) => [e[1].tag, e] as const));
  return {
    read(r) {
      const out: Record<string, unknown> = {};
      for (const [name, codec] of entries) out[name] = codec.read(r);
      for (const [name, codec] of taggedEntries) out[name] = codec.absent;
      if (r.flexible) skipTaggedSection(r, byTag, out);
      return out as StructOf<F>;
    },
    write(w, v) {
      const obj = v as Record<string, unknown>;
      for (const [name, codec] of entries) codec.write(w, obj[name]);
      if (!w.flexible) return;
      if (taggedEntries.length === 0) {
        w.unsignedVarint(0);
        return;
      }
      const present = taggedEntries.filter(([name, c]) => w.version >= c.min && w.version <= c.max && !isAbsent(obj[name], c.absent));
      w.unsignedVarint(present.length);
      for (const [name, c] of present) {
        const sub = new Writer();
        sub.version = w.version;
        sub.flexible = true;
        c.inner.write(sub, obj[name]);
        const bytes = sub.toBuffer();
        w.unsignedVarint(c.tag).unsignedVarint(bytes.length).raw(bytes);
      }
    },
  };
}

/** Reads (and drops) a tagged-field section: the request header v2's. */
export function skipTaggedFields(r: Reader): void {
  skipTaggedSection(r, NO_TAGS, null);
}

/** Decodes `buf` fully with `codec`; trailing bytes are tolerated as Kafka does for newer optional fields. */
export function decode<T>(codec: Codec<T>, buf: Buffer, version = 0x7fff, flexible = false): T {
  const r = new Reader(buf);
  r.version = version;
  r.flexible = flexible;
  return codec.read(r);
}

export function encode<T>(codec: Codec<T>, value: T, version = 0x7fff, flexible = false): Buffer {
  const w = new Writer();
  w.version = version;
  w.flexible = flexible;
  codec.write(w, value);
  return w.toBuffer();
}
