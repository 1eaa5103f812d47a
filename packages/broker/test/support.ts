/** Shared helpers for the broker's unit tests: kafkajs's own codecs as an oracle, temp dirs, raw frames. */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRequire } from 'node:module';

const load = createRequire(__filename);

interface KafkajsEncoder {
  buffer: Buffer;
}
interface KafkajsRequest {
  apiKey: number;
  apiVersion: number;
  encode(): Promise<KafkajsEncoder>;
}

/** Encodes a request body with kafkajs's encoder for `api` (its directory name) at `version`. */
export async function kafkajsRequestBody(api: string, version: number, args: unknown): Promise<Buffer> {
  const build = load(`kafkajs/src/protocol/requests/${api}/v${version}/request`) as (a: unknown) => KafkajsRequest;
  const req = build(args);
  return (await req.encode()).buffer;
}

/** Decodes a response body with kafkajs's decoder (and its `parse`, which throws on error codes, when asked). */
export async function kafkajsDecode<T = Record<string, unknown>>(api: string, version: number, body: Buffer, args?: unknown): Promise<T> {
  type Decoder = { decode(b: Buffer): Promise<T> };
  const mod = load(`kafkajs/src/protocol/requests/${api}/v${version}/response`) as Decoder | ((a: unknown) => Decoder);
  // a few kafkajs responses (DeleteRecords) are factories over the request's arguments
  return (typeof mod === 'function' ? mod(args) : mod).decode(body);
}

/** The record batch bytes a kafkajs producer sends for `messages` (taken from its Produce v7 encoder). */
export async function kafkajsBatch(
  messages: { key?: string | null; value: string | null; timestamp?: number; headers?: Record<string, string> }[],
  opts: { producerId?: number; producerEpoch?: number; firstSequence?: number; transactionalId?: string; compression?: number } = {},
): Promise<Buffer> {
  const body = await kafkajsRequestBody('produce', 7, {
    acks: -1,
    timeout: 1000,
    transactionalId: opts.transactionalId ?? null,
    producerId: opts.producerId ?? -1,
    producerEpoch: opts.producerEpoch ?? 0,
    compression: opts.compression ?? 0,
    topicData: [{ topic: 't', partitions: [{ partition: 0, firstSequence: opts.firstSequence ?? 0, messages }] }],
  });
  // Produce v7: transactional_id, acks, timeout, [topic [partition records]]
  let at = 0;
  const idLen = body.readInt16BE(at);
  at += 2 + Math.max(0, idLen) + 2 + 4 + 4;
  at += 2 + body.readInt16BE(at) + 4 + 4;
  const size = body.readInt32BE(at);
  return Buffer.from(body.subarray(at + 4, at + 4 + size));
}

