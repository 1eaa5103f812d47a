/**
 * The persistent key-value store on RocksDB (Kafka's `RocksDBStore`), at `<taskDir>/rocksdb/<storeName>`.
 * Every call is synchronous: point reads use the binding's synchronous multi-get, writes go through a reusable write
 * batch (one batch for `putAll` and for each restored chunk), and ranges pull entries from a native iterator in
 * growing chunks. The write-ahead log stays on, so a write is durable against a process crash as soon as `put`
 * returns and `flush()` has nothing to do (the binding exposes no memtable flush; Kafka instead disables the WAL and
 * flushes memtables on commit).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ProcessorStateException } from '../../errors';
import { AbstractKeyValueIterator, EmptyKeyValueIterator } from '../key-value-iterators';
import { compareKeys, prefixUpperBound } from '../key-bytes';
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

/** Options of a `RocksDBStore` beyond its name. */
export interface RocksDBStoreOptions {
  /** The binding to use (default `@nxtedition/rocksdb`); tests and alternative bindings pass their own. */
  readonly binding?: RocksDBBinding;
}

/** A persistent byte store on RocksDB. */
export class RocksDBStore implements KeyValueBytesStore {
  readonly name: string;
  readonly #binding: RocksDBBinding;
  #db: RocksDBDatabase | null = null;
  #batch: RocksDBWriteBatch | null = null;
  #location: string | null = null;
  #options: RocksDBOptions | null = null;
  #configSetter: RocksDBConfigSetter | null = null;
  readonly #openIterators = new Set<RocksDBRangeIterator>();

  constructor(name: string, options: RocksDBStoreOptions = {}) {
    this.name = name;
    this.#binding = options.binding ?? nxteditionRocksDBBinding;
  }

  /** The store's directory, once initialised. */
  get location(): string | null {
    return this.#location;
  }

  init(context: StateStoreContext, root: StateStore): void {
    if (context.stateDir === null) {
      throw new ProcessorStateException(
        `RocksDB store ${this.name} needs a state directory, but task ${context.taskId} has none`,
      );
    }
    const location = join(context.stateDir, ROCKSDB_DIR, this.name);
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
    context.register(root, (records) => {
      const db = this.#openDb();
      const batch = this.#batch!;
      batch.clear();
      for (const r of records) {
        if (r.value === null) batch.delete(r.key);
        else batch.put(r.key, r.value);
      }
      this.#write(db, batch);
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
    // writes reach the write-ahead log as they happen; there is nothing buffered here
  }

  close(): void {
    const db = this.#db;
    if (db === null) return;
    for (const it of [...this.#openIterators]) it.close();
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
  }

  get(key: Buffer): Buffer | null {
    return this.#openDb().get(key) ?? null;
  }

  put(key: Buffer, value: Buffer | null): void {
    const db = this.#openDb();
    const batch = this.#batch!;
    batch.clear();
    if (value === null) batch.delete(key);
    else batch.put(key, value);
    this.#write(db, batch);
  }

  putIfAbsent(key: Buffer, value: Buffer | null): Buffer | null {
    const previous = this.get(key);
    if (previous === null) this.put(key, value);
    return previous;
  }

  putAll(entries: ReadonlyArray<KeyValue<Buffer, Buffer | null>>): void {
    const db = this.#openDb();
    const batch = this.#batch!;
    batch.clear();
    for (const e of entries) {
      if (e.value === null) batch.delete(e.key);
      else batch.put(e.key, e.value);
    }
    this.#write(db, batch);
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
    const it = new RocksDBRangeIterator(this, this.#openDb().iterator(options));
    this.#openIterators.add(it);
    return it;
  }

  #write(db: RocksDBDatabase, batch: RocksDBWriteBatch): void {
    try {
      db.write(batch);
    } catch (err) {
      throw new ProcessorStateException(`Error while writing to store ${this.name}: ${(err as Error).message}`, { cause: err });
    } finally {
      batch.clear();
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
