/**
 * The suppression buffer (Kafka's `InMemoryTimeOrderedKeyValueChangeBuffer`): the latest update per key, ordered
 * by buffer time (the time a key first entered the buffer — a later update keeps that time), evicted oldest
 * first. It is a state store: on flush (commit) each key changed since the last flush goes to its changelog —
 * the buffered value, or a tombstone once evicted — unless logging is disabled, so a restarted task gets its buffer
 * back. Sizes follow Kafka's estimate (key, buffer time, values, record context) for `BufferConfig.maxBytes`.
 *
 * Changelog values use Kafka's version-3 layout: record context (timestamp, offset, topic, partition, headers),
 * prior value, old value (-2: same as prior), new value (each int32 length, -1 for null), buffer time. Kafka also
 * marks these records with a `v=3` header, which the store context cannot send yet, so a Java app would read them
 * as an older version.
 */
import { Headers } from '../headers';
import type { Serde } from '../../serde/serde';
import { storeNotOpen } from '../../state/store-errors';
import { keyString } from '../../state/key-bytes';
import type { StateStore, StateStoreContext, StoreRecordContext } from '../../state/state-store';
import type { StoreBuilder } from '../../state/store-builder';
import { storeChangelogTopic } from '../../state/metered-key-value-store';
import { Change } from './change';
import { readTimeBE, writeTimeBE } from '../../state/time-bytes';
import { JavaBytesHashSetOrder } from '../../topology/java-hash-order';

/** Kafka's header on suppress-buffer changelog values: the value layout version (`v` = 3). */
function changelogHeaders(): Headers {
  return new Headers([{ key: 'v', value: Buffer.from([3]) }]);
}

/** Resolves a serde once the store knows its context (defaults come from the app config). */
export type SerdeResolver<T> = (context: StateStoreContext) => Serde<T>;

interface Entry<K, V> {
  readonly keyStr: string;
  readonly key: K;
  readonly keyBytes: Buffer;
  readonly time: number;
  readonly change: Change<V>;
  readonly prior: V | null;
  readonly priorBytes: Buffer | null;
  readonly oldBytes: Buffer | null;
  readonly newBytes: Buffer | null;
  readonly context: StoreRecordContext;
  readonly size: number;
}

/** One evicted update: the key, its latest change, and the record context of that update. */
export interface Eviction<K, V> {
  readonly key: K;
  readonly value: Change<V>;
  readonly context: StoreRecordContext;
}

const NULL_VALUE = -1;
const OLD_PREV_DUPLICATE = -2;

/** Kafka's `ProcessorRecordContext.residentMemorySizeEstimate`. */
function contextSize(c: StoreRecordContext): number {
  let size = 8 + 8 + 4 + (c.topic === null ? 0 : c.topic.length);
  for (const h of c.headers) size += h.key.length + (h.value === null ? 0 : h.value.length);
  return size;
}

function sameBytes(a: Buffer | null, b: Buffer | null): boolean {
  return a === b || (a !== null && b !== null && a.equals(b));
}

/** Serialized buffer entry, Kafka's `BufferValue` v3 plus the buffer time. */
function encode(c: StoreRecordContext, prior: Buffer | null, old: Buffer | null, now: Buffer | null, time: number): Buffer {
  const topic = Buffer.from(c.topic ?? '', 'utf8');
  const headers = [...c.headers].map((h) => ({ key: Buffer.from(h.key, 'utf8'), value: h.value }));
  const oldDup = old !== null && sameBytes(prior, old);
  let size = 8 + 8 + 4 + topic.length + 4 + 4;
  for (const h of headers) size += 8 + h.key.length + (h.value === null ? 0 : h.value.length);
  size += 4 + (prior?.length ?? 0) + 4 + (old === null || oldDup ? 0 : old.length) + 4 + (now?.length ?? 0) + 8;
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  const long = (v: number): void => {
    writeTimeBE(out, v, at);
    at += 8;
  };
  const int = (v: number): void => {
    out.writeInt32BE(v, at);
    at += 4;
  };
  const bytes = (b: Buffer): void => {
    b.copy(out, at);
    at += b.length;
  };
  const nullable = (b: Buffer | null): void => {
    if (b === null) int(NULL_VALUE);
    else {
      int(b.length);
      bytes(b);
    }
  };
  long(c.timestamp);
  long(c.offset);
  int(topic.length);
  bytes(topic);
  int(c.partition);
  int(headers.length);
  for (const h of headers) {
    int(h.key.length);
    bytes(h.key);
    nullable(h.value);
  }
  nullable(prior);
  if (old === null) int(NULL_VALUE);
  else if (oldDup) int(OLD_PREV_DUPLICATE);
  else nullable(old);
  nullable(now);
  long(time);
  return out;
}

function decode(b: Buffer): { context: StoreRecordContext; prior: Buffer | null; old: Buffer | null; now: Buffer | null; time: number } {
  let at = 0;
  const long = (): number => {
    const v = readTimeBE(b, at);
    at += 8;
    return v;
  };
  const int = (): number => {
    const v = b.readInt32BE(at);
    at += 4;
    return v;
  };
  const take = (n: number): Buffer => {
    const v = b.subarray(at, at + n);
    at += n;
    return v;
  };
  const nullable = (n = int()): Buffer | null => (n < 0 ? null : take(n));
  const timestamp = long();
  const offset = long();
  const topic = take(int()).toString('utf8');
  const partition = int();
  const headerCount = int();
  const headers = new Headers();
  for (let i = 0; i < headerCount; i++) {
    const key = take(int()).toString('utf8');
    headers.add(key, nullable());
  }
  const prior = nullable();
  const oldLength = int();
  const old = oldLength === OLD_PREV_DUPLICATE ? prior : nullable(oldLength);
  const now = nullable();
  const time = long();
  return { context: { topic, partition, offset, timestamp, headers }, prior, old, now, time };
}

