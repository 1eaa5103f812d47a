/**
 * Runs WordCount for real: starts the bundled Kafka-protocol broker in this process, creates the topics, feeds the
 * sample text, runs the WordCount topology with `KafkaStreams`, and prints `topology.describe()` and every count
 * update as it arrives (read back from the output topic by a second small streams app).
 *
 * It stops by itself once the sample text is fully counted when stdin is not a terminal or with `--once`.
 * On a terminal it keeps running: type more lines to count them, Ctrl-C to stop.
 *
 *   npm start                                   # from the repository root (builds first)
 *   node examples/wordcount/dist/main.js --once
 *
 * With `--bootstrap-server <host:port>` it runs only the WordCount app against that broker (started with
 * `npx kstreams-broker start`, or a real Kafka), creating its topics if missing, until Ctrl-C / SIGTERM:
 * feed it with a console producer and read the counts with a console consumer (Long values).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Kafka, Partitioners, logLevel } from 'kafkajs';
import { startBroker } from '@kstreams/broker';
import { Consumed, KafkaStreams, Serdes, State, StreamsBuilder } from '@kstreams/streams';
import { INPUT_TOPIC, OUTPUT_TOPIC, SAMPLE_LINES, wordCountTopology } from './topology';

/** The counts WordCount must reach for `lines` (the topology's own splitting rule). */
function expectedCounts(lines: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of lines) for (const w of line.toLowerCase().split(/\W+/)) if (w.length > 0) counts.set(w, (counts.get(w) ?? 0) + 1);
  return counts;
}

/** `--bootstrap-server host:port`: WordCount alone against an external broker, until a signal. */
async function runAgainst(bootstrapServers: string): Promise<void> {
  const kafka = new Kafka({ clientId: 'wordcount-demo', brokers: bootstrapServers.split(','), logLevel: logLevel.ERROR });
  const admin = kafka.admin();
  await admin.connect();
  const existing = new Set(await admin.listTopics());
  const missing = [INPUT_TOPIC, OUTPUT_TOPIC].filter((t) => !existing.has(t));
  if (missing.length > 0) await admin.createTopics({ waitForLeaders: true, topics: missing.map((topic) => ({ topic, numPartitions: 1 })) });
  await admin.disconnect();
  const stateDir = mkdtempSync(join(tmpdir(), 'kstreams-wordcount-'));
  const streams = new KafkaStreams(wordCountTopology(), { applicationId: 'streams-wordcount', bootstrapServers, stateDir, commitIntervalMs: 500 });
  const stop = (signal: string): void => {
    console.log(`\n${signal}: stopping…`);
    void streams.close({ timeout: 10_000 }).then(() => {
      rmSync(stateDir, { recursive: true, force: true });
      process.exit(0);
    });
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
  streams.setStateListener((next) => {
    if (next === State.ERROR) {
      console.error('WordCount stopped with an error');
      process.exit(1);
    }
  });
  await streams.start();
  console.log(`WordCount running against ${bootstrapServers}: ${INPUT_TOPIC} -> ${OUTPUT_TOPIC} (Ctrl-C to stop)`);
}

async function main(): Promise<void> {
  const external = process.argv.indexOf('--bootstrap-server');
  if (external >= 0) {
    const address = process.argv[external + 1];
    if (address === undefined || !/^[^,:\s]+:\d+(,[^,:\s]+:\d+)*$/.test(address)) {
      throw new Error(`--bootstrap-server needs host:port[,host:port…], got ${address === undefined ? 'nothing' : `"${address}"`}`);
    }
    return runAgainst(address);
  }
  const once = process.argv.includes('--once') || !process.stdin.isTTY;
  const workDir = mkdtempSync(join(tmpdir(), 'kstreams-wordcount-'));
  const broker = await startBroker({ host: '127.0.0.1', port: 0, dataDir: join(workDir, 'broker') });
  console.log(`Bundled broker listening on ${broker.bootstrapServers}\n`);

  const kafka = new Kafka({ clientId: 'wordcount-demo', brokers: [broker.bootstrapServers], logLevel: logLevel.ERROR });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic: INPUT_TOPIC, numPartitions: 1 }, { topic: OUTPUT_TOPIC, numPartitions: 1 }] });
  await admin.disconnect();
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();

  const topology = wordCountTopology();
  console.log(topology.describe().toString());

  const streams = new KafkaStreams(topology, {
    applicationId: 'streams-wordcount',
    bootstrapServers: broker.bootstrapServers,
    stateDir: join(workDir, 'state'),
    statestoreCacheMaxBytes: 0,
    commitIntervalMs: 500,
  });

  // A second app prints what WordCount writes, as it arrives.
  const counts = new Map<string, number>();
  const expected = expectedCounts(SAMPLE_LINES);
  let done!: () => void;
  const sampleCounted = new Promise<void>((r) => (done = r));
  const printerBuilder = new StreamsBuilder();
  printerBuilder.stream<string, number>(OUTPUT_TOPIC, Consumed.with(Serdes.String(), Serdes.Long())).foreach((word, count) => {
    console.log(`${word}\t${count}`);
    counts.set(word, count);
    if ([...expected].every(([w, n]) => (counts.get(w) ?? 0) >= n)) done();
  });
  const printer = new KafkaStreams(printerBuilder.build(), {
    applicationId: 'streams-wordcount-printer',
    bootstrapServers: broker.bootstrapServers,
    stateDir: join(workDir, 'state'),
    commitIntervalMs: 500,
  });

  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      await streams.close({ timeout: 10_000 });
      await printer.close({ timeout: 10_000 });
      await producer.disconnect();
      await broker.close();
      rmSync(workDir, { recursive: true, force: true });
    })();
    return stopping;
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      console.log('\nStopping…');
      void stop().then(() => process.exit(0));
    });
  }
  // ERROR is final: exit non-zero so a supervisor restarts the program (the README's pattern).
  const exitOnError = (app: KafkaStreams, name: string): void =>
    app.setStateListener((next) => {
      if (next !== State.ERROR) return;
      console.error(`${name} stopped with an error`);
      void stop().finally(() => process.exit(1));
    });
  exitOnError(streams, 'WordCount');
  exitOnError(printer, 'The count printer');

  await streams.start();
  await printer.start();
  console.log(`\nCounting ${SAMPLE_LINES.length} sample lines:\n`);
  await producer.send({ topic: INPUT_TOPIC, acks: -1, messages: SAMPLE_LINES.map((value) => ({ value })) });
  await sampleCounted;

  if (once) {
    console.log('\nFinal counts:');
    for (const [word, count] of [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))) console.log(`  ${word.padEnd(10)} ${count}`);
    await stop();
    return;
  }
  console.log('\nType lines to count them; Ctrl-C to stop.');
  createInterface({ input: process.stdin }).on('line', (line) => {
    void producer.send({ topic: INPUT_TOPIC, acks: -1, messages: [{ value: line }] });
  });
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
