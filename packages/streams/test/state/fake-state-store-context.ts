/**
 * A `StateStoreContext` for store tests: records changelog writes and registrations, lets a test set the record
 * context, and owns an optional `ThreadCache` and a temporary task directory.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Headers } from '../../src/processor/headers';
import type { RestoreCallback, StateStore, StateStoreContext, StoreRecordContext } from '../../src/state/state-store';
import type { ThreadCache } from '../../src/state/thread-cache';

export interface LoggedChange {
  readonly store: string;
  readonly key: string;
  readonly value: string | null;
  readonly timestamp: number;
}

export class FakeStateStoreContext implements StateStoreContext {
  readonly applicationId: string;
  readonly taskId: string;
  readonly stateDir: string | null;
  readonly appConfigs: Readonly<{ [key: string]: unknown }>;
  readonly cache: ThreadCache | null;
  readonly logged: Array<{ store: string; key: Buffer; value: Buffer | null; timestamp: number }> = [];
  readonly registered = new Map<string, { store: StateStore; restore: RestoreCallback }>();
  #record: StoreRecordContext = { topic: 'input', partition: 0, offset: 0, timestamp: 0, headers: new Headers() };
  streamTime = 0;

  constructor(options: {
    stateDir?: string | null;
    cache?: ThreadCache | null;
    appConfigs?: { [key: string]: unknown };
    taskId?: string;
  } = {}) {
    this.applicationId = 'app';
    this.taskId = options.taskId ?? '0_0';
    this.stateDir = options.stateDir ?? null;
    this.cache = options.cache ?? null;
    this.appConfigs = options.appConfigs ?? {};
  }

  register(store: StateStore, restore: RestoreCallback): void {
    this.registered.set(store.name, { store, restore });
  }

  logChange(storeName: string, key: Buffer, value: Buffer | null, timestamp: number): void {
    this.logged.push({ store: storeName, key, value, timestamp });
  }

  /** Logged changes with utf8-decoded keys and values. */
  loggedUtf8(): LoggedChange[] {
    return this.logged.map((l) => ({
      store: l.store,
      key: l.key.toString('utf8'),
      value: l.value === null ? null : l.value.toString('utf8'),
      timestamp: l.timestamp,
    }));
  }

  recordContext(): StoreRecordContext {
    return this.#record;
  }

  setRecordContext(context: StoreRecordContext): void {
    this.#record = context;
  }

  /** Sets the record being "processed": its timestamp and offset. */
  setRecord(timestamp: number, offset = 0, topic = 'input'): void {
    this.#record = { topic, partition: 0, offset, timestamp, headers: new Headers() };
  }

  currentStreamTimeMs(): number {
    return this.streamTime;
  }
}

/** A temporary directory under os.tmpdir(), removed by `cleanup()`. */
export function tempDir(prefix = 'kstreams-state-'): { path: string; cleanup: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}
