/**
 * The persistent key-value store on RocksDB (Kafka's `RocksDBStore`), at `<taskDir>/rocksdb/<storeName>`.
 * Every call is synchronous: point reads use the binding's synchronous multi-get, ranges pull entries from a native
 * iterator in growing chunks, and writes collect in a write batch that is written when it reaches
 * `WRITE_BATCH_MAX_OPS` operations, before any range, and on `flush()` (commit) — a batch of 100 writes costs about
 * a third of 100 single writes. Reads see batched writes through a small map of pending keys. A crash loses only
 * batched writes since the last commit, which restoration from the changelog replays (Kafka goes further and runs
 * RocksDB without its write-ahead log; this binding cannot flush memtables, so the log stays on).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ProcessorStateException } from '../../errors';
import { AbstractKeyValueIterator, EmptyKeyValueIterator } from '../key-value-iterators';
import { compareKeys, keyString, prefixUpperBound } from '../key-bytes';
import { storeNotOpen, warnInvertedRange } from '../store-errors';
import { nxteditionRocksDBBinding } from './rocksdb-binding';
import { defaultRocksDBOptions, rocksDBConfigSetterFrom, type RocksDBConfigSetter } from './rocksdb-config-setter';
import type { RocksDBBinding, RocksDBDatabase, RocksDBIteratorOptions, RocksDBOptions, RocksDBRawIterator, RocksDBWriteBatch } from './rocksdb-binding';
import type { Serializer } from '../../serde/serde';
import type {
  KeyValue,
  KeyValueBytesStore,
  KeyValueIterator,
  StateStore,
  StateStoreContext,
} from '../state-store';

/** Name of the folder under the task directory that holds RocksDB key-value stores. */
export const ROCKSDB_DIR = 'rocksdb';

/** Writes batched before the batch is written to RocksDB. */
export const WRITE_BATCH_MAX_OPS = 100;

/** Options of a `RocksDBStore` beyond its name. */
export interface RocksDBStoreOptions {
  /** The binding to use (default `@nxtedition/rocksdb`); tests and alternative bindings pass their own. */
  readonly binding?: RocksDBBinding;
  /**
   * The database directory, instead of `<taskDir>/rocksdb/<name>`; such a store is a part of another store (a
   * segment of a window or session store) and does not register itself with the task.
   */
  readonly location?: string;
}

/** A persistent byte store on RocksDB. */
export class RocksDBStore implements KeyValueBytesStore {
  readonly name: string;
  readonly #binding: RocksDBBinding;
  readonly #fixedLocation: string | null;
  #db: RocksDBDatabase | null = null;
  #batch: RocksDBWriteBatch | null = null;
  #location: string | null = null;
  #options: RocksDBOptions | null = null;
  #configSetter: RocksDBConfigSetter | null = null;
  readonly #openIterators = new Set<RocksDBRangeIterator>();
  /** Values (null: deleted) of keys written to the batch but not yet to RocksDB. */
  readonly #pending = new Map<string, Buffer | null>();
  #pendingOps = 0;

  constructor(name: string, options: RocksDBStoreOptions = {}) {
    this.name = name;
    this.#binding = options.binding ?? nxteditionRocksDBBinding;
    this.#fixedLocation = options.location ?? null;
  }

  /** The store's directory, once initialised. */
  get location(): string | null {
    return this.#location;
  }

