/**
 * Conformance: a bounded fuzz of the request decoder. Thousands of random frames and mutations of
 * valid requests (bit flips, boundary integers, truncation, extension, spliced bytes, swapped API
 * keys and versions), each correctly size-prefixed and followed by a valid ApiVersions request on the
 * same connection. The broker may answer or close, but responses always carry the right correlation
 * ids in order, and afterwards the broker is healthy: the pre-existing clients and new ones work.
 *
 * Reproducible: KSTREAMS_FUZZ_SEED (default fixed), KSTREAMS_FUZZ_FRAMES (default 3000), bounded
 * by a 45 s budget. Only read-mostly APIs are generated, so a shared real Kafka is not damaged.
 */
import type { Consumer, Kafka, Producer } from 'kafkajs';

import { startTestBroker, type TestBroker } from '../support/broker';
import { createKafka, createTopic, defaultPartitioner, drainTopic, fastConsumerConfig } from '../support/kafka-client';
import {
  apiVersionsRequest,
  frame,
  parseApiVersionsResponse,
  produceRequest,
  RawConnection,
  recordBatch,
  seedRequests,
} from '../support/raw-kafka';
import { uniqueName } from '../support/unique-name';
import { waitFor } from '../support/wait-for';

jest.setTimeout(120_000);

const SEED = Number(process.env['KSTREAMS_FUZZ_SEED'] ?? 20240611);
const FRAMES = Number(process.env['KSTREAMS_FUZZ_FRAMES'] ?? 3000);
const BUDGET_MS = 45_000;
const CONCURRENCY = 12;
const ANSWER_MS = 750;
const SENTINEL = 0x7ffffff0;

/**
 * API keys the fuzzer may put in a header: kafkajs's read-mostly and group/transaction APIs, plus
 * unknown keys. Left out on purpose: topic/record/group deletion, topic and partition creation
 * (a random partition count could be huge), config and ACL changes, inter-broker and feature APIs.
 */
const ALLOWED_KEYS = [0, 1, 2, 3, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 22, 24, 25, 26, 28, 32, 36, 60, 75, 200, 999, -1];

