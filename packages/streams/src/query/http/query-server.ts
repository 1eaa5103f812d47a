/**
 * `InteractiveQueryServer`: an opt-in HTTP server (node's `http`) answering queries on a KafkaStreams instance's
 * stores. A key another instance owns is forwarded to it (one hop: forwarded requests carry
 * `x-kstreams-forwarded` and are never forwarded again); key ranges and full scans gather every instance hosting
 * the store and page through the merged result by serialized key. Keys and values render as JSON when they are
 * JSON data, else as base64 of their serialized bytes (each field says which). Errors are JSON with a status,
 * a code, a message naming the problem and whether a retry can succeed. Change feeds stream as server-sent events.
 * Endpoints: see the README ("Interactive queries").
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Subscription } from 'rxjs';
import { IllegalArgumentException } from '../../errors';
import { log } from '../../logger';
import type { Deserializer, Serde, Serializer } from '../../serde/serde';
import { MeteredKeyValueStore } from '../../state/metered-key-value-store';
import { MeteredSessionStore } from '../../state/session/metered-session-store';
import type { ReadOnlySessionStore } from '../../state/session/session-store';
import type { KeyValue, KeyValueIterator, ReadOnlyKeyValueStore, StateStore } from '../../state/state-store';
import { MeteredTimestampedKeyValueStore } from '../../state/timestamped-key-value-store';
import { ValueAndTimestamp, ValueAndTimestampSerde } from '../../state/value-and-timestamp';
import { MeteredTimestampedWindowStore, MeteredWindowStore } from '../../state/window/metered-window-store';
import type { ReadOnlyWindowStore } from '../../state/window/window-store';
import type { HostInfo } from '../host-info';
import { interactiveQueriesOf, type InteractiveQueries } from '../interactive-queries';
import { QueryableStoreTypes, type QueryableStoreKind } from '../queryable-store-types';
import { StoreQueryParameters } from '../store-query-parameters';
import { KeyQueryMetadata } from '../streams-metadata';
import { QueryHttpError, toHttpError } from './query-http-error';
import { render } from './value-rendering';

/** Header marking a request forwarded by another instance (its value: the forwarding instance's endpoint). */
export const FORWARDED_HEADER = 'x-kstreams-forwarded';
/** Response header naming the instance that answered a forwarded request. */
export const SERVED_BY_HEADER = 'x-kstreams-served-by';

export interface InteractiveQueryServerOptions {
  /** Port to listen on; should be the port of `application.server` so other instances can forward here. */
  readonly port: number;
  /** Address to listen on. Default: all interfaces. */
  readonly host?: string;
  /** Key serdes for stores this instance may not host (to route their keys); default: the local store's. */
  readonly keySerdes?: Readonly<{ [storeName: string]: Serde<unknown> }>;
  /** Largest page of a range or scan. Default 1000. */
  readonly maxPageSize?: number;
  /** Page size when none is given. Default 100. */
  readonly defaultPageSize?: number;
  /** How long a forwarded request may take. Default 10 s. */
  readonly forwardTimeoutMs?: number;
}

/** The streams instance the server answers for (a `KafkaStreams`). */
export interface QueryableStreams {
  state(): string;
}

type KeyFormat = 'string' | 'json' | 'base64';

interface StoreInfo {
  readonly kind: QueryableStoreKind;
  readonly timestamped: boolean;
  readonly keySerde: Serde<unknown>;
  /** The plain value serde (without the timestamp wrapper). */
  readonly valueSerializer: Serializer<unknown> | null;
  readonly windowSizeMs: number;
}

interface Route {
  readonly store: string;
  readonly rest: string[];
}

export class InteractiveQueryServer {
  readonly #streams: QueryableStreams;
  readonly #q: InteractiveQueries;
  readonly #o: InteractiveQueryServerOptions;
  readonly #server: http.Server;
  readonly #agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  readonly #sse = new Set<http.ServerResponse>();
  #started = false;

