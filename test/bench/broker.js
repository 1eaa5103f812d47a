// Broker throughput through kafkajs 2.2.4: produce and consume records/s and MB/s against the bundled
// broker (its CLI in a child process, so client and broker do not share one event loop, as with a real
// Kafka) and, when KAFKA_BOOTSTRAP=host:port is set, against real Kafka with the same data in the same
// run, with the bundled/kafka ratio.
// Run: npx turbo run build --filter=@kstreams/broker && node test/bench/broker.js [--records=200000] [--bytes=100] [--batch=1000] [--rounds=1]
// With --rounds=N each broker runs N times, interleaved, and the best round is reported (shared machines are noisy).
'use strict';

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const readline = require('node:readline');
const { Kafka, logLevel } = require('kafkajs');

const args = Object.fromEntries(
  process.argv.slice(2).map((a) => {
    const [k, v] = a.replace(/^--/, '').split('=');
    return [k, Number(v)];
  }),
);
const RECORDS = args.records || 200_000;
const VALUE_BYTES = args.bytes || 100;
const BATCH = args.batch || 1000;
const PARTITIONS = args.partitions || 3;
const ROUNDS = args.rounds || 1;
const CLI = path.join(__dirname, '..', '..', 'packages', 'broker', 'dist', 'cli.js');

process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';

function startBundled() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kstreams-bench-'));
  const child = spawn(process.execPath, [CLI, 'start', '--port', '0', '--data-dir', dataDir, '--log-level', 'warn'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout });
    const timer = setTimeout(() => reject(new Error('bundled broker did not start within 30 s')), 30_000);
    lines.on('line', (line) => {
      if (!/^\S+:\d+$/.test(line.trim())) return;
      clearTimeout(timer);
      resolve({
        address: line.trim(),
        stop: async () => {
          const exited = new Promise((r) => child.once('exit', r));
          child.kill('SIGTERM');
          await exited;
          fs.rmSync(dataDir, { recursive: true, force: true });
        },
      });
    });
    child.once('exit', (code) => reject(new Error(`bundled broker exited with ${code}`)));
  });
}

function makeBatches() {
  const value = Buffer.alloc(VALUE_BYTES, 'x');
  const batches = [];
  for (let i = 0; i < RECORDS; i += BATCH) {
    const messages = [];
    for (let j = i; j < Math.min(RECORDS, i + BATCH); j++) messages.push({ key: `key-${j % 1000}`, value });
    batches.push(messages);
  }
  return batches;
}

async function run(label, address, batches) {
  const kafka = new Kafka({ clientId: 'bench', brokers: [address], logLevel: logLevel.NOTHING });
  const topic = `bench-${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: PARTITIONS, replicationFactor: 1 }] });

  const producer = kafka.producer();
  await producer.connect();
  const p0 = process.hrtime.bigint();
  for (const messages of batches) await producer.send({ topic, acks: -1, messages });
  const produceMs = Number(process.hrtime.bigint() - p0) / 1e6;
  await producer.disconnect();

  const consumer = kafka.consumer({ groupId: `${topic}-g`, maxBytes: 10 * 1024 * 1024 });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  let consumed = 0;
  let c0 = 0n;
  const done = new Promise((resolve) => {
    consumer.run({
      eachBatch: async ({ batch }) => {
        if (c0 === 0n) c0 = process.hrtime.bigint();
        consumed += batch.messages.length;
        if (consumed >= RECORDS) resolve();
      },
    });
  });
  const deadline = setTimeout(() => {
    console.error(`${label}: consumed only ${consumed}/${RECORDS} within 300 s`);
    process.exit(1);
  }, 300_000);
  await done;
  clearTimeout(deadline);
  const consumeMs = Number(process.hrtime.bigint() - c0) / 1e6;
  await consumer.disconnect();
  await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
  await admin.disconnect();
  const mb = (RECORDS * (VALUE_BYTES + 7)) / 1e6;
  return {
    label,
    produceRps: RECORDS / (produceMs / 1000),
    produceMBps: mb / (produceMs / 1000),
    consumeRps: RECORDS / (consumeMs / 1000),
    consumeMBps: mb / (consumeMs / 1000),
  };
}

function fmt(n) {
  return n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(1);
}

async function main() {
  const batches = makeBatches();
  console.log(
    `broker bench: ${RECORDS.toLocaleString('en-US')} records of ${VALUE_BYTES} B values, ${BATCH} per send, ${PARTITIONS} partitions, kafkajs 2.2.4, best of ${ROUNDS} round(s)`,
  );
  const best = new Map();
  const keep = (r) => {
    const prev = best.get(r.label);
    best.set(r.label, prev ? { ...r, produceRps: Math.max(prev.produceRps, r.produceRps), produceMBps: Math.max(prev.produceMBps, r.produceMBps), consumeRps: Math.max(prev.consumeRps, r.consumeRps), consumeMBps: Math.max(prev.consumeMBps, r.consumeMBps) } : r);
  };
  const bundled = await startBundled();
  try {
    for (let round = 0; round < ROUNDS; round++) {
      keep(await run('bundled', bundled.address, batches));
      if (process.env.KAFKA_BOOTSTRAP) {
        const label = `kafka (${process.env.KAFKA_BOOTSTRAP})`;
        try {
          keep(await run(label, process.env.KAFKA_BOOTSTRAP, batches));
        } catch (e) {
          console.error(`${label} round ${round + 1} failed: ${e.message}`);
        }
      }
    }
  } finally {
    await bundled.stop();
  }
  const results = [...best.values()];
  console.log('broker                      produce rec/s   produce MB/s   consume rec/s   consume MB/s');
  for (const r of results) {
    console.log(
      `${r.label.padEnd(26)} ${fmt(r.produceRps).padStart(14)} ${fmt(r.produceMBps).padStart(14)} ${fmt(r.consumeRps).padStart(15)} ${fmt(r.consumeMBps).padStart(14)}`,
    );
  }
  if (results.length === 2) {
    const [b, k] = results;
    console.log(`ratio bundled/kafka: produce ${(b.produceRps / k.produceRps).toFixed(2)}x, consume ${(b.consumeRps / k.consumeRps).toFixed(2)}x`);
  } else if (process.env.KAFKA_BOOTSTRAP) {
    console.log(`(no successful run against ${process.env.KAFKA_BOOTSTRAP}: no ratio)`);
  } else {
    console.log('(set KAFKA_BOOTSTRAP=host:port to compare with real Kafka in the same run)');
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
