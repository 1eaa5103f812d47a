/**
 * The task producer honours `producer.delivery.timeout.ms`: against a broker that accepts connections and
 * never answers, connecting fails with a DeliveryTimeoutError (which the runtime treats as a failed send: the
 * task is closed dirty and revived) instead of waiting on kafkajs' own timeouts and retries.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { KafkaClient } from '../../src/runtime/kafka-client';
import { DeliveryTimeoutError } from '../../src/runtime/task-producer';

jest.setTimeout(30_000);

let server: Server;
const sockets = new Set<Socket>();
let address = '';

beforeAll(async () => {
  server = createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const a = server.address();
  address = typeof a === 'object' && a !== null ? `127.0.0.1:${a.port}` : '';
});

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

test.each([
  ['at-least-once', null],
  ['exactly-once', 'app-0_0'],
])('%s: a silent broker fails the producer with a delivery timeout', async (_what, transactionalId) => {
  // logLevel 0 (NOTHING): kafkajs' connection errors are expected here
  const client = new KafkaClient({ clientId: 'delivery-timeout-test', bootstrapServers: [address], overrides: { logLevel: 0 } });
  const producer = client.producer({ transactionalId, overrides: { 'delivery.timeout.ms': '200', retries: '1' } });
  try {
    await expect(producer.connect()).rejects.toBeInstanceOf(DeliveryTimeoutError);
    await expect(producer.connect()).rejects.toThrow(/delivery\.timeout\.ms=200/);
  } finally {
    await producer.close();
    await client.close();
  }
});
