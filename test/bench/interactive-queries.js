// Interactive-query throughput, side by side in one run, on the counts of a keyed word count (two instances of
// one app on the bundled broker, in this process):
//   raw get          the owning task's store itself (metered → caching → RocksDB), the baseline
//   local get        KafkaStreams.store(keyValueStore) view over the local tasks (finds the stores on each call)
//   plain HTTP       a bare node http server answering a fixed JSON body: the ceiling of any HTTP answer here
//   HTTP local       GET /stores/counts/keys/<k> to the instance holding k (keep-alive, 4 requests in flight)
//   HTTP forwarded   the same GET to the other instance, which forwards it one hop to the holder
// Prints queries/s and each figure's ratio to the raw get (and, for HTTP, to the plain HTTP server).
//
// Run after `npx turbo run build`:  node test/bench/interactive-queries.js [--keys=2000] [--seconds=2]
'use strict';
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const REPO = path.resolve(__dirname, '..', '..');
const args = Object.fromEntries(
  process.argv.slice(2).map((a) => {
    const [k, v] = a.replace(/^--/, '').split('=');
    return [k, v === undefined ? 'true' : v];
  }),
);
const KEYS = Number(args.keys ?? 2000);
const SECONDS = Number(args.seconds ?? 2);
const INFLIGHT = Number(args.inflight ?? 4);

const S = require(path.join(REPO, 'packages', 'streams', 'dist', 'index.js'));
const { startBroker } = require(path.join(REPO, 'packages', 'broker', 'dist', 'index.js'));
const { Kafka, Partitioners, logLevel } = require(require.resolve('kafkajs', { paths: [path.join(REPO, 'packages', 'streams')] }));

const quiet = () => {};
S.setLogger({ debug: quiet, info: quiet, warn: quiet, error: quiet });

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function until(cond, what, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Calls fn repeatedly for SECONDS; returns calls per second. */
function timeSync(fn, keys) {
  let n = 0;
  const end = performance.now() + SECONDS * 1000;
  let t = performance.now();
  while (t < end) {
    for (let i = 0; i < 1000; i++) fn(keys[n++ % keys.length]);
    t = performance.now();
  }
  return n / SECONDS;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: INFLIGHT });
function get(port, p) {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: p, agent }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (body += c));
        res.on('end', () => (res.statusCode === 200 ? resolve(body) : reject(new Error(`${p}: ${res.statusCode} ${body}`))));
      })
      .on('error', reject);
  });
}

/** Keeps INFLIGHT GETs going for SECONDS; returns requests per second. */
async function timeHttp(port, keys, pathOf = (k) => `/stores/counts/keys/${k}`) {
  let n = 0;
  const end = performance.now() + SECONDS * 1000;
  const worker = async () => {
    while (performance.now() < end) await get(port, pathOf(keys[n++ % keys.length]));
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: INFLIGHT }, worker));
  return n / ((performance.now() - start) / 1000);
}

