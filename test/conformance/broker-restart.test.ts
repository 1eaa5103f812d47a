/**
 * Conformance: the broker killed with SIGKILL mid-stream and restarted on the same data. Nothing
 * the broker acknowledged is lost, clients carry on after the restart, committed offsets and
 * transactions survive, and transactions left open by the crash are aborted (by the next
 * InitProducerId for their id, or by their timeout), so read_committed consumers are not stuck.
 *
 * Restarts a shared broker, so jest must not run other files against the same broker meanwhile
 * (run-suite.sh passes --runInBand).
 */
import type { Kafka, Producer } from 'kafkajs';

import { startTestBroker, type TestBroker } from '../support/broker';
import {
  createKafka,
  createTopic,
  defaultPartitioner,
  drainTopic,
  fastConsumerConfig,
  withAdmin,
} from '../support/kafka-client';
import { uniqueName } from '../support/unique-name';
import { waitFor } from '../support/wait-for';

jest.setTimeout(180_000);

let broker: TestBroker;
let kafka: Kafka;

// Patient clients: the broker is away for a few seconds per restart.
const patientRetry = { initialRetryTime: 100, maxRetryTime: 1000, retries: 60 };

beforeAll(async () => {
  broker = await startTestBroker({ restartable: true });
  kafka = createKafka(broker.bootstrapServers, { retry: patientRetry });
});

afterAll(async () => {
  await broker?.close();
});

function transactionalProducer(transactionalId: string, transactionTimeout?: number): Producer {
  return kafka.producer({
    createPartitioner: defaultPartitioner,
    transactionalId,
    idempotent: true,
    maxInFlightRequests: 1,
    retry: patientRetry,
    ...(transactionTimeout === undefined ? {} : { transactionTimeout }),
  });
}

