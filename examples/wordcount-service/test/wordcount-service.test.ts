/**
 * The WordCount service as the README runs it: two instances on one broker (the bundled one, in process), lines
 * fed to the input topic, and every word's count answered over HTTP by either instance.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, Partitioners, logLevel } from 'kafkajs';
import { startBroker } from '@kstreams/broker';
import { INPUT_TOPIC, startWordCountService, type WordCountService } from '../src/service';

jest.setTimeout(120_000);

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

function get(port: number, path: string): Promise<{ status: number; body: { [k: string]: unknown } }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as { [k: string]: unknown } }));
      })
      .on('error', reject);
  });
}

test('two instances answer for every word, whichever holds it', async () => {
  const work = mkdtempSync(join(tmpdir(), 'wc-service-'));
  const broker = await startBroker({ host: '127.0.0.1', port: 0, dataDir: join(work, 'broker'), logLevel: 'error' });
  const kafka = new Kafka({ clientId: 'wc-service-test', brokers: [broker.bootstrapServers], logLevel: logLevel.NOTHING });
  const services: WordCountService[] = [];
  try {
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic: INPUT_TOPIC, numPartitions: 4 }] });
    await admin.disconnect();
    const ports = [await freePort(), await freePort()];
    for (const [i, port] of ports.entries()) {
      services.push(await startWordCountService({ bootstrapServers: broker.bootstrapServers, port, stateDir: join(work, `state-${i}`), applicationId: 'wc-service-test' }));
    }
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    const lines = ['all streams lead to kafka', 'hello kafka streams', 'join kafka summit'];
    await producer.send({ topic: INPUT_TOPIC, messages: lines.map((value) => ({ value })) });
    await producer.disconnect();
    const expected: { [w: string]: number } = { all: 1, streams: 2, lead: 1, to: 1, kafka: 3, hello: 1, join: 1, summit: 1 };
    const answers = async (): Promise<boolean> => {
      for (const port of ports) {
        for (const [w, n] of Object.entries(expected)) {
          const r = await get(port, `/stores/counts/keys/${w}`);
          if (r.status !== 200 || r.body['value'] !== n) return false;
        }
      }
      return true;
    };
    const deadline = Date.now() + 60_000;
    let ok = false;
    while (!ok && Date.now() < deadline) {
      ok = await answers();
      if (!ok) await new Promise((r) => setTimeout(r, 100));
    }
    expect(ok).toBe(true);
    // each answer names the instance holding the word; some went through the other instance (forwarded)
    const endpoints = ports.map((p) => `127.0.0.1:${p}`);
    let forwarded = 0;
    for (const [i, port] of ports.entries()) {
      for (const w of Object.keys(expected)) {
        const servedBy = (await get(port, `/stores/counts/keys/${w}`)).body['servedBy'];
        expect(endpoints).toContain(servedBy);
        if (servedBy !== endpoints[i]) forwarded++;
      }
    }
    expect(forwarded).toBe(Object.keys(expected).length);
  } finally {
    for (const s of services) await s.close();
    await broker.close();
    rmSync(work, { recursive: true, force: true });
  }
});
