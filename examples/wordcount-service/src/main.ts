/**
 * One instance of the WordCount service. Start two (or more) with different ports against one broker, then ask
 * either for any word:
 *
 *   node examples/wordcount-service/dist/main.js --bootstrap 127.0.0.1:9092 --port 7001
 *   curl localhost:7001/stores/counts/keys/kafka
 *
 * Flags: --bootstrap <host:port> (default 127.0.0.1:9092), --port <n> (default 7001), --host <name other
 * instances reach this one by> (default 127.0.0.1), --state-dir <dir> (default a temporary directory),
 * --partitions <n> (of the input topic when this instance creates it; default 4).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { INPUT_TOPIC, startWordCountService } from './service';

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1]! : fallback;
}

async function ensureInputTopic(bootstrapServers: string, partitions: number): Promise<void> {
  const admin = new Kafka({ clientId: 'wordcount-service-setup', brokers: [bootstrapServers], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const existing = await admin.listTopics();
    if (!existing.includes(INPUT_TOPIC)) await admin.createTopics({ waitForLeaders: true, topics: [{ topic: INPUT_TOPIC, numPartitions: partitions }] });
  } catch (e) {
    // another instance created it at the same moment
    if (!String(e).includes('already exists')) throw e;
  } finally {
    await admin.disconnect();
  }
}

async function main(): Promise<void> {
  const bootstrapServers = flag('bootstrap', '127.0.0.1:9092');
  const port = Number(flag('port', '7001'));
  const host = flag('host', '127.0.0.1');
  const stateDir = flag('state-dir', mkdtempSync(join(tmpdir(), `wordcount-service-${port}-`)));
  await ensureInputTopic(bootstrapServers, Number(flag('partitions', '4')));
  const service = await startWordCountService({ bootstrapServers, port, host, stateDir });
  console.log(`wordcount-service answering on http://${host}:${port} (state in ${stateDir})`);
  console.log(`  curl ${host}:${port}/stores/counts/keys/kafka`);
  console.log(`  curl -N ${host}:${port}/stores/counts/changes`);
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    void service.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
