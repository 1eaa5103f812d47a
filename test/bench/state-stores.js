// State store throughput: put / get / range ops/s of the in-memory store, the RocksDB store with and without the
// record cache, and the raw RocksDB binding underneath, side by side in one run (ratios, not absolute times).
// Also measures the in-memory store's key index (B+tree) against a sorted array with binary search.
// Run: npx turbo run build --filter=@kstreams/streams && node test/bench/state-stores.js [--keys=100000] [--rounds=3]
'use strict';
// A plain CommonJS script over the built package, by design.

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const internal = require('@kstreams/streams/internal');
const { Headers } = require('@kstreams/streams');

const {
  InMemoryKeyValueStore,
  RocksDBStore,
  CachingKeyValueStore,
  MeteredKeyValueStore,
  ThreadCache,
  SortedKeyIndex,
  nxteditionRocksDBBinding,
  defaultRocksDBOptions,
} = internal;

const args = Object.fromEntries(
  process.argv.slice(2).map((a) => {
    const [k, v] = a.replace(/^--/, '').split('=');
    return [k, Number(v)];
  }),
);
const KEYS = args.keys || 100_000;
const ROUNDS = args.rounds || 3;
const RANGE_LEN = 100;

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kstreams-bench-stores-'));
process.on('exit', () => fs.rmSync(root, { recursive: true, force: true }));

// ---- inputs: keys in random order (LCG, so every run is the same), 32-byte values ----
let seed = 12345;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
const keys = Array.from({ length: KEYS }, (_, i) => Buffer.from(`key-${String(i * 7919 % KEYS).padStart(9, '0')}`));
for (let i = keys.length - 1; i > 0; i--) {
  const j = Math.floor(rand() * (i + 1));
  [keys[i], keys[j]] = [keys[j], keys[i]];
}
const values = keys.map((_, i) => Buffer.from(`value-${i}-`.padEnd(32, 'x')));
const lookups = Array.from({ length: KEYS }, () => keys[Math.floor(rand() * KEYS)]);
const sortedKeys = [...keys].sort(Buffer.compare);
const rangeStarts = Array.from({ length: 2000 }, () => sortedKeys[Math.floor(rand() * (KEYS - RANGE_LEN))]);

let sink = 0;
const noHeaders = new Headers();

function context(name, cache) {
  let record = { topic: 'bench', partition: 0, offset: 0, timestamp: 0, headers: noHeaders };
  return {
    applicationId: 'bench',
    taskId: '0_0',
    stateDir: path.join(root, name),
    appConfigs: {},
    cache,
    register() {},
    logChange() {},
    recordContext: () => record,
    setRecordContext: (r) => {
      record = r;
    },
    currentStreamTimeMs: () => 0,
  };
}

/** Each store: put(k, v), get(k), range(from, to) → count, and optional flush (commit). */
function storeTarget(name, make) {
  return {
    name,
    open() {
      const store = make(name);
      return {
        put: (k, v) => store.put(k, v),
        get: (k) => store.get(k),
        range(from, n) {
          const it = store.range(from, null);
          let c = 0;
          for (let r = it.next(); !r.done && c < n; r = it.next()) c++;
          it.close();
          return c;
        },
        flush: () => store.flush(),
        close: () => store.close(),
      };
    },
  };
}

