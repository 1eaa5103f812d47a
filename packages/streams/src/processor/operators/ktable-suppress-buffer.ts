/**
 * The suppression buffer (Kafka's `InMemoryTimeOrderedKeyValueChangeBuffer`): the latest update per key, ordered
 * by buffer time (the time a key first entered the buffer — a later update keeps that time), evicted oldest
 * first. It is a state store: every put and eviction goes to its changelog (unless logging is disabled), so a
 * restarted task gets its buffer back. Sizes are counted in bytes of the serialized key, values and record
 * context, for `BufferConfig.maxBytes`.
 *
 * The changelog value format is kstreams' own (`bufferTime ‖ len+prior ‖ len+old ‖ len+new`, lengths -1 for
 * null), not Kafka's `BufferValue` encoding: a Java app cannot restore this buffer, nor this one a Java buffer.
 */
import { Headers } from '../headers';
import type { Serde } from '../../serde/serde';
import { storeNotOpen } from '../../state/store-errors';
import { keyString } from '../../state/key-bytes';
import type { StateStore, StateStoreContext, StoreRecordContext } from '../../state/state-store';
import type { StoreBuilder } from '../../state/store-builder';
import { storeChangelogTopic } from '../../state/metered-key-value-store';
import { Change } from './change';

/** Resolves a serde once the store knows its context (defaults come from the app config). */
export type SerdeResolver<T> = (context: StateStoreContext) => Serde<T>;

interface Entry<K, V> {
  readonly keyStr: string;
  readonly key: K;
  readonly keyBytes: Buffer;
  readonly time: number;
  change: Change<V>;
  prior: V | null;
  context: StoreRecordContext;
  size: number;
}

/** One evicted update: the key, its latest change, and the record context of that update. */
export interface Eviction<K, V> {
  readonly key: K;
  readonly value: Change<V>;
  readonly context: StoreRecordContext;
}

function contextSize(c: StoreRecordContext): number {
  let size = 8 + 8 + 4 + (c.topic === null ? 0 : c.topic.length);
  for (const h of c.headers) size += h.key.length + (h.value === null ? 0 : h.value.length);
  return size;
}

function writeParts(time: number, parts: ReadonlyArray<Buffer | null>): Buffer {
  let len = 8;
  for (const p of parts) len += 4 + (p === null ? 0 : p.length);
  const out = Buffer.allocUnsafe(len);
  out.writeBigInt64BE(BigInt(time), 0);
  let at = 8;
  for (const p of parts) {
    out.writeInt32BE(p === null ? -1 : p.length, at);
    at += 4;
    if (p !== null) {
      p.copy(out, at);
      at += p.length;
    }
  }
  return out;
}

function readParts(b: Buffer): { time: number; parts: (Buffer | null)[] } {
  const time = Number(b.readBigInt64BE(0));
  const parts: (Buffer | null)[] = [];
  let at = 8;
  while (at < b.length) {
    const n = b.readInt32BE(at);
    at += 4;
    if (n < 0) parts.push(null);
    else {
      parts.push(b.subarray(at, at + n));
      at += n;
    }
  }
  return { time, parts };
}

export class InMemoryTimeOrderedKeyValueBuffer<K, V> implements StateStore {
  readonly #byKey = new Map<string, Entry<K, V>>();
  /** Entries by (time, key bytes), ascending. */
  #order: Entry<K, V>[] = [];
  #context: StateStoreContext | null = null;
  #keySerde: Serde<K> | null = null;
  #valueSerde: Serde<V> | null = null;
  #topic = '';
  #bytes = 0;
  #open = false;

  constructor(
    readonly name: string,
    private readonly keySerdeResolver: SerdeResolver<K>,
    private readonly valueSerdeResolver: SerdeResolver<V>,
    readonly loggingEnabled: boolean,
  ) {}

