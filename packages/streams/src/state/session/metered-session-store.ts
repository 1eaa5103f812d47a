/**
 * The metered (outermost) layer of session stores (Kafka's `MeteredSessionStore`): typed keys and aggregates over
 * the byte store, serialized with the store's serdes (topic = the changelog topic).
 */
import { Windowed } from '../../dsl/windows/windowed';
import type { Deserializer, Serde, Serializer } from '../../serde/serde';
import { timestampMs, type TimestampLike } from '../../time/duration';
import { isCachedStateStore, type CacheFlushListener, type CachedStateStore } from '../cached-state-store';
import { MappedKeyValueIterator } from '../key-value-iterators';
import { resolveSerde, storeChangelogTopic } from '../metered-key-value-store';
import { storeNotOpen } from '../store-errors';
import type { KeyValueIterator, StateStore, StateStoreContext } from '../state-store';
import type { SessionBytesStore, SessionStore } from './session-store';

export class MeteredSessionStore<K, AGG> implements SessionStore<K, AGG>, CachedStateStore<Windowed<K>, AGG> {
  #keySerde: Serde<K> | null;
  #valueSerde: Serde<AGG> | null;
  #ks: Serializer<K> | null = null;
  #kd: Deserializer<K> | null = null;
  #vs: Serializer<AGG> | null = null;
  #vd: Deserializer<AGG> | null = null;
  #topic = '';

  constructor(
    readonly wrapped: SessionBytesStore,
    readonly metricsScope: string,
    keySerde: Serde<K> | null,
    valueSerde: Serde<AGG> | null,
  ) {
    this.#keySerde = keySerde;
    this.#valueSerde = valueSerde;
  }

  get name(): string {
    return this.wrapped.name;
  }

  /** The key and value serdes in use (resolved at init; null before). */
  get keySerde(): Serde<K> | null {
    return this.#keySerde;
  }

  get valueSerde(): Serde<AGG> | null {
    return this.#valueSerde;
  }

  init(context: StateStoreContext, root: StateStore): void {
    this.#keySerde = resolveSerde(this.#keySerde, context, 'key', this.name);
    this.#valueSerde = resolveSerde(this.#valueSerde, context, 'value', this.name);
    this.#ks = this.#keySerde.serializer();
    this.#kd = this.#keySerde.deserializer();
    this.#vs = this.#valueSerde.serializer();
    this.#vd = this.#valueSerde.deserializer();
    this.#topic = storeChangelogTopic(context.applicationId, this.name);
    this.wrapped.init(context, root);
  }

  persistent(): boolean {
    return this.wrapped.persistent();
  }
  isOpen(): boolean {
    return this.wrapped.isOpen();
  }
  flush(): void {
    this.wrapped.flush();
  }
  close(): void {
    this.wrapped.close();
  }