export class InMemoryTimeOrderedKeyValueBuffer<K, V> implements StateStore {
  readonly #byKey = new Map<string, Entry<K, V>>();
  /** Entries by (time, key bytes), ascending. */
  #order: Entry<K, V>[] = [];
  /** Keys changed since the last flush, with their key bytes (to log them, or a tombstone, on flush). */
  readonly #dirty = new Map<string, Buffer>();
  readonly #dirtyOrder = new JavaBytesHashSetOrder();
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
        const existing = this.#byKey.get(keyStr);
        if (existing !== undefined) this.#remove(existing);
        if (r.value === null) continue;
        const d = decode(r.value);
        const key = this.#keySerde!.deserializer().deserialize(this.#topic, r.key) as K;
        this.#insert(key, Buffer.from(r.key), keyStr, d.time, d.prior, d.old, d.now, d.context);
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

  /** Logs every key changed since the last flush: its buffered entry (with Kafka's `v=3` format header), or a tombstone if it was evicted. */
  flush(): void {
    if (!this.loggingEnabled || this.#dirty.size === 0) {
      this.#dirty.clear();
      return;
    }
    const context = this.#context!;
    // in the order Kafka's HashSet<Bytes> of dirty keys iterates (different keys, so only the changelog order differs)
    for (const [keyStr, keyBytes] of this.#dirtyOrder.order([...this.#dirty], ([, bytes]) => bytes)) {
      const e = this.#byKey.get(keyStr);
      if (e === undefined) context.logChange(this.name, keyBytes, null, context.recordContext().timestamp);
      else context.logChange(this.name, keyBytes, encode(e.context, e.priorBytes, e.oldBytes, e.newBytes, e.time), e.context.timestamp, changelogHeaders());
    }
    this.#dirty.clear();
  }

  close(): void {
    this.#byKey.clear();
    this.#dirty.clear();
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

  /**
   * The record context a buffered update is stored with: topic, partition and offset of the record being processed
   * (during a cache flush, those of the flushed entry, as Kafka's `recordContext()`), and the forwarded record's
   * timestamp and headers (Kafka's `forward` puts them into the context).
   */
  recordContextFor(timestamp: number, headers: StoreRecordContext['headers']): StoreRecordContext {
    if (!this.#open) throw storeNotOpen(this.name);
    const c = this.#context!.recordContext();
    return { topic: c.topic, partition: c.partition, offset: c.offset, timestamp, headers };
  }

  /** Buffers an update; a key already buffered keeps its buffer time and its prior value. */
  put(time: number, key: K, change: Change<V>, context: StoreRecordContext): void {
    if (!this.#open) throw storeNotOpen(this.name);
    const keyBytes = this.#serializeKey(key);
    const keyStr = keyString(keyBytes);
    const existing = this.#byKey.get(keyStr);
    const vs = this.#valueSerde!.serializer();
    const ser = (v: V | null): Buffer | null => (v === null ? null : vs.serialize(this.#topic, v));
    const oldBytes = ser(change.oldValue);
    const priorBytes = existing === undefined ? oldBytes : existing.priorBytes;
    const bufferTime = existing === undefined ? time : existing.time;
    if (existing !== undefined) this.#remove(existing);
    this.#insertEntry({
      keyStr,
      key,
      keyBytes,
      time: bufferTime,
      change,
      prior: existing === undefined ? change.oldValue : existing.prior,
      priorBytes,
      oldBytes,
      newBytes: ser(change.newValue),
      context,
      size: 0,
    });
    this.#dirty.set(keyStr, keyBytes);
  }

  /** Evicts oldest-first while `predicate()` holds, handing each eviction to `callback`. */
  evictWhile(predicate: () => boolean, callback: (eviction: Eviction<K, V>) => void): void {
    while (this.#order.length > 0 && predicate()) {
      const e = this.#order[0]!;
      this.#remove(e);
      this.#dirty.set(e.keyStr, e.keyBytes);
      callback({ key: e.key, value: e.change, context: e.context });
    }
  }

  #insert(key: K, keyBytes: Buffer, keyStr: string, time: number, prior: Buffer | null, old: Buffer | null, now: Buffer | null, context: StoreRecordContext): void {
    const vd = this.#valueSerde!.deserializer();
    const v = (b: Buffer | null): V | null => (b === null ? null : vd.deserialize(this.#topic, b));
    this.#insertEntry({ keyStr, key, keyBytes, time, change: new Change(v(now), v(old)), prior: v(prior), priorBytes: prior, oldBytes: old, newBytes: now, context, size: 0 });
  }

  #insertEntry(e: Entry<K, V>): void {
    // Kafka's estimate: key, buffer time, prior (+ old when it differs) + new values, record context
    const size =
      e.keyBytes.length + 8 + (e.priorBytes?.length ?? 0) + (e.oldBytes === null || sameBytes(e.priorBytes, e.oldBytes) ? 0 : e.oldBytes.length) + (e.newBytes?.length ?? 0) + contextSize(e.context);
    const entry: Entry<K, V> = { ...e, size };
    this.#byKey.set(entry.keyStr, entry);
    let lo = 0;
    let hi = this.#order.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const m = this.#order[mid]!;
      if (m.time < entry.time || (m.time === entry.time && m.keyStr < entry.keyStr)) lo = mid + 1;
      else hi = mid;
    }
    this.#order.splice(lo, 0, entry);
    this.#bytes += size;
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
