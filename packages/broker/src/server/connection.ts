/**
 * One client connection: reassembles size-prefixed frames from the byte stream, decodes the request
 * header, dispatches to the router, and writes responses strictly in request order (a parked Fetch or
 * JoinGroup holds back later responses on the same connection, as in Kafka). Anything malformed closes
 * this connection only, with a log line naming the problem.
 */
import type * as net from 'node:net';
import { MalformedRequestError, UnsupportedApiError } from '../protocol/errors';
import { Reader } from '../protocol/reader';
import { dispatch, type RequestContext } from './router';
import type { Broker } from './broker';

interface Slot {
  ready: boolean;
  chunks: Buffer[] | null;
}

export class Connection {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private expected = -1;
  private readonly queue: Slot[] = [];
  private closed = false;
  private readonly peer: string;

  constructor(
    private readonly socket: net.Socket,
    private readonly broker: Broker,
  ) {
    this.peer = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (e) => broker.log.debug(`connection ${this.peer}: ${e.message}`));
    socket.on('close', () => {
      this.closed = true;
    });
  }

  destroy(): void {
    this.closed = true;
    this.socket.destroy();
  }

  private fail(reason: string): void {
    if (this.closed) return;
    this.broker.log.warn(`closing connection ${this.peer}: ${reason}`);
    this.destroy();
  }

  private onData(chunk: Buffer): void {
    if (this.closed) return;
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    while (!this.closed) {
      if (this.expected < 0) {
        if (this.buffered < 4) return;
        if (this.chunks[0]!.length < 4) this.chunks = [Buffer.concat(this.chunks, this.buffered)];
        const size = this.chunks[0]!.readInt32BE(0);
        if (size < 8 || size > this.broker.options.maxRequestBytes) {
          this.fail(`invalid frame size ${size} (must be 8..${this.broker.options.maxRequestBytes})`);
          return;
        }
        this.expected = size + 4;
      }
      if (this.buffered < this.expected) return;
      const all = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.buffered);
      const frame = all.subarray(4, this.expected);
      const rest = all.subarray(this.expected);
      this.chunks = rest.length > 0 ? [rest] : [];
      this.buffered = rest.length;
      this.expected = -1;
      this.handleFrame(frame);
    }
  }

  private handleFrame(frame: Buffer): void {
    const apiKey = frame.readInt16BE(0);
    const apiVersion = frame.readInt16BE(2);
    const correlationId = frame.readInt32BE(4);
    const slot: Slot = { ready: false, chunks: null };
    try {
      const reader = new Reader(frame, 8);
      const clientId = reader.nullableString() ?? '';
      const ctx: RequestContext = {
        apiKey,
        apiVersion,
        correlationId,
        clientId,
        clientHost: `/${this.socket.remoteAddress ?? 'unknown'}`,
        broker: this.broker,
      };
      const result = dispatch(ctx, reader);
      this.queue.push(slot);
      if (result === null) {
        slot.ready = true;
      } else if (result instanceof Promise) {
        result.then(
          (body) => this.complete(slot, correlationId, body),
          (e: unknown) => this.fail(`request ${apiKey}v${apiVersion} failed: ${(e as Error).stack ?? String(e)}`),
        );
        return;
      } else {
        this.complete(slot, correlationId, result);
        return;
      }
      this.flush();
    } catch (e) {
      if (e instanceof MalformedRequestError || e instanceof UnsupportedApiError) {
        this.fail(`${e.name}: ${e.message} (api ${apiKey} v${apiVersion}, correlation ${correlationId})`);
      } else {
        this.fail(`request api ${apiKey} v${apiVersion} failed: ${(e as Error).stack ?? String(e)}`);
      }
    }
  }

  private complete(slot: Slot, correlationId: number, body: Buffer[] | null): void {
    slot.ready = true;
    if (body !== null) {
      let len = 4;
      for (const b of body) len += b.length;
      const head = Buffer.allocUnsafe(8);
      head.writeInt32BE(len, 0);
      head.writeInt32BE(correlationId, 4);
      slot.chunks = [head, ...body];
    }
    this.flush();
  }

  private flush(): void {
    if (this.closed) return;
    let corked = false;
    while (this.queue.length > 0 && this.queue[0]!.ready) {
      const slot = this.queue.shift()!;
      if (!slot.chunks) continue;
      if (!corked) {
        this.socket.cork();
        corked = true;
      }
      for (const c of slot.chunks) this.socket.write(c);
    }
    if (corked) this.socket.uncork();
  }
}