  constructor(streams: QueryableStreams, options: InteractiveQueryServerOptions) {
    if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535) {
      throw new IllegalArgumentException(`port of the interactive query server must be an integer in [0, 65535]; got ${String(options.port)}`);
    }
    const max = options.maxPageSize ?? 1000;
    const def = options.defaultPageSize ?? 100;
    if (!Number.isInteger(max) || max < 1) throw new IllegalArgumentException(`maxPageSize must be a positive integer; got ${String(max)}`);
    if (!Number.isInteger(def) || def < 1 || def > max) throw new IllegalArgumentException(`defaultPageSize must be an integer in [1, maxPageSize]; got ${String(def)}`);
    this.#streams = streams;
    this.#q = interactiveQueriesOf(streams);
    this.#o = options;
    this.#server = http.createServer((req, res) => {
      void this.#handle(req, res);
    });
    this.#server.keepAliveTimeout = 30_000;
  }

  /** Starts listening; resolves once the port is bound. */
  async start(): Promise<void> {
    if (this.#started) return;
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(this.#o.port, this.#o.host, () => {
        this.#server.off('error', reject);
        resolve();
      });
    });
    this.#started = true;
  }

  /** The bound address (after `start`). */
  address(): { host: string; port: number } {
    const a = this.#server.address() as AddressInfo | null;
    if (a === null) throw new IllegalArgumentException('the interactive query server is not listening');
    return { host: a.address, port: a.port };
  }

  /** Stops listening, ends open event streams and idle connections. */
  async close(): Promise<void> {
    for (const res of this.#sse) res.end();
    this.#sse.clear();
    this.#agent.destroy();
    if (!this.#started) return;
    this.#started = false;
    await new Promise<void>((resolve) => {
      this.#server.close(() => resolve());
      this.#server.closeIdleConnections();
    });
  }

  // ---- dispatch ----

  async #handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    try {
      if (req.method !== 'GET') throw new QueryHttpError(405, 'MethodNotAllowed', `Method ${String(req.method)} is not allowed; the query API is read-only (GET)`, false);
      const url = new URL(req.url ?? '/', 'http://localhost');
      const parts = url.pathname.split('/').filter((p) => p !== '').map((p) => decodePathSegment(p));
      const forwarded = typeof req.headers[FORWARDED_HEADER] === 'string';
      if (parts.length === 1 && parts[0] === 'metadata') return this.#json(res, 200, this.#metadataBody());
      if (parts[0] === 'stores' && parts.length >= 3) {
        const route: Route = { store: parts[1]!, rest: parts.slice(2) };
        if (!this.#q.hasStore(route.store)) {
          throw new QueryHttpError(404, 'UnknownStateStore', `Cannot get state store ${route.store} because no such store is registered in the topology.`, false);
        }
        return await this.#storeRoute(req, res, url, route, forwarded);
      }
      throw new QueryHttpError(404, 'UnknownEndpoint', `No endpoint ${url.pathname}; see GET /metadata, /stores/<store>/keys/<key>, /stores/<store>/range, /stores/<store>/all, /stores/<store>/windows/<key>, /stores/<store>/sessions/<key>, /stores/<store>/changes`, false);
    } catch (e) {
      const err = toHttpError(e);
      if (err.status >= 500 && err.code === 'InternalError') log.warn('Interactive query failed', e);
      this.#error(res, err);
    }
  }

  async #storeRoute(req: http.IncomingMessage, res: http.ServerResponse, url: URL, route: Route, forwarded: boolean): Promise<void> {
    const [what, key, sub] = route.rest;
    const q = url.searchParams;
    if (what === 'metadata' && route.rest.length === 1) {
      this.#validateQueryable();
      return this.#json(res, 200, { store: route.store, instances: this.#q.metadata.allMetadataForStore(route.store).map((m) => m.toJSON()) });
    }
    if (what === 'changes' && route.rest.length === 1) return this.#sseStore(res, route.store, null);
    if (what === 'range' && route.rest.length === 1) return this.#scan(req, res, url, route.store, true, forwarded);
    if (what === 'all' && route.rest.length === 1) return this.#scan(req, res, url, route.store, false, forwarded);
    if ((what === 'keys' || what === 'windows' || what === 'sessions') && key !== undefined) {
      const kind: QueryableStoreKind = what === 'keys' ? 'keyValue' : what === 'windows' ? 'window' : 'session';
      const info = this.#storeInfo(route.store, kind === 'keyValue' && sub !== undefined ? null : kind);
      const typedKey = parseKey(key, keyFormatOf(q), info.keySerde.deserializer(), info.keySerde.serializer(), route.store, 'key');
      if (sub === 'metadata' && route.rest.length === 3 && what === 'keys') {
        this.#validateQueryable();
        const md = this.#q.metadata.keyQueryMetadataForKey(route.store, typedKey, info.keySerde.serializer());
        return this.#json(res, 200, { store: route.store, key: render(typedKey, null, route.store), ...(md ?? KeyQueryMetadata.NOT_AVAILABLE).toJSON() });
      }
      const isChanges = sub === 'changes' && route.rest.length === 3 && what === 'keys';
      if (route.rest.length !== 2 && !isChanges) throw new QueryHttpError(404, 'UnknownEndpoint', `No endpoint ${url.pathname}`, false);
      const partition = this.#route(route.store, typedKey, info, forwarded);
      if (typeof partition !== 'number') return this.#forward(req, res, partition, isChanges);
      if (isChanges) return this.#sseStore(res, route.store, { key: typedKey, bytes: info.keySerde.serializer().serialize(route.store, typedKey)! });
      const body = this.#localKeyQuery(route.store, kind, info, typedKey, partition, q);
      return this.#json(res, body['found'] === false ? 404 : 200, body);
    }
    throw new QueryHttpError(404, 'UnknownEndpoint', `No endpoint ${url.pathname}`, false);
  }

  // ---- routing ----

  /**
   * Where a key is answered: a partition number (here; -1 when metadata is not used) or the host to forward to.
   * Throws a retryable error while the owner is unknown, or when a forwarded request reaches a non-owner.
   */
  #route(store: string, key: unknown, info: StoreInfo, forwarded: boolean): number | HostInfo {
    const me = this.#q.thisHost;
    if (me === null) return -1;
    this.#validateQueryable();
    const md = this.#q.metadata.keyQueryMetadataForKey(store, key, info.keySerde.serializer());
    if (md === null) throw new QueryHttpError(404, 'UnknownStateStore', `Store ${store} has no source topics known to this instance`, false);
    if (md === KeyQueryMetadata.NOT_AVAILABLE) {
      throw new QueryHttpError(503, 'MetadataNotAvailable', `The location of store ${store}'s partitions is not known yet (the instance is rebalancing); retry`, true);
    }
    const owner = md.activeHost();
    if (owner.port() < 0) {
      throw new QueryHttpError(503, 'NoActiveHost', `No instance hosts partition ${md.partition()} of store ${store} now (a rebalance is moving it); retry`, true);
    }
    if (owner.equals(me)) return md.partition();
    if (forwarded) {
      throw new QueryHttpError(503, 'NotOwner', `This instance (${me.endpoint()}) does not host partition ${md.partition()} of store ${store}; its owner is ${owner.endpoint()} (the request was already forwarded once); retry`, true);
    }
    return owner;
  }

  #validateQueryable(): void {
    const s = this.#streams.state();
    if (s === 'CREATED') throw new QueryHttpError(503, 'StreamsNotStarted', 'KafkaStreams has not been started, you can retry after calling start()', true);
    if (s !== 'RUNNING' && s !== 'REBALANCING') throw new QueryHttpError(503, 'StreamsNotRunning', `KafkaStreams is not running. State is ${s}.`, false);
  }

  #storeInfo(store: string, expected: QueryableStoreKind | null): StoreInfo {
    // a local instance knows its resolved serdes; otherwise the store's builder says its type and key serde
    const local = this.#q.localStore(store) ?? this.#q.storeTemplate(store);
    if (local === undefined) throw new QueryHttpError(404, 'UnknownStateStore', `Cannot get state store ${store} because no such store is registered in the topology.`, false);
    const keySerde = this.#o.keySerdes?.[store] ?? null;
    const info = describeStore(local, keySerde, this.#q.defaultKeySerde);
    if (expected !== null && info.kind !== expected) {
      throw new QueryHttpError(400, 'WrongStoreType', `Store ${store} is a ${info.kind} store, not a ${expected} store; use the /${endpointOf(info.kind)} endpoints`, false);
    }
    return info;
  }

  // ---- local queries ----

  #localKeyQuery(store: string, kind: QueryableStoreKind, info: StoreInfo, key: unknown, partition: number, q: URLSearchParams): { [k: string]: unknown } {
    const self = this.#q.thisHost?.endpoint() ?? null;
    const part = partition >= 0 ? partition : null;
    const vs = info.valueSerializer;
    if (kind === 'keyValue') {
      let value: unknown;
      let timestamp: number | null = null;
      if (info.timestamped) {
        const view = this.#q.store(StoreQueryParameters.fromNameAndType(store, QueryableStoreTypes.timestampedKeyValueStore<unknown, unknown>()).withPartition(part));
        const vt = view.get(key);
        value = vt?.value ?? null;
        timestamp = vt?.timestamp ?? null;
      } else {
        value = this.#q.store(StoreQueryParameters.fromNameAndType(store, QueryableStoreTypes.keyValueStore<unknown, unknown>()).withPartition(part)).get(key);
      }
      const k = render(key, info.keySerde.serializer(), store);
      if (value === null || value === undefined) return { found: false, error: 'KeyNotFound', message: `Key ${JSON.stringify(k.data)} is not in store ${store}`, store, key: k.data, keyFormat: k.format, partition: part, servedBy: self };
      const v = render(value, vs, store);
      return { found: true, store, key: k.data, keyFormat: k.format, value: v.data, valueFormat: v.format, timestamp, partition: part, servedBy: self };
    }
    if (kind === 'window') {
      const from = parseTime(q.get('from'), 0, 'from');
      const to = parseTime(q.get('to'), Date.now(), 'to');
      if (from > to) throw new QueryHttpError(400, 'InvalidRange', `Time range of store ${store} is inverted: from ${from} > to ${to}`, false);
      const items: object[] = [];
      if (info.timestamped) {
        const view = this.#q.store(StoreQueryParameters.fromNameAndType(store, QueryableStoreTypes.timestampedWindowStore<unknown, unknown>()).withPartition(part));
        for (const e of drainIterator(view.fetch(key, from, to))) {
          const v = render(e.value.value, vs, store);
          items.push({ windowStart: e.key, windowEnd: e.key + info.windowSizeMs, value: v.data, valueFormat: v.format, timestamp: e.value.timestamp });
        }
      } else {
        const view: ReadOnlyWindowStore<unknown, unknown> = this.#q.store(StoreQueryParameters.fromNameAndType(store, QueryableStoreTypes.windowStore<unknown, unknown>()).withPartition(part));
        for (const e of drainIterator(view.fetch(key, from, to))) {
          const v = render(e.value, vs, store);
          items.push({ windowStart: e.key, windowEnd: e.key + info.windowSizeMs, value: v.data, valueFormat: v.format });
        }
      }
      const k = render(key, info.keySerde.serializer(), store);
      return { store, key: k.data, keyFormat: k.format, from, to, windows: items, partition: part, servedBy: self };
    }
    const view: ReadOnlySessionStore<unknown, unknown> = this.#q.store(StoreQueryParameters.fromNameAndType(store, QueryableStoreTypes.sessionStore<unknown, unknown>()).withPartition(part));
    const sessions: object[] = [];
    for (const e of drainIterator(view.fetch(key))) {
      const v = render(e.value, vs, store);
      sessions.push({ start: e.key.window().start(), end: e.key.window().end(), value: v.data, valueFormat: v.format });
    }
    const k = render(key, info.keySerde.serializer(), store);
    return { store, key: k.data, keyFormat: k.format, sessions, partition: part, servedBy: self };
  }

  /** A key range (`range`) or full scan (`all`), merged over every instance hosting the store, paged by key bytes. */
  async #scan(req: http.IncomingMessage, res: http.ServerResponse, url: URL, store: string, ranged: boolean, forwarded: boolean): Promise<void> {
    const q = url.searchParams;
    const info = this.#storeInfo(store, 'keyValue');
    const ks = info.keySerde.serializer();
    const kd = info.keySerde.deserializer();
    const format = keyFormatOf(q);
    const from = ranged && q.has('from') ? parseKey(q.get('from')!, format, kd, ks, store, 'from') : null;
    const to = ranged && q.has('to') ? parseKey(q.get('to')!, format, kd, ks, store, 'to') : null;
    if (!ranged && (q.has('from') || q.has('to'))) throw new QueryHttpError(400, 'BadRequest', 'from and to belong to /range, not /all', false);
    const fromBytes = from === null ? null : ks.serialize(store, from)!;
    const toBytes = to === null ? null : ks.serialize(store, to)!;
    if (fromBytes !== null && toBytes !== null && Buffer.compare(fromBytes, toBytes) > 0) {
      throw new QueryHttpError(400, 'InvalidRange', `Key range of store ${store} is inverted: from ${JSON.stringify(q.get('from'))} sorts after to ${JSON.stringify(q.get('to'))} (by serialized bytes)`, false);
    }
    const limit = parseLimit(q.get('limit'), this.#o.defaultPageSize ?? 100, this.#o.maxPageSize ?? 1000);
    const after = parseCursor(q.get('after'));
    const me = this.#q.thisHost;
    const local = (): ScanPage => this.#localScan(store, info, from, to, after, limit);
    if (forwarded || me === null) {
      this.#validateQueryable();
      return this.#json(res, 200, { store, ...pageBody(local(), limit) });
    }
    this.#validateQueryable();
    if (!this.#q.metadata.initialized) throw new QueryHttpError(503, 'MetadataNotAvailable', `The location of store ${store}'s partitions is not known yet (the instance is rebalancing); retry`, true);
    const hosts = this.#q.metadata.allMetadataForStore(store).map((m) => m.hostInfo());
    const pages = await Promise.all(
      hosts.map(async (h): Promise<ScanPage> => {
        if (h.equals(me)) return local();
        const { status, body } = await this.#getJson(h, url.pathname + url.search, store);
        if (status !== 200) {
          const b = body as { error?: string; message?: string; retryable?: boolean };
          throw new QueryHttpError(status, b.error ?? 'RemoteError', `Instance ${h.endpoint()} answered ${status}: ${b.message ?? ''}`, b.retryable === true);
        }
        const p = body as { items: ScanItem[]; more: boolean };
        return { items: p.items, more: p.more };
      }),
    );
    const merged: ScanItem[] = pages.flatMap((p) => p.items);
    merged.sort((a, b) => Buffer.compare(Buffer.from(a.keyBytes, 'base64'), Buffer.from(b.keyBytes, 'base64')));
    const more = merged.length > limit || pages.some((p) => p.more);
    void req;
    return this.#json(res, 200, { store, instances: hosts.map((h) => h.endpoint()), ...pageBody({ items: merged.slice(0, limit), more }, limit) });
  }

  #localScan(store: string, info: StoreInfo, from: unknown, to: unknown, after: Buffer | null, limit: number): ScanPage {
    const ks = info.keySerde.serializer();
    const kd = info.keySerde.deserializer();
    const start = after !== null ? kd.deserialize(store, after) : from;
    const items: Array<ScanItem & { bytes: Buffer }> = [];
    let more = false;
    const stores = info.timestamped
      ? this.#q.localStores(StoreQueryParameters.fromNameAndType(store, QueryableStoreTypes.timestampedKeyValueStore<unknown, unknown>()))
      : this.#q.localStores(StoreQueryParameters.fromNameAndType(store, QueryableStoreTypes.keyValueStore<unknown, unknown>()));
    for (const s of stores as ReadOnlyKeyValueStore<unknown, unknown>[]) {
      const it = start === null && to === null ? s.all() : s.range(start, to);
      let taken = 0;
      try {
        for (const e of it) {
          const bytes = ks.serialize(store, e.key)!;
          if (after !== null && Buffer.compare(bytes, after) <= 0) continue;
          if (taken === limit) {
            more = true;
            break;
          }
          taken++;
          const vt = info.timestamped ? (e.value as ValueAndTimestamp<unknown>) : null;
          const k = render(e.key, ks, store);
          const v = render(vt ? vt.value : e.value, info.valueSerializer, store);
          items.push({ key: k.data, keyFormat: k.format, keyBytes: bytes.toString('base64'), value: v.data, valueFormat: v.format, timestamp: vt ? vt.timestamp : null, bytes });
        }
      } finally {
        it.close();
      }
    }
    items.sort((a, b) => Buffer.compare(a.bytes, b.bytes));
    if (items.length > limit) more = true;
    return { items: items.slice(0, limit).map(({ bytes: _b, ...rest }) => rest), more };
  }

  // ---- change feeds (server-sent events) ----

  #sseStore(res: http.ServerResponse, store: string, key: { key: unknown; bytes: Buffer } | null): void {
    const info = this.#storeInfo(store, 'keyValue');
    const ks = info.keySerde.serializer();
    const feed = this.#q.changes$<unknown, unknown>(store);
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      ...(this.#q.thisHost ? { [SERVED_BY_HEADER]: this.#q.thisHost.endpoint() } : {}),
    });
    this.#sse.add(res);
    let id = 0;
    let sub: Subscription | null = null;
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
    heartbeat.unref?.();
    const end = (): void => {
      clearInterval(heartbeat);
      sub?.unsubscribe();
      this.#sse.delete(res);
      if (!res.writableEnded) res.end();
    };
    res.on('close', end);
    sub = feed.subscribe({
      next: (c) => {
        let bytes: Buffer | null = null;
        if (key !== null) {
          bytes = ks.serialize(store, c.key);
          if (bytes === null || !bytes.equals(key.bytes)) return;
        }
        const k = render(c.key, ks, store);
        const v = render(c.value, info.valueSerializer, store);
        const o = render(c.oldValue, info.valueSerializer, store);
        const data = { store, key: k.data, keyFormat: k.format, value: v.data, valueFormat: v.format, oldValue: o.data, oldValueFormat: o.format, timestamp: c.timestamp, partition: c.partition };
        res.write(`id: ${++id}\nevent: change\ndata: ${JSON.stringify(data)}\n\n`);
      },
      error: (e: unknown) => {
        res.write(`event: error\ndata: ${toHttpError(e).body()}\n\n`);
        end();
      },
      complete: end,
    });
    // tells the client the subscription is live: every update committed from now on will follow
    res.write(`: subscribed to ${key === null ? `store ${store}` : `a key of store ${store}`}\n\n`);
  }

  // ---- forwarding ----

  #forward(req: http.IncomingMessage, res: http.ServerResponse, host: HostInfo, streaming: boolean): Promise<void> {
    const self = this.#q.thisHost!.endpoint();
    return new Promise<void>((resolve) => {
      const out = http.request({
        host: host.host(),
        port: host.port(),
        path: req.url,
        method: 'GET',
        agent: streaming ? undefined : this.#agent,
        headers: { [FORWARDED_HEADER]: self, accept: req.headers.accept ?? '*/*' },
        timeout: streaming ? undefined : (this.#o.forwardTimeoutMs ?? 10_000),
      });
      out.on('response', (r) => {
        res.writeHead(r.statusCode ?? 502, { ...r.headers, 'x-kstreams-forwarded-to': host.endpoint() });
        r.pipe(res);
        r.on('end', () => resolve());
        r.on('error', () => resolve());
      });
      out.on('timeout', () => out.destroy(new Error(`no answer within ${this.#o.forwardTimeoutMs ?? 10_000} ms`)));
      out.on('error', (e) => {
        if (!res.headersSent) {
          this.#error(res, new QueryHttpError(502, 'OwnerUnreachable', `The instance owning this key, ${host.endpoint()}, is unreachable: ${e.message}; retry (a rebalance may move its partitions)`, true));
        } else {
          res.destroy();
        }
        resolve();
      });
      res.on('close', () => out.destroy());
      out.end();
    });
  }

  #getJson(host: HostInfo, path: string, store: string): Promise<{ status: number; body: unknown }> {
    const self = this.#q.thisHost!.endpoint();
    return new Promise((resolve, reject) => {
      const out = http.request(
        { host: host.host(), port: host.port(), path, method: 'GET', agent: this.#agent, headers: { [FORWARDED_HEADER]: self, accept: 'application/json' }, timeout: this.#o.forwardTimeoutMs ?? 10_000 },
        (r) => {
          const chunks: Buffer[] = [];
          r.on('data', (c: Buffer) => chunks.push(c));
          r.on('end', () => {
            try {
              resolve({ status: r.statusCode ?? 502, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown });
            } catch (e) {
              reject(new QueryHttpError(502, 'OwnerUnreachable', `Instance ${host.endpoint()} hosting store ${store} answered with malformed JSON: ${String(e)}`, true));
            }
          });
          r.on('error', (e) => reject(new QueryHttpError(502, 'OwnerUnreachable', `Instance ${host.endpoint()} hosting store ${store} failed: ${e.message}`, true)));
        },
      );
      out.on('timeout', () => out.destroy(new Error('timeout')));
      out.on('error', (e) => reject(new QueryHttpError(502, 'OwnerUnreachable', `Instance ${host.endpoint()} hosting store ${store} is unreachable: ${e.message}; retry`, true)));
      out.end();
    });
  }

  // ---- responses ----

  #metadataBody(): object {
    const state = this.#streams.state();
    const running = state === 'RUNNING' || state === 'REBALANCING';
    return {
      thisHost: this.#q.thisHost?.toJSON() ?? null,
      state,
      initialized: this.#q.metadata.initialized,
      instances: running ? this.#q.metadata.allMetadata().map((m) => m.toJSON()) : [],
      threads: this.#q.metadataForLocalThreads(),
    };
  }

  #json(res: http.ServerResponse, status: number, body: unknown): void {
    const text = JSON.stringify(body);
    const headers: http.OutgoingHttpHeaders = { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) };
    if (this.#q.thisHost) headers[SERVED_BY_HEADER] = this.#q.thisHost.endpoint();
    res.writeHead(status, headers);
    res.end(text);
  }

  #error(res: http.ServerResponse, err: QueryHttpError): void {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const text = err.body();
    const headers: http.OutgoingHttpHeaders = { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) };
    if (err.retryable && err.status === 503) headers['retry-after'] = '1';
    if (this.#q.thisHost) headers[SERVED_BY_HEADER] = this.#q.thisHost.endpoint();
    res.writeHead(err.status, headers);
    res.end(text);
  }
}

