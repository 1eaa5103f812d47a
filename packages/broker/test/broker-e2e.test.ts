/**
 * The broker end to end through kafkajs, for behaviour the cross-broker conformance suite cannot force:
 * restart from the same data directory, compaction and retention passes, transaction timeouts.
 */
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { Broker, type BrokerOptions } from '../src/server/broker';
import { removeDir, tempDir, waitFor } from './support';

jest.setTimeout(60_000);

async function started(options: BrokerOptions): Promise<Broker> {
  const b = new Broker({ logLevel: 'silent', ...options });
  await b.listen();
  return b;
}

function client(b: Broker): Kafka {
  return new Kafka({ clientId: 'e2e', brokers: [b.bootstrapServers], logLevel: logLevel.NOTHING, retry: { initialRetryTime: 50, retries: 8 } });
}

/** Consumes from the beginning until `until` holds for the values seen; returns them in order per partition. */
async function consumeAll(kafka: Kafka, topic: string, until: (seen: string[]) => boolean, readCommitted = true): Promise<string[]> {
  const consumer: Consumer = kafka.consumer({ groupId: `${topic}-${Math.random()}`, readUncommitted: !readCommitted, maxWaitTimeInMs: 200 });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  const seen: string[] = [];
  await consumer.run({ eachMessage: async ({ message }) => void seen.push(`${message.key?.toString() ?? ''}=${message.value?.toString() ?? 'null'}`) });
  try {
    await waitFor(() => until(seen), 30_000, `records of ${topic}`);
  } finally {
    await consumer.disconnect();
  }
  return seen;
}

