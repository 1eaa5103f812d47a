/**
 * kstreams' own producer (packages/streams/src/runtime/producer) against a real broker (the bundled one, or Kafka
 * under run-suite.sh): what it writes reads back identically through kafkajs (keys, values, nulls, headers,
 * timestamps, partitions); transactions commit and abort as read_committed consumers see them; idempotent batches
 * are accepted; `batch.size`, `linger.ms` and `max.in.flight.requests.per.connection` (batches of a partition in
 * flight at once) act; keys the producer does not act on are refused.
 */
import type { Kafka } from 'kafkajs';
import { KafkaStreams, StreamsBuilder } from '@kstreams/streams';
import { Headers } from '../../packages/streams/src/processor/headers';
import { KafkaClient } from '../../packages/streams/src/runtime/kafka-client';
import type { KafkaProducer } from '../../packages/streams/src/runtime/producer/kafka-producer';
import { startTestBroker, type TestBroker } from '../support/broker';
import { createKafka, createTopic, drainTopic } from '../support/kafka-client';
import { uniqueName } from '../support/unique-name';
import { waitFor } from '../support/wait-for';

jest.setTimeout(120_000);

let broker: TestBroker;
let kafka: Kafka;
let client: KafkaClient;

beforeAll(async () => {
  broker = await startTestBroker();
  kafka = createKafka(broker.bootstrapServers);
  client = new KafkaClient({ clientId: 'producer-test', bootstrapServers: [broker.bootstrapServers], overrides: { logLevel: 0 } });
});

afterAll(async () => {
  await client?.close();
  await broker?.close();
});

const b = (s: string): Buffer => Buffer.from(s, 'utf8');

function producer(transactionalId: string | null, overrides: Record<string, unknown> = {}): KafkaProducer {
  return client.producer({ transactionalId, overrides }) as KafkaProducer;
}

test.each([
  ['plain', null, {}],
  ['idempotent', null, { 'enable.idempotence': 'true' }],
  ['transactional', 'producer-test-txn', {}],
] as const)('%s: records read back as written, in order per partition', async (_kind, txnId, overrides) => {
  const topic = uniqueName('produce');
  await createTopic(kafka, topic, 3);
  const p = producer(txnId === null ? null : uniqueName(txnId), { 'batch.size': 2048, ...overrides });
  try {
    await p.connect();
    await p.begin();
    const headers = new Headers();
    headers.add('trace', b('t-1'));
    headers.add('empty', null);
    const expected: Array<{ partition: number; key: string | null; value: string | null; timestamp: number }> = [];
    for (let i = 0; i < 3000; i++) {
      const partition = i % 3;
      const key = i % 97 === 0 ? null : `k${i}`;
      const value = i % 89 === 0 ? null : `value ${i} ${'x'.repeat(i % 50)}`;
      const timestamp = 1_700_000_000_000 + i * 7 - (i % 5) * 1000;
      p.append(topic, partition, key === null ? null : b(key), value === null ? null : b(value), timestamp, i === 1 ? headers : null);
      expected.push({ partition, key, value, timestamp });
    }
    expect(await p.flush()).toEqual([]);
    await p.commit();
    expect(p.recordsSent).toBe(3000);
    expect(p.requestsSent).toBeGreaterThan(3); // batch.size 2 KiB: many batches, several requests
    // several batches of one partition in flight at once (max.in.flight.requests.per.connection, 5 by default)
    expect(p.peakPartitionInFlight).toBeGreaterThan(1);
    expect(p.peakPartitionInFlight).toBeLessThanOrEqual(5);
    const read = await drainTopic(kafka, topic);
    const byPartition = <T extends { partition: number }>(r: T[], n: number): T[] => r.filter((x) => x.partition === n);
    for (let n = 0; n < 3; n++) {
      expect(byPartition(read, n).map((r) => ({ partition: r.partition, key: r.key, value: r.value, timestamp: r.timestamp }))).toEqual(byPartition(expected, n));
      expect(byPartition(read, n).map((r) => r.offset)).toEqual(byPartition(read, n).map((_r, i) => i));
    }
    // a null header value stays null on the wire (length -1, as Java writes it); the support reader prints it as "null"
    expect(read.find((r) => r.value === `value 1 ${'x'}`)!.headers).toEqual({ trace: 't-1', empty: 'null' });
  } finally {
    await p.close();
  }
});