interface ScanItem {
  readonly key: unknown;
  readonly keyFormat: string;
  /** The serialized key, base64: the order of the scan and the `after` cursor. */
  readonly keyBytes: string;
  readonly value: unknown;
  readonly valueFormat: string;
  readonly timestamp: number | null;
}

interface ScanPage {
  readonly items: ScanItem[];
  readonly more: boolean;
}

function pageBody(page: ScanPage, limit: number): object {
  const last = page.items[page.items.length - 1];
  return { limit, items: page.items, more: page.more, next: page.more && last ? last.keyBytes : null };
}

function describeStore(store: StateStore, configuredKeySerde: Serde<unknown> | null, defaultKeySerde: Serde<unknown> | null): StoreInfo {
  const keySerdeOf = (s: Serde<unknown> | null): Serde<unknown> => {
    const k = configuredKeySerde ?? s ?? defaultKeySerde;
    if (k === null) throw new QueryHttpError(500, 'NoKeySerde', `Store ${store.name} has no key serde and no default.key.serde is configured; give the server keySerdes for it`, false);
    return k;
  };
  const plain = (serde: Serde<unknown> | null): Serializer<unknown> | null =>
    serde === null ? null : serde instanceof ValueAndTimestampSerde ? (serde.valueSerde as Serde<unknown>).serializer() : serde.serializer();
  if (store instanceof MeteredKeyValueStore) {
    const s = store as MeteredKeyValueStore<unknown, unknown>;
    return { kind: 'keyValue', timestamped: store instanceof MeteredTimestampedKeyValueStore, keySerde: keySerdeOf(s.keySerde), valueSerializer: plain(s.valueSerde), windowSizeMs: 0 };
  }
  if (store instanceof MeteredWindowStore) {
    const s = store as MeteredWindowStore<unknown, unknown>;
    return { kind: 'window', timestamped: store instanceof MeteredTimestampedWindowStore, keySerde: keySerdeOf(s.keySerde), valueSerializer: plain(s.valueSerde), windowSizeMs: s.windowSizeMs };
  }
  if (store instanceof MeteredSessionStore) {
    const s = store as MeteredSessionStore<unknown, unknown>;
    return { kind: 'session', timestamped: false, keySerde: keySerdeOf(s.keySerde), valueSerializer: plain(s.valueSerde), windowSizeMs: 0 };
  }
  throw new QueryHttpError(400, 'WrongStoreType', `Store ${store.name} (${store.constructor.name}) cannot be queried over HTTP`, false);
}

