/**
 * Conformance: bad input over raw sockets. For every malformed, truncated or oversized frame and
 * every unknown API key or version, the broker either answers with an error on that connection or
 * closes that one connection; it never hangs on a complete frame, and clients on other connections
 * (a kafkajs producer and consumer, and a raw connection opened beforehand) carry on unaffected.
 * What real Kafka does in each case is noted per test (and listed in test/kafka/README.md).
 */
import type { Consumer, Kafka, Producer } from 'kafkajs';

import { startTestBroker, type TestBroker } from '../support/broker';
import { createKafka, createTopic, defaultPartitioner, fastConsumerConfig } from '../support/kafka-client';
import {
  API,
  apiVersionsRequest,
  encodeRequest,
  frame,
  int16,
  int32,
  metadataRequest,
  parseApiVersionsResponse,
  produceRequest,
  RawConnection,
  recordBatch,
  str,
} from '../support/raw-kafka';
import { uniqueName } from '../support/unique-name';
import { waitFor } from '../support/wait-for';

jest.setTimeout(60_000);

const ANSWER_MS = 5000;

let broker: TestBroker;
let kafka: Kafka;
let topic: string;
let producer: Producer;
let consumer: Consumer;
let bystander: RawConnection;
const consumed: string[] = [];
let sent = 0;

beforeAll(async () => {
  broker = await startTestBroker();
  kafka = createKafka(broker.bootstrapServers);
  topic = uniqueName('bad-input');
  await createTopic(kafka, topic, 1);
  producer = kafka.producer({ createPartitioner: defaultPartitioner });
  await producer.connect();
  consumer = kafka.consumer(fastConsumerConfig(uniqueName('bad-input-group')));
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({ eachMessage: async ({ message }) => void consumed.push(message.value!.toString()) });
  bystander = await RawConnection.open(broker.bootstrapServers);
});

afterAll(async () => {
  bystander?.destroy();
  await consumer?.disconnect();
  await producer?.disconnect();
  await broker?.close();
});

/** Other clients still work: the long-lived raw connection answers, and kafkajs round-trips a record. */
async function othersUnaffected(): Promise<void> {
  bystander.send(apiVersionsRequest(4242, 0));
  const answer = await bystander.next(ANSWER_MS);
  expect(answer.kind).toBe('frame');
  if (answer.kind === 'frame') expect(parseApiVersionsResponse(answer.frame)).toMatchObject({ correlationId: 4242, errorCode: 0 });
  sent += 1;
  const value = `alive-${sent}`;
  await producer.send({ topic, acks: -1, messages: [{ value }] });
  await waitFor(() => consumed.includes(value), 30_000, { description: `record ${value} consumed` });
}

/**
 * Sends `bytes`, then a valid ApiVersions (correlation id 9999) on the same connection, and reports
 * what came back before the connection closed: Kafka processes requests in order, so a connection
 * that survived answers both.
 */
async function sendBad(bytes: Buffer, options: { end?: boolean } = {}): Promise<{ frames: Buffer[]; closed: boolean }> {
  const conn = await RawConnection.open(broker.bootstrapServers);
  try {
    conn.send(bytes);
    if (options.end === true) conn.end();
    else conn.send(apiVersionsRequest(9999, 0));
    const frames: Buffer[] = [];
    for (let i = 0; i < 3; i++) {
      const outcome = await conn.next(ANSWER_MS);
      if (outcome.kind === 'timeout') throw new Error('the broker neither answered nor closed the connection');
      if (outcome.kind === 'closed') return { frames, closed: true };
      frames.push(outcome.frame);
      if (outcome.frame.readInt32BE(0) === 9999) break;
    }
    return { frames, closed: conn.closed };
  } finally {
    conn.destroy();
  }
}

/** The bad request got an error answer on its own correlation id, or the connection was closed. */
function expectErrorOrClosed(result: { frames: Buffer[]; closed: boolean }, correlationId: number): void {
  if (result.closed) {
    expect(result.frames.filter((f) => f.readInt32BE(0) === 9999)).toEqual([]);
    return;
  }
  expect(result.frames.map((f) => f.readInt32BE(0))).toEqual([correlationId, 9999]);
}