  init(context: StateStoreContext, root: StateStore): void {
    this.#context = context;
    this.#keySerde = this.keySerdeResolver(context);
    this.#valueSerde = this.valueSerdeResolver(context);
    this.#topic = storeChangelogTopic(context.applicationId, this.name);
    context.register(root, (records) => {
      for (const r of records) {
        const keyStr = keyString(r.key);
        if (r.value === null) {
          const e = this.#byKey.get(keyStr);
          if (e !== undefined) this.#remove(e);
          continue;
        }
        const { time, parts } = readParts(r.value);
        const vd = this.#valueSerde!.deserializer();
        const v = (b: Buffer | null): V | null => (b === null ? null : vd.deserialize(this.#topic, b));
        const key = this.#keySerde!.deserializer().deserialize(this.#topic, r.key) as K;
        const ctx: StoreRecordContext = { topic: null, partition: -1, offset: -1, timestamp: r.timestamp, headers: new Headers() };
        const existing = this.#byKey.get(keyStr);
        if (existing !== undefined) this.#remove(existing);
        this.#insert({ keyStr, key, keyBytes: Buffer.from(r.key), time, change: new Change(v(parts[2] ?? null), v(parts[1] ?? null)), prior: v(parts[0] ?? null), context: ctx, size: 0 }, r.value.length);
      }
    });
    this.#open = true;
  }

  persistent(): boolean {
    return false;
  }
  isOpen(): boolean {
    return this.#open;
  }
  flush(): void {
    // every change was logged when it happened
  }
  close(): void {
    this.#byKey.clear();
    this.#order = [];
    this.#bytes = 0;
    this.#open = false;
  }

  numRecords(): number {
    return this.#byKey.size;
  }

  bufferSize(): number {
    return this.#bytes;
  }

  /** The smallest buffer time, or `Number.MAX_SAFE_INTEGER` when empty. */
  minTimestamp(): number {
    return this.#order.length === 0 ? Number.MAX_SAFE_INTEGER : this.#order[0]!.time;
  }

  /** The value a key had before its first buffered update (for value getters), or undefined when not buffered. */
  priorValueForBuffered(key: K): { value: V | null } | undefined {
    const e = this.#byKey.get(keyString(this.#serializeKey(key)));
    return e === undefined ? undefined : { value: e.prior };
  }

  /** Buffers an update; a key already buffered keeps its buffer time and its prior value. */
  put(time: number, key: K, change: Change<V>, context: StoreRecordContext): void {
    if (!this.#open) throw storeNotOpen(this.name);
    const keyBytes = this.#serializeKey(key);
    const keyStr = keyString(keyBytes);
    const existing = this.#byKey.get(keyStr);
    const prior = existing === undefined ? change.oldValue : existing.prior;
    const bufferTime = existing === undefined ? time : existing.time;
    if (existing !== undefined) this.#remove(existing);
    const vs = this.#valueSerde!.serializer();
    const ser = (v: V | null): Buffer | null => (v === null ? null : vs.serialize(this.#topic, v));
    const logged = writeParts(bufferTime, [ser(prior), ser(change.oldValue), ser(change.newValue)]);
    this.#insert({ keyStr, key, keyBytes, time: bufferTime, change, prior, context, size: 0 }, logged.length + contextSize(context));
    this.#log(keyBytes, logged, context.timestamp);
  }

  /** Evicts oldest-first while `predicate()` holds, handing each eviction to `callback`. */
  evictWhile(predicate: () => boolean, callback: (eviction: Eviction<K, V>) => void): void {
    while (this.#order.length > 0 && predicate()) {
      const e = this.#order[0]!;
      this.#remove(e);
      this.#log(e.keyBytes, null, this.#context!.recordContext().timestamp);
      callback({ key: e.key, value: e.change, context: e.context });
    }
  }

  #insert(e: Entry<K, V>, valueSize: number): void {
    e.size = e.keyBytes.length + valueSize;
    this.#byKey.set(e.keyStr, e);
    // binary search for (time, key) position; usually the end
    let lo = 0;
    let hi = this.#order.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const m = this.#order[mid]!;
      if (m.time < e.time || (m.time === e.time && m.keyStr < e.keyStr)) lo = mid + 1;
      else hi = mid;
    }
    this.#order.splice(lo, 0, e);
    this.#bytes += e.size;
  }

  #remove(e: Entry<K, V>): void {
    this.#byKey.delete(e.keyStr);
    const i = this.#order.indexOf(e);
    if (i === 0) this.#order.shift();
    else if (i > 0) this.#order.splice(i, 1);
    this.#bytes -= e.size;
  }

  #serializeKey(key: K): Buffer {
    const b = this.#keySerde!.serializer().serialize(this.#topic, key);
    if (b === null) throw new TypeError(`Key of suppression buffer ${this.name} cannot be null`);
    return b;
  }

  #log(key: Buffer, value: Buffer | null, timestamp: number): void {
    if (this.loggingEnabled) this.#context!.logChange(this.name, key, value, timestamp);
  }
}

/** Builds the suppression buffer store (caching never applies). */
export class SuppressionBufferBuilder<K, V> implements StoreBuilder<InMemoryTimeOrderedKeyValueBuffer<K, V>> {
  constructor(
    readonly name: string,
    private readonly keySerde: SerdeResolver<K>,
    private readonly valueSerde: SerdeResolver<V>,
    private readonly logging: boolean,
    private readonly config: Readonly<{ [key: string]: string }>,
  ) {}

  withCachingEnabled(): this {
    return this;
  }
  withCachingDisabled(): this {
    return this;
  }
  withLoggingEnabled(config: Readonly<{ [key: string]: string }>): SuppressionBufferBuilder<K, V> {
    return new SuppressionBufferBuilder(this.name, this.keySerde, this.valueSerde, true, config);
  }
  withLoggingDisabled(): SuppressionBufferBuilder<K, V> {
    return new SuppressionBufferBuilder(this.name, this.keySerde, this.valueSerde, false, {});
  }
  loggingEnabled(): boolean {
    return this.logging;
  }
  cachingEnabled(): boolean {
    return false;
  }
  logConfig(): Readonly<{ [key: string]: string }> {
    return this.logging ? { 'cleanup.policy': 'compact', ...this.config } : {};
  }
  build(): InMemoryTimeOrderedKeyValueBuffer<K, V> {
    return new InMemoryTimeOrderedKeyValueBuffer(this.name, this.keySerde, this.valueSerde, this.logging);
  }
}
