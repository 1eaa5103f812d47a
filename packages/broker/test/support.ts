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
export async function kafkajsRequestBody(api: string, version: number, args: Record<string, unknown>): Promise<Buffer> {
  const build = load(`kafkajs/src/protocol/requests/${api}/v${version}/request`) as (a: Record<string, unknown>) => KafkajsRequest;
  const req = build(args);
  return (await req.encode()).buffer;
}

/** Decodes a response body with kafkajs's decoder (and its `parse`, which throws on error codes, when asked). */
export async function kafkajsDecode<T = Record<string, unknown>>(api: string, version: number, body: Buffer): Promise<T> {
  const mod = load(`kafkajs/src/protocol/requests/${api}/v${version}/response`) as { decode(b: Buffer): Promise<T> };
  return mod.decode(body);
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
