#!/usr/bin/env node
// Records/s through the TopologyTestDriver for a stateless chain and for a count, each side by side with a
// hand-written plain-JS loop doing the same work (deserialize, compute, serialize) in the same run.
// Run after `npx turbo run build`: node test/bench/test-driver.js [records]
'use strict';
const { Consumed, Grouped, Materialized, Produced, Serdes, StreamsBuilder } = require('@kstreams/streams');
const { TopologyTestDriver } = require('@kstreams/test-utils');

const N = Number(process.argv[2] ?? 200_000);
const S = Serdes.String();
const L = Serdes.Long();
const keys = Array.from({ length: 1000 }, (_, i) => `key-${i}`);
const values = Array.from({ length: N }, (_, i) => `value-${i % 5000}`);

function time(fn) {
  const start = process.hrtime.bigint();
  const produced = fn();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { seconds, rate: N / seconds, produced };
}

function viaDriver(buildTopology, outTopic, valueDeserializer, config = {}) {
  const driver = new TopologyTestDriver(buildTopology(), {
    applicationId: 'bench', defaultKeySerde: S, defaultValueSerde: S, statestoreCacheMaxBytes: 0, defaultDslStore: 'in_memory', ...config,
  }, 0);
  const input = driver.createInputTopic('in', S.serializer(), S.serializer());
  const output = driver.createOutputTopic(outTopic, S.deserializer(), valueDeserializer);
  const result = time(() => {
    let produced = 0;
    for (let i = 0; i < N; i++) {
      input.pipeInput(keys[i % keys.length], values[i], i);
      if ((i & 1023) === 0) produced += output.readValuesToList().length;
    }
    return produced + output.readValuesToList().length;
  });
  driver.close();
  return result;
}

function statelessTopology() {
  const b = new StreamsBuilder();
  b.stream('in', Consumed.with(S, S)).filter((_k, v) => !v.endsWith('7')).mapValues((v) => v.toUpperCase()).to('out', Produced.with(S, S));
  return b.build();
}

function countTopology() {
  const b = new StreamsBuilder();
  b.stream('in', Consumed.with(S, S)).groupByKey(Grouped.with(S, S)).count(Materialized.with(S, L)).toStream().to('out', Produced.with(S, L));
  return b.build();
}

function plainStateless() {
  return time(() => {
    const ks = S.serializer(), vs = S.serializer(), kd = S.deserializer(), vd = S.deserializer();
    let produced = 0;
    for (let i = 0; i < N; i++) {
      const k = kd.deserialize('in', ks.serialize('in', keys[i % keys.length]));
      const v = vd.deserialize('in', vs.serialize('in', values[i]));
      if (v.endsWith('7')) continue;
      const out = vs.serialize('out', v.toUpperCase());
      ks.serialize('out', k);
      vd.deserialize('out', out);
      produced++;
    }
    return produced;
  });
}

function plainCount() {
  return time(() => {
    const ks = S.serializer(), kd = S.deserializer(), ls = L.serializer(), ld = L.deserializer();
    const store = new Map();
    let produced = 0;
    for (let i = 0; i < N; i++) {
      const keyBytes = ks.serialize('in', keys[i % keys.length]);
      const k = kd.deserialize('in', keyBytes);
      const mapKey = keyBytes.toString('latin1');
      const old = store.get(mapKey);
      const count = (old === undefined ? 0 : ld.deserialize('s', old)) + 1;
      store.set(mapKey, ls.serialize('s', count));
      ld.deserialize('out', ls.serialize('out', count));
      ks.serialize('out', k);
      produced++;
    }
    return produced;
  });
}

function row(name, r, base) {
  console.log(`${name.padEnd(44)} ${Math.round(r.rate).toLocaleString('en-US').padStart(12)} rec/s   ${(r.rate / base.rate).toFixed(3).padStart(7)}x of plain JS`);
}

console.log(`TopologyTestDriver benchmark: ${N.toLocaleString('en-US')} records, node ${process.version}`);
// Warm up both paths once so the JIT compares steady states.
plainStateless(); viaDriver(statelessTopology, 'out', S.deserializer());
const ps = plainStateless();
const ds = viaDriver(statelessTopology, 'out', S.deserializer());
if (ps.produced !== ds.produced) throw new Error(`stateless outputs differ: ${ps.produced} vs ${ds.produced}`);
console.log('\nstateless: filter -> mapValues -> to');
row('plain JS loop (baseline)', ps, ps);
row('test driver', ds, ps);

plainCount(); viaDriver(countTopology, 'out', L.deserializer());
const pc = plainCount();
const dc = viaDriver(countTopology, 'out', L.deserializer());
const dr = viaDriver(countTopology, 'out', L.deserializer(), { defaultDslStore: 'rocksDB' });
if (pc.produced !== dc.produced) throw new Error(`count outputs differ: ${pc.produced} vs ${dc.produced}`);
console.log('\ncount: groupByKey -> count -> toStream -> to (1,000 keys, cache off)');
row('plain JS Map loop (baseline)', pc, pc);
row('test driver, in-memory store', dc, pc);
row('test driver, RocksDB store', dr, pc);