function endpointOf(kind: QueryableStoreKind): string {
  return kind === 'keyValue' ? 'keys' : kind === 'window' ? 'windows' : 'sessions';
}

function decodePathSegment(p: string): string {
  try {
    return decodeURIComponent(p);
  } catch {
    throw new QueryHttpError(400, 'MalformedKey', `Path segment ${JSON.stringify(p)} is not valid percent-encoding`, false);
  }
}

function keyFormatOf(q: URLSearchParams): KeyFormat {
  const f = q.get('keyFormat') ?? 'string';
  if (f !== 'string' && f !== 'json' && f !== 'base64') throw new QueryHttpError(400, 'BadRequest', `keyFormat must be string, json or base64; got ${JSON.stringify(f)}`, false);
  return f;
}

/** Turns the text of a key into a typed key the store's serde accepts; 400 MalformedKey otherwise. */
function parseKey(text: string, format: KeyFormat, kd: Deserializer<unknown>, ks: Serializer<unknown>, store: string, what: string): unknown {
  let key: unknown;
  try {
    if (format === 'string') key = text;
    else if (format === 'json') key = JSON.parse(text) as unknown;
    else {
      if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(text)) throw new Error('not base64');
      key = kd.deserialize(store, Buffer.from(text, 'base64'));
    }
    if (key === null || key === undefined) throw new Error('the key is null');
    const bytes = ks.serialize(store, key);
    if (bytes === null) throw new Error('it serializes to null');
  } catch (e) {
    throw new QueryHttpError(400, 'MalformedKey', `The ${what} ${JSON.stringify(text)} (keyFormat=${format}) is not a key of store ${store}: ${e instanceof Error ? e.message : String(e)}`, false);
  }
  return key;
}

