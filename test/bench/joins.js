#!/usr/bin/env node
// Records/s through the TopologyTestDriver for a stream-table join, a windowed stream-stream join and a foreign-key
// table-table join, each side by side with a plain-JS loop doing the same lookups (deserialize, look up, join,
// serialize) in the same run.
// Run after `npx turbo run build`: node test/bench/joins.js [records]
'use strict';
const { Consumed, JoinWindows, Produced, Serdes, StreamJoined, StreamsBuilder } = require('@kstreams/streams');
const { TopologyTestDriver } = require('@kstreams/test-utils');

const N = Number(process.argv[2] ?? 100_000);
const S = Serdes.String();
const TABLE_KEYS = 1000;
const keys = Array.from({ length: TABLE_KEYS }, (_, i) => `key-${i}`);
const values = Array.from({ length: N }, (_, i) => `value-${i % 5000}`);

function time(fn) {
  const start = process.hrtime.bigint();
  const produced = fn();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { seconds, rate: N / seconds, produced };
}

function row(name, r, base) {
  console.log(`${name.padEnd(44)} ${Math.round(r.rate).toLocaleString('en-US').padStart(12)} rec/s   ${(r.rate / base.rate).toFixed(3).padStart(7)}x of plain JS`);
}

function driverFor(topology, store) {
  return new TopologyTestDriver(topology, { applicationId: 'bench', defaultKeySerde: S, defaultValueSerde: S, statestoreCacheMaxBytes: 0, defaultDslStore: store }, 0);
}

// ---- stream-table join: every stream record looks up one of 1,000 table rows ----

function streamTableTopology() {
  const b = new StreamsBuilder();
  const table = b.table('table', Consumed.with(S, S));
  b.stream('stream', Consumed.with(S, S)).join(table, (v, t) => `${v}|${t}`).to('out', Produced.with(S, S));
  return b.build();
}

function streamTableViaDriver(store) {
  const d = driverFor(streamTableTopology(), store);
  const table = d.createInputTopic('table', S.serializer(), S.serializer());
  for (let i = 0; i < TABLE_KEYS; i++) table.pipeInput(keys[i], `row-${i}`, 0);
  const input = d.createInputTopic('stream', S.serializer(), S.serializer());
  const out = d.createOutputTopic('out', S.deserializer(), S.deserializer());
  const r = time(() => {
    let produced = 0;
    for (let i = 0; i < N; i++) {
      input.pipeInput(keys[i % TABLE_KEYS], values[i], i);
      if ((i & 1023) === 0) produced += out.readValuesToList().length;
    }
    return produced + out.readValuesToList().length;
  });
  d.close();
  return r;
}

function plainStreamTable() {
  const ks = S.serializer(), kd = S.deserializer(), vs = S.serializer(), vd = S.deserializer();
  const table = new Map();
  for (let i = 0; i < TABLE_KEYS; i++) table.set(ks.serialize('t', keys[i]).toString('latin1'), vs.serialize('t', `row-${i}`));
  return time(() => {
    let produced = 0;
    for (let i = 0; i < N; i++) {
      const keyBytes = ks.serialize('in', keys[i % TABLE_KEYS]);
      const k = kd.deserialize('in', keyBytes);
      const v = vd.deserialize('in', vs.serialize('in', values[i]));
      const row = table.get(keyBytes.toString('latin1'));
      if (row === undefined) continue;
      const out = vs.serialize('out', `${v}|${vd.deserialize('t', row)}`);
      ks.serialize('out', k);
      vd.deserialize('out', out);
      produced++;
    }
    return produced;
  });
}

// ---- windowed stream-stream join: left and right records alternate, 100 keys, 50 ms windows ----

const SS_KEYS = 100;
const WINDOW = 250;

