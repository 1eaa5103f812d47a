/**
 * Fuzzing the request decoder: thousands of mutated kafkajs requests and random frames. In process,
 * every failure must be a typed protocol error; over sockets, the broker must still serve a kafkajs
 * producer and consumer afterwards. The PRNG is seeded, so a failure replays exactly.
 */
import { Kafka, logLevel } from 'kafkajs';
import { MalformedRequestError, UnsupportedApiError } from '@kstreams/protocol/errors';
import { Reader } from '@kstreams/protocol/reader';
import { Broker } from '../src/server/broker';
import { dispatch, type RequestContext } from '../src/server/router';
import { mutate, prng, RawClient, removeDir, requestFrame, seedRequests, tempDir, waitFor } from './support';

const SEED = 20261122;

describe('request decoder fuzz', () => {
  let dir: string;
  let broker: Broker;

  beforeAll(async () => {
    dir = tempDir();
    broker = new Broker({ dataDir: dir, logLevel: 'silent' });
    await broker.listen();
  });
  afterAll(async () => {
    await broker.close();
    removeDir(dir);
  });

  it('throws only typed protocol errors for 6000 mutated and random requests', async () => {
    const seeds = await seedRequests('fuzz-a');
    const rnd = prng(SEED);
    const unexpected: string[] = [];
    let typed = 0;
    let handled = 0;
    for (let i = 0; i < 6000; i++) {
      const seed = seeds[Math.floor(rnd() * seeds.length)]!;
      const body = rnd() < 0.9 ? mutate(seed.body, rnd) : seed.body;
      const apiVersion = rnd() < 0.05 ? Math.floor(rnd() * 20) - 2 : seed.apiVersion;
      const apiKey = rnd() < 0.03 ? Math.floor(rnd() * 80) : seed.apiKey;
      const ctx: RequestContext = { apiKey, apiVersion, correlationId: i, clientId: 'fuzz', clientHost: '/127.0.0.1', broker };
      try {
        const out = dispatch(ctx, new Reader(body));
        handled++;
        if (out instanceof Promise) out.catch((e: unknown) => unexpected.push(`#${i} async ${String(e)}`));
      } catch (e) {
        if (e instanceof MalformedRequestError || e instanceof UnsupportedApiError) typed++;
        else unexpected.push(`#${i} api ${apiKey} v${apiVersion}: ${(e as Error).stack ?? String(e)}`);
      }
    }
    await new Promise((r) => setImmediate(r));
    expect(unexpected.slice(0, 5)).toEqual([]);
    // both paths were exercised
    expect(typed).toBeGreaterThan(500);
    expect(handled).toBeGreaterThan(500);
  });

  it('stays healthy over sockets after 3000 bad frames: kafkajs still produces and consumes', async () => {
    const seeds = await seedRequests('fuzz-b');
    const rnd = prng(SEED + 1);
    let clients = await Promise.all([0, 1, 2, 3].map(() => RawClient.connect(broker.port)));
    let closedConnections = 0;
    for (let i = 0; i < 3000; i++) {
      const k = i % clients.length;
      if (clients[k]!.isClosed) {
        closedConnections++;
        clients[k] = await RawClient.connect(broker.port);
      }
      const seed = seeds[Math.floor(rnd() * seeds.length)]!;
      let frame: Buffer;
      const kind = rnd();
      if (kind < 0.7) frame = requestFrame(seed.apiKey, seed.apiVersion, i, mutate(seed.body, rnd));
      else if (kind < 0.9) frame = mutate(requestFrame(seed.apiKey, seed.apiVersion, i, seed.body), rnd);
      else frame = requestFrame(Math.floor(rnd() * 100), Math.floor(rnd() * 12), i, mutate(seed.body, rnd));
      clients[k]!.send(frame);
      if (i % 100 === 99) await new Promise((r) => setImmediate(r));
    }
    for (const c of clients) c.close();
    clients = [];
    expect(closedConnections).toBeGreaterThan(10);

    const kafka = new Kafka({ brokers: [`127.0.0.1:${broker.port}`], logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'after-fuzz', numPartitions: 2 }] });
    await admin.disconnect();
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: 'after-fuzz', messages: Array.from({ length: 20 }, (_, i) => ({ key: `k${i}`, value: `v${i}` })) });
    await producer.disconnect();
    const consumer = kafka.consumer({ groupId: 'after-fuzz-group' });
    await consumer.connect();
    await consumer.subscribe({ topics: ['after-fuzz'], fromBeginning: true });
    const seen = new Set<string>();
    await consumer.run({ eachMessage: async ({ message }) => void seen.add(message.value!.toString()) });
    await waitFor(() => seen.size === 20, 20_000, 'all 20 records consumed');
    await consumer.disconnect();
    expect(seen.size).toBe(20);
  }, 60_000);
});