test('a transaction commits what it holds and an abort hides it from read_committed consumers', async () => {
  const topic = uniqueName('txn');
  await createTopic(kafka, topic, 2);
  const p = producer(uniqueName('producer-test-abort'));
  try {
    await p.connect();
    await p.begin();
    for (let i = 0; i < 100; i++) p.append(topic, i % 2, b(`a${i}`), b('aborted'), 1, null);
    expect(await p.flush()).toEqual([]); // sent, inside the open transaction
    await p.abort();
    await p.begin();
    for (let i = 0; i < 10; i++) p.append(topic, i % 2, b(`c${i}`), b('committed'), 1, null);
    await p.commit();
    expect(p.inTransaction).toBe(false);
    const committed = await drainTopic(kafka, topic);
    expect(committed.map((r) => r.value)).toEqual(Array(10).fill('committed'));
    const all = await drainTopic(kafka, topic, { readUncommitted: true });
    expect(all.filter((r) => r.value === 'aborted')).toHaveLength(100);
  } finally {
    await p.close();
  }
});

test('a newer producer with the same transactional id fences the older one', async () => {
  const topic = uniqueName('fence');
  await createTopic(kafka, topic, 1);
  const id = uniqueName('producer-test-fence');
  const old = producer(id);
  const young = producer(id);
  try {
    await old.connect();
    await young.connect();
    await old.begin();
    old.append(topic, 0, b('k'), b('from the fenced one'), 1, null);
    const failures = await old.flush();
    expect(failures).toHaveLength(1);
    expect((failures[0]!.error as { type?: string }).type).toMatch(/PRODUCER_FENCED|INVALID_PRODUCER_EPOCH/);
    expect(old.fatalError).not.toBeNull();
  } finally {
    await old.close();
    await young.close();
  }
});

test('linger.ms sends a batch that is not full without a flush', async () => {
  const topic = uniqueName('linger');
  await createTopic(kafka, topic, 1);
  const p = producer(null, { 'linger.ms': 20 });
  try {
    await p.connect();
    p.append(topic, 0, b('k'), b('v'), 1, null);
    await waitFor(() => p.recordsSent === 1, 30_000, { description: 'the lingering batch to be acknowledged' });
    expect(p.requestsSent).toBe(1);
  } finally {
    await p.close();
  }
});

test('batch.size bounds the records per request', async () => {
  const topic = uniqueName('batch-size');
  await createTopic(kafka, topic, 1);
  const counts: number[] = [];
  for (const size of [16_384, 512]) {
    const p = producer(null, { 'batch.size': size, 'max.in.flight.requests.per.connection': 1, 'linger.ms': 60_000 });
    try {
      await p.connect();
      for (let i = 0; i < 200; i++) p.append(topic, 0, b(`key-${i}`), b(`value-${i}`), 1, null);
      expect(await p.flush()).toEqual([]);
      counts.push(p.requestsSent);
    } finally {
      await p.close();
    }
  }
  // 200 records of ~25 bytes: one 16 KiB batch, or about ten of 512 bytes (one request each, one in flight)
  expect(counts[0]).toBe(1);
  expect(counts[1]).toBeGreaterThanOrEqual(8);
});

test('max.in.flight.requests.per.connection=1 sends one batch of a partition at a time; order holds either way', async () => {
  const topic = uniqueName('inflight');
  await createTopic(kafka, topic, 1);
  const p = producer(null, { 'batch.size': 1024, 'max.in.flight.requests.per.connection': 1 });
  try {
    await p.connect();
    for (let i = 0; i < 500; i++) p.append(topic, 0, null, b(`v${i} ${'y'.repeat(40)}`), 1_700_000_000_000 + i, null);
    expect(await p.flush()).toEqual([]);
    expect(p.peakPartitionInFlight).toBe(1);
    expect(p.requestsSent).toBeGreaterThan(10);
    const read = await drainTopic(kafka, topic);
    expect(read.map((r) => r.value)).toEqual(Array.from({ length: 500 }, (_x, i) => `v${i} ${'y'.repeat(40)}`));
  } finally {
    await p.close();
  }
});

test('a producer key the producer does not act on is refused, naming it', () => {
  const builder = new StreamsBuilder();
  builder.stream('in').to('out');
  expect(() => new KafkaStreams(builder.build(), { applicationId: 'refuse', bootstrapServers: broker.bootstrapServers, 'producer.compression.type': 'lz4' })).toThrow(
    /Unsupported client setting "producer\.compression\.type"/,
  );
});
