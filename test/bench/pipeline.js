// Pipeline throughput on one broker and one data set, side by side:
//   raw        a hand-written kafkajs consume→produce loop (eachBatch, one send per batch): the ceiling; it runs
//              with the kafkajs producer patch kstreams applies (linear per-partition grouping)
//   raw-stock  the same loop on kafkajs as shipped
//   raw-ours   the same loop producing through kstreams' own producer (records encoded in place into record batches,
//              sent in the background, acknowledged once per fetched batch): our produce path without processing
//   map        kstreams  stream(input).mapValues(toUpperCase).to(output)
//   wordcount  kstreams  WordCount (flatMapValues → groupBy → count → to), through its repartition topic
// map and wordcount run under at-least-once and exactly-once, each at commit.interval.ms 100 and 1000
// (map-alos-100, …, wordcount-eos-1000).
// Each pipeline runs in its own child process (so CPU and peak memory are its own) over the same input topic,
// from the beginning, with its own consumer group. A pipeline is done when its group has committed the end offset
// of every topic it reads. Prints records/s (input records), CPU seconds per million records, peak RSS and the
// ratio of each to the ceiling.
//
// Run after `npx turbo run build`:
//   node test/bench/pipeline.js [--records=200000] [--partitions=4] [--bootstrap=host:port]
//                               [--only=map|wordcount] [--profile=<dir for the children's .cpuprofile files>]
//                               [--startup=4,16,64]
// --startup measures instead how long KafkaStreams.start() takes to RUNNING for a map topology with that many
// tasks (input partitions), under at-least-once (one shared producer) and exactly-once (one transactional
// producer per task: a connection and an InitProducerId each).
// Without --bootstrap it starts the bundled broker (packages/broker/dist/cli.js) as a child process.
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const readline = require('node:readline');

const REPO = path.resolve(__dirname, '..', '..');
const args = Object.fromEntries(
  process.argv.slice(2).map((a) => {
    const [k, v] = a.replace(/^--/, '').split('=');
    return [k, v === undefined ? 'true' : v];
  }),
);

const loadKafkajs = () => require(require.resolve('kafkajs', { paths: [path.join(REPO, 'packages', 'streams')] }));
const loadStreams = () => require(path.join(REPO, 'packages', 'streams', 'dist', 'index.js'));

// ------------------------------------------------------------------------------------------------
// child: one pipeline