let dbCounter = 0;
const targets = [
  storeTarget('in-memory', (name) => {
    const s = new InMemoryKeyValueStore(name);
    s.init(context(name, null), s);
    return s;
  }),
  storeTarget('in-memory typed (metered, string keys)', (name) => {
    const utf8 = {
      serializer: () => ({ serialize: (_t, v) => (v === null ? null : Buffer.from(v)) }),
      deserializer: () => ({ deserialize: (_t, b) => (b === null ? null : b.toString()) }),
    };
    const s = new MeteredKeyValueStore(new InMemoryKeyValueStore(name), 'in-memory', utf8, utf8);
    s.init(context(name, null), s);
    return {
      put: (k, v) => s.put(k.toString(), v.toString()),
      get: (k) => s.get(k.toString()),
      range: (from, to) => s.range(from === null ? null : from.toString(), to === null ? null : to.toString()),
      flush: () => s.flush(),
      close: () => s.close(),
    };
  }),
  storeTarget('rocksdb', (name) => {
    const n = `${name}-${dbCounter++}`;
    const s = new RocksDBStore(n);
    s.init(context(n, null), s);
    return s;
  }),
  storeTarget('rocksdb + cache (10 MiB)', (name) => {
    const n = `${name}-${dbCounter++}`.replace(/[^a-z0-9-]/gi, '_');
    const s = new CachingKeyValueStore(new RocksDBStore(n));
    s.init(context(n, new ThreadCache(10 * 1024 * 1024)), s);
    return s;
  }),
  {
    name: 'raw binding',
    open() {
      const dir = path.join(root, `raw-${dbCounter++}`);
      fs.mkdirSync(dir, { recursive: true });
      const db = nxteditionRocksDBBinding.open(dir, defaultRocksDBOptions());
      const batch = db.newBatch();
      return {
        // one write per put: what a store without batching would do
        put(k, v) {
          batch.put(k, v);
          db.write(batch);
          batch.clear();
        },
        get: (k) => db.get(k),
        range(from, n) {
          const it = db.iterator({ gte: from });
          let c = 0;
          let chunk = 16;
          for (;;) {
            const { rows, finished } = it.nextBatch(chunk);
            chunk = Math.min(chunk * 2, 1024);
            c += rows.length / 2;
            if (finished || c >= n) break;
          }
          it.close();
          return Math.min(c, n);
        },
        flush() {},
        close: () => db.close(),
      };
    },
  },
];

function timeIt(fn) {
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/** One round over a fresh store: ops/s of each operation. */
function measureRound(target) {
  const result = {};
  const s = target.open();
  // put: every key once, in random order, then a commit (flushes the cache and the write batch)
  let t = timeIt(() => {
    for (let i = 0; i < KEYS; i++) s.put(keys[i], values[i]);
    s.flush();
  });
  result.put = KEYS / t;
  // update: overwrite existing keys (random order, with repeats), then commit
  t = timeIt(() => {
    for (let i = 0; i < KEYS; i++) s.put(lookups[i], values[i]);
    s.flush();
  });
  result.update = KEYS / t;
  // get: random existing keys
  t = timeIt(() => {
    for (let i = 0; i < KEYS; i++) sink ^= s.get(lookups[i]) === null ? 1 : 0;
  });
  result.get = KEYS / t;
  // range: RANGE_LEN consecutive entries from a random start
  let entries = 0;
  t = timeIt(() => {
    for (const from of rangeStarts) entries += s.range(from, RANGE_LEN);
  });
  if (entries !== rangeStarts.length * RANGE_LEN) throw new Error(`${target.name}: range returned ${entries} entries`);
  result.range = entries / t;
  s.close();
  return result;
}

/** Rounds interleave the stores (so background compaction and drift hit all alike); keeps each one's best. */
function measureAll() {
  const best = targets.map((t) => ({ name: t.name, put: 0, update: 0, get: 0, range: 0 }));
  for (let round = 0; round < ROUNDS; round++) {
    targets.forEach((target, i) => {
      const r = measureRound(target);
      for (const op of ['put', 'update', 'get', 'range']) best[i][op] = Math.max(best[i][op], r[op]);
    });
  }
  return best;
}

function indexBench() {
  const strs = keys.map((k) => k.toString('latin1'));
  const tree = timeIt(() => {
    const index = new SortedKeyIndex();
    for (const k of strs) index.insert(k);
  });
  const array = timeIt(() => {
    const arr = [];
    for (const k of strs) {
      let lo = 0;
      let hi = arr.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (arr[mid] < k) lo = mid + 1;
        else hi = mid;
      }
      arr.splice(lo, 0, k);
    }
  });
  return { tree: KEYS / tree, array: KEYS / array };
}

