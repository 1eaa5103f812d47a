/**
 * A foreign-key table-table join through KafkaStreams on a broker (bundled by default; KSTREAMS_BROKER=kafka for
 * Apache Kafka): orders (3 partitions) joined with customers (2 partitions) by `order.customerId`. The runtime
 * creates the subscription-registration topic with the customers' partition count and the response topic with
 * the orders', responses come back to the order's partition, and customer updates, foreign-key changes and
 * deletes on both sides reach the output — with the tables' record caches on, so primary updates are sent from
 * cache flushes and still carry their partition.
 */
import type { Kafka } from 'kafkajs';
import { Consumed, KafkaStreams, Produced, Serdes, StreamsBuilder, TableJoined } from '@kstreams/streams';
import type { KTable } from '@kstreams/streams';
import { startTestBroker, type TestBroker } from '../support/broker';
import { createKafka, createTopic, defaultPartitioner } from '../support/kafka-client';
import { uniqueName } from '../support/unique-name';
import { waitFor } from '../support/wait-for';
import { tempStateDir, TopicWatcher } from './e2e-support';

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

interface Order {
  readonly customerId: string;
  readonly item: string;
}

async function produce(topic: string, records: ReadonlyArray<readonly [string, unknown]>): Promise<void> {
  const producer = kafka.producer({ createPartitioner: defaultPartitioner });
  await producer.connect();
  try {
    await producer.send({ topic, acks: -1, messages: records.map(([key, value]) => ({ key, value: value === null ? null : JSON.stringify(value) })) });
  } finally {
    await producer.disconnect();
  }
}

test('orders joined with customers by foreign key on the broker: internal topics, updates, FK changes, deletes', async () => {
  const app = uniqueName('fkjoin');
  const ordersTopic = `${app}-orders`;
  const customersTopic = `${app}-customers`;
  const output = `${app}-out`;
  await createTopic(kafka, ordersTopic, 3);
  await createTopic(kafka, customersTopic, 2);
  await createTopic(kafka, output, 1);

  const builder = new StreamsBuilder();
  const orders: KTable<string, Order> = builder.table(ordersTopic, Consumed.with(Serdes.String(), Serdes.Json<Order>()));
  const customers: KTable<string, string> = builder.table(customersTopic, Consumed.with(Serdes.String(), Serdes.Json<string>()));
  orders
    .join(customers, (o) => o.customerId, (o, name) => `${o.item} for ${name}`, TableJoined.as('orders-by-customer'))
    .toStream()
    .to(output, Produced.with(Serdes.String(), Serdes.String()));

  await produce(customersTopic, [
    ['c1', 'Ada'],
    ['c2', 'Grace'],
  ]);
  await produce(ordersTopic, [
    ['o1', { customerId: 'c1', item: 'keyboard' }],
    ['o2', { customerId: 'c2', item: 'mouse' }],
    ['o3', { customerId: 'c1', item: 'monitor' }],
    ['o4', { customerId: 'c9', item: 'cable' }],
  ]);

  const state = tempStateDir();
  const watcher = await TopicWatcher.start(kafka, output, (v) => v?.toString('utf8') ?? null);
  const streams = new KafkaStreams(builder.build(), {
    applicationId: app,
    bootstrapServers: broker.bootstrapServers,
    stateDir: state.dir,
    commitIntervalMs: 100, // record caches on (the default): primary updates reach the join from cache flushes
  });
  try {
    await streams.start();
    const current = (): { [k: string]: string | null } => Object.fromEntries(watcher.latest);
    await waitFor(() => watcher.latest.size === 3, 90_000, { description: 'the first joined orders', intervalMs: 100 });
    expect(current()).toEqual({ o1: 'keyboard for Ada', o2: 'mouse for Grace', o3: 'monitor for Ada' });

    // the runtime created the FK join's topics: registration co-partitioned with customers, response with orders
    const admin = kafka.admin();
    await admin.connect();
    try {
      const meta = await admin.fetchTopicMetadata({
        topics: [`${app}-orders-by-customer-subscription-registration-topic`, `${app}-orders-by-customer-subscription-response-topic`],
      });
      expect(Object.fromEntries(meta.topics.map((t) => [t.name, t.partitions.length]))).toEqual({
        [`${app}-orders-by-customer-subscription-registration-topic`]: 2,
        [`${app}-orders-by-customer-subscription-response-topic`]: 3,
      });
    } finally {
      await admin.disconnect();
    }

    // a customer update re-joins both its orders; a new customer completes o4
    await produce(customersTopic, [
      ['c1', 'Ada L.'],
      ['c9', 'Linus'],
    ]);
    await waitFor(() => current()['o1'] === 'keyboard for Ada L.' && current()['o3'] === 'monitor for Ada L.' && current()['o4'] === 'cable for Linus', 60_000, {
      description: 'customer updates joined',
      intervalMs: 100,
    });
    // o1 moves to c2; o2 is deleted; customer c9 is deleted
    await produce(ordersTopic, [
      ['o1', { customerId: 'c2', item: 'keyboard' }],
      ['o2', null],
    ]);
    await produce(customersTopic, [['c9', null]]);
    await waitFor(() => current()['o1'] === 'keyboard for Grace' && current()['o2'] === null && current()['o4'] === null, 60_000, {
      description: 'FK change and deletes on both sides',
      intervalMs: 100,
    });
    // after the move, c1's update reaches o3 only
    const o1Before = watcher.history.get('o1')!.length;
    await produce(customersTopic, [['c1', 'Ada Lovelace']]);
    await waitFor(() => current()['o3'] === 'monitor for Ada Lovelace', 60_000, { description: 'c1 update after the move', intervalMs: 100 });
    expect(current()['o1']).toBe('keyboard for Grace');
    expect(watcher.history.get('o1')!.length).toBe(o1Before);
  } finally {
    await streams.close();
    await watcher.stop();
    state.remove();
  }
});
