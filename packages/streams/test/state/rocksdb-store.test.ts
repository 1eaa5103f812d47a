/** RocksDB-specific behaviour: persistence across reopen, lock and corruption errors naming the path, config hook. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ProcessorStateException } from '../../src/errors';
import { drain } from '../../src/state/key-value-iterators';
import { RocksDBStore, WRITE_BATCH_MAX_OPS } from '../../src/state/rocksdb/rocksdb-store';
import { Stores } from '../../src/state/stores';
import type { RocksDBConfigSetter } from '../../src/state/rocksdb/rocksdb-config-setter';
import type { RocksDBOptions } from '../../src/state/rocksdb/rocksdb-binding';
import { FakeStateStoreContext, tempDir } from './fake-state-store-context';
import { utf8Serde } from './test-serdes';

describe('RocksDBStore', () => {
  let dir: { path: string; cleanup: () => void };
  const toClose: RocksDBStore[] = [];

  beforeEach(() => {
    dir = tempDir();
  });

  afterEach(() => {
    for (const s of toClose.splice(0)) if (s.isOpen()) s.close();
    dir.cleanup();
  });

  function open(name = 'store', context = new FakeStateStoreContext({ stateDir: dir.path })): RocksDBStore {
    const store = new RocksDBStore(name);
    toClose.push(store);
    store.init(context, store);
    return store;
  }

  it('lives at <taskDir>/rocksdb/<storeName>', () => {
    const store = open('counts');
    expect(store.location).toBe(join(dir.path, 'rocksdb', 'counts'));
  });

  it('keeps its data across close and reopen', () => {
    const first = open();
    first.put(Buffer.from('a'), Buffer.from('1'));
    first.putAll([
      { key: Buffer.from('b'), value: Buffer.from('2') },
      { key: Buffer.from('c'), value: Buffer.from('3') },
    ]);
    first.delete(Buffer.from('c'));
    first.close();
    const second = open();
    expect(drain(second.all()).map((e) => `${e.key}=${e.value}`)).toEqual(['a=1', 'b=2']);
  });

  it('keeps data through the typed layers too (persistentKeyValueStore builder)', () => {
    const context = new FakeStateStoreContext({ stateDir: dir.path });
    const build = () => Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore('typed'), utf8Serde, utf8Serde).build();
    const a = build();
    a.init(context, a);
    a.put('k', 'v');
    a.close();
    const b = build();
    b.init(context, b);
    expect(b.get('k')).toBe('v');
    b.close();
  });

  it('reads its own batched writes before and after the batch is written', () => {
    const store = open();
    const key = (i: number): Buffer => Buffer.from(String(i).padStart(4, '0'));
    for (let i = 0; i < WRITE_BATCH_MAX_OPS * 2 + 7; i++) {
      store.put(key(i), Buffer.from(`v${i}`));
      expect(store.get(key(i))!.toString()).toBe(`v${i}`);
      if (i % 3 === 0) store.delete(key(i));
      expect(store.get(key(i))?.toString() ?? null).toBe(i % 3 === 0 ? null : `v${i}`);
    }
    expect(store.get(key(1))!.toString()).toBe('v1');
    expect(store.get(key(3))).toBeNull();
    const all = drain(store.all());
    expect(all).toHaveLength(WRITE_BATCH_MAX_OPS * 2 + 7 - Math.ceil((WRITE_BATCH_MAX_OPS * 2 + 7) / 3));
  });

  it('fails to open a store another instance has open, naming the path', () => {
    open('shared');
    const second = new RocksDBStore('shared');
    const context = new FakeStateStoreContext({ stateDir: dir.path });
    let error: unknown;
    try {
      second.init(context, second);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ProcessorStateException);
    expect((error as Error).message).toContain(join(dir.path, 'rocksdb', 'shared'));
    expect((error as Error).message).toMatch(/lock/i);
    expect(second.isOpen()).toBe(false);
  });

  it('fails on a corrupt store directory, naming the path', () => {
    const first = open('broken');
    first.put(Buffer.from('a'), Buffer.from('1'));
    first.close();
    writeFileSync(join(dir.path, 'rocksdb', 'broken', 'CURRENT'), 'garbage-without-newline');
    const store = new RocksDBStore('broken');
    expect(() => store.init(new FakeStateStoreContext({ stateDir: dir.path }), store)).toThrow(
      new RegExp(`Error opening store broken at location ${join(dir.path, 'rocksdb', 'broken').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`),
    );
  });

  it('needs a state directory', () => {
    const store = new RocksDBStore('nodir');
    expect(() => store.init(new FakeStateStoreContext({ stateDir: null }), store)).toThrow(/nodir needs a state directory/);
  });

  it('closes open iterators when the store closes', () => {
    const store = open();
    for (let i = 0; i < 100; i++) store.put(Buffer.from(String(i).padStart(3, '0')), Buffer.from('x'));
    const it = store.all();
    expect(it.next().value!.key.toString()).toBe('000');
    store.close();
    expect(() => it.next()).toThrow(/store/);
  });

  it('reads long ranges across native chunks in order', () => {
    const store = open();
    const keys = Array.from({ length: 5000 }, (_, i) => String(i).padStart(5, '0'));
    store.putAll(keys.map((k) => ({ key: Buffer.from(k), value: Buffer.from(k) })));
    expect(drain(store.all()).map((e) => e.key.toString())).toEqual(keys);
    expect(drain(store.reverseRange(Buffer.from('01000'), Buffer.from('03999'))).length).toBe(3000);
  });

  it('applies rocksdb.config.setter before opening, and calls close', () => {
    const calls: string[] = [];
    class Setter implements RocksDBConfigSetter {
      setConfig(storeName: string, options: RocksDBOptions, configs: Readonly<{ [key: string]: unknown }>): void {
        calls.push(`set ${storeName} ${String(configs['application.id'])}`);
        options.cacheSize = 1024 * 1024;
      }
      close(storeName: string, options: RocksDBOptions): void {
        calls.push(`close ${storeName} ${options.cacheSize}`);
      }
    }
    const context = new FakeStateStoreContext({
      stateDir: dir.path,
      appConfigs: { 'application.id': 'app', 'rocksdb.config.setter': Setter },
    });
    const store = open('tuned', context);
    store.close();
    expect(calls).toEqual(['set tuned app', `close tuned ${1024 * 1024}`]);
  });

  it('reports options RocksDB rejects as an open error naming the path', () => {
    const setter: RocksDBConfigSetter = {
      setConfig: (_name, options) => {
        (options as { compaction: string }).compaction = 'bogus';
      },
    };
    const store = new RocksDBStore('badopts');
    const context = new FakeStateStoreContext({ stateDir: dir.path, appConfigs: { 'rocksdb.config.setter': setter } });
    expect(() => store.init(context, store)).toThrow(`Error opening store badopts at location ${join(dir.path, 'rocksdb', 'badopts')}`);
  });

  it('rejects a malformed rocksdb.config.setter naming the config', () => {
    const store = new RocksDBStore('bad');
    const context = new FakeStateStoreContext({ stateDir: dir.path, appConfigs: { 'rocksdb.config.setter': 42 } });
    expect(() => store.init(context, store)).toThrow(/rocksdb\.config\.setter/);
  });
});