const fmt = (n) => (n >= 1e6 ? `${(n / 1e6).toFixed(2)}M` : `${(n / 1e3).toFixed(0)}k`).padStart(8);

console.log(`State stores: ${KEYS} keys (${keys[0].length}-byte keys, 32-byte values), best of ${ROUNDS} rounds, node ${process.version}`);
console.log('ops/s (range: entries/s over 100-entry scans); ratio columns are vs the raw RocksDB binding\n');
const results = measureAll();
const raw = results.find((r) => r.name === 'raw binding');
const header = `${'store'.padEnd(40)}${'put'.padStart(8)}${'update'.padStart(9)}${'get'.padStart(9)}${'range'.padStart(9)}  │ ${'put×'.padStart(6)}${'upd×'.padStart(7)}${'get×'.padStart(7)}${'range×'.padStart(8)}`;
console.log(header);
console.log('─'.repeat(header.length));
for (const r of results) {
  const ratio = (a, b) => `${(a / b).toFixed(2)}`.padStart(6);
  console.log(
    `${r.name.padEnd(40)}${fmt(r.put)}${fmt(r.update).padStart(9)}${fmt(r.get).padStart(9)}${fmt(r.range).padStart(9)}  │ ` +
      `${ratio(r.put, raw.put)} ${ratio(r.update, raw.update)} ${ratio(r.get, raw.get)} ${ratio(r.range, raw.range).padStart(7)}`,
  );
}
const idx = indexBench();
console.log(`\nin-memory key index, ${KEYS} random inserts: B+tree ${fmt(idx.tree).trim()}/s, sorted array + splice ${fmt(idx.array).trim()}/s (${(idx.tree / idx.array).toFixed(1)}×)`);
if (sink === 42) console.log('');

// ---- count aggregation through the TopologyTestDriver: in-memory vs RocksDB stores, 10k and 1M distinct keys ----
// (cache off so every record reaches the store; --agg-records sets the records per run, default 200k).
{
  const { Consumed, Grouped, Materialized, Produced, Serdes, StreamsBuilder } = require('@kstreams/streams');
  const { TopologyTestDriver } = require('@kstreams/test-utils');
  const S = Serdes.String();
  const L = Serdes.Long();
  const RECORDS = args['agg-records'] || 200_000;
  const countTopology = () => {
    const b = new StreamsBuilder();
    b.stream('in', Consumed.with(S, S)).groupByKey(Grouped.with(S, S)).count(Materialized.with(S, L)).toStream().to('out', Produced.with(S, L));
    return b.build();
  };
  const run = (storeType, distinctKeys) => {
    const driver = new TopologyTestDriver(countTopology(), {
      applicationId: 'bench-count', statestoreCacheMaxBytes: 0, defaultDslStore: storeType, stateDir: fs.mkdtempSync(path.join(root, 'agg-')),
    }, 0);
    const input = driver.createInputTopic('in', S.serializer(), S.serializer());
    const output = driver.createOutputTopic('out', S.deserializer(), L.deserializer());
    let state = 99;
    const start = process.hrtime.bigint();
    for (let i = 0; i < RECORDS; i++) {
      state = (state * 1103515245 + 12345) >>> 0;
      input.pipeInput(`user-${state % distinctKeys}`, 'v', i);
      if ((i & 4095) === 0) output.readValuesToList();
    }
    const rate = RECORDS / (Number(process.hrtime.bigint() - start) / 1e9);
    driver.close();
    return rate;
  };
  console.log(`\ncount aggregation through the test driver, ${RECORDS.toLocaleString('en-US')} records (cache off), records/s:`);
  for (const keys of [10_000, 1_000_000]) {
    const mem = run('in_memory', keys);
    const rocks = run('rocksDB', keys);
    console.log(`  ${keys.toLocaleString('en-US').padStart(9)} keys: in-memory ${Math.round(mem).toLocaleString('en-US').padStart(9)}   RocksDB ${Math.round(rocks).toLocaleString('en-US').padStart(9)}   RocksDB/in-memory ${(rocks / mem).toFixed(2)}×`);
  }
}
