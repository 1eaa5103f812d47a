#!/usr/bin/env node
// `npm run bench:peers`: kstreams beside its peers on the same broker and the same pre-loaded input.
//
// Pipelines: WordCount (flatMapValues → groupBy → count → to, through a repartition topic; RocksDB and a 10 MiB
// cache where the implementation has them), the same WordCount with the cache off (kstreams and Java only: every
// count update goes out) and the map pipe (stream().mapValues(toUpperCase).to()).
// Peers, each in its own child process with its own application id and output topic:
//   kstreams      at-least-once and exactly-once (the children of test/bench/pipeline.js, commit interval 1000 ms)
//   Java          Kafka Streams 4.1.1, at_least_once and exactly_once_v2, one stream thread (java/, built by Maven)
//   kafkajs loop  the raw consume→produce loop of test/bench/pipeline.js (map only): the transport ceiling
//   Quix Streams  PyPI quixstreams, at-least-once and exactly-once (installed into .venv here on first use)
//   @kafkats/flow npm, at_least_once and exactly_once (a devDependency of the test workspace)
// Brokers: real Apache Kafka 4.1.1 (test/kafka/kafka.sh on KAFKA_PORT/KAFKA_CONTROLLER_PORT, default 29092/29093,
// or --bootstrap=host:port) and the bundled broker (packages/broker, a child process).
//
// A run starts when the child prints READY (its application has been started) and ends when the expected output
// is all there: a read_committed consumer of the output topic counts the map pipe's records until every input
// record has come out, and for WordCount keeps the latest count per word until the counts add up to every word.
// CPU is the child's own (utime + stime from /proc/<pid>/stat, READY to done), peak RSS its VmHWM. The machine's
// other load during the run is recorded beside it: the CPU the machine spent that is neither the measured process,
// the broker nor this harness (in cores), and the 1-minute load average. Repetitions are interleaved (rep 1 of
// every peer, then rep 2, ...); the table shows medians.
//
//   npm run bench:peers [-- --smoke] [--lines=200000] [--reps=3] [--brokers=kafka,bundled] [--bootstrap=host:port]
//                       [--peers=kstreams,java,raw,quix,kafkats] [--out=dir] [--json=file]
// --smoke: 3,000 lines, 1 repetition, the bundled broker only, results to a temporary directory (or --out).
// Writes <out>/peers.md, peers.json and peers.svg (default out: test/bench/results/).
'use strict';
const { spawn, execFileSync, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const readline = require('node:readline');

const HERE = __dirname;
const REPO = path.resolve(HERE, '..', '..', '..');
const PIPELINE = path.join(REPO, 'test', 'bench', 'pipeline.js');
const KAFKA_SH = path.join(REPO, 'test', 'kafka', 'kafka.sh');
const { startBundledBroker, feed, loadKafkajs } = require(PIPELINE);

const args = Object.fromEntries(
  process.argv.slice(2).map((a) => {
    const [k, ...v] = a.replace(/^--/, '').split('=');
    return [k, v.length === 0 ? 'true' : v.join('=')];
  }),
);
const SMOKE = args.smoke === 'true';
const LINES = Number(args.lines ?? (SMOKE ? 3000 : 200000));
const WORDS_PER_LINE = 6;
const PARTITIONS = 4;
const REPS = Number(args.reps ?? (SMOKE ? 1 : 3));
const BROKERS = (args.brokers ?? (SMOKE ? 'bundled' : 'kafka,bundled')).split(',');
const PEER_FILTER = args.peers ? args.peers.split(',') : null;
const OUT = args.out ?? (SMOKE ? fs.mkdtempSync(path.join(os.tmpdir(), 'kstreams-peers-smoke-')) : path.join(REPO, 'test', 'bench', 'results'));
const RUN_TIMEOUT_MS = Number(args.timeout ?? (SMOKE ? 90 : 300)) * 1000;
// Quix Streams and @kafkats/flow take minutes per full WordCount here: they run it --slow-reps times (default 1, in
// the first repetition) and at most --slow-timeout seconds (default 150); a run cut off there reports the rate of the
// output it had completed (marked partial). Their map pipe runs every repetition.
const SLOW_REPS = Number(args['slow-reps'] ?? 1);
const SLOW_TIMEOUT_MS = Number(args['slow-timeout'] ?? (SMOKE ? 90 : 150)) * 1000;
const SLOW_FAMILIES = ['quix', 'kafkats'];
const isSlow = (peer, kind) => kind === 'wordcount' && SLOW_FAMILIES.includes(peer.family);
const QUIX_VERSION = '3.28.1';
const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim() || 100);

