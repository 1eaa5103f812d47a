/**
 * Two more topologies end to end: a re-keying aggregation (groupBy on a new key goes through a repartition topic
 * sized from its input) and an event-time tumbling-window count, whose window store comes back from its changelog
 * after a restart on an empty state directory.
 */
import type { Kafka } from 'kafkajs';
import { Consumed, Grouped, KafkaStreams, Materialized, Produced, Serdes, StreamsBuilder, TimeWindows } from '@kstreams/streams';
import { startTestBroker, type TestBroker } from '../support/broker';
import { createKafka, createTopic, defaultPartitioner, withAdmin } from '../support/kafka-client';
import { uniqueName } from '../support/unique-name';
import { decodeLong, tempStateDir, TopicWatcher, waitForCounts } from './e2e-support';

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

async function produce(topic: string, records: ReadonlyArray<{ key: string; value: string; timestamp?: number }>): Promise<void> {
  const producer = kafka.producer({ createPartitioner: defaultPartitioner });
  await producer.connect();
  try {
    for (let i = 0; i < records.length; i += 500) {
      await producer.send({
        topic,
        acks: -1,
        messages: records.slice(i, i + 500).map((r) => ({ key: r.key, value: r.value, ...(r.timestamp === undefined ? {} : { timestamp: String(r.timestamp) }) })),
      });
    }
  } finally {
    await producer.disconnect();
  }
}

test('groupBy on a new key: sums per region through a repartition topic', async () => {
  const app = uniqueName('regions');
  const input = `${app}-orders`;
  const output = `${app}-totals`;
  await createTopic(kafka, input, 3);
  await createTopic(kafka, output, 1);
  const regions = ['emea', 'apac', 'amer', 'latam'];
  const orders: Array<{ key: string; value: string }> = [];
  const expected = new Map<string, number>();
  for (let i = 0; i < 1500; i++) {
    const region = regions[(i * 7) % regions.length]!;
    const amount = (i % 13) + 1;
    orders.push({ key: `order-${i}`, value: `${region}:${amount}` });
    expected.set(region, (expected.get(region) ?? 0) + amount);
  }
  await produce(input, orders);

  const topology = new StreamsBuilder();
  topology
    .stream<string, string>(input, Consumed.with(Serdes.String(), Serdes.String()))
    .groupBy((_orderId, value) => value.split(':')[0]!, Grouped.with('by-region', Serdes.String(), Serdes.String()))
    .aggregate(
      () => 0,
      (_region, value, total) => total + Number(value.split(':')[1]),
      Materialized.as<string, number>('region-totals').withValueSerde(Serdes.Long()),
    )
    .toStream()
    .to(output, Produced.with(Serdes.String(), Serdes.Long()));

  const state = tempStateDir();
  const streams = new KafkaStreams(topology.build(), { applicationId: app, bootstrapServers: broker.bootstrapServers, stateDir: state.dir, commitIntervalMs: 200 });
  const watcher = await TopicWatcher.start(kafka, output, decodeLong);
  try {
    await streams.start();
    await waitForCounts(watcher, expected, 60_000);
    const partitions = await withAdmin(kafka, async (admin) => (await admin.fetchTopicMetadata({ topics: [`${app}-by-region-repartition`] })).topics[0]!.partitions.length);
    expect(partitions).toBe(3);
  } finally {
    await streams.close();
    await watcher.stop();
    state.remove();
  }
});

test('tumbling event-time windows count per key and window', async () => {
  const app = uniqueName('windows');
  const input = `${app}-clicks`;
  const output = `${app}-clicks-per-minute`;
  await createTopic(kafka, input, 2);
  await createTopic(kafka, output, 1);
  const base = 1_700_000_040_000; // a minute boundary
  const users = ['ann', 'bob', 'cyd'];
  const clicks: Array<{ key: string; value: string; timestamp: number }> = [];
  const expected = new Map<string, number>();
  for (let i = 0; i < 900; i++) {
    const ts = base + i * 1000; // 15 minutes, in event-time order
    const user = users[i % users.length]!;
    clicks.push({ key: user, value: `click-${i}`, timestamp: ts });
    const start = ts - ((ts - base) % 60_000);
    const k = `${user}@${start}`;
    expected.set(k, (expected.get(k) ?? 0) + 1);
  }
  await produce(input, clicks);

  const builder = new StreamsBuilder();
  builder
    .stream<string, string>(input, Consumed.with(Serdes.String(), Serdes.String()))
    .groupByKey()
    .windowedBy(TimeWindows.ofSizeWithNoGrace(60_000))
    .count()
    .toStream()
    .map((windowed, count) => ({ key: `${windowed.key()}@${windowed.window().start()}`, value: count }))
    .to(output, Produced.with(Serdes.String(), Serdes.Long()));

  const topology = builder.build();
  const run = async (stateDir: string, until: ReadonlyMap<string, number>): Promise<void> => {
    const streams = new KafkaStreams(topology, {
      applicationId: app,
      bootstrapServers: broker.bootstrapServers,
      stateDir,
      commitIntervalMs: 200,
      defaultKeySerde: Serdes.String(),
      defaultValueSerde: Serdes.String(),
    });
    try {
      await streams.start();
      await waitForCounts(watcher, until, 60_000);
    } finally {
      await streams.close();
    }
  };
  const first = tempStateDir();
  const second = tempStateDir();
  const watcher = await TopicWatcher.start(kafka, output, decodeLong);
  try {
    await run(first.dir, expected);
    expect(watcher.latest.size).toBe(expected.size);
    // restart on an empty state directory: the window store comes back from its changelog, and late clicks
    // (still inside the last window) add to the restored counts
    const last = base + 899_000 - (899_000 % 60_000);
    const more = users.map((user, i) => ({ key: user, value: `late-${i}`, timestamp: last + 59_000 }));
    await produce(input, more);
    const after = new Map(expected);
    for (const c of more) after.set(`${c.key}@${last}`, (after.get(`${c.key}@${last}`) ?? 0) + 1);
    await run(second.dir, after);
  } finally {
    await watcher.stop();
    first.remove();
    second.remove();
  }
});
