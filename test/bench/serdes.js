// Serde throughput: kstreams' built-in serdes (built package @kstreams/streams) side by side with the plain
// Node calls a hand-written serializer would make. Prints ops/s and the serde/baseline ratio per case.
// Run: npx turbo run build --filter=@kstreams/streams && node test/bench/serdes.js [--ms=300] [--rounds=7]
'use strict';

// A plain CommonJS script over the built package, by design.
const { Serdes } = require('@kstreams/streams');

const args = Object.fromEntries(
  process.argv.slice(2).map((a) => {
    const [k, v] = a.replace(/^--/, '').split('=');
    return [k, Number(v)];
  }),
);
const ROUND_MS = args.ms || 300;
const ROUNDS = args.rounds || 7;
const TOPIC = 'bench';

let sink = 0;
function consume(x) {
  // Keep results alive so the JIT cannot drop the work.
  if (x === null || x === undefined) sink ^= 1;
  else if (typeof x === 'number') sink ^= x & 1;
  else if (typeof x === 'string' || Buffer.isBuffer(x)) sink ^= x.length & 1;
  else sink ^= 2;
}

/** Runs fn over the inputs for ~ROUND_MS, returns ops/s. */
function round(fn, inputs) {
  const n = inputs.length;
  let ops = 0;
  const deadline = process.hrtime.bigint() + BigInt(ROUND_MS) * 1_000_000n;
  const start = process.hrtime.bigint();
  let now = start;
  while (now < deadline) {
    for (let i = 0; i < n; i++) consume(fn(inputs[i]));
    ops += n;
    now = process.hrtime.bigint();
  }
  return (ops * 1e9) / Number(now - start);
}

/** Alternates serde and baseline rounds (so drift hits both) and keeps each one's best. */
function compare(name, serdeFn, baselineFn, inputs) {
  for (let i = 0; i < 3; i++) {
    round(serdeFn, inputs);
    round(baselineFn, inputs);
  }
  let bestSerde = 0;
  let bestBase = 0;
  for (let r = 0; r < ROUNDS; r++) {
    bestSerde = Math.max(bestSerde, round(serdeFn, inputs));
    bestBase = Math.max(bestBase, round(baselineFn, inputs));
  }
  return { name, serde: bestSerde, baseline: bestBase, ratio: bestSerde / bestBase };
}

// Inputs: realistic small records, varied so nothing is constant-folded.
const words = Array.from({ length: 1024 }, (_, i) => `word-${i}-${'x'.repeat(i % 24)}`);
const wordBytes = words.map((w) => Buffer.from(w, 'utf8'));
const counts = Array.from({ length: 1024 }, (_, i) => i * 7919 + (i % 3 === 0 ? -i : 0));
const countBytes = counts.map((n) => {
  const b = Buffer.allocUnsafe(8);
  b.writeBigInt64BE(BigInt(n));
  return b;
});
const bigints = counts.map((n) => BigInt(n) * 1_000_003n);
const bigintBytes = bigints.map((n) => {
  const b = Buffer.allocUnsafe(8);
  b.writeBigInt64BE(n);
  return b;
});
const orders = Array.from({ length: 1024 }, (_, i) => ({ id: `order-${i}`, customer: `c${i % 97}`, total: i * 1.25, items: [i % 5, i % 7] }));
const orderBytes = orders.map((o) => Buffer.from(JSON.stringify(o), 'utf8'));

const str = Serdes.String();
const long = Serdes.Long();
const big = Serdes.BigInt();
const json = Serdes.Json();

const results = [
  compare('String serialize', (s) => str.serializer().serialize(TOPIC, s), (s) => Buffer.from(s, 'utf8'), words),
  compare('String deserialize', (b) => str.deserializer().deserialize(TOPIC, b), (b) => b.toString('utf8'), wordBytes),
  compare(
    'Long serialize (number)',
    (n) => long.serializer().serialize(TOPIC, n),
    (n) => {
      const b = Buffer.allocUnsafe(8);
      b.writeBigInt64BE(BigInt(n));
      return b;
    },
    counts,
  ),
  compare('Long deserialize (number)', (b) => long.deserializer().deserialize(TOPIC, b), (b) => Number(b.readBigInt64BE(0)), countBytes),
  compare(
    'BigInt serialize',
    (n) => big.serializer().serialize(TOPIC, n),
    (n) => {
      const b = Buffer.allocUnsafe(8);
      b.writeBigInt64BE(n);
      return b;
    },
    bigints,
  ),
  compare('BigInt deserialize', (b) => big.deserializer().deserialize(TOPIC, b), (b) => b.readBigInt64BE(0), bigintBytes),
  compare('Json serialize', (o) => json.serializer().serialize(TOPIC, o), (o) => Buffer.from(JSON.stringify(o), 'utf8'), orders),
  compare('Json deserialize', (b) => json.deserializer().deserialize(TOPIC, b), (b) => JSON.parse(b.toString('utf8')), orderBytes),
];

const fmt = (n) => `${(n / 1e6).toFixed(2)} M/s`;
console.log(`serdes benchmark — node ${process.version}, best of ${ROUNDS} rounds × ${ROUND_MS} ms, baseline = plain Buffer/JSON calls`);
console.log(`${'case'.padEnd(28)}${'kstreams'.padStart(14)}${'baseline'.padStart(14)}${'ratio'.padStart(9)}`);
for (const r of results) {
  console.log(`${r.name.padEnd(28)}${fmt(r.serde).padStart(14)}${fmt(r.baseline).padStart(14)}${r.ratio.toFixed(2).padStart(9)}`);
}
if (sink === 42) console.log('');