const log = (msg) => console.error(`bench:peers: ${msg}`);

// ------------------------------------------------------------------------------------------------
// /proc readings

function procCpuSeconds(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLK_TCK; // utime, stime (fields 14 and 15 of stat)
  } catch {
    return NaN;
  }
}

function procPeakRssMb(pid) {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** Busy CPU seconds of the whole machine since boot (all cores), from /proc/stat. */
function machineBusySeconds() {
  const [, user, nice, system, , , irq, softirq, steal] = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
  return (user + nice + system + irq + softirq + steal) / CLK_TCK;
}

const loadAverage1 = () => Number(fs.readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
const selfCpuSeconds = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

// ------------------------------------------------------------------------------------------------
// peers: setup (once) and the command of one run

function setupJava() {
  if (spawnSync('java', ['-version']).status !== 0) throw new Error('java not found on PATH (Java 17+ needed)');
  const dir = path.join(HERE, 'java');
  const sources = [path.join(dir, 'pom.xml'), path.join(dir, 'src', 'main', 'java', 'bench', 'PeerApp.java')];
  const stamp = sources.map((f) => fs.readFileSync(f, 'utf8')).join('\0');
  const stampFile = path.join(dir, '.stamp');
  const built = fs.existsSync(path.join(dir, 'target', 'classes', 'bench', 'PeerApp.class')) && fs.existsSync(stampFile) && fs.readFileSync(stampFile, 'utf8') === stamp;
  if (!built) {
    if (spawnSync('mvn', ['-v']).status !== 0) throw new Error('mvn not found on PATH (Maven builds the Java peer)');
    log('building the Java Kafka Streams 4.1.1 peer with Maven (java/pom.xml)');
    const r = spawnSync('mvn', ['-q', '-B', '-Dstyle.color=never', '-f', path.join(dir, 'pom.xml'), 'package'], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`Maven build failed: ${(r.stdout + r.stderr).trim().split('\n').slice(-5).join(' ')}`);
    fs.writeFileSync(stampFile, stamp);
  }
  const cp = `${path.join(dir, 'target', 'classes')}:${path.join(dir, 'target', 'lib', '*')}`;
  return { cp };
}

function setupQuix() {
  const venv = path.join(HERE, '.venv');
  const python = path.join(venv, 'bin', 'python');
  const installed = () => fs.existsSync(python) && spawnSync(python, ['-c', `import quixstreams, sys; sys.exit(0 if quixstreams.__version__ == '${QUIX_VERSION}' else 1)`]).status === 0;
  if (!installed()) {
    log(`installing quixstreams ${QUIX_VERSION} into ${venv}`);
    if (!fs.existsSync(python)) {
      const r = spawnSync('python3', ['-m', 'venv', venv], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`python3 -m venv failed: ${(r.stderr || r.error?.message || '').trim()}`);
    }
    const r = spawnSync(python, ['-m', 'pip', 'install', '-q', '--disable-pip-version-check', `quixstreams==${QUIX_VERSION}`], { encoding: 'utf8' });
    if (r.status !== 0 || !installed()) throw new Error(`pip install quixstreams==${QUIX_VERSION} failed: ${(r.stderr || '').trim().split('\n').slice(-3).join(' ')}`);
  }
  return { python };
}

function setupKafkats() {
  const entry = require.resolve('@kafkats/flow', { paths: [HERE] });
  const version = JSON.parse(fs.readFileSync(path.join(entry.slice(0, entry.lastIndexOf(`${path.sep}dist${path.sep}`)), 'package.json'), 'utf8')).version;
  return { version };
}

const tmpState = (prefix) => fs.mkdtempSync(path.join(os.tmpdir(), prefix));

/**
 * Every peer: id, label, guarantee, which pipelines it runs, how the WordCount counts are encoded, its setup, and
 * the command of one run. stop: the signal that closes it cleanly.
 */
/** The pipelines: WordCount (10 MiB cache), WordCount with the cache off (every update produced), the map pipe. */
const KINDS = ['wordcount', 'wordcount-nocache', 'map'];
const KIND_TITLES = {
  wordcount: 'WordCount',
  'wordcount-nocache': 'WordCount with the record cache off (`statestore.cache.max.bytes=0`)',
  map: 'map pipe, `stream().mapValues().to()`',
};

const PEERS = [
  ...['alos', 'eos'].map((g) => ({
    id: `kstreams-${g}`,
    family: 'kstreams',
    label: `kstreams ${g === 'eos' ? 'exactly-once' : 'at-least-once'}`,
    guarantee: g,
    pipelines: ['wordcount', 'wordcount-nocache', 'map'],
    countFormat: 'long',
    setup: () => ({}),
    stop: 'SIGUSR2',
    command: (kind, r) => ({
      file: process.execPath,
      argv: [PIPELINE, `--child=${kind === 'wordcount-nocache' ? 'wordcount' : kind}-${g}-1000`],
      env: {
        BENCH_BOOTSTRAP: r.bootstrap, BENCH_INPUT: r.input, BENCH_OUTPUT: r.output, BENCH_GROUP: r.app,
        ...(kind === 'wordcount-nocache' ? { BENCH_CACHE_BYTES: '0' } : {}),
      },
    }),
  })),
  ...['alos', 'eos'].map((g) => ({
    id: `java-${g}`,
    family: 'java',
    label: `Java Kafka Streams 4.1.1 ${g === 'eos' ? 'exactly_once_v2' : 'at_least_once'}`,
    guarantee: g,
    pipelines: ['wordcount', 'wordcount-nocache', 'map'],
    countFormat: 'long',
    setup: setupJava,
    stop: 'SIGTERM',
    command: (kind, r, s) => ({
      file: 'java',
      argv: ['-Xmx512m', '-cp', s.cp, 'bench.PeerApp', kind, r.bootstrap, r.input, r.output, r.app, g === 'eos' ? 'exactly_once_v2' : 'at_least_once'],
    }),
  })),
  {
    id: 'raw',
    family: 'raw',
    label: 'kafkajs consume→produce loop (ceiling)',
    guarantee: 'alos',
    pipelines: ['map'],
    setup: () => ({}),
    stop: 'SIGUSR2',
    command: (_kind, r) => ({
      file: process.execPath,
      argv: [PIPELINE, '--child=raw'],
      env: { BENCH_BOOTSTRAP: r.bootstrap, BENCH_INPUT: r.input, BENCH_OUTPUT: r.output, BENCH_GROUP: r.app },
    }),
  },
  ...['alos', 'eos'].map((g) => ({
    id: `quix-${g}`,
    family: 'quix',
    label: `Quix Streams ${QUIX_VERSION} ${g === 'eos' ? 'exactly-once' : 'at-least-once'}`,
    guarantee: g,
    pipelines: ['wordcount', 'map'],
    countFormat: 'int',
    setup: setupQuix,
    stop: 'SIGTERM',
    command: (kind, r, s) => ({
      file: s.python,
      argv: [path.join(HERE, 'quix_app.py'), kind, r.bootstrap, r.input, r.output, r.app, g === 'eos' ? 'exactly-once' : 'at-least-once', tmpState('kstreams-bench-quix-')],
    }),
  })),
  ...['alos', 'eos'].map((g) => ({
    id: `kafkats-${g}`,
    family: 'kafkats',
    label: `@kafkats/flow ${g === 'eos' ? 'exactly_once' : 'at_least_once'}`,
    guarantee: g,
    pipelines: ['wordcount', 'map'],
    countFormat: 'text',
    setup: setupKafkats,
    stop: 'SIGTERM',
    command: (kind, r) => ({
      file: process.execPath,
      argv: [path.join(HERE, 'kafkats-app.js'), kind, r.bootstrap, r.input, r.output, r.app, g === 'eos' ? 'exactly_once' : 'at_least_once', tmpState('kstreams-bench-kafkats-')],
    }),
  })),
].filter((p) => !PEER_FILTER || PEER_FILTER.includes(p.family) || PEER_FILTER.includes(p.id));

// ------------------------------------------------------------------------------------------------
// brokers

async function startRealKafka() {
  if (args.bootstrap) return { name: 'kafka', label: `Apache Kafka at ${args.bootstrap}`, address: args.bootstrap, pid: null, close: async () => {} };
  const env = { ...process.env, KAFKA_PORT: process.env.KAFKA_PORT ?? '29092', KAFKA_CONTROLLER_PORT: process.env.KAFKA_CONTROLLER_PORT ?? '29093' };
  const running = spawnSync('bash', [KAFKA_SH, 'status'], { env, encoding: 'utf8' }).status === 0;
  if (!running) spawnSync('bash', [KAFKA_SH, 'reset'], { env, stdio: 'ignore' });
  log(`starting Apache Kafka ${env.KAFKA_VERSION ?? '4.1.1'} with test/kafka/kafka.sh on port ${env.KAFKA_PORT}`);
  const out = execFileSync('bash', [KAFKA_SH, 'start'], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const address = out.trim().split('\n').pop().trim();
  const pidFile = path.join(REPO, 'test', 'kafka', 'run', `${env.KAFKA_VERSION ?? '4.1.1'}-${env.KAFKA_PORT}`, 'kafka.pid');
  const pid = fs.existsSync(pidFile) ? Number(fs.readFileSync(pidFile, 'utf8').trim()) : null;
  return {
    name: 'kafka',
    label: `Apache Kafka ${env.KAFKA_VERSION ?? '4.1.1'} (single node, test/kafka/kafka.sh)`,
    address,
    pid,
    close: async () => {
      if (!running) execFileSync('bash', [KAFKA_SH, 'stop'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
    },
  };
}

async function startBroker(name) {
  if (name === 'kafka') return startRealKafka();
  if (name === 'bundled') {
    const b = await startBundledBroker();
    return { name, label: 'bundled broker (packages/broker, child process)', ...b };
  }
  throw new Error(`unknown broker ${name} (kafka or bundled)`);
}

// ------------------------------------------------------------------------------------------------
// one run

function decodeCount(buf, format) {
  if (format === 'long') return Number(buf.readBigInt64BE(0));
  if (format === 'int') return buf.readInt32BE(0);
  return Number(buf.toString('utf8'));
}

/** A read_committed consumer of `topic`; `done` resolves when the output is complete. */
async function outputWatcher(kafka, topic, kind, peer) {
  const expected = kind === 'map' ? LINES : LINES * WORDS_PER_LINE;
  const counts = new Map();
  let seen = 0;
  let sum = 0;
  let resolveDone;
  const done = new Promise((r) => (resolveDone = r));
  const consumer = kafka.consumer({ groupId: `${topic}-watcher`, maxWaitTimeInMs: 50, readUncommitted: false });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const joined = new Promise((r) => consumer.on(consumer.events.GROUP_JOIN, r));
  await consumer.run({
    autoCommit: false,
    eachBatch: async ({ batch }) => {
      for (const m of batch.messages) {
        seen += 1;
        if (kind !== 'map' && m.value) {
          const key = m.key.toString('utf8');
          const n = decodeCount(m.value, peer.countFormat);
          sum += n - (counts.get(key) ?? 0);
          counts.set(key, n);
        }
      }
      if ((kind === 'map' ? seen : sum) >= expected) resolveDone();
    },
  });
  await joined;
  return {
    done,
    progress: () => (kind === 'map' ? `${seen} / ${expected} records` : `counts add up to ${sum} / ${expected} words (${seen} records)`),
    units: () => (kind === 'map' ? seen : sum),
    complete: () => (kind === 'map' ? seen : sum) >= expected,
    close: () => consumer.disconnect(),
  };
}

async function runOnce(peer, kind, ctx, rep) {
  const app = `peers-${peer.id}-${kind}-${ctx.broker.name}-r${rep}-${Date.now().toString(36)}`;
  const output = `${app}-out`;
  await ctx.admin.createTopics({ waitForLeaders: true, topics: [{ topic: output, numPartitions: PARTITIONS }] });
  const watcher = await outputWatcher(ctx.kafka, output, kind, peer);
  const cmd = peer.command(kind, { bootstrap: ctx.broker.address, input: ctx.input, output, app }, ctx.setups.get(peer.id));
  const proc = spawn(cmd.file, cmd.argv, { env: { ...process.env, ...(cmd.env ?? {}) }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  proc.stderr.on('data', (d) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const exited = new Promise((resolve) => proc.once('exit', (code, signal) => resolve({ code, signal })));
  const failOnExit = exited.then(({ code, signal }) => {
    throw new Error(`exited with ${code ?? signal} before its output was complete: ${stderr.trim().split('\n').slice(-3).join(' | ')}`);
  });
  const ready = new Promise((resolve) => readline.createInterface({ input: proc.stdout }).on('line', (l) => l.trim() === 'READY' && resolve()));
  let timer;
  let start = null;
  const timeout = (ms, what) => new Promise((_r, reject) => (timer = setTimeout(() => reject(new Error(`${what} within ${ms / 1000} s: ${watcher.progress()}`)), ms)));
  try {
    await Promise.race([ready, failOnExit, timeout(120000, 'no READY')]);
    clearTimeout(timer);
    start = {
      t: process.hrtime.bigint(),
      cpu: procCpuSeconds(proc.pid),
      machine: machineBusySeconds(),
      broker: ctx.broker.pid ? procCpuSeconds(ctx.broker.pid) : 0,
      self: selfCpuSeconds(),
    };
    await Promise.race([watcher.done, failOnExit, timeout(isSlow(peer, kind) ? SLOW_TIMEOUT_MS : RUN_TIMEOUT_MS, 'output not complete')]);
    clearTimeout(timer);
    const seconds = Number(process.hrtime.bigint() - start.t) / 1e9;
    const cpu = procCpuSeconds(proc.pid) - start.cpu;
    const broker = ctx.broker.pid ? procCpuSeconds(ctx.broker.pid) - start.broker : 0;
    const machine = machineBusySeconds() - start.machine;
    const self = selfCpuSeconds() - start.self;
    const units = kind === 'map' ? LINES : LINES * WORDS_PER_LINE;
    return {
      peer: peer.id,
      kind,
      broker: ctx.broker.name,
      rep,
      seconds,
      rate: units / seconds,
      inputRate: LINES / seconds,
      cpuPerMillion: (cpu / units) * 1e6,
      peakRssMb: procPeakRssMb(proc.pid),
      brokerCores: broker / seconds,
      otherCores: Math.max(0, machine - cpu - broker - self) / seconds,
      loadAvg1: loadAverage1(),
    };
  } catch (e) {
    const seconds = start ? Number(process.hrtime.bigint() - start.t) / 1e9 : NaN;
    const partialRate = start && watcher.units() > 0 ? watcher.units() / seconds : NaN;
    return { peer: peer.id, kind, broker: ctx.broker.name, rep, error: e.message, partialRate, seconds };
  } finally {
    clearTimeout(timer);
    failOnExit.catch(() => {});
    if (proc.exitCode === null && proc.signalCode === null) {
      proc.kill(peer.stop);
      const killer = setTimeout(() => proc.kill('SIGKILL'), 30000);
      await exited;
      clearTimeout(killer);
    }
    await watcher.close().catch(() => {});
  }
}

// ------------------------------------------------------------------------------------------------
// report

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const fmt = (n, digits = 0) => (Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : '–');

function summarize(results, skipped) {
  const rows = [];
  for (const broker of BROKERS) {
    for (const kind of KINDS) {
      for (const peer of PEERS.filter((p) => p.pipelines.includes(kind))) {
        const runs = results.filter((r) => r.peer === peer.id && r.kind === kind && r.broker === broker);
        const ok = runs.filter((r) => !r.error);
        const partial = runs.filter((r) => r.error && Number.isFinite(r.partialRate));
        const reason = skipped.get(peer.id) ?? (ok.length === 0 ? runs.map((r) => r.error).find(Boolean) ?? 'not run' : null);
        rows.push({
          broker,
          kind,
          peer: peer.id,
          family: peer.family,
          guarantee: peer.guarantee,
          label: peer.label,
          runs: ok.length,
          failedRuns: runs.length - ok.length,
          failures: runs.filter((r) => r.error).map((r) => r.error),
          partialRate: median(partial.map((r) => r.partialRate)),
          partialSeconds: median(partial.map((r) => r.seconds)),
          reason,
          rate: median(ok.map((r) => r.rate)),
          rateMin: Math.min(...ok.map((r) => r.rate)),
          rateMax: Math.max(...ok.map((r) => r.rate)),
          inputRate: median(ok.map((r) => r.inputRate)),
          cpuPerMillion: median(ok.map((r) => r.cpuPerMillion)),
          peakRssMb: median(ok.map((r) => r.peakRssMb)),
          brokerCores: median(ok.map((r) => r.brokerCores)),
          otherCores: median(ok.map((r) => r.otherCores)),
          otherCoresMax: Math.max(...ok.map((r) => r.otherCores)),
          loadAvg1: median(ok.map((r) => r.loadAvg1)),
        });
      }
    }
  }
  for (const row of rows) {
    const java = rows.find((r) => r.broker === row.broker && r.kind === row.kind && r.peer === `java-${row.guarantee}`);
    const ceiling = rows.find((r) => r.broker === row.broker && r.kind === 'map' && r.peer === 'raw');
    row.vsJava = java ? (row.runs > 0 ? row.rate : row.partialRate) / java.rate : NaN;
    row.vsCeiling = ceiling ? row.inputRate / ceiling.inputRate : NaN;
  }
  return rows;
}

function markdown(rows, meta) {
  const out = [];
  out.push(`# kstreams beside its peers (\`npm run bench:peers${SMOKE ? ' -- --smoke' : ''}\`)`, '');
  out.push(`${meta.date} · ${meta.machine} · Node ${process.version} · ${LINES.toLocaleString('en-US')} lines × ${WORDS_PER_LINE} words on ${PARTITIONS} partitions · commit interval 1000 ms · ${REPS} interleaved repetition(s), medians shown (min–max in brackets) · commit ${meta.commit}`, '');
  out.push(`**Machine load:** ${meta.loadNote}`, '');
  for (const broker of BROKERS) {
    const b = meta.brokers[broker];
    for (const kind of KINDS) {
      const unit = kind === 'map' ? 'records' : 'words';
      out.push(`## ${KIND_TITLES[kind]} on ${b ?? broker}`, '');
      out.push(`| peer | runs | ${unit}/s | CPU s per 1M ${unit} | peak RSS MB | vs Java (same guarantee) | vs ceiling (input records/s) | broker CPU, cores | other load, cores (max) | load avg 1 min |`);
      out.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
      for (const r of rows.filter((x) => x.broker === broker && x.kind === kind)) {
        if (r.runs === 0 && Number.isFinite(r.partialRate)) {
          const vs = Number.isFinite(r.vsJava) ? `≈${fmt(r.vsJava, 2)}× (partial)` : '–';
          out.push(`| ${r.label} | 0 of ${r.failedRuns} | ≈${fmt(r.partialRate)} (partial: output incomplete after ${fmt(r.partialSeconds)} s, rate of what it had completed) | | | ${vs} | | | | |`);
          continue;
        }
        if (r.runs === 0) {
          out.push(`| ${r.label} | 0 | not measured: ${r.reason.replace(/\|/g, '/').replace(/\n/g, ' ')} | | | | | | | |`);
          continue;
        }
        const range = r.runs > 1 ? ` (${fmt(r.rateMin)}–${fmt(r.rateMax)})` : '';
        const failed = r.failedRuns > 0 ? ` ⚠ ${r.failedRuns} run(s) failed: ${r.failures[0].replace(/\|/g, '/')}` : '';
        out.push(
          `| ${r.label} | ${r.runs} | ${fmt(r.rate)}${range}${failed} | ${fmt(r.cpuPerMillion, 2)} | ${fmt(r.peakRssMb)} | ${Number.isFinite(r.vsJava) ? `${fmt(r.vsJava, 2)}×` : '–'} | ${Number.isFinite(r.vsCeiling) ? `${fmt(r.vsCeiling, 2)}×` : '–'} | ${fmt(r.brokerCores, 2)} | ${fmt(r.otherCores, 2)} (${fmt(r.otherCoresMax, 2)}) | ${fmt(r.loadAvg1, 2)} |`,
        );
      }
      out.push('');
    }
  }
  out.push('Notes:');
  out.push('- A run is timed from the child printing READY (its application started: client objects built, group join still ahead) until a read_committed consumer of its output topic has seen every input record (map) or counts adding up to every word (WordCount); startup and group join are inside every figure alike.');
  out.push('- CPU and peak RSS are the measured process\'s own (/proc/<pid>/stat utime+stime, VmHWM). "broker CPU" is the broker process during the run (real Kafka\'s JVM or the bundled broker); "other load" is the rest of the machine\'s busy CPU (other processes, not the measured one, the broker or this harness), in cores of ' + os.cpus().length + '.');
  out.push('- WordCount state: kstreams and Java use RocksDB with a 10 MiB record cache (none in "cache off": every count update is produced); Quix Streams keeps its count in its RocksDB state but has no record cache (every update is produced); @kafkats/flow 0.12.0 has in-memory stores only (no RocksDB) and no cache. The kafkajs loop is map-only (the transport ceiling); "vs ceiling" compares input records/s (WordCount lines/s) with it.');
  out.push(`- Quix Streams and @kafkats/flow run WordCount ${SLOW_REPS} time(s) (in the first repetition${SLOW_REPS > 1 ? 's' : ''}), each cut off after ${SLOW_TIMEOUT_MS / 1000} s: a run cut off shows the rate of the output it had completed by then (counts adding up to N words in that time), marked partial; their map pipe runs in every repetition.`);
  out.push('- Ratios are only fair within one table: the machine was shared with other work (the load columns).');
  return out.join('\n') + '\n';
}

function svg(rows) {
  const groups = [];
  for (const broker of BROKERS) for (const kind of KINDS) groups.push({ broker, kind, rows: rows.filter((r) => r.broker === broker && r.kind === kind) });
  const barH = 16;
  const gap = 4;
  const labelW = 300;
  const chartW = 420;
  const width = labelW + chartW + 140;
  const colors = { kstreams: '#2f6fdb', java: '#d9822b', raw: '#777777', quix: '#2a9d5c', kafkats: '#9b4dca' };
  const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  let y = 30;
  const parts = [`<text x="10" y="20" font-size="14" font-weight="bold">kstreams beside its peers: throughput (median of ${REPS}), ${LINES.toLocaleString('en-US')} lines × 6 words</text>`];
  for (const g of groups) {
    y += 14;
    parts.push(`<text x="10" y="${y}" font-size="13" font-weight="bold">${g.kind === 'map' ? 'map pipe, records/s' : `${KIND_TITLES[g.kind]}, words/s`} · ${g.broker === 'kafka' ? 'Apache Kafka 4.1.1' : 'bundled broker'}</text>`);
    y += 8;
    const shown = (r) => (r.runs > 0 ? r.rate : r.partialRate);
    const max = Math.max(...g.rows.map((r) => (Number.isFinite(shown(r)) ? shown(r) : 0)), 1);
    for (const r of g.rows) {
      const w = Number.isFinite(shown(r)) ? (shown(r) / max) * chartW : 0;
      parts.push(`<text x="${labelW - 6}" y="${y + barH - 4}" font-size="11" text-anchor="end">${esc(r.label)}</text>`);
      if (w > 0) {
        parts.push(`<rect x="${labelW}" y="${y}" width="${w.toFixed(1)}" height="${barH}" fill="${colors[r.family]}"${r.guarantee === 'eos' ? ' fill-opacity="0.6"' : ''}/>`);
        parts.push(`<text x="${labelW + w + 4}" y="${y + barH - 4}" font-size="11">${r.runs > 0 ? '' : '≈'}${fmt(shown(r))}${Number.isFinite(r.vsJava) ? ` (${fmt(r.vsJava, 2)}× Java)` : ''}${r.runs > 0 ? '' : ' partial'}</text>`);
      } else {
        parts.push(`<text x="${labelW + 4}" y="${y + barH - 4}" font-size="11" fill="#a00">not measured (see peers.md)</text>`);
      }
      y += barH + gap;
    }
  }
  y += 10;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${y}" font-family="sans-serif">\n<rect width="100%" height="100%" fill="white"/>\n${parts.join('\n')}\n</svg>\n`;
}

// ------------------------------------------------------------------------------------------------

async function main() {
  const skipped = new Map();
  const setups = new Map();
  for (const peer of PEERS) {
    const shared = PEERS.find((p) => p.family === peer.family && setups.has(p.id));
    if (shared) {
      setups.set(peer.id, setups.get(shared.id));
      continue;
    }
    if ([...skipped.keys()].some((id) => PEERS.find((p) => p.id === id).family === peer.family)) {
      skipped.set(peer.id, skipped.get(PEERS.find((p) => p.family === peer.family && skipped.has(p.id)).id));
      continue;
    }
    try {
      setups.set(peer.id, peer.setup());
    } catch (e) {
      log(`${peer.label}: cannot be set up here: ${e.message}`);
      skipped.set(peer.id, `cannot be installed/built here: ${e.message}`);
    }
  }
  const results = [];
  const meta = { date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'), machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB`, brokers: {}, commit: '' };
  try {
    meta.commit = execFileSync('git', ['-C', REPO, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    meta.commit = 'unknown';
  }
  const loadBefore = loadAverage1();
  for (const brokerName of BROKERS) {
    const broker = await startBroker(brokerName);
    meta.brokers[brokerName] = broker.label;
    const { Kafka, logLevel } = loadKafkajs();
    const kafka = new Kafka({ clientId: 'bench-peers', brokers: [broker.address], logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    try {
      await admin.connect();
      const input = `peers-input-${Date.now().toString(36)}`;
      await admin.createTopics({ waitForLeaders: true, topics: [{ topic: input, numPartitions: PARTITIONS }] });
      const t0 = Date.now();
      await feed(kafka, input, LINES);
      log(`${broker.label} at ${broker.address}: ${LINES} lines fed into ${input} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      const ctx = { broker, kafka, admin, input, setups };
      for (let rep = 1; rep <= REPS; rep++) {
        for (const kind of KINDS) {
          for (const peer of PEERS.filter((p) => p.pipelines.includes(kind) && !skipped.has(p.id) && (!isSlow(p, kind) || rep <= SLOW_REPS))) {
            const r = await runOnce(peer, kind, ctx, rep);
            results.push(r);
            log(
              r.error
                ? `${brokerName} rep ${rep} ${kind} ${peer.id}: FAILED: ${r.error}${Number.isFinite(r.partialRate) ? ` (partial rate ${fmt(r.partialRate)}/s)` : ''}`
                : `${brokerName} rep ${rep} ${kind} ${peer.id}: ${fmt(r.rate)} ${kind === 'map' ? 'records' : 'words'}/s in ${r.seconds.toFixed(1)} s, ${fmt(r.cpuPerMillion, 2)} CPU s/1M, ${fmt(r.peakRssMb)} MB; other load ${fmt(r.otherCores, 2)} cores, loadavg ${r.loadAvg1}`,
            );
          }
        }
      }
    } finally {
      await admin.disconnect().catch(() => {});
      await broker.close();
    }
  }
  const rows = summarize(results, skipped);
  const others = results.filter((r) => !r.error).map((r) => r.otherCores);
  meta.loadNote =
    `this ${os.cpus().length}-core machine was shared with other work during the run (1-minute load average ${loadBefore} at the start, ` +
    `${fmt(Math.min(...results.filter((r) => !r.error).map((r) => r.loadAvg1)), 2)}–${fmt(Math.max(...results.filter((r) => !r.error).map((r) => r.loadAvg1)), 2)} at the end of the runs; ` +
    `CPU used by other processes during the runs: median ${fmt(median(others), 2)}, max ${fmt(Math.max(...others), 2)} cores). Figures are for comparison within this table only.`;
  fs.mkdirSync(OUT, { recursive: true });
  const md = markdown(rows, meta);
  fs.writeFileSync(path.join(OUT, 'peers.md'), md);
  fs.writeFileSync(path.join(OUT, 'peers.svg'), svg(rows));
  const json = JSON.stringify({ meta: { ...meta, lines: LINES, reps: REPS, smoke: SMOKE }, rows, runs: results }, null, 2);
  fs.writeFileSync(path.join(OUT, 'peers.json'), json);
  if (args.json) fs.writeFileSync(args.json, json);
  process.stdout.write(md);
  log(`written to ${path.join(OUT, 'peers.md')}, peers.svg and peers.json`);
  process.exit(0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
