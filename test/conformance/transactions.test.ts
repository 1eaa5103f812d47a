/**
 * Conformance: transactions as kafkajs 2.2.4 drives them (EOS v1: InitProducerId/AddPartitions/
 * TxnOffsetCommit v1/EndTxn v1). read_committed sees exactly the committed records, read_uncommitted
 * sees aborted ones too, the LSO holds committed readers back while a transaction is open, offsets
 * sent in a transaction count only on commit, and a second producer with the same transactionalId
 * fences the first.
 */
import type { Kafka, Producer } from 'kafkajs';

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

jest.setTimeout(90_000);

let broker: TestBroker;
let kafka: Kafka;

beforeAll(async () => {
  broker = await startTestBroker();
  kafka = createKafka(broker.bootstrapServers);
});

afterAll(async () => {
  await broker?.close();
});

function transactionalProducer(transactionalId: string): Producer {
  return kafka.producer({
    createPartitioner: defaultPartitioner,
    transactionalId,
    idempotent: true,
    maxInFlightRequests: 1,
    retry: { initialRetryTime: 50, maxRetryTime: 1000, retries: 10 },
  });
}

const keyed = (prefix: string, n: number) =>
  Array.from({ length: n }, (_, i) => ({ key: `${prefix}-${i}`, value: `${prefix}-value-${i}` }));