/** mulberry32: small, fast, deterministic. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const INTERESTING_32 = [0, 1, -1, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff, 0x7fffffff, -0x80000000, 1 << 20];

let broker: TestBroker;
let kafka: Kafka;
let topic: string;
let producer: Producer;
let consumer: Consumer;
const consumed: string[] = [];

beforeAll(async () => {
  broker = await startTestBroker();
  kafka = createKafka(broker.bootstrapServers);
  topic = uniqueName('fuzz');
  await createTopic(kafka, topic, 2);
  producer = kafka.producer({ createPartitioner: defaultPartitioner });
  await producer.connect();
  consumer = kafka.consumer(fastConsumerConfig(uniqueName('fuzz-group')));
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({ eachMessage: async ({ message }) => void consumed.push(message.value?.toString() ?? '') });
});

afterAll(async () => {
  await consumer?.disconnect();
  await producer?.disconnect();
  await broker?.close();
});

function makeGenerator(random: () => number, seeds: Buffer[]): () => Buffer {
  const int = (n: number) => Math.floor(random() * n);
  const pick = <T>(list: readonly T[]): T => list[int(list.length)]!;
  const randomBytes = (n: number) => Buffer.from(Array.from({ length: n }, () => int(256)));

  const mutate = (payload: Buffer): Buffer => {
    let p = Buffer.from(payload);
    const rounds = 1 + int(4);
    for (let r = 0; r < rounds; r++) {
      const at = p.length === 0 ? 0 : int(p.length);
      switch (int(7)) {
        case 0: // flip a bit
          if (p.length > 0) p[at] = p[at]! ^ (1 << int(8));
          break;
        case 1: // boundary byte
          if (p.length > 0) p[at] = pick([0x00, 0xff, 0x7f, 0x80]);
          break;
        case 2: // boundary int16/int32 (lengths, counts, versions)
          if (at + 4 <= p.length) p.writeInt32BE(pick(INTERESTING_32) | 0, at);
          else if (at + 2 <= p.length) p.writeInt16BE(pick([0, -1, 0x7fff, -0x8000, 1]), at);
          break;
        case 3: // truncate
          p = p.subarray(0, int(p.length + 1));
          break;
        case 4: // extend with random bytes
          p = Buffer.concat([p, randomBytes(1 + int(32))]);
          break;
        case 5: // splice a chunk of another valid request
          p = Buffer.concat([p.subarray(0, at), pick(seeds).subarray(4 + int(8), 4 + int(64)), p.subarray(at)]);
          break;
        default: // another version of the same API
          if (p.length >= 4) p.writeInt16BE(int(20) - 2, 2);
      }
    }
    return p;
  };

  return () => {
    let payload: Buffer;
    if (random() < 0.25) {
      // Random header + random body.
      const header = Buffer.alloc(8);
      header.writeInt16BE(pick(ALLOWED_KEYS), 0);
      header.writeInt16BE(int(16) - 1, 2);
      header.writeInt32BE(int(0x7fffffff), 4);
      payload = Buffer.concat([header, randomBytes(int(160))]);
    } else {
      payload = mutate(pick(seeds).subarray(4));
    }
    // Keep the API key on the allowed list whatever the mutations did.
    if (payload.length >= 2 && !ALLOWED_KEYS.includes(payload.readInt16BE(0))) payload.writeInt16BE(pick(ALLOWED_KEYS), 0);
    // Never reuse the sentinel's correlation id.
    if (payload.length >= 8 && payload.readInt32BE(4) === SENTINEL) payload.writeInt32BE(1, 4);
    return frame(payload);
  };
}

interface Stats {
  sent: number;
  answeredBoth: number;
  closed: number;
  unanswered: number;
  outOfOrder: string[];
}

async function worker(address: string, next: () => Buffer | undefined, stats: Stats): Promise<void> {
  let conn: RawConnection | undefined;
  try {
    for (let bytes = next(); bytes !== undefined; bytes = next()) {
      conn ??= await RawConnection.open(address);
      stats.sent += 1;
      const correlationId = bytes.length >= 12 ? bytes.readInt32BE(8) : undefined;
      conn.send(bytes);
      conn.send(apiVersionsRequest(SENTINEL, 0));
      const ids: number[] = [];
      let outcome: 'sentinel' | 'closed' | 'timeout' = 'timeout';
      for (let i = 0; i < 3; i++) {
        const got = await conn.next(ANSWER_MS);
        if (got.kind === 'frame') {
          const id = got.frame.readInt32BE(0);
          ids.push(id);
          if (id === SENTINEL) {
            outcome = 'sentinel';
            if (parseApiVersionsResponse(got.frame).errorCode !== 0) stats.outOfOrder.push('sentinel answered with an error');
            break;
          }
          continue;
        }
        outcome = got.kind;
        break;
      }
      // Responses come in request order: at most one for the fuzzed request, then the sentinel's.
      const allowed = [[], [SENTINEL], [correlationId, SENTINEL], [correlationId]];
      if (!allowed.some((a) => a.length === ids.length && a.every((v, i) => v === ids[i]))) {
        stats.outOfOrder.push(`request ${bytes.subarray(4, 16).toString('hex')}: responses ${ids.join(',')}`);
      }
      if (outcome === 'sentinel') stats.answeredBoth += 1;
      else if (outcome === 'closed') stats.closed += 1;
      else stats.unanswered += 1; // e.g. a parked JoinGroup or Fetch: drop this connection
      if (outcome !== 'sentinel') {
        conn.destroy();
        conn = undefined;
      }
    }
  } finally {
    conn?.destroy();
  }
}

describe('request decoder fuzz', () => {
  test(`${FRAMES} random and mutated frames (seed ${SEED}); broker healthy afterwards`, async () => {
    const groupId = uniqueName('fuzz-seed-group');
    const seeds = [...seedRequests(topic, groupId), produceRequest(13, topic, 0, recordBatch('fuzz-seed'))];
    const generate = makeGenerator(prng(SEED), seeds);
    const deadline = Date.now() + BUDGET_MS;
    let produced = 0;
    const next = () => {
      if (produced >= FRAMES || Date.now() > deadline) return undefined;
      produced += 1;
      return generate();
    };
    const stats: Stats = { sent: 0, answeredBoth: 0, closed: 0, unanswered: 0, outOfOrder: [] };
    const bystander = await RawConnection.open(broker.bootstrapServers);
    try {
      await Promise.all(Array.from({ length: CONCURRENCY }, () => worker(broker.bootstrapServers, next, stats)));

      expect(stats.outOfOrder).toEqual([]);
      // The run was not cut down to a token amount by the time budget.
      expect(stats.sent).toBeGreaterThanOrEqual(Math.min(FRAMES, 1000));
      // Both outcomes occur: the decoder rejects (closes) and survives (answers) mutated input.
      expect(stats.closed).toBeGreaterThan(0);
      expect(stats.answeredBoth).toBeGreaterThan(0);

      // Healthy: a connection opened before the fuzz still answers...
      bystander.send(apiVersionsRequest(77, 0));
      const answer = await bystander.next(5000);
      expect(answer.kind === 'frame' && parseApiVersionsResponse(answer.frame).correlationId).toBe(77);
    } finally {
      bystander.destroy();
    }
    // ...kafkajs clients connected before it still produce and consume...
    await producer.send({ topic, acks: -1, messages: [{ partition: 1, value: 'after-fuzz' }] });
    await waitFor(() => consumed.includes('after-fuzz'), 30_000, { description: 'existing consumer still consuming' });
    // ...and new clients work end to end, groups included.
    const fresh = createKafka(broker.bootstrapServers);
    const records = await drainTopic(fresh, topic);
    expect(records.some((r) => r.value === 'after-fuzz')).toBe(true);
    const admin = fresh.admin();
    await admin.connect();
    try {
      const cluster = await admin.describeCluster();
      expect(cluster.brokers).toHaveLength(1);
    } finally {
      await admin.disconnect();
    }
  });
});

test('the bundled broker logged why it closed the bad connections (captured by the suite, not printed)', () => {
  // real Kafka's logs are its own; the in-process bundled broker's are captured in broker.logs
  expect(broker.logs.some((l) => l.includes('WARN closing connection'))).toBe(broker.kind === 'bundled');
});
