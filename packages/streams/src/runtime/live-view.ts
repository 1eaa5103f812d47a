/**
 * The live view: an HTTP server on its own port showing the running topology (the HTML picture) with each
 * processor node's process rate and total and each store's size, refreshed every second from `metrics()`.
 * `/` is the page, `/stats` the JSON it polls, `/metrics` the same metrics for Prometheus.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { graphToHtml, type LiveStats } from '../topology/render/html';
import { topologyGraph } from '../topology/render/topology-graph';
import type { Topology } from '../topology/topology';
import type { MetricValue } from './metrics';
import { prometheusText } from './prometheus-endpoint';

export interface LiveViewOptions {
  /** Port to listen on (default 7070; 0 picks a free one). */
  readonly port?: number;
  /** Interface to bind (default 127.0.0.1). */
  readonly host?: string;
  /** How often the page polls (default 1000 ms). */
  readonly intervalMs?: number;
  readonly title?: string;
}

export interface LiveView {
  /** The page, e.g. `http://127.0.0.1:7070/`. */
  readonly url: string;
  close(): Promise<void>;
}

/** What the page shows, summed over the tasks of this instance: per node name and per store name. */
export function liveStats(metrics: ReadonlyArray<MetricValue>, state?: string): LiveStats {
  const nodes: { [name: string]: { processRate: number; processTotal: number } } = {};
  const stores: { [name: string]: { size: number } } = {};
  for (const m of metrics) {
    if (m.group === 'stream-processor-node-metrics' && (m.name === 'process-total' || m.name === 'process-rate')) {
      const id = m.tags['processor-node-id'];
      if (id === undefined) continue;
      const n = (nodes[id] ??= { processRate: 0, processTotal: 0 });
      if (m.name === 'process-total') n.processTotal += m.value;
      else n.processRate += m.value;
    } else if (m.group === 'stream-state-metrics' && m.name === 'estimate-num-keys') {
      const tag = Object.keys(m.tags).find((t) => t.endsWith('-state-id'));
      if (tag === undefined) continue;
      const s = (stores[m.tags[tag]!] ??= { size: 0 });
      s.size += m.value;
    }
  }
  return { ...(state !== undefined ? { state } : {}), nodes, stores };
}

/**
 * Serves the live view of a running application.
 * @example const view = await startLiveView(streams, topology, { port: 7070 }); console.log(view.url);
 */
export async function startLiveView(
  streams: { metrics(): MetricValue[]; state?(): string },
  topology: Topology,
  options: LiveViewOptions = {},
): Promise<LiveView> {
  const page = graphToHtml(topologyGraph(topology.describe()), { title: options.title ?? 'kstreams live view', live: { url: 'stats', intervalMs: options.intervalMs ?? 1000 } }, topology.describe().toString());
  const host = options.host ?? '127.0.0.1';
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET') {
      res.writeHead(405, { 'content-type': 'text/plain' }).end('GET only\n');
    } else if (path === '/' || path === '/index.html') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
    } else if (path === '/stats') {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(liveStats(streams.metrics(), streams.state?.())));
    } else if (path === '/metrics') {
      prometheusText(streams.metrics()).then(
        ({ contentType, body }) => res.writeHead(200, { 'content-type': contentType }).end(body),
        (e: unknown) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`${String(e)}\n`),
      );
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found: the live view is at /, its data at /stats, Prometheus metrics at /metrics\n');
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 7070, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}/`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}