function streamStreamTopology() {
  const b = new StreamsBuilder();
  const left = b.stream('left', Consumed.with(S, S));
  const right = b.stream('right', Consumed.with(S, S));
  left.join(right, (l, r) => `${l}|${r}`, JoinWindows.ofTimeDifferenceWithNoGrace(WINDOW), StreamJoined.with(S, S, S)).to('out', Produced.with(S, S));
  return b.build();
}

function streamStreamViaDriver(store) {
  const d = driverFor(streamStreamTopology(), store);
  const left = d.createInputTopic('left', S.serializer(), S.serializer());
  const right = d.createInputTopic('right', S.serializer(), S.serializer());
  const out = d.createOutputTopic('out', S.deserializer(), S.deserializer());
  const r = time(() => {
    let produced = 0;
    for (let i = 0; i < N; i++) {
      (i & 1 ? right : left).pipeInput(keys[(i >> 1) % SS_KEYS], values[i], i);
      if ((i & 1023) === 0) produced += out.readValuesToList().length;
    }
    return produced + out.readValuesToList().length;
  });
  d.close();
  return r;
}

/** Per side: key → array of [timestamp, valueBytes]; expired entries dropped as stream time passes the retention. */
function plainStreamStream() {
  const ks = S.serializer(), kd = S.deserializer(), vs = S.serializer(), vd = S.deserializer();
  const stores = [new Map(), new Map()];
  const retention = 2 * WINDOW;
  return time(() => {
    let produced = 0;
    for (let i = 0; i < N; i++) {
      const side = i & 1;
      const keyBytes = ks.serialize('in', keys[(i >> 1) % SS_KEYS]);
      const k = kd.deserialize('in', keyBytes);
      const vBytes = vs.serialize('in', values[i]);
      const v = vd.deserialize('in', vBytes);
      const mapKey = keyBytes.toString('latin1');
      const own = stores[side];
      let list = own.get(mapKey);
      if (list === undefined) own.set(mapKey, (list = []));
      list.push([i, vBytes]);
      while (list.length > 0 && list[0][0] <= i - retention) list.shift();
      const other = stores[1 - side].get(mapKey);
      if (other === undefined) continue;
      for (const [ts, ob] of other) {
        if (ts < i - WINDOW || ts > i + WINDOW) continue;
        const o = vd.deserialize('s', ob);
        const out = vs.serialize('out', side === 0 ? `${v}|${o}` : `${o}|${v}`);
        ks.serialize('out', k);
        vd.deserialize('out', out);
        produced++;
      }
    }
    return produced;
  });
}

// ---- foreign-key join: updates of 10,000 orders (value "<customer>:<item>") joined with 1,000 customers ----

const ORDERS = 10_000;
const orderKeys = Array.from({ length: ORDERS }, (_, i) => `order-${i}`);
// each update of an order points it at another customer: most updates change the foreign key
const orderValues = Array.from({ length: N }, (_, i) => `${keys[(i * 7) % TABLE_KEYS]}:item-${i % 5000}`);

function fkTopology() {
  const b = new StreamsBuilder();
  const customers = b.table('customers', Consumed.with(S, S));
  b.table('orders', Consumed.with(S, S))
    .join(customers, (v) => v.slice(0, v.indexOf(':')), (o, c) => `${o}|${c}`)
    .toStream()
    .to('out', Produced.with(S, S));
  return b.build();
}

function fkViaDriver(store) {
  const d = driverFor(fkTopology(), store);
  const customers = d.createInputTopic('customers', S.serializer(), S.serializer());
  for (let i = 0; i < TABLE_KEYS; i++) customers.pipeInput(keys[i], `row-${i}`, 0);
  const orders = d.createInputTopic('orders', S.serializer(), S.serializer());
  const out = d.createOutputTopic('out', S.deserializer(), S.deserializer());
  const r = time(() => {
    let produced = 0;
    for (let i = 0; i < N; i++) {
      orders.pipeInput(orderKeys[i % ORDERS], orderValues[i], i);
      if ((i & 1023) === 0) produced += out.readValuesToList().length;
    }
    return produced + out.readValuesToList().length;
  });
  d.close();
  return r;
}