export function tempDir(prefix = 'kstreams-broker-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

/** A size-prefixed request frame with header v1. */
export function requestFrame(apiKey: number, apiVersion: number, correlationId: number, body: Buffer, clientId = 'test'): Buffer {
  const id = Buffer.from(clientId);
  const head = Buffer.alloc(4 + 2 + 2 + 4 + 2 + id.length);
  head.writeInt32BE(head.length - 4 + body.length, 0);
  head.writeInt16BE(apiKey, 4);
  head.writeInt16BE(apiVersion, 6);
  head.writeInt32BE(correlationId, 8);
  head.writeInt16BE(id.length, 12);
  id.copy(head, 14);
  return Buffer.concat([head, body]);
}

/** A raw client connection that collects response frames. */
export class RawClient {
  private buf = Buffer.alloc(0);
  private readonly waiting: ((f: Buffer) => void)[] = [];
  private readonly frames: Buffer[] = [];
  closed: Promise<void>;
  isClosed = false;

  private constructor(readonly socket: net.Socket) {
    socket.on('data', (d: Buffer) => {
      this.buf = Buffer.concat([this.buf, d]);
      while (this.buf.length >= 4 && this.buf.length >= 4 + this.buf.readInt32BE(0)) {
        const size = this.buf.readInt32BE(0);
        const f = this.buf.subarray(4, 4 + size);
        this.buf = this.buf.subarray(4 + size);
        const w = this.waiting.shift();
        if (w) w(f);
        else this.frames.push(f);
      }
    });
    socket.on('error', () => undefined);
    this.closed = new Promise((resolve) =>
      socket.once('close', () => {
        this.isClosed = true;
        resolve();
      }),
    );
  }

  static connect(port: number): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const s = net.connect(port, '127.0.0.1', () => resolve(new RawClient(s)));
      s.once('error', reject);
    });
  }

  send(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  /** The next response frame (correlation id first), or rejects after `ms` or on close. */
  next(ms = 5000): Promise<Buffer> {
    const f = this.frames.shift();
    if (f) return Promise.resolve(f);
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no response within ${ms} ms`)), ms);
      void this.closed.then(() => {
        clearTimeout(t);
        reject(new Error('connection closed'));
      });
      this.waiting.push((fr) => {
        clearTimeout(t);
        resolve(fr);
      });
    });
  }

  close(): void {
    this.socket.destroy();
  }
}

/** Polls `cond` every 10 ms until it holds or `ms` passes. */
export async function waitFor(cond: () => boolean | Promise<boolean>, ms = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** One valid request body per API this broker serves, as kafkajs encodes them: the fuzzers' seed corpus. */
export async function seedRequests(topic: string): Promise<{ apiKey: number; apiVersion: number; body: Buffer }[]> {
  const specs: [number, string, number, unknown][] = [
    [18, 'apiVersions', 2, undefined],
    [3, 'metadata', 6, { topics: [topic], allowAutoTopicCreation: true }],
    [
      0,
      'produce',
      7,
      { acks: -1, timeout: 1000, compression: 0, topicData: [{ topic, partitions: [{ partition: 0, messages: [{ key: 'k', value: 'v' }] }] }] },
    ],
    [
      1,
      'fetch',
      11,
      { replicaId: -1, maxWaitTime: 0, minBytes: 1, maxBytes: 1 << 20, isolationLevel: 1, topics: [{ topic, partitions: [{ partition: 0, fetchOffset: '0', maxBytes: 1 << 20 }] }] },
    ],
    [2, 'listOffsets', 3, { replicaId: -1, isolationLevel: 1, topics: [{ topic, partitions: [{ partition: 0, timestamp: -1 }] }] }],
    [10, 'findCoordinator', 2, { coordinatorKey: 'g', coordinatorType: 0 }],
    [
      11,
      'joinGroup',
      5,
      { groupId: 'fz-g', sessionTimeout: 10000, rebalanceTimeout: 1000, memberId: '', protocolType: 'consumer', groupProtocols: [{ name: 'rr', metadata: Buffer.from([1]) }] },
    ],
    [14, 'syncGroup', 3, { groupId: 'fz-g', generationId: 1, memberId: 'm', groupAssignment: [{ memberId: 'm', memberAssignment: Buffer.from([1]) }] }],
    [12, 'heartbeat', 3, { groupId: 'fz-g', groupGenerationId: 1, memberId: 'm' }],
    [13, 'leaveGroup', 3, { groupId: 'fz-g', members: [{ memberId: 'm' }] }],
    [8, 'offsetCommit', 5, { groupId: 'fz-g', groupGenerationId: -1, memberId: '', topics: [{ topic, partitions: [{ partition: 0, offset: '1' }] }] }],
    [9, 'offsetFetch', 4, { groupId: 'fz-g', topics: [{ topic, partitions: [{ partition: 0 }] }] }],
    [15, 'describeGroups', 2, { groupIds: ['fz-g'] }],
    [16, 'listGroups', 2, undefined],
    [42, 'deleteGroups', 1, ['fz-g']],
    [19, 'createTopics', 3, { topics: [{ topic: `${topic}-c`, numPartitions: 1, replicationFactor: 1 }], timeout: 1000, validateOnly: true }],
    [20, 'deleteTopics', 1, { topics: [`${topic}-missing`], timeout: 1000 }],
    [37, 'createPartitions', 1, { topicPartitions: [{ topic, count: 1 }], validateOnly: true, timeout: 1000 }],
    [32, 'describeConfigs', 2, { resources: [{ type: 2, name: topic, configNames: [] }], includeSynonyms: false }],
    [33, 'alterConfigs', 1, { resources: [{ type: 2, name: topic, configEntries: [{ name: 'retention.ms', value: '1000' }] }], validateOnly: true }],
    [21, 'deleteRecords', 1, { topics: [{ topic, partitions: [{ partition: 0, offset: '0' }] }], timeout: 1000 }],
    [22, 'initProducerId', 1, { transactionalId: 'fz-tx', transactionTimeout: 1000 }],
    [24, 'addPartitionsToTxn', 1, { transactionalId: 'fz-tx', producerId: 1, producerEpoch: 0, topics: [{ topic, partitions: [0] }] }],
    [25, 'addOffsetsToTxn', 1, { transactionalId: 'fz-tx', producerId: 1, producerEpoch: 0, groupId: 'fz-g' }],
    [
      28,
      'txnOffsetCommit',
      1,
      { transactionalId: 'fz-tx', groupId: 'fz-g', producerId: 1, producerEpoch: 0, topics: [{ topic, partitions: [{ partition: 0, offset: '1' }] }] },
    ],
    [26, 'endTxn', 1, { transactionalId: 'fz-tx', producerId: 1, producerEpoch: 0, transactionResult: false }],
  ];
  const out: { apiKey: number; apiVersion: number; body: Buffer }[] = [];
  for (const [apiKey, api, apiVersion, args] of specs) out.push({ apiKey, apiVersion, body: await kafkajsRequestBody(api, apiVersion, args) });
  return out;
}

/** A small deterministic PRNG (mulberry32) so a failing fuzz case can be replayed from its seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Mutates a body: bit flips, byte overwrites with edge values, truncation, insertion, or splicing. */
export function mutate(body: Buffer, rnd: () => number): Buffer {
  const b = Buffer.from(body);
  const pick = rnd();
  const at = (): number => Math.floor(rnd() * Math.max(1, b.length));
  if (pick < 0.3) {
    const n = 1 + Math.floor(rnd() * 4);
    for (let i = 0; i < n && b.length > 0; i++) b[at()] = b[at()]! ^ (1 << Math.floor(rnd() * 8));
    return b;
  }
  if (pick < 0.55) {
    const edge = [0x00, 0xff, 0x7f, 0x80, 0x01, 0xfe];
    const n = 1 + Math.floor(rnd() * 3);
    for (let i = 0; i < n && b.length > 0; i++) b[at()] = edge[Math.floor(rnd() * edge.length)]!;
    return b;
  }
  if (pick < 0.75) return b.subarray(0, at());
  if (pick < 0.9) {
    const extra = Buffer.alloc(1 + Math.floor(rnd() * 16));
    for (let i = 0; i < extra.length; i++) extra[i] = Math.floor(rnd() * 256);
    const i = at();
    return Buffer.concat([b.subarray(0, i), extra, b.subarray(i)]);
  }
  const rand = Buffer.alloc(Math.floor(rnd() * 64));
  for (let i = 0; i < rand.length; i++) rand[i] = Math.floor(rnd() * 256);
  return rand;
}
