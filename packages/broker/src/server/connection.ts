/**
 * One client connection: reassembles size-prefixed frames from the byte stream, decodes the request
 * header, dispatches to the router and writes the response. As in Kafka's broker, one request is in
 * flight per connection: no further frame is taken from the connection until the current request's
 * response has been handed to the socket and the socket's write buffer has drained below its high water
 * mark, and reading stops (the socket is paused) once more than 64 KiB beyond the frame being assembled
 * is buffered meanwhile. A client that pipelines requests without reading the responses therefore fills
 * only its own TCP buffers; the broker holds at most one request frame (≤ socket.request.max.bytes), 64 KiB
 * of read-ahead and one response per connection. Anything malformed closes this connection only, with a log line naming the problem.
 */
import type * as net from 'node:net';
import { MalformedRequestError, UnsupportedApiError } from '@kstreams/protocol/errors';
import { Reader } from '@kstreams/protocol/reader';
import { dispatch, type RequestContext } from './router';
import type { Broker } from './broker';

/** Bytes read beyond the frame being assembled before the socket is paused while a request is in flight. */
const READ_AHEAD_BYTES = 64 * 1024;

export class Connection {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private expected = -1;
  /** A request is being handled or its response has not drained yet: no further frame is taken. */
  private busy = false;
  private pumping = false;
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
      this.chunks = [];
      this.buffered = 0;
    });
  }

  /** Bytes received but not yet taken as a request (bounded: reading stops while a request is in flight). */
  get bufferedBytes(): number {
    return this.buffered;
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
    if (!this.busy) this.pump();
    if (this.busy && this.buffered > READ_AHEAD_BYTES + Math.max(0, this.expected)) this.socket.pause();
  }

  /** Takes complete frames one at a time while each is answered at once; resumes reading when none is buffered. */
  private pump(): void {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (!this.closed && !this.busy) {
        const frame = this.nextFrame();
        if (frame === null) {
          if (!this.closed && this.socket.isPaused()) this.socket.resume();
          return;
        }
        this.busy = true;
        this.handleFrame(frame);
      }
    } finally {
      this.pumping = false;
    }
  }

  private nextFrame(): Buffer | null {
    if (this.expected < 0) {
      if (this.buffered < 4) return null;
      if (this.chunks[0]!.length < 4) this.chunks = [Buffer.concat(this.chunks, this.buffered)];
      const size = this.chunks[0]!.readInt32BE(0);
      if (size < 8 || size > this.broker.options.maxRequestBytes) {
        this.fail(`invalid frame size ${size} (must be 8..${this.broker.options.maxRequestBytes})`);
        return null;
      }
      this.expected = size + 4;
    }
    if (this.buffered < this.expected) return null;
    const all = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.buffered);
    const frame = all.subarray(4, this.expected);
    const rest = all.subarray(this.expected);
    this.chunks = rest.length > 0 ? [rest] : [];
    this.buffered = rest.length;
    this.expected = -1;
    return frame;
  }

  private handleFrame(frame: Buffer): void {
    const apiKey = frame.readInt16BE(0);
    const apiVersion = frame.readInt16BE(2);
    const correlationId = frame.readInt32BE(4);
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
      if (result === null) {
        this.done();
      } else if (result instanceof Promise) {
        result.then(
          (body) => this.respond(correlationId, body),
          (e: unknown) => this.fail(`request ${apiKey}v${apiVersion} failed: ${(e as Error).stack ?? String(e)}`),
        );
      } else {
        this.respond(correlationId, result);
      }
    } catch (e) {
      if (e instanceof MalformedRequestError || e instanceof UnsupportedApiError) {
        this.fail(`${e.name}: ${e.message} (api ${apiKey} v${apiVersion}, correlation ${correlationId})`);
      } else {
        this.fail(`request api ${apiKey} v${apiVersion} failed: ${(e as Error).stack ?? String(e)}`);
      }
    }
  }

  private respond(correlationId: number, body: Buffer[]): void {
    if (this.closed) return;
    let len = 4;
    for (const b of body) len += b.length;
    const head = Buffer.allocUnsafe(8);
    head.writeInt32BE(len, 0);
    head.writeInt32BE(correlationId, 4);
    this.socket.cork();
    this.socket.write(head);
    for (const c of body) this.socket.write(c);
    this.socket.uncork();
    // unmute once the socket has taken the response: at once, or when its buffer drains
    if (this.socket.writableNeedDrain) this.socket.once('drain', () => this.done());
    else this.done();
  }

  private done(): void {
    this.busy = false;
    if (!this.closed) this.pump();
  }
}
