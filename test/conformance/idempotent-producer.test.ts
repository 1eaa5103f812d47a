/**
 * Conformance: idempotent producer retries. A socket wrapper drops the connection right when a
 * Produce response arrives (the broker has appended, the client never hears so), so kafkajs resends
 * the same batch with the same producer id and sequence. The broker must answer the duplicate with
 * success and the original offset, and store it once. The same fault without idempotence duplicates
 * records, which proves the fault really causes resends.
 */
import { connect, type Socket } from 'node:net';

import type { ISocketFactory, Kafka } from 'kafkajs';

import { startTestBroker, type TestBroker } from '../support/broker';
import { createKafka, createTopic, defaultPartitioner, drainTopic } from '../support/kafka-client';
import { uniqueName } from '../support/unique-name';

jest.setTimeout(90_000);

const PRODUCE = 0;

let broker: TestBroker;

beforeAll(async () => {
  broker = await startTestBroker();
});

afterAll(async () => {
  await broker?.close();
});

interface Sabotage {
  readonly factory: ISocketFactory;
  /** Produce requests whose connection is dropped before the response may still be chosen. */
  budget: number;
  /** Connections actually dropped with a Produce response in flight. */
  drops: number;
}

/** Drops the connection at the first response bytes after every `every`-th Produce request. */
function produceResponseDropper(every: number, budget: number): Sabotage {
  const state: Sabotage = {
    budget,
    drops: 0,
    factory: ({ host, port, onConnect }) => {
      const socket: Socket = connect({ host, port }, onConnect);
      let produces = 0;
      let dropPending = false;
      const write = socket.write.bind(socket) as (...args: unknown[]) => boolean;
      socket.write = ((chunk: unknown, ...rest: unknown[]) => {
        // kafkajs writes each request as one buffer: size(4) apiKey(2) ...
        if (Buffer.isBuffer(chunk) && chunk.length >= 6 && chunk.readInt16BE(4) === PRODUCE) {
          produces += 1;
          if (state.budget > 0 && produces % every === 0) {
            state.budget -= 1;
            dropPending = true;
          }
        }
        return write(chunk, ...rest);
      }) as typeof socket.write;
      const emit = socket.emit.bind(socket) as (event: string | symbol, ...args: unknown[]) => boolean;
      socket.emit = ((event: string | symbol, ...args: unknown[]) => {
        if (event === 'data' && dropPending) {
          dropPending = false;
          state.drops += 1;
          socket.destroy(new Error('test: connection dropped before the Produce response was read'));
          return true;
        }
        return emit(event, ...args);
      }) as typeof socket.emit;
      return socket;
    },
  };
  return state;
}

async function produceWithFaults(kafka: Kafka, topic: string, idempotent: boolean, sends: number) {
  const producer = kafka.producer({
    createPartitioner: defaultPartitioner,
    idempotent,
    maxInFlightRequests: 1,
    retry: { initialRetryTime: 50, maxRetryTime: 500, retries: 20 },
  });
  await producer.connect();
  const baseOffsets: number[] = [];
  try {
    for (let s = 0; s < sends; s++) {
      const [meta] = await producer.send({
        topic,
        acks: -1,
        messages: Array.from({ length: 10 }, (_, i) => ({ partition: 0, value: `s${s}-m${i}` })),
      });
      baseOffsets.push(Number(meta!.baseOffset));
    }
  } finally {
    await producer.disconnect();
  }
  return baseOffsets;
}

describe('idempotent producer', () => {
  test('resent batches after lost responses are stored once, with their original offsets', async () => {
    const sabotage = produceResponseDropper(3, 8);
    const kafka = createKafka(broker.bootstrapServers, { socketFactory: sabotage.factory });
    const topic = uniqueName('idem');
    await createTopic(createKafka(broker.bootstrapServers), topic, 1);

    const baseOffsets = await produceWithFaults(kafka, topic, true, 30);
    expect(sabotage.drops).toBeGreaterThanOrEqual(5);
    // Each send of 10 records got the offsets it was first written at.
    expect(baseOffsets).toEqual(Array.from({ length: 30 }, (_, s) => s * 10));

    const records = await drainTopic(createKafka(broker.bootstrapServers), topic);
    expect(records).toHaveLength(300);
    expect(records.map((r) => r.offset)).toEqual(records.map((_, i) => i));
    expect(records.map((r) => r.value)).toEqual(
      Array.from({ length: 300 }, (_, n) => `s${Math.floor(n / 10)}-m${n % 10}`),
    );
  });

  test('control: without idempotence the same faults duplicate records', async () => {
    const sabotage = produceResponseDropper(3, 8);
    const kafka = createKafka(broker.bootstrapServers, { socketFactory: sabotage.factory });
    const topic = uniqueName('not-idem');
    await createTopic(createKafka(broker.bootstrapServers), topic, 1);

    await produceWithFaults(kafka, topic, false, 30);
    expect(sabotage.drops).toBeGreaterThanOrEqual(5);
    const records = await drainTopic(createKafka(broker.bootstrapServers), topic);
    const distinct = new Set(records.map((r) => r.value));
    expect(distinct.size).toBe(300); // nothing lost...
    expect(records.length).toBe(300 + sabotage.drops * 10); // ...and every dropped response became a duplicate
  });
});