describe('transactions', () => {
  test('read_committed sees exactly the committed records; read_uncommitted sees aborted ones too', async () => {
    const topic = uniqueName('txn');
    await createTopic(kafka, topic, 3);
    const producer = transactionalProducer(uniqueName('txn-id'));
    const plain = kafka.producer({ createPartitioner: defaultPartitioner, idempotent: true, maxInFlightRequests: 1 });
    await Promise.all([producer.connect(), plain.connect()]);
    const committed: string[] = [];
    const aborted: string[] = [];
    try {
      for (let round = 0; round < 6; round++) {
        const commit = round % 2 === 0;
        const messages = keyed(`r${round}`, 30);
        const txn = await producer.transaction();
        await txn.send({ topic, messages: messages.slice(0, 15) });
        // Non-transactional records land between the transaction's batches: always visible.
        const between = keyed(`plain${round}`, 3);
        await plain.send({ topic, acks: -1, messages: between });
        committed.push(...between.map((m) => m.value));
        await txn.send({ topic, messages: messages.slice(15) });
        if (commit) await txn.commit();
        else await txn.abort();
        (commit ? committed : aborted).push(...messages.map((m) => m.value));
      }
    } finally {
      await Promise.all([producer.disconnect(), plain.disconnect()]);
    }

    const readCommitted = await drainTopic(kafka, topic);
    expect(readCommitted.map((r) => r.value).sort()).toEqual([...committed].sort());

    const readUncommitted = await drainTopic(kafka, topic, { readUncommitted: true });
    expect(readUncommitted.map((r) => r.value).sort()).toEqual([...committed, ...aborted].sort());

    // Markers take offsets: 6 transactions, each with 1 marker per partition it touched.
    await withAdmin(kafka, async (admin) => {
      const offsets = await admin.fetchTopicOffsets(topic);
      const total = offsets.reduce((sum, o) => sum + Number(o.high), 0);
      // records + markers + the two drain sentinels per partition
      expect(total).toBe(committed.length + aborted.length + 6 * 3 + 2 * 3);
    });
  });

  test('two producers interleaving on one partition: aborted ranges hide only the aborting producer', async () => {
    const topic = uniqueName('txn-interleave');
    await createTopic(kafka, topic, 1);
    const committer = transactionalProducer(uniqueName('txn-commit'));
    const aborter = transactionalProducer(uniqueName('txn-abort'));
    await Promise.all([committer.connect(), aborter.connect()]);
    const expected: string[] = [];
    try {
      for (let round = 0; round < 4; round++) {
        const keep = await committer.transaction();
        const drop = await aborter.transaction();
        for (let i = 0; i < 5; i++) {
          await keep.send({ topic, messages: [{ value: `keep-${round}-${i}` }] });
          await drop.send({ topic, messages: [{ value: `drop-${round}-${i}` }] });
          expected.push(`keep-${round}-${i}`);
        }
        // Alternate which one ends first, so aborted ranges both enclose and precede committed data.
        if (round % 2 === 0) {
          await drop.abort();
          await keep.commit();
        } else {
          await keep.commit();
          await drop.abort();
        }
      }
    } finally {
      await Promise.all([committer.disconnect(), aborter.disconnect()]);
    }
    // Small fetches: the aborted-transaction list must be right for every fetch window, not only one.
    const consumer = kafka.consumer({ ...fastConsumerConfig(uniqueName('interleave-rc')), maxBytesPerPartition: 200, maxBytes: 200 });
    const seen: string[] = [];
    try {
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({ eachMessage: async ({ message }) => void seen.push(message.value!.toString()) });
      await waitFor(() => seen.length >= expected.length, 30_000, { description: 'committed records' });
    } finally {
      await consumer.disconnect();
    }
    expect(seen).toEqual(expected);
    const everything = await drainTopic(kafka, topic, { readUncommitted: true });
    expect(everything).toHaveLength(40);
  });

  test('an open transaction holds read_committed consumers at the LSO until it commits', async () => {
    const topic = uniqueName('lso');
    await createTopic(kafka, topic, 1);
    const plain = kafka.producer({ createPartitioner: defaultPartitioner });
    const txnProducer = transactionalProducer(uniqueName('lso-id'));
    await Promise.all([plain.connect(), txnProducer.connect()]);

    const committedView: ConsumedRecord[] = [];
    const uncommittedView: ConsumedRecord[] = [];
    let committedFetches = 0;
    const committedConsumer = kafka.consumer(fastConsumerConfig(uniqueName('lso-rc')));
    const uncommittedConsumer = kafka.consumer(fastConsumerConfig(uniqueName('lso-ru'), true));
    committedConsumer.on(committedConsumer.events.FETCH, () => {
      committedFetches += 1;
    });
    try {
      await plain.send({ topic, acks: -1, messages: [{ key: 'a', value: 'before' }] });
      const txn = await txnProducer.transaction();
      await txn.send({ topic, messages: [{ key: 'b', value: 'in-txn' }] });
      await plain.send({ topic, acks: -1, messages: [{ key: 'c', value: 'after' }] });

      for (const [consumer, sink] of [
        [committedConsumer, committedView],
        [uncommittedConsumer, uncommittedView],
      ] as const) {
        await consumer.connect();
        await consumer.subscribe({ topic, fromBeginning: true });
        await consumer.run({ eachMessage: async ({ partition, message }) => void sink.push(toRecord(partition, message)) });
      }

      await waitFor(() => uncommittedView.length === 3, 30_000, { description: 'read_uncommitted sees all 3' });
      expect(uncommittedView.map((r) => r.value)).toEqual(['before', 'in-txn', 'after']);
      await waitFor(() => committedView.length >= 1, 30_000, { description: 'read_committed sees the first' });
      // Let the committed consumer poll several more times: it must stay at the LSO.
      const fetchesSoFar = committedFetches;
      await waitFor(() => committedFetches >= fetchesSoFar + 4, 30_000, { description: 'more fetches' });
      expect(committedView.map((r) => r.value)).toEqual(['before']);

      await txn.commit();
      await waitFor(() => committedView.length === 3, 30_000, { description: 'read_committed after commit' });
      expect(committedView.map((r) => r.value)).toEqual(['before', 'in-txn', 'after']);
      // The record after the transaction kept its offset; the marker sits after it.
      expect(committedView.map((r) => r.offset)).toEqual([0, 1, 2]);
    } finally {
      await Promise.all([committedConsumer.disconnect(), uncommittedConsumer.disconnect()]);
      await Promise.all([plain.disconnect(), txnProducer.disconnect()]);
    }
  });

  test('"latest" is the LSO for read_committed and the high watermark for read_uncommitted', async () => {
    const topic = uniqueName('latest');
    await createTopic(kafka, topic, 1);
    const plain = kafka.producer({ createPartitioner: defaultPartitioner });
    const txnProducer = transactionalProducer(uniqueName('latest-id'));
    await Promise.all([plain.connect(), txnProducer.connect()]);
    const views = { committed: [] as string[], uncommitted: [] as string[] };
    const committedConsumer = kafka.consumer(fastConsumerConfig(uniqueName('latest-rc')));
    const uncommittedConsumer = kafka.consumer(fastConsumerConfig(uniqueName('latest-ru'), true));
    const joined = { committed: false, uncommitted: false };
    try {
      await plain.send({ topic, acks: -1, messages: [{ value: 'a' }] }); // offset 0
      const txn = await txnProducer.transaction();
      await txn.send({ topic, messages: [{ value: 'b' }] }); // offset 1: LSO stays here
      await plain.send({ topic, acks: -1, messages: [{ value: 'c' }] }); // offset 2, high watermark 3

      for (const [name, consumer] of [
        ['committed', committedConsumer],
        ['uncommitted', uncommittedConsumer],
      ] as const) {
        consumer.on(consumer.events.GROUP_JOIN, () => {
          joined[name] = true;
        });
        await consumer.connect();
        await consumer.subscribe({ topic, fromBeginning: false }); // no committed offset: start at "latest"
        await consumer.run({ eachMessage: async ({ message }) => void views[name].push(message.value!.toString()) });
      }
      await waitFor(() => joined.committed && joined.uncommitted, 30_000, { description: 'both consumers joined' });
      await txn.commit();
      await plain.send({ topic, acks: -1, messages: [{ value: 'd' }] });
      await waitFor(() => views.committed.includes('d') && views.uncommitted.includes('d'), 30_000, {
        description: 'both consumers read the record produced last',
      });
    } finally {
      await Promise.all([committedConsumer.disconnect(), uncommittedConsumer.disconnect()]);
      await Promise.all([plain.disconnect(), txnProducer.disconnect()]);
    }
    // read_committed started at the LSO (1), read_uncommitted at the high watermark (3).
    expect(views.committed).toEqual(['b', 'c', 'd']);
    expect(views.uncommitted).toEqual(['d']);
  });

  test('offsets sent in a transaction are committed with it, and dropped when it aborts', async () => {
    const topic = uniqueName('txn-offsets');
    await createTopic(kafka, topic, 2);
    const groupId = uniqueName('txn-group');
    const producer = transactionalProducer(uniqueName('offsets-id'));
    await producer.connect();
    try {
      const first = await producer.transaction();
      await first.send({ topic, messages: [{ partition: 0, value: 'x' }] });
      await first.sendOffsets({
        consumerGroupId: groupId,
        topics: [{ topic, partitions: [{ partition: 0, offset: '42' }, { partition: 1, offset: '7' }] }],
      });
      await first.commit();

      const second = await producer.transaction();
      await second.send({ topic, messages: [{ partition: 1, value: 'y' }] });
      await second.sendOffsets({
        consumerGroupId: groupId,
        topics: [{ topic, partitions: [{ partition: 0, offset: '99' }, { partition: 1, offset: '99' }] }],
      });
      await second.abort();
    } finally {
      await producer.disconnect();
    }
    const offsets = await withAdmin(kafka, (admin) => admin.fetchOffsets({ groupId, topics: [topic] }));
    const partitions = offsets[0]!.partitions.map((p) => [p.partition, p.offset]).sort();
    expect(partitions).toEqual([
      [0, '42'],
      [1, '7'],
    ]);
  });

  test('a new producer with the same transactionalId fences the old one (zombie fencing)', async () => {
    const topic = uniqueName('fence');
    await createTopic(kafka, topic, 1);
    const transactionalId = uniqueName('fence-id');
    const zombie = transactionalProducer(transactionalId);
    const successor = transactionalProducer(transactionalId);
    await zombie.connect();
    try {
      const zombieTxn = await zombie.transaction();
      await zombieTxn.send({ topic, messages: [{ key: 'z', value: 'from-zombie' }] });

      // InitProducerId for the same id bumps the epoch and aborts the zombie's open transaction.
      await successor.connect();
      const txn = await successor.transaction();
      await txn.send({ topic, messages: [{ key: 's', value: 'from-successor' }] });
      await txn.commit();

      const failure = await zombieTxn.commit().then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(failure).toBeInstanceOf(Error);
      // kafkajs knows no PRODUCER_FENCED (90); at EndTxn v1 Kafka answers INVALID_PRODUCER_EPOCH (47).
      expect((failure as { type?: string }).type).toBe('INVALID_PRODUCER_EPOCH');
    } finally {
      await Promise.allSettled([zombie.disconnect(), successor.disconnect()]);
    }

    const committed = await drainTopic(kafka, topic);
    expect(committed.map((r) => r.value)).toEqual(['from-successor']);
    const all = await drainTopic(kafka, topic, { readUncommitted: true });
    expect(all.map((r) => r.value)).toEqual(['from-zombie', 'from-successor']);
  });

  test('a transaction timeout above transaction.max.timeout.ms is refused (INVALID_TRANSACTION_TIMEOUT)', async () => {
    const producer = kafka.producer({
      createPartitioner: defaultPartitioner,
      transactionalId: uniqueName('too-long'),
      idempotent: true,
      maxInFlightRequests: 1,
      transactionTimeout: 900_001, // Kafka's default maximum is 900000 (15 minutes)
      retry: { retries: 1, initialRetryTime: 50 },
    });
    await producer.connect();
    try {
      const failure = await producer.transaction().then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(kafkaErrorTypes(failure)).toContain('INVALID_TRANSACTION_TIMEOUT');
    } finally {
      await producer.disconnect();
    }
  });

  test('a fenced producer cannot send in a new transaction either', async () => {
    const topic = uniqueName('fence-send');
    await createTopic(kafka, topic, 1);
    const transactionalId = uniqueName('fence-send-id');
    const zombie = transactionalProducer(transactionalId);
    const successor = transactionalProducer(transactionalId);
    try {
      await zombie.connect();
      const warmup = await zombie.transaction();
      await warmup.send({ topic, messages: [{ value: 'zombie-committed' }] });
      await warmup.commit();

      await successor.connect();
      const fence = await successor.transaction();
      await fence.abort(); // nothing added: kafkajs sends no EndTxn, but InitProducerId already bumped the epoch

      const zombieTxn = await zombie.transaction();
      const failure = await zombieTxn.send({ topic, messages: [{ value: 'zombie-late' }] }).then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(failure).toBeInstanceOf(Error);
      // AddPartitionsToTxn v1 with the old epoch: INVALID_PRODUCER_EPOCH (47), not retried.
      expect((failure as { type?: string }).type).toBe('INVALID_PRODUCER_EPOCH');
    } finally {
      await Promise.allSettled([zombie.disconnect(), successor.disconnect()]);
    }
    const committed = await drainTopic(kafka, topic);
    expect(committed.map((r) => r.value)).toEqual(['zombie-committed']);
  });
});
