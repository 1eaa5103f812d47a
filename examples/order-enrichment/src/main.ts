/**
 * Runs the order-enrichment example for real: starts the bundled Kafka-protocol broker in this process (or uses
 * the broker given with `--bootstrap-servers host:port`), creates the topics, feeds the sample customers, orders
 * and payments, runs both topologies with `KafkaStreams`, prints their `describe()` and every output record,
 * and exits once all expected results have arrived.
 *
 *   node examples/order-enrichment/dist/main.js
 *   node examples/order-enrichment/dist/main.js --bootstrap-servers localhost:9092
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, Partitioners, logLevel } from 'kafkajs';
import { startBroker } from '@kstreams/broker';
import { KafkaStreams } from '@kstreams/streams';
import { globalEnrichmentTopology, SAMPLE, tableEnrichmentTopology, TOPICS, type OrderTopics } from './topology';

function argument(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const workDir = mkdtempSync(join(tmpdir(), 'kstreams-orders-'));
  const given = argument('--bootstrap-servers');
  const broker = given === undefined ? await startBroker({ host: '127.0.0.1', port: 0, dataDir: join(workDir, 'broker') }) : null;
  const bootstrapServers = given ?? broker!.bootstrapServers;
  console.log(`Broker: ${bootstrapServers}\n`);

  // on a shared broker, fresh topics and application ids per run
  const suffix = given === undefined ? '' : `-${Date.now().toString(36)}`;
  const topics: OrderTopics = Object.fromEntries(Object.entries(TOPICS).map(([k, t]) => [k, t + suffix])) as unknown as OrderTopics;
  const kafka = new Kafka({ clientId: 'order-enrichment-demo', brokers: [bootstrapServers], logLevel: logLevel.ERROR });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ waitForLeaders: true, topics: Object.values(topics).map((topic) => ({ topic, numPartitions: 2 })) });
  await admin.disconnect();

  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  const t0 = Date.now() - 60_000;
  const send = (topic: string, records: ReadonlyArray<readonly [string, unknown]>, first: number): Promise<unknown> =>
    producer.send({ topic, acks: -1, messages: records.map(([key, value], i) => ({ key, value: JSON.stringify(value), timestamp: String(first + i) })) });
  await send(topics.customers, SAMPLE.customers, t0);
  await send(topics.orders, SAMPLE.orders, t0 + 10_000);
  await send(topics.payments, SAMPLE.payments, t0 + 20_000);

  // print the three output topics
  const expected = SAMPLE.orders.length * 2 + SAMPLE.payments.length;
  let seen = 0;
  let done!: () => void;
  const allSeen = new Promise<void>((r) => (done = r));
  const printer = kafka.consumer({ groupId: `order-enrichment-printer-${Date.now()}` });
  await printer.connect();
  await printer.subscribe({ topics: [topics.enrichedByTable, topics.enrichedByGlobal, topics.paid], fromBeginning: true });
  await printer.run({
    eachMessage: async ({ topic, message }) => {
      console.log(`${topic.padEnd(24)} ${message.key?.toString() ?? 'null'}  ${message.value?.toString() ?? 'null'}`);
      if (++seen >= expected) done();
    },
  });

  const state = join(workDir, 'state');
  const apps = [
    new KafkaStreams(tableEnrichmentTopology(topics), { applicationId: `order-enrichment-table${suffix}`, bootstrapServers, stateDir: state, commitIntervalMs: 200 }),
    new KafkaStreams(globalEnrichmentTopology(topics), { applicationId: `order-enrichment-global${suffix}`, bootstrapServers, stateDir: state, commitIntervalMs: 200 }),
  ];
  console.log(tableEnrichmentTopology(topics).describe().toString());
  console.log(globalEnrichmentTopology(topics).describe().toString());
  for (const app of apps) await app.start();
  await allSeen;

  for (const app of apps) await app.close({ timeout: 10_000 });
  await printer.disconnect();
  await producer.disconnect();
  await broker?.close();
  rmSync(workDir, { recursive: true, force: true });
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