async function child(role) {
  const bootstrap = process.env.BENCH_BOOTSTRAP;
  const input = process.env.BENCH_INPUT;
  const output = process.env.BENCH_OUTPUT;
  const group = process.env.BENCH_GROUP;
  let cpuAtReady = null;
  let stop = async () => {};

  if (role === 'raw' || role === 'raw-stock') {
    // The ceiling runs with the same linear-time kafkajs producer grouping kstreams installs (see
    // packages/streams/src/runtime/kafkajs-patches.ts); raw-stock shows kafkajs as shipped.
    if (role === 'raw') require(path.join(REPO, 'packages', 'streams', 'dist', 'runtime', 'kafkajs-patches.js'));
    const { Kafka, logLevel, Partitioners } = loadKafkajs();
    const kafka = new Kafka({ clientId: group, brokers: [bootstrap], logLevel: logLevel.ERROR });
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    const consumer = kafka.consumer({ groupId: group, maxWaitTimeInMs: 100, maxBytesPerPartition: 1048576 });
    await producer.connect();
    await consumer.connect();
    await consumer.subscribe({ topic: input, fromBeginning: true });
    await consumer.run({
      autoCommit: true,
      autoCommitInterval: 100,
      eachBatch: async ({ batch, resolveOffset, heartbeat }) => {
        const messages = batch.messages.map((m) => ({
          key: m.key,
          value: Buffer.from(m.value.toString('utf8').toUpperCase(), 'utf8'),
          timestamp: m.timestamp,
        }));
        // one request per 5000 records, as kstreams' producer sink does (a whole 1 MB fetch in one request can
        // exceed the broker's message.max.bytes)
        for (let i = 0; i < messages.length; i += 5000) await producer.send({ topic: output, acks: -1, messages: messages.slice(i, i + 5000) });
        resolveOffset(batch.lastOffset());
        await heartbeat();
      },
    });
    stop = async () => {
      await consumer.disconnect();
      await producer.disconnect();
    };
  } else if (role === 'raw-ours') {
    const { Kafka, logLevel } = loadKafkajs();
    const { KafkaClient } = require(path.join(REPO, 'packages', 'streams', 'dist', 'runtime', 'kafka-client.js'));
    const { partitionForKey } = require(path.join(REPO, 'packages', 'streams', 'dist', 'runtime', 'partitioner.js'));
    const kafka = new Kafka({ clientId: group, brokers: [bootstrap], logLevel: logLevel.ERROR });
    const client = new KafkaClient({ clientId: group, bootstrapServers: [bootstrap], overrides: { logLevel: logLevel.ERROR } });
    const producer = client.producer({ transactionalId: null, overrides: {} });
    const consumer = kafka.consumer({ groupId: group, maxWaitTimeInMs: 100, maxBytesPerPartition: 1048576 });
    await producer.connect();
    await consumer.connect();
    await consumer.subscribe({ topic: input, fromBeginning: true });
    const partitions = Number(process.env.BENCH_PARTITIONS);
    let next = 0;
    await consumer.run({
      autoCommit: true,
      autoCommitInterval: 100,
      eachBatch: async ({ batch, resolveOffset, heartbeat }) => {
        for (const m of batch.messages) {
          const value = Buffer.from(m.value.toString('utf8').toUpperCase(), 'utf8');
          const partition = m.key === null ? (next = (next + 1) % partitions) : partitionForKey(m.key, partitions);
          producer.append(output, partition, m.key, value, Number(m.timestamp), null);
        }
        const failures = await producer.flush();
        if (failures.length > 0) throw failures[0].error;
        resolveOffset(batch.lastOffset());
        await heartbeat();
      },
    });
    stop = async () => {
      await consumer.disconnect();
      await producer.close();
      await client.close();
    };
  } else {
    const { KafkaStreams, StreamsBuilder, Consumed, Produced, Grouped, Serdes } = loadStreams();
    const builder = new StreamsBuilder();
    const source = builder.stream(input, Consumed.with(Serdes.String(), Serdes.String()));
    const [kind, guarantee, commitMs] = role.split('-');
    if (kind === 'map' || kind === 'startup') {
      source.mapValues((v) => v.toUpperCase()).to(output, Produced.with(Serdes.String(), Serdes.String()));
    } else {
      source
        .flatMapValues((line) => line.toLowerCase().split(/\W+/).filter((w) => w.length > 0))
        .groupBy((_k, w) => w, Grouped.with(Serdes.String(), Serdes.String()))
        .count()
        .toStream()
        .to(output, Produced.with(Serdes.String(), Serdes.Long()));
    }
    const streams = new KafkaStreams(builder.build(), {
      applicationId: group,
      bootstrapServers: bootstrap,
      stateDir: fs.mkdtempSync(path.join(os.tmpdir(), 'kstreams-bench-')),
      commitIntervalMs: Number(commitMs ?? 100),
      ...(process.env.BENCH_CACHE_BYTES === undefined ? {} : { statestoreCacheMaxBytes: Number(process.env.BENCH_CACHE_BYTES) }),
      processingGuarantee: guarantee === 'eos' ? 'exactly_once_v2' : 'at_least_once',
    });
    const t0 = process.hrtime.bigint();
    const running = new Promise((resolve) => streams.setStateListener((s) => s === 'RUNNING' && resolve()));
    await streams.start();
    if (kind === 'startup') {
      await running;
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      await streams.close({ timeout: 30000 });
      process.stdout.write(`${JSON.stringify({ ms })}\n`);
      process.exit(0);
    }
    stop = async () => {
      await streams.close({ timeout: 30000 });
    };
  }
  cpuAtReady = process.cpuUsage();
  process.stdout.write('READY\n');
  process.on('SIGUSR2', () => {
    const cpu = process.cpuUsage(cpuAtReady);
    const maxRssKb = process.resourceUsage().maxRSS;
    process.stdout.write(`${JSON.stringify({ cpuSeconds: (cpu.user + cpu.system) / 1e6, maxRssMb: maxRssKb / 1024 })}\n`);
    void stop().finally(() => process.exit(0));
  });
}

// ------------------------------------------------------------------------------------------------
// parent

function startBundledBroker() {
  const cli = path.join(REPO, 'packages', 'broker', 'dist', 'cli.js');
  if (!fs.existsSync(cli)) throw new Error(`${cli} is missing: run npx turbo run build first`);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kstreams-bench-broker-'));
  const proc = spawn(process.execPath, [cli, 'start', '--port', '0', '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('broker did not start within 60 s')), 60000);
    readline.createInterface({ input: proc.stdout }).on('line', (line) => {
      if (/^\S+:\d+$/.test(line.trim())) {
        clearTimeout(timer);
        resolve({
          address: line.trim(),
          pid: proc.pid,
          close: async () => {
            proc.kill('SIGTERM');
            await new Promise((r) => proc.once('exit', r));
            fs.rmSync(dataDir, { recursive: true, force: true });
          },
        });
      }
    });
    proc.once('exit', (code) => reject(new Error(`broker exited with ${code}`)));
  });
}

