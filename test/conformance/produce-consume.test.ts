/**
 * Conformance: keyed produce and consume across partitions, as kafkajs sees it. Keys land where
 * kafkajs's default (murmur2) partitioner puts them, offsets are dense from 0 per partition, and a
 * consumer reads every record back once, in produce order within each partition.
 */
import { CompressionTypes, type Kafka } from 'kafkajs';

import { startTestBroker, type TestBroker } from '../support/broker';
import {
  createKafka,
  createTopic,
  defaultPartitioner,
  drainTopic,
  fastConsumerConfig,
  kafkaErrorTypes,
  toRecord,
  withAdmin,
  type ConsumedRecord,
} from '../support/kafka-client';
import { uniqueName } from '../support/unique-name';
import { waitFor } from '../support/wait-for';

jest.setTimeout(60_000);

let broker: TestBroker;
let kafka: Kafka;

beforeAll(async () => {
  broker = await startTestBroker();
  kafka = createKafka(broker.bootstrapServers);
});

afterAll(async () => {
  await broker?.close();
});

describe('produce and consume', () => {
  test('keys go to the partitions the default partitioner picks, in order, offsets dense', async () => {
    const topic = uniqueName('keyed');
    const partitionCount = 4;
    await createTopic(kafka, topic, partitionCount);

    // Idempotent, as Java producers are by default: a retried request (kafkajs resends the whole
    // request when any partition in it fails) must not duplicate the partitions that succeeded.
    const producer = kafka.producer({ createPartitioner: defaultPartitioner, idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const sent: { key: string; value: string }[] = [];
    const acked: { partition: number; baseOffset: number }[] = [];
    try {
      // 10 sends of 50 records over 40 distinct keys: several batches per partition.
      for (let batch = 0; batch < 10; batch++) {
        const messages = Array.from({ length: 50 }, (_, i) => {
          const n = batch * 50 + i;
          return { key: `key-${n % 40}`, value: `value-${n}` };
        });
        sent.push(...messages);
        const metadata = await producer.send({ topic, acks: -1, messages });
        for (const m of metadata) {
          expect(m.errorCode).toBe(0);
          acked.push({ partition: m.partition, baseOffset: Number(m.baseOffset) });
        }
      }
    } finally {
      await producer.disconnect();
    }

    // The oracle: kafkajs's own partitioner over the broker's partition metadata.
    const partitionMetadata = await withAdmin(kafka, async (admin) => {
      const meta = await admin.fetchTopicMetadata({ topics: [topic] });
      return meta.topics[0]!.partitions;
    });
    expect(partitionMetadata.map((p) => p.partitionId).sort()).toEqual([0, 1, 2, 3]);
    const partitionFor = defaultPartitioner();
    const expectedPartition = new Map<string, number>();
    for (let k = 0; k < 40; k++) {
      const key = `key-${k}`;
      expectedPartition.set(key, partitionFor({ topic, partitionMetadata, message: { key, value: null } }));
    }
    // 40 keys over 4 partitions: every partition gets some (guards against a degenerate oracle).
    expect(new Set(expectedPartition.values()).size).toBe(partitionCount);

    const records = await drainTopic(kafka, topic);
    expect(records).toHaveLength(sent.length);

    for (const record of records) {
      expect(record.partition).toBe(expectedPartition.get(record.key!));
    }
    for (let partition = 0; partition < partitionCount; partition++) {
      const inPartition = records.filter((r) => r.partition === partition);
      // Dense offsets from 0 (no transactions here, so no markers).
      expect(inPartition.map((r) => r.offset)).toEqual(inPartition.map((_, i) => i));
      // Produce order preserved within the partition.
      const expectedValues = sent.filter((m) => expectedPartition.get(m.key) === partition).map((m) => m.value);
      expect(inPartition.map((r) => r.value)).toEqual(expectedValues);
    }
    // Every acknowledged base offset is where a record of that partition starts a send.
    for (const ack of acked) {
      expect(records.some((r) => r.partition === ack.partition && r.offset === ack.baseOffset)).toBe(true);
    }
  });

  test('null keys and values, headers and timestamps round-trip', async () => {
    const topic = uniqueName('fields');
    await createTopic(kafka, topic, 1);
    const producer = kafka.producer({ createPartitioner: defaultPartitioner });
    await producer.connect();
    const timestamp = Date.UTC(2024, 0, 2, 3, 4, 5, 678);
    try {
      await producer.send({
        topic,
        acks: -1,
        messages: [
          { key: null, value: 'no key', timestamp: String(timestamp) },
          { key: 'tombstone', value: null, timestamp: String(timestamp + 1) },
          { key: 'h', value: 'with headers', headers: { a: '1', b: Buffer.from('two') }, timestamp: String(timestamp + 2) },
          { key: 'big', value: 'x'.repeat(200_000), timestamp: String(timestamp + 3) },
        ],
      });
    } finally {
      await producer.disconnect();
    }
    const records = await drainTopic(kafka, topic);
    expect(records.map((r) => [r.key, r.value === null ? null : r.value.slice(0, 12), r.timestamp])).toEqual([
      [null, 'no key', timestamp],
      ['tombstone', null, timestamp + 1],
      ['h', 'with headers', timestamp + 2],
      ['big', 'xxxxxxxxxxxx', timestamp + 3],
    ]);
    expect(records[2]!.headers).toEqual({ a: '1', b: 'two' });
    expect(records[3]!.value).toHaveLength(200_000);
  });

  test('producing to a missing topic auto-creates it with the default partition count', async () => {
    const topic = uniqueName('autocreate');
    const producer = kafka.producer({ createPartitioner: defaultPartitioner, allowAutoTopicCreation: true });
    await producer.connect();
    try {
      const [meta] = await producer.send({ topic, acks: -1, messages: [{ key: 'k', value: 'v' }] });
      expect(meta?.errorCode).toBe(0);
    } finally {
      await producer.disconnect();
    }
    const partitions = await withAdmin(kafka, async (admin) => {
      const meta = await admin.fetchTopicMetadata({ topics: [topic] });
      return meta.topics[0]!.partitions.length;
    });
    expect(partitions).toBe(1); // num.partitions defaults to 1
    const records = await drainTopic(kafka, topic);
    expect(records.map((r) => [r.key, r.value])).toEqual([['k', 'v']]);
  });

  test('ListOffsets: earliest, latest and by timestamp', async () => {
    const topic = uniqueName('offsets');
    await createTopic(kafka, topic, 2);
    const producer = kafka.producer({ createPartitioner: defaultPartitioner });
    await producer.connect();
    const base = Date.UTC(2024, 5, 1);
    try {
      await producer.send({
        topic,
        acks: -1,
        messages: Array.from({ length: 10 }, (_, i) => ({ partition: 1, value: `v${i}`, timestamp: String(base + i * 1000) })),
      });
    } finally {
      await producer.disconnect();
    }
    await withAdmin(kafka, async (admin) => {
      const offsets = await admin.fetchTopicOffsets(topic);
      const byPartition = new Map(offsets.map((o) => [o.partition, o]));
      expect(byPartition.get(0)).toMatchObject({ low: '0', high: '0', offset: '0' });
      expect(byPartition.get(1)).toMatchObject({ low: '0', high: '10', offset: '10' });
      const atTime = await admin.fetchTopicOffsetsByTimestamp(topic, base + 4500);
      const p1 = atTime.find((o) => o.partition === 1);
      expect(p1?.offset).toBe('5'); // first record with timestamp >= the one asked for
    });
  });

  test('gzip-compressed batches are stored and served so that consumers read every record', async () => {
    const topic = uniqueName('gzip');
    await createTopic(kafka, topic, 1);
    const producer = kafka.producer({ createPartitioner: defaultPartitioner });
    await producer.connect();
    try {
      for (let batch = 0; batch < 3; batch++) {
        await producer.send({
          topic,
          acks: -1,
          compression: CompressionTypes.GZIP,
          messages: Array.from({ length: 100 }, (_, i) => ({ key: `k${i}`, value: `gzip-${batch}-${i}-${'z'.repeat(50)}` })),
        });
      }
    } finally {
      await producer.disconnect();
    }
    const records = await drainTopic(kafka, topic);
    expect(records.map((r) => r.offset)).toEqual(Array.from({ length: 300 }, (_, i) => i));
    expect(records.map((r) => r.value)).toEqual(
      Array.from({ length: 300 }, (_, n) => `gzip-${Math.floor(n / 100)}-${n % 100}-${'z'.repeat(50)}`),
    );
  });

  test('a consumer seeking into the middle of a batch gets exactly the records from that offset', async () => {
    const topic = uniqueName('mid-batch');
    await createTopic(kafka, topic, 1);
    const producer = kafka.producer({ createPartitioner: defaultPartitioner });
    await producer.connect();
    try {
      // One send = one batch of 10 records (offsets 0-9), then another (10-19).
      await producer.send({ topic, acks: -1, messages: Array.from({ length: 10 }, (_, i) => ({ value: `v${i}` })) });
      await producer.send({ topic, acks: -1, messages: Array.from({ length: 10 }, (_, i) => ({ value: `v${10 + i}` })) });
    } finally {
      await producer.disconnect();
    }
    const seen: ConsumedRecord[] = [];
    const consumer = kafka.consumer(fastConsumerConfig(uniqueName('mid-batch-group')));
    try {
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      let seeked = false;
      await consumer.run({
        eachMessage: async ({ partition, message }) => {
          if (seeked) seen.push(toRecord(partition, message));
        },
      });
      consumer.seek({ topic, partition: 0, offset: '7' });
      seeked = true;
      await waitFor(() => seen.some((r) => r.offset === 19), 30_000, { description: 'records after the seek' });
    } finally {
      await consumer.disconnect();
    }
    // A fetch already in flight may deliver records before the seek takes effect; the stream after
    // the seek (the last time offset 7 comes) is exactly 7..19, nothing below 7 from the first batch.
    const fromSeek = seen.slice(seen.map((r) => r.offset).lastIndexOf(7));
    expect(fromSeek.map((r) => r.value)).toEqual(Array.from({ length: 13 }, (_, i) => `v${7 + i}`));
  });

  test('a record larger than the consumer fetch size is still delivered (at least one batch per fetch)', async () => {
    const topic = uniqueName('kip74');
    await createTopic(kafka, topic, 1);
    const producer = kafka.producer({ createPartitioner: defaultPartitioner });
    await producer.connect();
    try {
      await producer.send({ topic, acks: -1, messages: [{ value: 'b'.repeat(300_000) }, { value: 'small' }] });
      await producer.send({ topic, acks: -1, messages: [{ value: 'after' }] });
    } finally {
      await producer.disconnect();
    }
    const seen: string[] = [];
    const consumer = kafka.consumer({ ...fastConsumerConfig(uniqueName('kip74-group')), maxBytesPerPartition: 1024, maxBytes: 4096 });
    try {
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({ eachMessage: async ({ message }) => void seen.push(message.value!.toString()) });
      await waitFor(() => seen.length === 3, 30_000, { description: 'all three records' });
    } finally {
      await consumer.disconnect();
    }
    expect(seen.map((v) => v.length)).toEqual([300_000, 5, 5]);
  });

  test('a batch above max.message.bytes is refused with MESSAGE_TOO_LARGE and nothing is stored', async () => {
    const topic = uniqueName('too-large');
    await createTopic(kafka, topic, 1, [{ name: 'max.message.bytes', value: '10000' }]);
    const producer = kafka.producer({ createPartitioner: defaultPartitioner, retry: { retries: 0 } });
    await producer.connect();
    try {
      const failure = await producer.send({ topic, acks: -1, messages: [{ value: 'x'.repeat(20_000) }] }).then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(kafkaErrorTypes(failure)).toContain('MESSAGE_TOO_LARGE');
      await producer.send({ topic, acks: -1, messages: [{ value: 'fits' }] });
    } finally {
      await producer.disconnect();
    }
    const records = await drainTopic(kafka, topic);
    expect(records.map((r) => [r.offset, r.value])).toEqual([[0, 'fits']]);
  });

  test('message.timestamp.type=LogAppendTime: records carry the broker append time', async () => {
    const topic = uniqueName('log-append-time');
    await createTopic(kafka, topic, 1, [{ name: 'message.timestamp.type', value: 'LogAppendTime' }]);
    const producer = kafka.producer({ createPartitioner: defaultPartitioner });
    await producer.connect();
    const before = Date.now();
    try {
      const [meta] = await producer.send({ topic, acks: -1, messages: [{ value: 'stamped', timestamp: '1000' }] });
      // Produce answers with the append time it used.
      expect(Number(meta!.logAppendTime)).toBeGreaterThanOrEqual(before - 5000);
    } finally {
      await producer.disconnect();
    }
    const [record] = await drainTopic(kafka, topic);
    expect(record!.value).toBe('stamped');
    expect(record!.timestamp).toBeGreaterThanOrEqual(before - 5000);
    expect(record!.timestamp).toBeLessThanOrEqual(Date.now() + 5000);
  });

  test('a committed offset outside [log start, end] is OFFSET_OUT_OF_RANGE: the consumer resets to earliest', async () => {
    const topic = uniqueName('out-of-range');
    await createTopic(kafka, topic, 2);
    const producer = kafka.producer({ createPartitioner: defaultPartitioner });
    await producer.connect();
    try {
      await producer.send({ topic, acks: -1, messages: Array.from({ length: 10 }, (_, i) => ({ partition: 0, value: `p0-${i}` })) });
      await producer.send({ topic, acks: -1, messages: Array.from({ length: 3 }, (_, i) => ({ partition: 1, value: `p1-${i}` })) });
    } finally {
      await producer.disconnect();
    }
    await withAdmin(kafka, async (admin) => {
      await admin.fetchTopicMetadata({ topics: [topic] });
      await admin.deleteTopicRecords({ topic, partitions: [{ partition: 0, offset: '6' }] });
    });
    // Commit offsets for the group through a transaction (instant, unlike admin.setOffsets):
    // partition 0 below its new log start (2 < 6), partition 1 beyond its end (50 > 3).
    const groupId = uniqueName('out-of-range-group');
    const txnProducer = kafka.producer({
      createPartitioner: defaultPartitioner,
      transactionalId: uniqueName('oor-offsets'),
      idempotent: true,
      maxInFlightRequests: 1,
    });
    await txnProducer.connect();
    try {
      const txn = await txnProducer.transaction();
      await txn.sendOffsets({
        consumerGroupId: groupId,
        topics: [{ topic, partitions: [{ partition: 0, offset: '2' }, { partition: 1, offset: '50' }] }],
      });
      await txn.commit();
    } finally {
      await txnProducer.disconnect();
    }
    const seen: ConsumedRecord[] = [];
    const consumer = kafka.consumer(fastConsumerConfig(groupId));
    try {
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true }); // auto.offset.reset = earliest
      await consumer.run({ eachMessage: async ({ partition, message }) => void seen.push(toRecord(partition, message)) });
      await waitFor(() => seen.length >= 7, 30_000, { description: 'records after the reset' });
    } finally {
      await consumer.disconnect();
    }
    const byPartition = (p: number) => seen.filter((r) => r.partition === p).map((r) => [r.offset, r.value]);
    expect(byPartition(0)).toEqual([6, 7, 8, 9].map((o) => [o, `p0-${o}`]));
    expect(byPartition(1)).toEqual([0, 1, 2].map((o) => [o, `p1-${o}`]));
  });
});