describe('broker killed with SIGKILL and restarted', () => {
  test('mid-stream: every acknowledged record survives, producer and consumer group carry on', async () => {
    const topic = uniqueName('crash');
    const groupId = uniqueName('crash-group');
    await createTopic(kafka, topic, 3);

    const producer = kafka.producer({
      createPartitioner: defaultPartitioner,
      idempotent: true,
      maxInFlightRequests: 1,
      retry: patientRetry,
    });
    await producer.connect();
    const acked = new Set<string>();
    const failedSends: unknown[] = [];
    let stop = false;
    const production = (async () => {
      let n = 0;
      while (!stop && n < 200_000) {
        const messages = Array.from({ length: 20 }, () => {
          n += 1;
          return { key: `k${n % 31}`, value: `r${n}` };
        });
        try {
          await producer.send({ topic, acks: -1, messages });
          for (const m of messages) acked.add(m.value);
        } catch (err) {
          failedSends.push(err); // not acknowledged: may or may not be stored
        }
      }
    })();

    const consumed = new Set<string>();
    const consumer = kafka.consumer({ ...fastConsumerConfig(groupId), retry: patientRetry });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void consumed.add(message.value!.toString()) });

    try {
      await waitFor(() => acked.size >= 1000 && consumed.size >= 500, 60_000, { description: 'stream running' });
      const ackedBeforeCrash = acked.size;
      await broker.restart(); // SIGKILL, then start on the same data dir
      await waitFor(() => acked.size >= ackedBeforeCrash + 1000, 90_000, { description: 'producer resumed' });
      stop = true;
      await production;
      await waitFor(() => [...acked].every((v) => consumed.has(v)), 90_000, {
        description: 'consumer group read every acknowledged record after the restart',
      });
    } finally {
      stop = true;
      await production.catch(() => undefined);
      await consumer.disconnect();
      await producer.disconnect();
    }

    const stored = await drainTopic(kafka, topic, { timeoutMs: 60_000 });
    const storedValues = new Set(stored.map((r) => r.value!));
    const lost = [...acked].filter((v) => !storedValues.has(v));
    expect(lost).toEqual([]);
    // The idempotent producer's retries across the restart were deduplicated.
    expect(stored.length).toBe(storedValues.size);
    expect(failedSends).toEqual([]);
  });

  test('committed transactions and offsets survive; transactions left open are aborted', async () => {
    const topic = uniqueName('crash-txn');
    const groupId = uniqueName('crash-txn-group');
    await createTopic(kafka, topic, 2);
    const reinitId = uniqueName('reinit');
    const timeoutId = uniqueName('timeout');

    const committer = transactionalProducer(reinitId);
    const abandoned = transactionalProducer(timeoutId, 3000);
    await Promise.all([committer.connect(), abandoned.connect()]);
    try {
      const done = await committer.transaction();
      await done.send({ topic, messages: [{ key: 'a', value: 'committed-1' }, { key: 'b', value: 'committed-2' }] });
      await done.sendOffsets({ consumerGroupId: groupId, topics: [{ topic, partitions: [{ partition: 0, offset: '5' }] }] });
      await done.commit();

      const open = await committer.transaction();
      await open.send({ topic, messages: [{ key: 'c', value: 'open-reinit' }] });
      await open.sendOffsets({ consumerGroupId: groupId, topics: [{ topic, partitions: [{ partition: 0, offset: '9' }] }] });
      const openByTimeout = await abandoned.transaction();
      await openByTimeout.send({ topic, messages: [{ key: 'd', value: 'open-timeout' }] });

      await broker.restart();
    } finally {
      // Their connections died with the broker; nothing more is sent through them.
      await Promise.allSettled([committer.disconnect(), abandoned.disconnect()]);
    }

    // The open transaction of `reinitId` is aborted when a new producer initialises the same id.
    const successor = transactionalProducer(reinitId);
    await successor.connect();
    try {
      const txn = await successor.transaction();
      await txn.send({ topic, messages: [{ key: 'e', value: 'after-restart' }] });
      await txn.commit();
    } finally {
      await successor.disconnect();
    }

    // The one of `timeoutId` (3 s timeout) is aborted by the coordinator; until then read_committed
    // consumers are held at the LSO, so draining finishes only once it is.
    const committed = await drainTopic(kafka, topic, { timeoutMs: 60_000 });
    expect(committed.map((r) => r.value).sort()).toEqual(['after-restart', 'committed-1', 'committed-2']);
    const everything = await drainTopic(kafka, topic, { readUncommitted: true, timeoutMs: 60_000 });
    expect(everything.map((r) => r.value).sort()).toEqual([
      'after-restart',
      'committed-1',
      'committed-2',
      'open-reinit',
      'open-timeout',
    ]);

    const offsets = await withAdmin(kafka, (admin) => admin.fetchOffsets({ groupId, topics: [topic] }));
    expect(offsets[0]!.partitions.find((p) => p.partition === 0)?.offset).toBe('5');
  });

  test('group offsets committed before the crash are where a restarted consumer resumes', async () => {
    const topic = uniqueName('crash-resume');
    const groupId = uniqueName('crash-resume-group');
    await createTopic(kafka, topic, 1);
    const producer = kafka.producer({ createPartitioner: defaultPartitioner, idempotent: true, retry: patientRetry });
    await producer.connect();
    try {
      await producer.send({ topic, acks: -1, messages: Array.from({ length: 10 }, (_, i) => ({ value: `v${i}` })) });
    } finally {
      await producer.disconnect();
    }
    const first = kafka.consumer(fastConsumerConfig(groupId));
    const firstSeen: string[] = [];
    try {
      await first.connect();
      await first.subscribe({ topic, fromBeginning: true });
      await first.run({
        autoCommit: false,
        eachMessage: async ({ message, partition }) => {
          firstSeen.push(message.value!.toString());
          if (firstSeen.length === 6) await first.commitOffsets([{ topic, partition, offset: String(Number(message.offset) + 1) }]);
        },
      });
      await waitFor(() => firstSeen.length === 10, 30_000, { description: 'first consumer read all' });
    } finally {
      await first.disconnect();
    }

    await broker.restart();

    const second = kafka.consumer({ ...fastConsumerConfig(groupId), retry: patientRetry });
    const secondSeen: string[] = [];
    try {
      await second.connect();
      await second.subscribe({ topic, fromBeginning: true });
      await second.run({ eachMessage: async ({ message }) => void secondSeen.push(message.value!.toString()) });
      await waitFor(() => secondSeen.length === 4, 60_000, { description: 'resumed after the committed offset' });
    } finally {
      await second.disconnect();
    }
    expect(secondSeen).toEqual(['v6', 'v7', 'v8', 'v9']);
  });
});