const VOCABULARY = Array.from({ length: 2000 }, (_, i) => `word${i}`);

async function feed(kafka, topic, records) {
  const { Partitioners } = loadKafkajs();
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  let x = 7;
  const batch = 2000;
  for (let i = 0; i < records; i += batch) {
    const messages = [];
    for (let j = i; j < Math.min(records, i + batch); j++) {
      const words = [];
      for (let w = 0; w < 6; w++) {
        x = (x * 1103515245 + 12345) % 2147483648;
        words.push(VOCABULARY[x % VOCABULARY.length]);
      }
      messages.push({ key: `k${j}`, value: words.join(' ') });
    }
    await producer.send({ topic, acks: -1, messages });
  }
  await producer.disconnect();
}

async function committedAll(admin, group, topics, progress, markerSlack = 0) {
  let done = 0;
  let total = 0;
  let complete = true;
  for (const topic of topics) {
    const ends = await admin.fetchTopicOffsets(topic);
    const committed = await admin.fetchOffsets({ groupId: group, topics: [topic] });
    const byPartition = new Map((committed[0]?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]));
    const slack = topic === topics[0] ? 0 : markerSlack;
    for (const e of ends) {
      const high = Number(e.high) - slack;
      const at = Math.max(0, byPartition.get(e.partition) ?? -1);
      total += high;
      done += Math.min(at, high);
      if (high > 0 && at < high) complete = false;
    }
  }
  if (progress) progress(done, total);
  return complete;
}