async function main() {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'kstreams-bench-iq-'));
  const broker = await startBroker({ host: '127.0.0.1', port: 0, dataDir: path.join(work, 'broker'), logLevel: 'error' });
  const kafka = new Kafka({ clientId: 'bench-iq', brokers: [broker.bootstrapServers], logLevel: logLevel.NOTHING });
  const input = 'bench-iq-words';
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic: input, numPartitions: 4 }] });
  await admin.disconnect();

  const instances = [];
  for (let i = 0; i < 2; i++) {
    const port = await freePort();
    const b = new S.StreamsBuilder();
    b.stream(input, S.Consumed.with(S.Serdes.String(), S.Serdes.String()))
      .groupByKey(S.Grouped.with(S.Serdes.String(), S.Serdes.String()))
      .count(S.Materialized.as('counts'));
    const streams = new S.KafkaStreams(b.build(), {
      applicationId: 'bench-iq',
      bootstrapServers: broker.bootstrapServers,
      stateDir: path.join(work, `state-${i}`),
      applicationServer: `127.0.0.1:${port}`,
      commitIntervalMs: 200,
    });
    const server = new S.InteractiveQueryServer(streams, { port, host: '127.0.0.1' });
    await server.start();
    await streams.start();
    instances.push({ streams, server, port, endpoint: `127.0.0.1:${port}` });
  }
  await until(() => instances.every((i) => i.streams.state() === 'RUNNING' && i.streams.metadataForAllStreamsClients().length === 2), 'two running instances with metadata');

  const words = Array.from({ length: KEYS }, (_, i) => `word-${i}`);
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  for (let i = 0; i < words.length; i += 1000) await producer.send({ topic: input, messages: words.slice(i, i + 1000).map((w) => ({ key: w, value: w })) });
  await producer.disconnect();

  const [a] = instances;
  const md = (w) => a.streams.queryMetadataForKey('counts', w, S.Serdes.String().serializer());
  await until(() => words.every((w) => md(w).activeHost().port() > 0), 'metadata for every key');
  // the words instance `owner` holds, and the other instance (which forwards them)
  const byOwner = new Map(instances.map((i) => [i.endpoint, []]));
  for (const w of words) byOwner.get(md(w).activeHost().endpoint()).push(w);
  const owner = instances.find((i) => byOwner.get(i.endpoint).length > 0);
  const other = instances.find((i) => i !== owner);
  const keys = byOwner.get(owner.endpoint);
  const view = owner.streams.store(S.StoreQueryParameters.fromNameAndType('counts', S.QueryableStoreTypes.keyValueStore()));
  await until(() => keys.every((k) => view.get(k) === 1), 'every count in the store');

  // the task stores themselves: a store type that hands out the first local store as it is
  const rawType = { name: 'raw', kind: 'keyValue', accepts: () => true, adapt: (s) => s, create: (_n, stores) => stores()[0] };
  const rawByPartition = new Map();
  for (const k of keys) {
    const p = md(k).partition();
    if (!rawByPartition.has(p)) rawByPartition.set(p, owner.streams.store(S.StoreQueryParameters.fromNameAndType('counts', rawType).withPartition(p)));
  }
  const rawKeys = keys.map((k) => [rawByPartition.get(md(k).partition()), k]);
  const check = rawKeys[0][0].get(rawKeys[0][1]);
  if (check === null || check.value !== 1) throw new Error('raw store does not hold the key');

  const results = [];
  results.push(['raw get (task store)', timeSync(([s, k]) => s.get(k), rawKeys)]);
  results.push(['local get (store() view)', timeSync((k) => view.get(k), keys)]);
  const body = JSON.parse(await get(owner.port, `/stores/counts/keys/${keys[0]}`));
  if (body.value !== 1) throw new Error(`unexpected answer ${JSON.stringify(body)}`);
  const plain = http.createServer((_req, res) => {
    const text = body.value === 1 ? JSON.stringify(body) : '{}';
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  });
  await new Promise((r) => plain.listen(0, '127.0.0.1', r));
  results.push(['plain node HTTP (fixed body)', await timeHttp(plain.address().port, keys, () => '/')]);
  plain.close();
  results.push(['HTTP get, served locally', await timeHttp(owner.port, keys)]);
  results.push(['HTTP get, forwarded one hop', await timeHttp(other.port, keys)]);

  const base = results[0][1];
  console.log(`interactive queries: ${keys.length} keys held by ${owner.endpoint}, ${SECONDS} s per figure, HTTP with ${INFLIGHT} requests in flight (keep-alive)`);
  const plainQps = results[2][1];
  for (const [name, qps] of results) {
    const vsPlain = name.startsWith('HTTP') ? `   ${(qps / plainQps).toFixed(2)} x plain HTTP` : '';
    console.log(`  ${name.padEnd(30)} ${Math.round(qps).toLocaleString('en-US').padStart(12)} queries/s   ${(qps / base).toFixed(4)} x raw get${vsPlain}`);
  }

  agent.destroy();
  for (const i of instances) {
    await i.server.close();
    await i.streams.close();
  }
  await broker.close();
  fs.rmSync(work, { recursive: true, force: true });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
