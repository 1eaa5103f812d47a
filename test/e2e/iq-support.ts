/**
 * Helpers of the interactive-query suites: free ports, JSON GETs against an instance's query server, and a
 * server-sent-events reader that collects a feed's events and says when its subscription is live.
 */
import http from 'node:http';
import { createServer } from 'node:net';

/** A port nothing listens on now (bound and released). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface JsonResponse {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: { [key: string]: unknown };
}

const agent = new http.Agent({ keepAlive: true });

/** GET a path on 127.0.0.1:port, parsing the JSON body. */
export function getJson(port: number, path: string, options: { method?: string; headers?: http.OutgoingHttpHeaders } = {}): Promise<JsonResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: options.headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        try {
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: JSON.parse(text) as { [key: string]: unknown } });
        } catch {
          reject(new Error(`${path}: not JSON (${res.statusCode}): ${text.slice(0, 200)}`));
        }
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

export function closeAgent(): void {
  agent.destroy();
}

export interface SseEvent {
  readonly id: string | null;
  readonly event: string;
  readonly data: { [key: string]: unknown };
}

/** Reads a server-sent-events stream; `live` resolves on the server's "subscribed" comment. */
export class SseReader {
  readonly events: SseEvent[] = [];
  readonly live: Promise<void>;
  status = 0;
  headers: http.IncomingHttpHeaders = {};
  ended = false;
  readonly #req: http.ClientRequest;

  constructor(port: number, path: string) {
    let markLive!: () => void;
    let fail!: (e: Error) => void;
    this.live = new Promise<void>((resolve, reject) => {
      markLive = resolve;
      fail = reject;
    });
    this.#req = http.get({ host: '127.0.0.1', port, path, headers: { accept: 'text/event-stream' } }, (res) => {
      this.status = res.statusCode ?? 0;
      this.headers = res.headers;
      if (this.status !== 200) {
        fail(new Error(`SSE ${path} answered ${this.status}`));
        res.resume();
        return;
      }
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        for (let i = buffer.indexOf('\n\n'); i >= 0; i = buffer.indexOf('\n\n')) {
          const block = buffer.slice(0, i);
          buffer = buffer.slice(i + 2);
          if (block.startsWith(': subscribed')) markLive();
          let id: string | null = null;
          let event = 'message';
          const data: string[] = [];
          for (const line of block.split('\n')) {
            if (line.startsWith('id: ')) id = line.slice(4);
            else if (line.startsWith('event: ')) event = line.slice(7);
            else if (line.startsWith('data: ')) data.push(line.slice(6));
          }
          if (data.length > 0) this.events.push({ id, event, data: JSON.parse(data.join('\n')) as { [key: string]: unknown } });
        }
      });
      res.on('end', () => {
        this.ended = true;
      });
    });
    this.#req.on('error', (e) => fail(e));
  }

  close(): void {
    this.#req.destroy();
  }
}
