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
import type { KafkaClient, ProduceRecord, WrittenOffsets } from '../../src/runtime/kafka-client';
import { partitionForKey } from '../../src/runtime/partitioner';
import { PartitionCounts, ProducerSink, TaskRecordCollector, TaskSendFailure } from '../../src/runtime/record-collector-impl';
import type { TaskProducer } from '../../src/runtime/task-producer';

/** A produce error as kafkajs reports one from the broker. */
function protocolError(type: string, message: string): Error {
  return Object.assign(new Error(message), { name: 'KafkaJSProtocolError', type });
}

class FakeProducer {
  readonly sent: ProduceRecord[][] = [];
  failWith: Error | null = null;
  #next = new Map<string, number>();
  async send(records: readonly ProduceRecord[]): Promise<WrittenOffsets> {
    if (this.failWith) throw this.failWith;
    this.sent.push([...records]);
    const written: WrittenOffsets = new Map();
    for (const r of records) {
      const k = `${r.topic}:${r.partition}`;
      const offset = this.#next.get(k) ?? 0;
      this.#next.set(k, offset + 1);
      written.set(k, { topic: r.topic, partition: r.partition, offset });
    }
    return written;
  }
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