  setFlushListener(listener: CacheFlushListener<Windowed<K>, AGG>, sendOldValues: boolean): boolean {
    if (!isCachedStateStore<Windowed<Buffer>, Buffer>(this.wrapped)) return false;
    return this.wrapped.setFlushListener((r) => {
      listener({
        key: new Windowed(this.#kd!.deserialize(this.#topic, r.key.key(), r.headers) as K, r.key.window()),
        newValue: r.newValue === null ? null : this.#vd!.deserialize(this.#topic, r.newValue, r.headers),
        oldValue: r.oldValue === null ? null : this.#vd!.deserialize(this.#topic, r.oldValue, r.headers),
        timestamp: r.timestamp,
        headers: r.headers,
      });
    }, sendOldValues);
  }

  flushCache(): void {
    if (isCachedStateStore(this.wrapped)) this.wrapped.flushCache();
  }

  put(sessionKey: Windowed<K>, aggregate: AGG | null): void {
    const w = sessionKey.window();
    this.wrapped.put(this.#key(sessionKey.key()), w.start(), w.end(), aggregate === null ? null : this.#vs!.serialize(this.#topic, aggregate));
  }

  remove(sessionKey: Windowed<K>): void {
    this.put(sessionKey, null);
  }

  fetchSession(key: K, sessionStartTime: TimestampLike, sessionEndTime: TimestampLike): AGG | null {
    const raw = this.wrapped.fetchSession(this.#key(key), timestampMs(sessionStartTime, 'sessionStartTime'), timestampMs(sessionEndTime, 'sessionEndTime'));
    return raw === null ? null : this.#vd!.deserialize(this.#topic, raw);
  }

  findSessions(key: K, earliestSessionEndTime: TimestampLike, latestSessionStartTime: TimestampLike): KeyValueIterator<Windowed<K>, AGG>;
  findSessions(keyFrom: K | null, keyTo: K | null, earliestSessionEndTime: TimestampLike, latestSessionStartTime: TimestampLike): KeyValueIterator<Windowed<K>, AGG>;
  findSessions(a: K | null, b: unknown, c: TimestampLike, d?: TimestampLike): KeyValueIterator<Windowed<K>, AGG> {
    return d === undefined ? this.#find(a, timestampMs(b as TimestampLike), timestampMs(c), undefined, false) : this.#find(a, b, timestampMs(c), timestampMs(d), false);
  }

  backwardFindSessions(key: K, earliestSessionEndTime: TimestampLike, latestSessionStartTime: TimestampLike): KeyValueIterator<Windowed<K>, AGG>;
  backwardFindSessions(keyFrom: K | null, keyTo: K | null, earliestSessionEndTime: TimestampLike, latestSessionStartTime: TimestampLike): KeyValueIterator<Windowed<K>, AGG>;
  backwardFindSessions(a: K | null, b: unknown, c: TimestampLike, d?: TimestampLike): KeyValueIterator<Windowed<K>, AGG> {
    return d === undefined ? this.#find(a, timestampMs(b as TimestampLike), timestampMs(c), undefined, true) : this.#find(a, b, timestampMs(c), timestampMs(d), true);
  }

  findSessionsByEndTime(earliestSessionEndTime: TimestampLike, latestSessionEndTime: TimestampLike): KeyValueIterator<Windowed<K>, AGG> {
    return this.#typed(this.wrapped.findSessionsByEndTime(timestampMs(earliestSessionEndTime), timestampMs(latestSessionEndTime)));
  }

  fetch(key: K): KeyValueIterator<Windowed<K>, AGG>;
  fetch(keyFrom: K | null, keyTo: K | null): KeyValueIterator<Windowed<K>, AGG>;
  fetch(a: K | null, ...rest: [K | null] | []): KeyValueIterator<Windowed<K>, AGG> {
    return rest.length === 0 ? this.#find(a, 0, Number.MAX_SAFE_INTEGER, undefined, false) : this.#find(a, rest[0], 0, Number.MAX_SAFE_INTEGER, false);
  }

  backwardFetch(key: K): KeyValueIterator<Windowed<K>, AGG>;
  backwardFetch(keyFrom: K | null, keyTo: K | null): KeyValueIterator<Windowed<K>, AGG>;
  backwardFetch(a: K | null, ...rest: [K | null] | []): KeyValueIterator<Windowed<K>, AGG> {
    return rest.length === 0 ? this.#find(a, 0, Number.MAX_SAFE_INTEGER, undefined, true) : this.#find(a, rest[0], 0, Number.MAX_SAFE_INTEGER, true);
  }

  #find(a: K | null, b: unknown, c: number, d: number | undefined, backward: boolean): KeyValueIterator<Windowed<K>, AGG> {
    if (d === undefined) {
      const key = this.#key(a as K);
      return this.#typed(this.wrapped.findSessions(key, key, b as number, c, backward));
    }
    const from = a === null ? null : this.#key(a);
    const to = b === null ? null : this.#key(b as K);
    return this.#typed(this.wrapped.findSessions(from, to, c, d, backward));
  }

  #typed(it: KeyValueIterator<Windowed<Buffer>, Buffer>): KeyValueIterator<Windowed<K>, AGG> {
    if (this.#kd === null) throw storeNotOpen(this.name);
    const kd = this.#kd;
    const vd = this.#vd!;
    const topic = this.#topic;
    return new MappedKeyValueIterator<Windowed<Buffer>, Buffer, Windowed<K>, AGG>(this.name, it, (k, v) => ({
      key: new Windowed(kd.deserialize(topic, k.key()) as K, k.window()),
      value: vd.deserialize(topic, v)!,
    }));
  }

  #key(key: K): Buffer {
    if (this.#ks === null) throw storeNotOpen(this.name);
    const bytes = this.#ks.serialize(this.#topic, key);
    if (bytes === null) throw new TypeError(`Key of store ${this.name} cannot be null`);
    return bytes;
  }
}
