/**
 * The one module that talks to the native RocksDB binding (`@nxtedition/rocksdb`). Everything else uses the
 * `RocksDBBinding` interface below, so the binding can be swapped.
 *
 * Reads, batch writes and iterators are synchronous native calls (`db_get_many_sync`, `batch_write`,
 * `iterator_nextv_sync`). Open and close exist only as asynchronous native calls; a store's `init` and `close` are
 * synchronous, so this module runs them on a helper worker thread and blocks on `Atomics.wait` until the worker
 * answers (the technique of `synckit`). The worker opens the database and hands back its native handle, which this
 * thread attaches to (`db_init(handle)`); the worker keeps the owning reference so the database stays alive until
 * it is closed. Opening costs a few milliseconds, once per store and task.
 */
import { createRequire } from 'node:module';
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';

/** Database options understood by the binding (the subset kstreams sets; see `RocksDBConfigSetter`). */
export interface RocksDBOptions {
  createIfMissing?: boolean;
  errorIfExists?: boolean;
  /** Block cache bytes for this database (0 disables the block cache). Default 8 MiB. */
  cacheSize?: number;
  /** Memory budget of the memtables when `compaction` is set (write buffer = budget / 4). */
  memtableMemoryBudget?: number;
  compaction?: 'level' | 'universal';
  /** ZSTD compression of SST files (default true). */
  compression?: boolean;
  walCompression?: boolean;
  blockSize?: number;
  optimize?: 'point-lookup' | 'range-lookup';
  /** Background threads (RocksDB's `IncreaseParallelism`, process-wide). */
  parallelism?: number;
  cacheIndexAndFilterBlocks?: boolean;
  infoLogLevel?: 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'header';
}

/** A write batch: operations applied atomically by `RocksDBDatabase.write`. */
export interface RocksDBWriteBatch {
  put(key: Buffer, value: Buffer): void;
  delete(key: Buffer): void;
  readonly count: number;
  clear(): void;
}

/** Bounds of a native iterator (all optional; `lte`/`gte` inclusive, `lt` exclusive). */
export interface RocksDBIteratorOptions {
  readonly gte?: Buffer;
  readonly lte?: Buffer;
  readonly lt?: Buffer;
  readonly reverse?: boolean;
}

/** A native iterator over a consistent snapshot taken when it was created. */
export interface RocksDBRawIterator {
  /** Up to `max` entries as alternating key and value buffers; `finished` once the range is exhausted. */
  nextBatch(max: number): { readonly rows: Buffer[]; readonly finished: boolean };
  close(): void;
}

/** An open database. */
export interface RocksDBDatabase {
  readonly path: string;
  get(key: Buffer): Buffer | undefined;
  getMany(keys: readonly Buffer[]): (Buffer | undefined)[];
  newBatch(): RocksDBWriteBatch;
  write(batch: RocksDBWriteBatch): void;
  iterator(options: RocksDBIteratorOptions): RocksDBRawIterator;
  /** A RocksDB property (e.g. `rocksdb.estimate-num-keys`). */
  property(name: string): string;
  close(): void;
}

/** Opens databases. */
export interface RocksDBBinding {
  /** Opens (or with `createIfMissing` creates) the database at `path`; throws the native error if it cannot. */
  open(path: string, options: RocksDBOptions): RocksDBDatabase;
}

// ---- the native binding (untyped JavaScript) ----

type Native = unknown;
interface NativeBinding {
  db_init(locationOrHandle: string | bigint): Native;
  db_get_many_sync(db: Native, keys: readonly Buffer[], options: object): (Buffer | undefined | null)[];
  db_get_property(db: Native, name: string): string;
  batch_init(): Native;
  batch_put(batch: Native, key: Buffer, value: Buffer, options: object): void;
  batch_del(batch: Native, key: Buffer, options: object): void;
  batch_clear(batch: Native): void;
  batch_count(batch: Native): number;
  batch_write(db: Native, batch: Native, options: object): void;
  iterator_init(db: Native, options: object): Native;
  iterator_nextv_sync(iterator: Native, count: number): { rows: Buffer[]; finished: boolean };
  iterator_close(iterator: Native): void;
}

const load = createRequire(__filename);
let nativeBinding: NativeBinding | null = null;
let bindingPath: string | null = null;

function native(): NativeBinding {
  if (nativeBinding === null) {
    bindingPath = load.resolve('@nxtedition/rocksdb/binding.js');
    nativeBinding = load(bindingPath) as NativeBinding;
  }
  return nativeBinding;
}

const NO_OPTIONS = Object.freeze({});
const BUFFER_ENCODING = Object.freeze({ keyEncoding: 'buffer', valueEncoding: 'buffer' });

