/**
 * examples/order-enrichment end to end on a broker (bundled by default; KSTREAMS_BROKER=kafka for Apache Kafka):
 * orders joined with customers as a KTable (through a repartition topic) and as a GlobalKTable (restored before
 * processing), and with payments in a windowed stream-stream join; the output topics hold exactly the expected
 * records. Also: joining topics with different partition counts fails with Kafka Streams' co-partitioning error.
 */
import type { Kafka } from 'kafkajs';
import { ConsoleLogger, Consumed, KafkaStreams, Serdes, setLogger, StreamsBuilder, TopologyException } from '@kstreams/streams';
import { startTestBroker, type TestBroker } from '../support/broker';
import { createKafka, createTopic, defaultPartitioner } from '../support/kafka-client';
import { uniqueName } from '../support/unique-name';
import { waitFor } from '../support/wait-for';
import { tempStateDir, TopicWatcher } from './e2e-support';
import {
  globalEnrichmentTopology,
  SAMPLE,
  tableEnrichmentTopology,
  type EnrichedOrder,
  type OrderTopics,
  type PaidOrder,
} from '../../examples/order-enrichment/src/topology';

jest.setTimeout(120_000);

let broker: TestBroker;
let kafka: Kafka;

beforeAll(async () => {
  broker = await startTestBroker();
  kafka = createKafka(broker.bootstrapServers);
});

afterAll(async () => {
  await broker?.close();
});

async function produceJson(topic: string, records: ReadonlyArray<readonly [string, unknown]>, firstTimestamp: number): Promise<void> {
  const producer = kafka.producer({ createPartitioner: defaultPartitioner });
  await producer.connect();
  try {
    await producer.send({
      topic,
      acks: -1,
      messages: records.map(([key, value], i) => ({ key, value: JSON.stringify(value), timestamp: String(firstTimestamp + i) })),
    });
  } finally {
    await producer.disconnect();
  }
}

const json = (v: Buffer | null): unknown => (v === null ? null : JSON.parse(v.toString('utf8')));

const expectedEnriched: { [orderId: string]: EnrichedOrder } = {
  o1: { orderId: 'o1', customerId: 'c1', product: 'keyboard', amount: 120, customer: { name: 'Ada', tier: 'gold' } },
  o2: { orderId: 'o2', customerId: 'c2', product: 'mouse', amount: 40, customer: { name: 'Grace', tier: 'silver' } },
  o3: { orderId: 'o3', customerId: 'c9', product: 'monitor', amount: 300, customer: null },
};

test('order enrichment: KTable join (repartitioned), GlobalKTable join and orders x payments on the broker', async () => {
  const app = uniqueName('orders');
  const topics: OrderTopics = {
    orders: `${app}-orders`,
    customers: `${app}-customers`,
    payments: `${app}-payments`,
    enrichedByTable: `${app}-enriched-table`,
    enrichedByGlobal: `${app}-enriched-global`,
    paid: `${app}-paid`,
  };
  for (const t of Object.values(topics)) await createTopic(kafka, t, 2);
  // customers first, orders later in event time, payments after their orders
  const t0 = Date.now() - 60_000;
  await produceJson(topics.customers, SAMPLE.customers, t0);
  await produceJson(topics.orders, SAMPLE.orders, t0 + 10_000);
  await produceJson(topics.payments, SAMPLE.payments, t0 + 20_000);

  const state = tempStateDir();
  const watchers = await Promise.all([
    TopicWatcher.start(kafka, topics.enrichedByTable, json),
    TopicWatcher.start(kafka, topics.enrichedByGlobal, json),
    TopicWatcher.start(kafka, topics.paid, json),
  ]);
  const [byTable, byGlobal, paid] = watchers;
  const common = { bootstrapServers: broker.bootstrapServers, stateDir: state.dir, commitIntervalMs: 200, statestoreCacheMaxBytes: 0 };
  const tableApp = new KafkaStreams(tableEnrichmentTopology(topics), { ...common, applicationId: `${app}-table` });
  const globalApp = new KafkaStreams(globalEnrichmentTopology(topics), { ...common, applicationId: `${app}-global` });
  try {
    await tableApp.start();
    await globalApp.start();
    await waitFor(() => byTable!.latest.size === 3 && byGlobal!.latest.size === 3 && paid!.latest.size === 2, 90_000, {
      description: 'enriched and paid orders',
      intervalMs: 100,
    });
    expect(Object.fromEntries(byTable!.latest)).toEqual(expectedEnriched);
    expect(Object.fromEntries(byGlobal!.latest)).toEqual(expectedEnriched);
    expect(Object.fromEntries(paid!.latest)).toEqual({
      o1: { customerId: 'c1', product: 'keyboard', amount: 120, paid: 120, method: 'card' } satisfies PaidOrder,
      o2: { customerId: 'c2', product: 'mouse', amount: 40, paid: 40, method: 'cash' } satisfies PaidOrder,
    });

    // the global table keeps up: a customer written now reaches the running app's lookups
    await produceJson(topics.customers, [['c9', { name: 'Linus', tier: 'bronze' }]], Date.now());
    await waitFor(
      async () => {
        await produceJson(topics.orders, [['o4', { customerId: 'c9', product: 'cable', amount: 5 }]], Date.now());
        return (byGlobal!.latest.get('o4') as EnrichedOrder | undefined)?.customer?.name === 'Linus';
      },
      60_000,
      { description: 'an order enriched with a customer added while running', intervalMs: 500 },
    );
  } finally {
    await tableApp.close({ timeout: 10_000 });
    await globalApp.close({ timeout: 10_000 });
    for (const w of watchers) await w.stop();
    state.remove();
  }
});

test('joining topics with different partition counts fails with Kafka Streams error', async () => {
  const app = uniqueName('copart');
  await createTopic(kafka, `${app}-left`, 2);
  await createTopic(kafka, `${app}-right`, 3);
  const b = new StreamsBuilder();
  const S = Serdes.String();
  b.stream(`${app}-left`, Consumed.with(S, S))
    .join(b.table(`${app}-right`, Consumed.with(S, S)), (l, r) => `${l}${r}`)
    .to(`${app}-out`);
  const state = tempStateDir();
  const streams = new KafkaStreams(b.build(), { applicationId: app, bootstrapServers: broker.bootstrapServers, stateDir: state.dir });
  const errors: string[] = [];
  setLogger({ error: (m, e) => void errors.push(`${m} ${String(e)}`), warn: () => undefined, info: () => undefined, debug: () => undefined });
  try {
    await expect(streams.start()).rejects.toThrow(new TopologyException(`Topics not co-partitioned: [{${app}-left=2, ${app}-right=3}]`));
    expect(errors).toEqual([`Failed to start the streams client TopologyException: Invalid topology: Topics not co-partitioned: [{${app}-left=2, ${app}-right=3}]`]);
  } finally {
    setLogger(new ConsoleLogger('error'));
    await streams.close({ timeout: 10_000 });
    state.remove();
  }
});