function parseTime(text: string | null, fallback: number, what: string): number {
  if (text === null) return fallback;
  const n = /^-?\d+$/.test(text) ? Number(text) : Date.parse(text);
  if (!Number.isSafeInteger(n)) throw new QueryHttpError(400, 'InvalidTime', `${what}=${JSON.stringify(text)} is neither epoch milliseconds nor an ISO-8601 time`, false);
  return n;
}

function parseLimit(text: string | null, fallback: number, max: number): number {
  if (text === null) return fallback;
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < 1 || n > max) throw new QueryHttpError(400, 'InvalidPageSize', `limit=${JSON.stringify(text)} is out of bounds: a page holds 1 to ${max} entries`, false);
  return n;
}

function parseCursor(text: string | null): Buffer | null {
  if (text === null) return null;
  if (text === '' || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) throw new QueryHttpError(400, 'InvalidCursor', `after=${JSON.stringify(text)} is not a cursor (the base64 "next" of a previous page)`, false);
  return Buffer.from(text, 'base64');
}

function drainIterator<K, V>(it: KeyValueIterator<K, V>): KeyValue<K, V>[] {
  const out: KeyValue<K, V>[] = [];
  try {
    for (const e of it) out.push(e);
  } finally {
    it.close();
  }
  return out;
}