describe('framing', () => {
  test('a frame split into 1-byte writes and several frames in one write are both served, in order', async () => {
    const conn = await RawConnection.open(broker.bootstrapServers);
    try {
      const one = metadataRequest(1, [topic]);
      for (const byte of one) conn.send(Buffer.from([byte]));
      const first = await conn.next(ANSWER_MS);
      expect(first.kind === 'frame' && first.frame.readInt32BE(0)).toBe(1);

      conn.send(Buffer.concat([apiVersionsRequest(2), metadataRequest(3, [topic]), apiVersionsRequest(4, 2)]));
      const ids: number[] = [];
      for (let i = 0; i < 3; i++) {
        const next = await conn.next(ANSWER_MS);
        if (next.kind !== 'frame') throw new Error(`expected a response, got ${next.kind}`);
        ids.push(next.frame.readInt32BE(0));
      }
      expect(ids).toEqual([2, 3, 4]);
    } finally {
      conn.destroy();
    }
  });
});

describe('bad frames', () => {
  test('truncated frame, then end of stream: the connection is closed without an answer', async () => {
    const result = await sendBad(Buffer.concat([int32(100), Buffer.alloc(10, 1)]), { end: true });
    expect(result).toEqual({ frames: [], closed: true });
    await othersUnaffected();
  });

  test('oversized frame (200 MiB announced, above socket.request.max.bytes): connection closed', async () => {
    // Kafka closes at once, without reading the body.
    const result = await sendBad(int32(200 * 1024 * 1024));
    expect(result).toEqual({ frames: [], closed: true });
    await othersUnaffected();
  });

  test('negative size: connection closed', async () => {
    const result = await sendBad(int32(-1));
    expect(result).toEqual({ frames: [], closed: true });
    await othersUnaffected();
  });

  test('frames too short for a request header (size 0, size 3): connection closed', async () => {
    for (const bytes of [int32(0), frame(Buffer.from([0, 3, 0]))]) {
      const result = await sendBad(bytes);
      expect(result).toEqual({ frames: [], closed: true });
    }
    await othersUnaffected();
  });

  test('client id longer than the frame: error or closed (Kafka closes)', async () => {
    const result = await sendBad(frame(Buffer.concat([int16(API.metadata), int16(4), int32(5), int16(500), Buffer.from('abc')])));
    expectErrorOrClosed(result, 5);
    await othersUnaffected();
  });

  test('request body shorter than its schema: error or closed (Kafka closes)', async () => {
    // Metadata v4 announcing 5 topics and carrying none.
    const result = await sendBad(encodeRequest(API.metadata, 4, 6, int32(5)));
    expectErrorOrClosed(result, 6);
    await othersUnaffected();
  });

  test('array count far beyond the frame: error or closed (Kafka closes)', async () => {
    const result = await sendBad(encodeRequest(API.metadata, 4, 7, Buffer.concat([int32(0x7fffffff), Buffer.from([0])])));
    expectErrorOrClosed(result, 7);
    await othersUnaffected();
  });

  test('record set size beyond the frame in a Produce request: error or closed (Kafka closes)', async () => {
    const body = Buffer.concat([str(null), int16(1), int32(1000), int32(1), str(topic), int32(1), int32(0), int32(7000), Buffer.alloc(70)]);
    const result = await sendBad(encodeRequest(API.produce, 7, 8, body));
    expectErrorOrClosed(result, 8);
    await othersUnaffected();
  });
});