async function runPipeline(role, ctx) {
  const group = `bench-${role}-${Date.now().toString(36)}`;
  const output = `${group}-out`;
  await ctx.admin.createTopics({ waitForLeaders: true, topics: [{ topic: output, numPartitions: ctx.partitions }] });
  const execArgs = args.profile ? ['--cpu-prof', `--cpu-prof-dir=${args.profile}`] : [];
  const proc = spawn(process.execPath, [...execArgs, __filename, `--child=${role}`], {
    env: { ...process.env, BENCH_BOOTSTRAP: ctx.bootstrap, BENCH_INPUT: ctx.input, BENCH_OUTPUT: output, BENCH_GROUP: group, BENCH_PARTITIONS: String(ctx.partitions) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = readline.createInterface({ input: proc.stdout });
  const next = () => new Promise((resolve, reject) => {
    lines.once('line', resolve);
    proc.once('exit', (code) => reject(new Error(`${role} exited with ${code}`)));
  });
  const ready = await next();
  if (ready !== 'READY') throw new Error(`${role}: unexpected ${ready}`);
  const started = process.hrtime.bigint();
  const topics = role.startsWith('wordcount') ? [ctx.input, `${group}-KSTREAM-AGGREGATE-STATE-STORE-0000000003-repartition`] : [ctx.input];
  // under exactly-once each repartition partition ends with the commit markers of the last transactions of the tasks
  // writing it (one transactional producer per input partition), which the consumer never commits past
  const markerSlack = role.includes('-eos-') ? ctx.partitions : 0;
  const deadline = Date.now() + 600000;
  let lastReport = Date.now();
  const progress = (done, total) => {
    if (Date.now() - lastReport < 10000) return;
    lastReport = Date.now();
    console.error(`  ${role}: ${done} / ${total} offsets committed`);
  };
  for (;;) {
    if (await committedAll(ctx.admin, group, topics, progress, markerSlack)) break;
    if (Date.now() > deadline) throw new Error(`${role} did not finish within 10 minutes`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const statsLine = next();
  proc.kill('SIGUSR2');
  const stats = JSON.parse(await statsLine);
  await new Promise((r) => (proc.exitCode !== null ? r() : proc.once('exit', r)));
  return { role, seconds, recordsPerSecond: ctx.records / seconds, cpuPerMillion: (stats.cpuSeconds / ctx.records) * 1e6, maxRssMb: stats.maxRssMb };
}

/** --startup: time from start() to RUNNING for a map topology with n tasks, one child process per run. */
async function startupCosts(ctx, counts) {
  console.log(`${'tasks'.padStart(5)} ${'at-least-once ms'.padStart(17)} ${'exactly-once ms'.padStart(16)} ${'ratio'.padStart(6)}`);
  for (const n of counts) {
    const row = {};
    for (const g of ['alos', 'eos']) {
      const group = `bench-startup-${g}-${n}-${Date.now().toString(36)}`;
      const input = `${group}-in`;
      const output = `${group}-out`;
      await ctx.admin.createTopics({ waitForLeaders: true, topics: [{ topic: input, numPartitions: n }, { topic: output, numPartitions: n }] });
      const proc = spawn(process.execPath, [__filename, `--child=startup-${g}-100`], {
        env: { ...process.env, BENCH_BOOTSTRAP: ctx.bootstrap, BENCH_INPUT: input, BENCH_OUTPUT: output, BENCH_GROUP: group },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const lines = readline.createInterface({ input: proc.stdout });
      const result = await new Promise((resolve, reject) => {
        lines.on('line', (line) => {
          if (line.startsWith('{')) resolve(JSON.parse(line));
        });
        proc.once('exit', (code) => (code === 0 ? undefined : reject(new Error(`startup child exited with ${code}`))));
      });
      await new Promise((r) => (proc.exitCode !== null ? r() : proc.once('exit', r)));
      row[g] = result.ms;
    }
    console.log(`${String(n).padStart(5)} ${row.alos.toFixed(0).padStart(17)} ${row.eos.toFixed(0).padStart(16)} ${(row.eos / row.alos).toFixed(2).padStart(6)}`);
  }
}

async function main() {
  const records = Number(args.records ?? 200000);
  const partitions = Number(args.partitions ?? 4);
  const broker = args.bootstrap ? { address: args.bootstrap, close: async () => {} } : await startBundledBroker();
  const { Kafka, logLevel } = loadKafkajs();
  const kafka = new Kafka({ clientId: 'bench', brokers: [broker.address], logLevel: logLevel.ERROR });
  const admin = kafka.admin();
  await admin.connect();
  const input = `bench-input-${Date.now().toString(36)}`;
  if (args.startup) {
    try {
      console.log(`broker ${args.bootstrap ? args.bootstrap : 'bundled (child process)'}; KafkaStreams.start() until RUNNING, empty input`);
      await startupCosts({ admin, bootstrap: broker.address }, args.startup.split(',').map(Number));
    } finally {
      await admin.disconnect();
      await broker.close();
    }
    return;
  }
  try {
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic: input, numPartitions: partitions }] });
    const feedStart = Date.now();
    await feed(kafka, input, records);
    console.log(`broker ${args.bootstrap ? args.bootstrap : 'bundled (child process)'}; ${records} records (6 words each) on ${partitions} partitions, fed in ${((Date.now() - feedStart) / 1000).toFixed(1)} s\n`);
    const ctx = { admin, bootstrap: broker.address, input, partitions, records };
    const results = [];
    const variants = ['alos-100', 'alos-1000', 'eos-100', 'eos-1000'];
    const roles = ['raw', 'raw-stock', 'raw-ours', ...variants.map((v) => `map-${v}`), ...variants.map((v) => `wordcount-${v}`)].filter(
      (r) => r === 'raw' || r === 'raw-ours' || !args.only || r.startsWith(`${args.only}-`) || r === args.only,
    );
    for (const role of roles) results.push(await runPipeline(role, ctx));
    const ceiling = results[0].recordsPerSecond;
    const label = (v) => `${v.startsWith('eos') ? 'exactly-once' : 'at-least-once'}, commit ${v.split('-')[1]} ms`;
    const names = { raw: 'kafkajs consume→produce (ceiling)', 'raw-stock': 'same, kafkajs unpatched', 'raw-ours': 'same, through our producer (no processing)' };
    for (const v of variants) {
      names[`map-${v}`] = `map, ${label(v)}`;
      names[`wordcount-${v}`] = `WordCount, ${label(v)}`;
    }
    const byRole = new Map(results.map((r) => [r.role, r]));
    console.log(`${'pipeline'.padEnd(44)} ${'records/s'.padStart(10)} ${'CPU s/1M rec'.padStart(13)} ${'peak RSS MB'.padStart(12)} ${'vs ceiling'.padStart(11)} ${'vs ALOS 1000'.padStart(13)}`);
    for (const r of results) {
      const base = byRole.get(r.role.replace(/-(alos|eos)-\d+$/, '-alos-1000'));
      const vsAlos = base && base !== r && r.role !== base.role ? (r.recordsPerSecond / base.recordsPerSecond).toFixed(2) : '';
      console.log(
        `${names[r.role].padEnd(44)} ${r.recordsPerSecond.toFixed(0).padStart(10)} ${r.cpuPerMillion.toFixed(2).padStart(13)} ${r.maxRssMb.toFixed(0).padStart(12)} ${(r.recordsPerSecond / ceiling).toFixed(2).padStart(11)} ${vsAlos.padStart(13)}`,
      );
    }
  } finally {
    await admin.disconnect();
    await broker.close();
  }
}

// test/bench/peers/run.js reuses the bundled-broker start, the input feed and the children of this file.
module.exports = { startBundledBroker, feed, loadKafkajs };

if (require.main === module && args.child) {
  child(args.child).catch((e) => {
    console.error(e);
    process.exit(1);
  });
} else if (require.main === module) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
