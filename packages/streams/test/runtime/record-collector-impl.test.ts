/**
 * The runtime's output path without a broker: records without a partition land where Kafka's default partitioner
 * puts them, changelog offsets acknowledged by the broker reach their task (for checkpoints), and a failed send
 * about the records goes to the production exception handler (CONTINUE drops, FAIL stops with the topic named),
 * and any other failed send (broker gone, timeout, fenced) names the tasks to revive.
 */
import { captureLogs } from '@kstreams/test-utils';
import { Headers } from '../../src/processor/headers';
import { HandlerResponse } from '../../src/runtime/exception-handlers';
import type { ProductionExceptionHandler } from '../../src/runtime/exception-handlers';
import type { KafkaClient } from '../../src/runtime/kafka-client';
import { PartitionBuffer, type SendFailure } from '../../src/runtime/producer/kafka-producer';
import { partitionForKey } from '../../src/runtime/partitioner';
import { PartitionCounts, ProducerSink, TaskRecordCollector, TaskSendFailure } from '../../src/runtime/record-collector-impl';
import type { TaskProducer } from '../../src/runtime/task-producer';

/** A produce error as the producer reports one from the broker. */
function protocolError(type: string, message: string): Error {
  return Object.assign(new Error(message), { name: 'KafkaProduceError', type });
}

/** A producer that keeps appended records until flush, then "acknowledges" them (or fails them with `failWith`). */
class FakeProducer {
  readonly sent: SentRecord[][] = [];
  failWith: Error | null = null;
  readonly transactional = false;
  readonly inTransaction = false;
  readonly fatalError = null;
  readonly full = false;
  readonly #buffers = new Map<string, PartitionBuffer>();
  #pending: SentRecord[] = [];

  get bufferedRecords(): number {
    return this.#pending.length;
  }

  append(topic: string, partition: number, key: Buffer | null, value: Buffer | null, timestamp: number): PartitionBuffer {
    const k = `${topic}:${partition}`;
    let buffer = this.#buffers.get(k);
    if (!buffer) this.#buffers.set(k, (buffer = new PartitionBuffer(topic, partition)));
    this.#pending.push({ buffer, topic, partition, key, value, timestamp });
    return buffer;
  }

  async flush(): Promise<SendFailure[]> {
    const batch = this.#pending;
    this.#pending = [];
    if (batch.length === 0) return [];
    if (this.failWith) return [{ first: batch[0]!, recordCount: batch.length, error: this.failWith }];
    this.sent.push(batch);
    for (const r of batch) r.buffer.lastOffset++;
    return [];
  }
}

interface SentRecord {
  readonly buffer: PartitionBuffer;
  readonly topic: string;
  readonly partition: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly timestamp: number;
}

const client = { partitionCounts: async () => new Map<string, number>() } as unknown as KafkaClient;

function setup(handler: ProductionExceptionHandler = { handle: () => HandlerResponse.FAIL }) {
  const counts = new PartitionCounts(client);
  counts.set('out', 6);
  counts.set('app-store-changelog', 6);
  const producer = new FakeProducer();
  const sink = new ProducerSink(counts, handler);
  const collector = new TaskRecordCollector('0_2', counts, producer as unknown as TaskProducer);
  return { producer, sink, collector };
}

const record = (topic: string, key: string | null, partition: number | null = null) => ({
  topic,
  partition,
  key: key === null ? null : Buffer.from(key),
  value: Buffer.from('v'),
  timestamp: 1,
  headers: new Headers(),
});

test('keyed records go to murmur2(key) % partitions; changelog offsets come back to the task', async () => {
  const { producer, sink, collector } = setup();
  collector.send(record('out', 'alpha'));
  collector.send(record('out', 'beta'));
  collector.send(record('app-store-changelog', 'alpha', 2));
  collector.send(record('app-store-changelog', 'beta', 2));
  expect(collector.partitionsFor('out')).toBe(6);
  await sink.flush([collector]);
  const sent = producer.sent.flat();
  expect(sent.map((r) => r.partition)).toEqual([partitionForKey(Buffer.from('alpha'), 6), partitionForKey(Buffer.from('beta'), 6), 2, 2]);
  expect(collector.changelogOffsets.get('app-store-changelog:2')).toBe(1);
  expect(collector.size).toBe(0);
});

test('a send failing on its records, with the default handler, fails naming the topic', async () => {
  const { producer, sink, collector } = setup();
  producer.failWith = protocolError('MESSAGE_TOO_LARGE', 'broker says no');
  collector.send(record('out', 'k'));
  await expect(sink.flush([collector])).rejects.toThrow(/sending 1 record\(s\) to topic out .*broker says no/);
});

test('a send failing for another reason (broker gone) names the tasks to revive, without asking the handler', async () => {
  let asked = 0;
  const { producer, sink, collector } = setup({
    handle: () => {
      asked++;
      return HandlerResponse.CONTINUE;
    },
  });
  producer.failWith = Object.assign(new Error('Connection error: ECONNREFUSED'), { name: 'KafkaJSConnectionError' });
  collector.send(record('out', 'k'));
  const failure = await sink.flush([collector]).then(
    () => null,
    (e: unknown) => e,
  );
  expect(failure).toBeInstanceOf(TaskSendFailure);
  expect((failure as TaskSendFailure).taskIds).toEqual(['0_2']);
  expect(asked).toBe(0);
});

test('a handler answering CONTINUE drops the failed records and keeps going', async () => {
  const seen: string[] = [];
  const { producer, sink, collector } = setup({
    handle: (ctx, rec, err) => {
      seen.push(`${ctx.taskId} ${rec.topic} ${err.message}`);
      return HandlerResponse.CONTINUE;
    },
  });
  producer.failWith = protocolError('MESSAGE_TOO_LARGE', 'too large');
  collector.send(record('out', 'k'));
  const logs = captureLogs();
  try {
    await expect(sink.flush([collector])).resolves.toBeUndefined();
  } finally {
    logs.stop();
  }
  expect(seen).toEqual(['0_2 out too large']);
  expect(logs.warnings).toEqual(['Error sending 1 record(s) to out; the production exception handler chose to CONTINUE, dropping them: too large']);
  producer.failWith = null;
  collector.send(record('out', 'k2'));
  await sink.flush([collector]);
  expect(producer.sent.flat()).toHaveLength(1);
});