describe('broker end to end', () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => removeDir(dir));

  it('keeps records, committed offsets, transactions and idempotence state across a restart', async () => {
    let b = await started({ dataDir: dir });
    let kafka = client(b);
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'durable', numPartitions: 2 }] });
    const producer = kafka.producer({ idempotent: true });
    await producer.connect();
    await producer.send({ topic: 'durable', messages: [{ key: 'a', value: '1', partition: 0 }, { key: 'b', value: '2', partition: 1 }] });
    await producer.disconnect();
    const tx = kafka.producer({ transactionalId: 'durable-tx', idempotent: true, maxInFlightRequests: 1 });
    await tx.connect();
    const t1 = await tx.transaction();
    await t1.send({ topic: 'durable', messages: [{ key: 'aborted', value: 'x', partition: 0 }] });
    await t1.abort();
    const t2 = await tx.transaction();
    await t2.send({ topic: 'durable', messages: [{ key: 'committed', value: 'y', partition: 0 }] });
    await t2.sendOffsets({ consumerGroupId: 'durable-group', topics: [{ topic: 'durable', partitions: [{ partition: 1, offset: '1' }] }] });
    await t2.commit();
    await tx.disconnect();
    await admin.disconnect();
    await b.close();

    b = await started({ dataDir: dir });
    kafka = client(b);
    try {
      const admin2 = kafka.admin();
      await admin2.connect();
      const offsets = await admin2.fetchOffsets({ groupId: 'durable-group', topics: ['durable'] });
      expect(offsets[0]!.partitions.find((p) => p.partition === 1)?.offset).toBe('1');
      const ends = await admin2.fetchTopicOffsets('durable');
      // partition 0: a, aborted, ABORT marker, committed, COMMIT marker
      expect(ends.find((p) => p.partition === 0)?.high).toBe('5');
      await admin2.disconnect();
      const seen = await consumeAll(kafka, 'durable', (s) => s.length >= 3);
      expect(seen.sort()).toEqual(['a=1', 'b=2', 'committed=y']);
      // the transactional id is known after the restart: a new instance gets a bumped epoch and works
      const again = kafka.producer({ transactionalId: 'durable-tx', idempotent: true, maxInFlightRequests: 1 });
      await again.connect();
      const t3 = await again.transaction();
      await t3.send({ topic: 'durable', messages: [{ key: 'after', value: 'z', partition: 1 }] });
      await t3.commit();
      await again.disconnect();
    } finally {
      await b.close();
    }
  });

  it('compacts a cleanup.policy=compact topic; consumers see the latest value per key and skip the gaps', async () => {
    const b = await started({ dataDir: dir });
    try {
      const kafka = client(b);
      const admin = kafka.admin();
      await admin.connect();
      await admin.createTopics({
        topics: [{ topic: 'changelog', numPartitions: 1, configEntries: [{ name: 'cleanup.policy', value: 'compact' }, { name: 'segment.bytes', value: '400' }] }],
      });
      await admin.disconnect();
      const producer = kafka.producer();
      await producer.connect();
      for (let round = 0; round < 10; round++) {
        await producer.send({ topic: 'changelog', messages: ['a', 'b', 'c'].map((k) => ({ key: k, value: `${k}${round}` })) });
      }
      await producer.send({ topic: 'changelog', messages: [{ key: 'tail', value: 'end' }] });
      await producer.disconnect();
      const result = b.cleanup();
      expect(result.segmentsCompacted).toBeGreaterThan(0);
      const seen = await consumeAll(kafka, 'changelog', (s) => s.includes('tail=end'));
      for (const k of ['a', 'b', 'c']) {
        const values = seen.filter((s) => s.startsWith(`${k}=`));
        expect(values[values.length - 1]).toBe(`${k}=${k}9`);
      }
      // superseded values in closed segments are gone
      expect(seen.length).toBeLessThan(31);
      expect(seen).not.toContain('a=a0');
    } finally {
      await b.close();
    }
  });

  it('stamps LogAppendTime topics with the broker time and refuses keyless records on compacted topics', async () => {
    const b = await started({ dataDir: dir });
    try {
      const kafka = client(b);
      const admin = kafka.admin();
      await admin.connect();
      await admin.createTopics({
        topics: [
          { topic: 'appended', configEntries: [{ name: 'message.timestamp.type', value: 'LogAppendTime' }] },
          { topic: 'keyed', configEntries: [{ name: 'cleanup.policy', value: 'compact' }] },
        ],
      });
      await admin.disconnect();
      const producer = kafka.producer();
      await producer.connect();
      const before = Date.now();
      const [res] = await producer.send({ topic: 'appended', messages: [{ value: 'v', timestamp: '1000' }] });
      expect(Number(res!.logAppendTime)).toBeGreaterThanOrEqual(before);
      await expect(producer.send({ topic: 'keyed', messages: [{ value: 'no key' }] })).rejects.toThrow(/failed the validation on broker/); // INVALID_RECORD (87)
      await producer.disconnect();
      const consumer = kafka.consumer({ groupId: 'appended-g', maxWaitTimeInMs: 200 });
      await consumer.connect();
      await consumer.subscribe({ topics: ['appended'], fromBeginning: true });
      const stamps: string[] = [];
      await consumer.run({ eachMessage: async ({ message }) => void stamps.push(message.timestamp) });
      await waitFor(() => stamps.length === 1, 20_000, 'the appended record');
      await consumer.disconnect();
      expect(Number(stamps[0])).toBeGreaterThanOrEqual(before);
    } finally {
      await b.close();
    }
  });

  it('applies time retention: expired segments are deleted and the log start moves', async () => {
    const b = await started({ dataDir: dir });
    try {
      const kafka = client(b);
      const admin = kafka.admin();
      await admin.connect();
      await admin.createTopics({
        topics: [{ topic: 'short', numPartitions: 1, configEntries: [{ name: 'retention.ms', value: '60000' }, { name: 'segment.bytes', value: '300' }] }],
      });
      const producer = kafka.producer();
      await producer.connect();
      const old = Date.now() - 3_600_000;
      for (let i = 0; i < 10; i++) await producer.send({ topic: 'short', messages: [{ value: `old${i}`, timestamp: String(old) }] });
      await producer.send({ topic: 'short', messages: [{ value: 'fresh' }] });
      await producer.disconnect();
      expect(b.cleanup().segmentsDeleted).toBeGreaterThan(0);
      const offsets = await admin.fetchTopicOffsets('short');
      expect(Number(offsets[0]!.low)).toBeGreaterThan(0);
      expect(offsets[0]!.high).toBe('11');
      await admin.disconnect();
      const seen = await consumeAll(kafka, 'short', (s) => s.includes('=fresh'));
      expect(seen).not.toContain('=old0');
    } finally {
      await b.close();
    }
  });

  it('gives exactly-once consume-transform-produce through a crash of the processor mid-transaction', async () => {
    const b = await started({ dataDir: dir });
    try {
      const kafka = client(b);
      const admin = kafka.admin();
      await admin.connect();
      await admin.createTopics({ topics: [{ topic: 'eos-in' }, { topic: 'eos-out' }] });
      await admin.disconnect();
      const input = kafka.producer();
      await input.connect();
      await input.send({ topic: 'eos-in', messages: Array.from({ length: 100 }, (_, i) => ({ key: String(i), value: `in-${i}` })) });
      await input.disconnect();

      /** One processor instance: 10 records per transaction; `crashAt` leaves that transaction open and stops. */
      const processor = async (crashAt: number | null): Promise<void> => {
        const producer = kafka.producer({ transactionalId: 'eos-tx', idempotent: true, maxInFlightRequests: 1 });
        await producer.connect();
        const consumer = kafka.consumer({ groupId: 'eos-group', maxWaitTimeInMs: 100 });
        await consumer.connect();
        await consumer.subscribe({ topics: ['eos-in'], fromBeginning: true });
        let transactions = 0;
        let stopped = false;
        await new Promise<void>((resolve, reject) => {
          consumer
            .run({
              autoCommit: false,
              eachBatchAutoResolve: false,
              eachBatch: async ({ batch, resolveOffset }) => {
                for (let i = 0; i < batch.messages.length && !stopped; i += 10) {
                  const chunk = batch.messages.slice(i, i + 10);
                  const tx = await producer.transaction();
                  await tx.send({ topic: 'eos-out', messages: chunk.map((m) => ({ key: m.key, value: m.value!.toString().replace('in', 'out') })) });
                  if (++transactions === crashAt) {
                    stopped = true; // the process "dies" here: no commit, no abort
                    resolve();
                    return;
                  }
                  const last = chunk[chunk.length - 1]!.offset;
                  await tx.sendOffsets({ consumerGroupId: 'eos-group', topics: [{ topic: 'eos-in', partitions: [{ partition: 0, offset: String(Number(last) + 1) }] }] });
                  await tx.commit();
                  resolveOffset(last);
                  if (Number(last) === 99) {
                    stopped = true;
                    resolve();
                  }
                }
              },
            })
            .catch(reject);
        });
        await consumer.disconnect();
        await producer.disconnect();
      };

      await processor(4); // three transactions committed, the fourth left open
      await processor(null); // a new instance fences the zombie (aborting its open transaction) and finishes

      const committed = await consumeAll(kafka, 'eos-out', (s) => s.length >= 100);
      expect(committed).toHaveLength(100);
      expect(new Set(committed).size).toBe(100);
      expect(committed).toEqual(Array.from({ length: 100 }, (_, i) => `${i}=out-${i}`));
      // the aborted attempt is in the log, visible only to read_uncommitted
      const everything = await consumeAll(kafka, 'eos-out', (s) => s.length >= 110, false);
      expect(everything.filter((v) => v === '30=out-30')).toHaveLength(2);
    } finally {
      await b.close();
    }
  });

  it('aborts a transaction that exceeds its timeout, so read_committed consumers move past it', async () => {
    const b = await started({ dataDir: dir, transactionAbortCheckIntervalMs: 100 });
    try {
      const kafka = client(b);
      const admin = kafka.admin();
      await admin.connect();
      await admin.createTopics({ topics: [{ topic: 'stuck', numPartitions: 1 }] });
      await admin.disconnect();
      const stuck = kafka.producer({ transactionalId: 'stuck-tx', idempotent: true, maxInFlightRequests: 1, transactionTimeout: 500 });
      await stuck.connect();
      const t = await stuck.transaction();
      await t.send({ topic: 'stuck', messages: [{ key: 'open', value: 'never-committed' }] });
      const plain = kafka.producer();
      await plain.connect();
      await plain.send({ topic: 'stuck', messages: [{ key: 'later', value: 'visible' }] });
      await plain.disconnect();
      // the consumer only sees `later` once the broker has aborted the stuck transaction
      const seen = await consumeAll(kafka, 'stuck', (s) => s.includes('later=visible'));
      expect(seen).toEqual(['later=visible']);
      await expect(t.commit()).rejects.toThrow();
      await stuck.disconnect();
    } finally {
      await b.close();
    }
  });
});
