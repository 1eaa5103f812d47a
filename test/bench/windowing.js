#!/usr/bin/env node
// Records/s of a windowed count (tumbling, then hopping with 4 windows per record) through the TopologyTestDriver,
// each side by side with a hand-written plain-JS loop doing the same work in the same run: deserialize the record,
// update a count per key and window (stored as bytes: timestamp ‖ count, as the window store does), expire windows
// past retention, and serialize the windowed key (key ‖ start) and count for the output.
// Run after `npx turbo run build`: node test/bench/windowing.js [records]
'use strict';
const { Consumed, Materialized, Produced, Serdes, StreamsBuilder, TimeWindows, WindowedSerdes } = require('@kstreams/streams');
const { TopologyTestDriver } = require('@kstreams/test-utils');

const N = Number(process.argv[2] ?? 100_000);
const ROUNDS = 3;
const S = Serdes.String();
const L = Serdes.Long();
const KEYS = 1000;
const keys = Array.from({ length: KEYS }, (_, i) => `user-${i}`);
// one record per ms: windows roll over and expire as in a real stream
const SIZE = 1000;

function time(fn) {
  const start = process.hrtime.bigint();
  const produced = fn();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { seconds, rate: N / seconds, produced };
}

function windowedCountTopology(windows, windowedSerde, bare) {
  const b = new StreamsBuilder();
  const materialized = bare ? Materialized.with(S, L).withCachingDisabled().withLoggingDisabled() : Materialized.with(S, L);
  b.stream('in', Consumed.with(S, S))
    .groupByKey()
    .windowedBy(windows)
    .count(materialized)
    .toStream()
    .to('out', Produced.with(windowedSerde, L));
  return b.build();
}

function viaDriver(windows, bare = false) {
  const windowedSerde = WindowedSerdes.timeWindowedSerdeFrom(S, SIZE);
  const driver = new TopologyTestDriver(
    windowedCountTopology(windows, windowedSerde, bare),
    { applicationId: 'bench', statestoreCacheMaxBytes: 0, defaultDslStore: 'in_memory' },
    0,
  );
  const input = driver.createInputTopic('in', S.serializer(), S.serializer());
  const output = driver.createOutputTopic('out', windowedSerde.deserializer(), L.deserializer());
  const result = time(() => {
    let produced = 0;
    for (let i = 0; i < N; i++) {
      input.pipeInput(keys[i % KEYS], 'view', i);
      if ((i & 1023) === 0) produced += output.readKeyValuesToList().length;
    }
    return produced + output.readKeyValuesToList().length;
  });
  driver.close();
  return result;
}

/** The same windowed count by hand: a Map per window start of key bytes → `ts ‖ count`, expired by retention. */
function plain(advance) {
  return time(() => {
    const ks = S.serializer(), kd = S.deserializer(), vs = S.serializer(), vd = S.deserializer(), ls = L.serializer(), ld = L.deserializer();
    const retention = SIZE; // size + grace (0)
    const segments = new Map();
    let minStart = 0;
    let streamTime = -1;
    let produced = 0;
    for (let i = 0; i < N; i++) {
      const ts = i;
      const keyBytes = ks.serialize('in', keys[i % KEYS]);
      const key = kd.deserialize('in', keyBytes);
      vd.deserialize('in', vs.serialize('in', 'view'));
      if (ts > streamTime) streamTime = ts;
      const closeTime = streamTime; // grace 0
      let start = Math.floor(Math.max(0, ts - SIZE + advance) / advance) * advance;
      for (; start <= ts; start += advance) {
        if (start + SIZE <= closeTime) continue;
        let seg = segments.get(start);
        if (seg === undefined) segments.set(start, (seg = new Map()));
        const mapKey = keyBytes.toString('latin1');
        const old = seg.get(mapKey);
        const count = old === undefined ? 1 : Number(old.readBigInt64BE(8)) + 1;
        const stored = Buffer.allocUnsafe(16);
        stored.writeBigInt64BE(BigInt(old === undefined ? ts : Math.max(ts, Number(old.readBigInt64BE(0)))), 0);
        stored.writeBigInt64BE(BigInt(count), 8);
        seg.set(mapKey, stored);
        while (minStart <= start - retention) segments.delete(minStart++);
        // output: windowed key (key ‖ start) and count, read back downstream
        const k = Buffer.from(key);
        const out = Buffer.allocUnsafe(k.length + 8);
        k.copy(out, 0);
        out.writeBigInt64BE(BigInt(start), k.length);
        kd.deserialize('out', out.subarray(0, k.length));
        ld.deserialize('out', ls.serialize('out', count));
        produced++;
      }
    }
    return produced;
  });
}

/** Alternates the two sides ROUNDS times (so drift hits both) and keeps each one's best run. */
function compare(name, kstreamsRun, baselineRun) {
  let k = null;
  let b = null;
  for (let r = 0; r < ROUNDS; r++) {
    const kr = kstreamsRun();
    const br = baselineRun();
    if (k === null || kr.rate > k.rate) k = kr;
    if (b === null || br.rate > b.rate) b = br;
  }
  report(name, k, b);
}

function report(name, kstreams, baseline) {
  if (kstreams.produced !== baseline.produced) throw new Error(`${name}: kstreams produced ${kstreams.produced} records, baseline ${baseline.produced}`);
  console.log(
    `${name.padEnd(46)} kstreams ${Math.round(kstreams.rate).toLocaleString('en').padStart(10)} rec/s   ` +
      `plain JS ${Math.round(baseline.rate).toLocaleString('en').padStart(11)} rec/s   ratio ${(kstreams.rate / baseline.rate).toFixed(3)}   (${kstreams.produced} outputs)`,
  );
}

console.log(`windowed count through the TopologyTestDriver, ${N} records, ${KEYS} keys, 1 record/ms, statestore.cache.max.bytes=0`);
console.log('(default store layers: caching layer with an empty cache + changelog writes; "bare": no caching or logging layer)');
const tumbling = () => TimeWindows.ofSizeWithNoGrace(SIZE);
const hopping = () => TimeWindows.ofSizeWithNoGrace(SIZE).advanceBy(SIZE / 4);
compare(`tumbling ${SIZE} ms`, () => viaDriver(tumbling()), () => plain(SIZE));
compare(`tumbling ${SIZE} ms, bare store`, () => viaDriver(tumbling(), true), () => plain(SIZE));
compare(`hopping ${SIZE} ms / advance ${SIZE / 4} ms`, () => viaDriver(hopping()), () => plain(SIZE / 4));
compare(`hopping ${SIZE} ms / advance ${SIZE / 4} ms, bare store`, () => viaDriver(hopping(), true), () => plain(SIZE / 4));