describe('unknown APIs and versions', () => {
  test('unknown API key: error or closed (Kafka closes)', async () => {
    for (const apiKey of [999, 200, -1]) {
      const result = await sendBad(encodeRequest(apiKey, 0, 10, Buffer.alloc(0)));
      expectErrorOrClosed(result, 10);
    }
    await othersUnaffected();
  });

  test('unsupported version of a known API: error or closed (Kafka closes)', async () => {
    const result = await sendBad(encodeRequest(API.metadata, 99, 11, Buffer.alloc(0)));
    expectErrorOrClosed(result, 11);
    await othersUnaffected();
  });

  test('ApiVersions at an unsupported version: UNSUPPORTED_VERSION with a v0 body naming ApiVersions', async () => {
    // Newer clients send ApiVersions v3+ with request header v2 (a tagged-field byte after the client
    // id) and fall back on this answer; Kafka replies in v0 format, as KIP-511 requires.
    const headerV2 = Buffer.concat([int16(API.apiVersions), int16(99), int32(12), str('raw'), Buffer.from([0])]);
    const compactBody = Buffer.from([2, 0x61, 2, 0x31, 0]); // client_software_name "a", version "1", no tags
    const result = await sendBad(frame(Buffer.concat([headerV2, compactBody])));
    expect(result.closed).toBe(false);
    expect(result.frames.map((f) => f.readInt32BE(0))).toEqual([12, 9999]);
    const answer = parseApiVersionsResponse(result.frames[0]!);
    expect(answer.errorCode).toBe(35); // UNSUPPORTED_VERSION
    const range = answer.apiKeys.get(API.apiVersions);
    expect(range?.[0]).toBe(0);
    expect(range?.[1]).toBeGreaterThanOrEqual(2);
    await othersUnaffected();
  });
});

describe('bad record batches', () => {
  /** Produce v7 response: [topic [partition error ...]] -> error code of the first partition. */
  function produceError(frameBytes: Buffer): number {
    let o = 4; // correlation id
    o += 4; // topics count
    o += 2 + frameBytes.readInt16BE(o); // topic name
    o += 4; // partitions count
    o += 4; // partition index
    return frameBytes.readInt16BE(o);
  }

  test('garbage and bad-CRC record batches are refused per partition; the connection stays open', async () => {
    const garbage = Buffer.alloc(70, 7);
    const badCrc = Buffer.alloc(70);
    badCrc.writeInt32BE(58, 8); // batchLength consistent with 70 bytes
    badCrc.writeInt8(2, 16); // magic 2, but the CRC (zeros) does not match
    for (const [id, records] of [
      [20, garbage],
      [21, badCrc],
    ] as const) {
      const body = Buffer.concat([str(null), int16(-1), int32(1000), int32(1), str(topic), int32(1), int32(0), int32(records.length), records]);
      const result = await sendBad(encodeRequest(API.produce, 7, id, body));
      expect(result.closed).toBe(false);
      expect(result.frames.map((f) => f.readInt32BE(0))).toEqual([id, 9999]);
      // CORRUPT_MESSAGE (2) or INVALID_RECORD (87): never NONE.
      expect([2, 87]).toContain(produceError(result.frames[0]!));
    }
    await othersUnaffected();
    // Nothing from the refused batches reached the log: consumers saw only the liveness records.
    expect(consumed.every((v) => v.startsWith('alive-'))).toBe(true);
  });

  test('Produce to an unknown topic answers UNKNOWN_TOPIC_OR_PARTITION (Produce never auto-creates)', async () => {
    const missing = uniqueName('never-created');
    const result = await sendBad(produceRequest(22, missing, 0, recordBatch('lost')));
    expect(result.frames.map((f) => f.readInt32BE(0))).toEqual([22, 9999]);
    expect(produceError(result.frames[0]!)).toBe(3);
    // A well-formed batch hand-encoded here is accepted on an existing topic (the encoder is right).
    const ok = await sendBad(produceRequest(23, topic, 0, recordBatch('alive-raw')));
    expect(ok.frames.map((f) => f.readInt32BE(0))).toEqual([23, 9999]);
    expect(produceError(ok.frames[0]!)).toBe(0);
    await waitFor(() => consumed.includes('alive-raw'), 30_000, { description: 'raw-produced record consumed' });
  });
});

test('the bundled broker logged why it closed the bad connections (captured by the suite, not printed)', () => {
  // real Kafka's logs are its own; the in-process bundled broker's are captured in broker.logs
  expect(broker.logs.some((l) => l.includes('WARN closing connection'))).toBe(broker.kind === 'bundled');
});