  init(context: StateStoreContext, root: StateStore): void {
    if (context.stateDir === null && this.#fixedLocation === null) {
      throw new ProcessorStateException(
        `RocksDB store ${this.name} needs a state directory, but task ${context.taskId} has none`,
      );
    }
    const location = this.#fixedLocation ?? join(context.stateDir!, ROCKSDB_DIR, this.name);
    const options = defaultRocksDBOptions();
    this.#configSetter = rocksDBConfigSetterFrom(context.appConfigs);
    this.#configSetter?.setConfig(this.name, options, context.appConfigs);
    try {
      mkdirSync(location, { recursive: true });
      this.#db = this.#binding.open(location, options);
    } catch (err) {
      this.#configSetter?.close?.(this.name, options);
      throw new ProcessorStateException(
        `Error opening store ${this.name} at location ${location}: ${(err as Error).message}`,
        { cause: err },
      );
    }
    this.#location = location;
    this.#options = options;
    this.#batch = this.#db.newBatch();
    if (this.#fixedLocation !== null) return;
    context.register(root, (records) => {
      for (const r of records) this.#batchWrite(r.key, r.value);
      this.#commitBatch();
    });
  }

  persistent(): boolean {
    return true;
  }

  isOpen(): boolean {
    return this.#db !== null;
  }

  flush(): void {
    this.#openDb();
    this.#commitBatch();
  }

  close(): void {
    const db = this.#db;
    if (db === null) return;
    for (const it of [...this.#openIterators]) it.close();
    let failure: unknown = null;
    try {
      this.#commitBatch();
    } catch (err) {
      failure = err;
    }
    this.#db = null;
    this.#batch = null;
    try {
      db.close();
    } catch (err) {
      throw new ProcessorStateException(`Error closing store ${this.name} at location ${db.path}: ${(err as Error).message}`, {
        cause: err,
      });
    } finally {
      this.#configSetter?.close?.(this.name, this.#options!);
    }
    if (failure !== null) throw failure;
  }

  get(key: Buffer): Buffer | null {
    const db = this.#openDb();
    if (this.#pendingOps > 0) {
      const pending = this.#pending.get(keyString(key));
      if (pending !== undefined) return pending;
    }
    return db.get(key) ?? null;
  }

  put(key: Buffer, value: Buffer | null): void {
    this.#openDb();
    this.#batchWrite(key, value);
    if (this.#pendingOps >= WRITE_BATCH_MAX_OPS) this.#commitBatch();
  }

  putIfAbsent(key: Buffer, value: Buffer | null): Buffer | null {
    const previous = this.get(key);
    if (previous === null) this.put(key, value);
    return previous;
  }

  putAll(entries: ReadonlyArray<KeyValue<Buffer, Buffer | null>>): void {
    this.#openDb();
    for (const e of entries) this.#batchWrite(e.key, e.value);
    if (this.#pendingOps >= WRITE_BATCH_MAX_OPS) this.#commitBatch();
  }

  delete(key: Buffer): Buffer | null {
    const previous = this.get(key);
    this.put(key, null);
    return previous;
  }

  range(from: Buffer | null, to: Buffer | null): KeyValueIterator<Buffer, Buffer> {
    return this.#range(from, to, false);
  }

  reverseRange(from: Buffer | null, to: Buffer | null): KeyValueIterator<Buffer, Buffer> {
    return this.#range(from, to, true);
  }

  all(): KeyValueIterator<Buffer, Buffer> {
    return this.#iterate({});
  }

  reverseAll(): KeyValueIterator<Buffer, Buffer> {
    return this.#iterate({ reverse: true });
  }

  prefixScan<P>(prefix: P, prefixKeySerializer: Serializer<P>): KeyValueIterator<Buffer, Buffer> {
    const from = prefixKeySerializer.serialize('', prefix) ?? Buffer.alloc(0);
    const to = prefixUpperBound(from);
    return this.#iterate(to === null ? { gte: from } : { gte: from, lt: to });
  }

  approximateNumEntries(): number {
    this.#commitBatch();
    const n = Number.parseInt(this.#openDb().property('rocksdb.estimate-num-keys'), 10);
    return Number.isFinite(n) ? n : 0;
  }

  /** @internal Called by iterators when they close. */
  iteratorClosed(it: RocksDBRangeIterator): void {
    this.#openIterators.delete(it);
  }

  #range(from: Buffer | null, to: Buffer | null, reverse: boolean): KeyValueIterator<Buffer, Buffer> {
    if (from !== null && to !== null && compareKeys(from, to) > 0) {
      this.#openDb();
      warnInvertedRange(this.name);
      return new EmptyKeyValueIterator(this.name);
    }
    const options: { gte?: Buffer; lte?: Buffer; reverse: boolean } = { reverse };
    if (from !== null) options.gte = from;
    if (to !== null) options.lte = to;
    return this.#iterate(options);
  }

  #iterate(options: RocksDBIteratorOptions): KeyValueIterator<Buffer, Buffer> {
    // native iterators read RocksDB, not the batch: write it first
    this.#commitBatch();
    const it = new RocksDBRangeIterator(this, this.#openDb().iterator(options));
    this.#openIterators.add(it);
    return it;
  }

  #batchWrite(key: Buffer, value: Buffer | null): void {
    if (value === null) this.#batch!.delete(key);
    else this.#batch!.put(key, value);
    this.#pending.set(keyString(key), value);
    this.#pendingOps++;
  }

  /** Writes the batch to RocksDB. */
  #commitBatch(): void {
    if (this.#pendingOps === 0) return;
    const db = this.#openDb();
    const batch = this.#batch!;
    try {
      db.write(batch);
    } catch (err) {
      throw new ProcessorStateException(`Error while writing to store ${this.name} at location ${db.path}: ${(err as Error).message}`, {
        cause: err,
      });
    } finally {
      batch.clear();
      this.#pending.clear();
      this.#pendingOps = 0;
    }
  }

  #openDb(): RocksDBDatabase {
    if (this.#db === null) throw storeNotOpen(this.name);
    return this.#db;
  }
}

/** First chunk pulled from a native iterator; chunks double up to the maximum. */
const FIRST_CHUNK = 16;
const MAX_CHUNK = 1024;

/** A range over a native iterator, pulled in growing chunks. */
class RocksDBRangeIterator extends AbstractKeyValueIterator<Buffer, Buffer> {
  readonly #store: RocksDBStore;
  readonly #native: RocksDBRawIterator;
  #rows: Buffer[] = [];
  #pos = 0;
  #finished = false;
  #chunk = FIRST_CHUNK;

  constructor(store: RocksDBStore, native: RocksDBRawIterator) {
    super(store.name);
    this.#store = store;
    this.#native = native;
  }

  protected fetch(): KeyValue<Buffer, Buffer> | undefined {
    if (this.#pos >= this.#rows.length) {
      if (this.#finished) return undefined;
      if (!this.#store.isOpen()) throw storeNotOpen(this.storeName);
      const { rows, finished } = this.#native.nextBatch(this.#chunk);
      this.#chunk = Math.min(this.#chunk * 2, MAX_CHUNK);
      this.#rows = rows;
      this.#pos = 0;
      this.#finished = finished;
      if (rows.length === 0) return undefined;
    }
    const key = this.#rows[this.#pos++]!;
    const value = this.#rows[this.#pos++]!;
    return { key, value };
  }

  protected override release(): void {
    this.#native.close();
    this.#store.iteratorClosed(this);
  }
}