/** The same lookups in plain JS: order rows, a foreign-key index (customer -> orders) and the customer table. */
function plainFk() {
  const ks = S.serializer(), kd = S.deserializer(), vs = S.serializer(), vd = S.deserializer();
  const customers = new Map();
  for (let i = 0; i < TABLE_KEYS; i++) customers.set(keys[i], vs.serialize('t', `row-${i}`));
  const orders = new Map();
  const byCustomer = new Map();
  return time(() => {
    let produced = 0;
    for (let i = 0; i < N; i++) {
      const k = kd.deserialize('in', ks.serialize('in', orderKeys[i % ORDERS]));
      const vBytes = vs.serialize('in', orderValues[i]);
      const v = vd.deserialize('in', vBytes);
      const fk = v.slice(0, v.indexOf(':'));
      const old = orders.get(k);
      orders.set(k, vBytes);
      if (old !== undefined) {
        const ov = vd.deserialize('s', old);
        const oldFk = ov.slice(0, ov.indexOf(':'));
        if (oldFk !== fk) byCustomer.get(oldFk).delete(k);
      }
      let subs = byCustomer.get(fk);
      if (subs === undefined) byCustomer.set(fk, (subs = new Set()));
      subs.add(k);
      const c = customers.get(fk);
      if (c === undefined) continue;
      const out = vs.serialize('out', `${v}|${vd.deserialize('t', c)}`);
      ks.serialize('out', k);
      vd.deserialize('out', out);
      produced++;
    }
    return produced;
  });
}

console.log(`Join benchmark (TopologyTestDriver): ${N.toLocaleString('en-US')} records, node ${process.version}`);

plainStreamTable(); streamTableViaDriver('in_memory');
const pt = plainStreamTable();
const dt = streamTableViaDriver('in_memory');
const dtr = streamTableViaDriver('rocksDB');
if (pt.produced !== dt.produced || pt.produced !== dtr.produced) throw new Error(`stream-table outputs differ: ${pt.produced} / ${dt.produced} / ${dtr.produced}`);
console.log(`\nstream-table join: stream -> join(table of ${TABLE_KEYS.toLocaleString('en-US')} rows) -> to`);
row('plain JS Map lookup (baseline)', pt, pt);
row('test driver, in-memory store', dt, pt);
row('test driver, RocksDB store', dtr, pt);

plainStreamStream(); streamStreamViaDriver('in_memory');
const ps = plainStreamStream();
const ds = streamStreamViaDriver('in_memory');
const dsr = streamStreamViaDriver('rocksDB');
if (ps.produced !== ds.produced || ps.produced !== dsr.produced) throw new Error(`stream-stream outputs differ: ${ps.produced} / ${ds.produced} / ${dsr.produced}`);
console.log(`\nwindowed stream-stream join: left/right alternating, ${SS_KEYS} keys, +-${WINDOW} ms, ${ps.produced.toLocaleString('en-US')} joined`);
row('plain JS per-key window lists (baseline)', ps, ps);
row('test driver, in-memory window stores', ds, ps);
row('test driver, RocksDB window stores', dsr, ps);

plainFk(); fkViaDriver('in_memory');
const pf = plainFk();
const df = fkViaDriver('in_memory');
const dfr = fkViaDriver('rocksDB');
if (pf.produced !== df.produced || pf.produced !== dfr.produced) throw new Error(`foreign-key join outputs differ: ${pf.produced} / ${df.produced} / ${dfr.produced}`);
console.log(`\nforeign-key join: ${ORDERS.toLocaleString('en-US')} orders -> join(${TABLE_KEYS.toLocaleString('en-US')} customers) by order.customer, ${pf.produced.toLocaleString('en-US')} joined`);
row('plain JS Map + foreign-key index (baseline)', pf, pf);
row('test driver, in-memory stores', df, pf);
row('test driver, RocksDB stores', dfr, pf);
