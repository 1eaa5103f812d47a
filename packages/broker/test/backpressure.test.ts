/**
 * Per-connection backpressure: a raw client pipelines 2,000 Fetch requests (each answered with about
 * 1 MB) and never reads. The broker, run as its own process (the built CLI) so its RSS can be read, takes
 * one request at a time per connection and stops reading until the response drains, so its memory stays
 * bounded (the assertion: RSS grows by less than 200 MB, against ~2 GB if every response were built), and
 * a second client is served meanwhile.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { kafkajsRequestBody, removeDir, requestFrame, tempDir } from './support';

jest.setTimeout(120_000);

const CLI = path.join(__dirname, '..', 'dist', 'cli.js');
const RSS_BOUND_BYTES = 200 * 1024 * 1024;
const PIPELINED = 2000;

function rssBytes(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /VmRSS:\s+(\d+) kB/.exec(status);
  if (!kb) throw new Error('no VmRSS line');
  return Number(kb[1]) * 1024;
}

function startCli(dir: string): Promise<{ child: ChildProcess; address: string }> {
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: build @kstreams/broker first (npx turbo run build)`);
  const child = spawn(process.execPath, [CLI, 'start', '--port', '0', '--data-dir', dir, '--log-level', 'warn'], { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^(127\.0\.0\.1:\d+)$/m.exec(out);
      if (m) resolve({ child, address: m[1]! });
    });
    child.once('exit', (code) => reject(new Error(`broker exited with ${code}: ${out}`)));
  });
}

describe('backpressure', () => {
  let dir: string;
  let child: ChildProcess;
  let address: string;

  beforeAll(async () => {
    dir = tempDir();
    ({ child, address } = await startCli(dir));
  });
  afterAll(async () => {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
    }
    removeDir(dir);
  });

  it(`keeps memory bounded while a client pipelines ${PIPELINED} fetches and never reads; others are served`, async () => {
    const kafka = new Kafka({ brokers: [address], logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'slow', numPartitions: 1 }] });
    await admin.disconnect();
    const producer = kafka.producer();
    await producer.connect();
    const value = Buffer.alloc(10_000, 7);
    for (let i = 0; i < 12; i++) await producer.send({ topic: 'slow', messages: Array.from({ length: 10 }, () => ({ value })) });
    await producer.disconnect();

    const pid = child.pid!;
    const before = rssBytes(pid);

    // the slow reader: never reads a byte of its responses
    const body = await kafkajsRequestBody('fetch', 11, {
      replicaId: -1,
      maxWaitTime: 0,
      minBytes: 1,
      maxBytes: 1 << 20,
      isolationLevel: 0,
      topics: [{ topic: 'slow', partitions: [{ partition: 0, fetchOffset: '0', maxBytes: 1 << 20 }] }],
    });
    const [host, port] = address.split(':');
    const slow = net.connect(Number(port), host);
    await new Promise((r) => slow.once('connect', r));
    slow.pause();
    for (let i = 0; i < PIPELINED; i++) slow.write(requestFrame(1, 11, i, body));

    // another client is served meanwhile: it reads all 120 records
    const consumer = kafka.consumer({ groupId: 'other' });
    await consumer.connect();
    await consumer.subscribe({ topic: 'slow', fromBeginning: true });
    let seen = 0;
    await new Promise<void>((resolve) => {
      void consumer.run({
        eachMessage: async () => {
          seen += 1;
          if (seen === 120) resolve();
        },
      });
    });
    await consumer.disconnect();
    expect(seen).toBe(120);

    const grown = rssBytes(pid) - before;
    expect(grown).toBeLessThan(RSS_BOUND_BYTES);

    // the slow reader, once it reads, gets its responses in order
    const firstIds: number[] = [];
    await new Promise<void>((resolve) => {
      let buf = Buffer.alloc(0);
      slow.on('data', (d: Buffer) => {
        buf = Buffer.concat([buf, d]);
        while (buf.length >= 8 && buf.length >= 4 + buf.readInt32BE(0)) {
          firstIds.push(buf.readInt32BE(4));
          buf = buf.subarray(4 + buf.readInt32BE(0));
          if (firstIds.length === 3) resolve();
        }
      });
      slow.resume();
    });
    expect(firstIds.slice(0, 3)).toEqual([0, 1, 2]);
    slow.destroy();
  });

  it.each(['SIGTERM', 'SIGINT'] as const)('the CLI exits with status 0 on %s and releases its data directory', async (signal) => {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
    }
    ({ child } = await startCli(dir));
    const exit = new Promise<[number | null, string | null]>((r) => child.once('exit', (code, sig) => r([code, sig])));
    child.kill(signal);
    expect(await exit).toEqual([0, null]);
    expect(fs.existsSync(path.join(dir, '.lock'))).toBe(false);
  });
});