// ---- synchronous open/close through a helper worker ----

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const binding = require(workerData.bindingPath);
const open = new Map();
parentPort.on('message', (msg) => {
  const { op, id, signal, port } = msg;
  const reply = (result) => {
    port.postMessage(result);
    port.close();
    const flag = new Int32Array(signal);
    Atomics.store(flag, 0, 1);
    Atomics.notify(flag, 0);
  };
  const fail = (err) => reply({ error: String(err && err.message ? err.message : err), code: err && err.code });
  try {
    if (op === 'open') {
      const db = binding.db_init(msg.path);
      binding.db_open(db, msg.options, (err) => {
        if (err) return fail(err);
        open.set(id, db);
        reply({ handle: binding.db_get_handle(db) });
      });
    } else if (op === 'close') {
      const db = open.get(id);
      if (db === undefined) return reply({});
      binding.db_close(db, (err) => {
        open.delete(id);
        if (err) fail(err); else reply({});
      });
    } else {
      fail(new Error('unknown op ' + op));
    }
  } catch (err) {
    fail(err);
  }
});
`;

/** How long `open`/`close` wait for the helper worker before giving up. */
const LIFECYCLE_TIMEOUT_MS = 120_000;

let helper: Worker | null = null;
let nextDatabaseId = 1;

function helperWorker(): Worker {
  if (helper === null) {
    native();
    helper = new Worker(WORKER_SOURCE, { eval: true, workerData: { bindingPath } });
    helper.unref();
    helper.on('exit', () => {
      helper = null;
    });
  }
  return helper;
}

interface LifecycleReply {
  readonly handle?: bigint;
  readonly error?: string;
  readonly code?: string;
}

/** Sends one open/close request to the helper worker and blocks until it answers. */
function callHelper(request: { op: 'open' | 'close'; id: number; path?: string; options?: RocksDBOptions }): LifecycleReply {
  const worker = helperWorker();
  const signal = new SharedArrayBuffer(4);
  const { port1, port2 } = new MessageChannel();
  try {
    worker.postMessage({ ...request, signal, port: port2 }, [port2]);
    const waited = Atomics.wait(new Int32Array(signal), 0, 0, LIFECYCLE_TIMEOUT_MS);
    const message = receiveMessageOnPort(port1);
    if (message === undefined) {
      throw new Error(`RocksDB ${request.op} of ${request.path ?? `database #${request.id}`} did not answer (${waited})`);
    }
    return message.message as LifecycleReply;
  } finally {
    port1.close();
  }
}

class NxteditionWriteBatch implements RocksDBWriteBatch {
  readonly native: Native;
  readonly #binding: NativeBinding;

  constructor(binding: NativeBinding) {
    this.#binding = binding;
    this.native = binding.batch_init();
  }

  put(key: Buffer, value: Buffer): void {
    this.#binding.batch_put(this.native, key, value, NO_OPTIONS);
  }

  delete(key: Buffer): void {
    this.#binding.batch_del(this.native, key, NO_OPTIONS);
  }

  get count(): number {
    return this.#binding.batch_count(this.native);
  }

  clear(): void {
    this.#binding.batch_clear(this.native);
  }
}

class NxteditionIterator implements RocksDBRawIterator {
  #native: Native | null;
  readonly #binding: NativeBinding;
  readonly #database: NxteditionDatabase;

  constructor(binding: NativeBinding, database: NxteditionDatabase, db: Native, options: RocksDBIteratorOptions) {
    this.#binding = binding;
    this.#database = database;
    this.#native = binding.iterator_init(db, { ...BUFFER_ENCODING, ...options });
  }

  nextBatch(max: number): { readonly rows: Buffer[]; readonly finished: boolean } {
    if (this.#native === null) return { rows: [], finished: true };
    // the native side releases iterators when the database closes; touching one then would crash the process
    this.#database.checkOpen();
    return this.#binding.iterator_nextv_sync(this.#native, max);
  }

  close(): void {
    if (this.#native === null) return;
    if (this.#database.isOpen()) this.#binding.iterator_close(this.#native);
    this.#native = null;
  }
}

class NxteditionDatabase implements RocksDBDatabase {
  readonly path: string;
  readonly #id: number;
  readonly #db: Native;
  readonly #binding: NativeBinding;
  readonly #keyArray: Buffer[] = [];
  #open = true;

  constructor(binding: NativeBinding, path: string, id: number, handle: bigint) {
    this.#binding = binding;
    this.path = path;
    this.#id = id;
    this.#db = binding.db_init(handle);
  }

  isOpen(): boolean {
    return this.#open;
  }

  /** Native calls on a closed database dereference freed memory: refuse them here. */
  checkOpen(): void {
    if (!this.#open) throw new Error(`RocksDB database at ${this.path} is closed`);
  }

  get(key: Buffer): Buffer | undefined {
    this.checkOpen();
    // reuse one array: the binding copies the keys before returning
    const keys = this.#keyArray;
    keys[0] = key;
    const value = this.#binding.db_get_many_sync(this.#db, keys, NO_OPTIONS)[0];
    return value ?? undefined;
  }

  getMany(keys: readonly Buffer[]): (Buffer | undefined)[] {
    this.checkOpen();
    return this.#binding.db_get_many_sync(this.#db, keys, NO_OPTIONS).map((v) => v ?? undefined);
  }

  newBatch(): RocksDBWriteBatch {
    return new NxteditionWriteBatch(this.#binding);
  }

  write(batch: RocksDBWriteBatch): void {
    this.checkOpen();
    this.#binding.batch_write(this.#db, (batch as NxteditionWriteBatch).native, NO_OPTIONS);
  }

  iterator(options: RocksDBIteratorOptions): RocksDBRawIterator {
    this.checkOpen();
    return new NxteditionIterator(this.#binding, this, this.#db, options);
  }

  property(name: string): string {
    this.checkOpen();
    return this.#binding.db_get_property(this.#db, name);
  }

  close(): void {
    if (!this.#open) return;
    this.#open = false;
    const reply = callHelper({ op: 'close', id: this.#id });
    if (reply.error !== undefined) throw new Error(reply.error);
  }
}

/** The `@nxtedition/rocksdb` binding. */
export const nxteditionRocksDBBinding: RocksDBBinding = {
  open(path: string, options: RocksDBOptions): RocksDBDatabase {
    const binding = native();
    const id = nextDatabaseId++;
    const reply = callHelper({ op: 'open', id, path, options });
    if (reply.error !== undefined || reply.handle === undefined) {
      throw new Error(reply.error ?? 'no database handle returned');
    }
    return new NxteditionDatabase(binding, path, id, reply.handle);
  },
};
