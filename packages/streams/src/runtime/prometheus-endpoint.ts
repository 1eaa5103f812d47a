/**
 * An opt-in Prometheus endpoint for a `KafkaStreams` (or anything with `metrics()`): each scrape turns the current
 * metrics into prom-client gauges named as the JMX exporter names Kafka's (`kafka_streams_<group>_<name>`, tags as
 * labels, dashes as underscores) and serves prom-client's exposition text. prom-client is loaded only when used.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MetricValue } from './metrics';

export interface PrometheusEndpointOptions {
  /** Port to listen on (default 9464; 0 picks a free one). */
  readonly port?: number;
  /** Interface to bind (default 127.0.0.1). */
  readonly host?: string;
  /** Path of the metrics (default `/metrics`). */
  readonly path?: string;
}

export interface PrometheusEndpoint {
  /** The scrape URL, e.g. `http://127.0.0.1:9464/metrics`. */
  readonly url: string;
  close(): Promise<void>;
}

/** The Prometheus name of a Kafka Streams metric: `kafka_streams_stream_thread_metrics_process_rate`. */
export function prometheusName(group: string, name: string): string {
  return `kafka_streams_${group}_${name}`.replace(/[^a-zA-Z0-9_]/g, '_');
}

function labelName(tag: string): string {
  return tag.replace(/[^a-zA-Z0-9_]/g, '_');
}

/** prom-client's exposition text for a set of metric values. */
export async function prometheusText(values: ReadonlyArray<MetricValue>): Promise<{ contentType: string; body: string }> {
  const { Registry, Gauge } = await import('prom-client');
  const registry = new Registry();
  const families = new Map<string, { group: string; name: string; labels: Set<string>; values: MetricValue[] }>();
  for (const v of values) {
    const n = prometheusName(v.group, v.name);
    let f = families.get(n);
    if (!f) {
      f = { group: v.group, name: v.name, labels: new Set(), values: [] };
      families.set(n, f);
    }
    for (const t of Object.keys(v.tags)) f.labels.add(labelName(t));
    f.values.push(v);
  }
  for (const [n, f] of families) {
    const gauge = new Gauge({ name: n, help: `Kafka Streams ${f.group} ${f.name}`, labelNames: [...f.labels], registers: [registry] });
    for (const v of f.values) {
      const labels: { [k: string]: string } = {};
      for (const [k, val] of Object.entries(v.tags)) labels[labelName(k)] = val;
      gauge.set(labels, Number.isFinite(v.value) ? v.value : 0);
    }
  }
  return { contentType: registry.contentType, body: await registry.metrics() };
}

/**
 * Serves `source.metrics()` for Prometheus to scrape.
 * @example const endpoint = await startPrometheusEndpoint(streams, { port: 9464 }); … await endpoint.close();
 */
export async function startPrometheusEndpoint(source: { metrics(): MetricValue[] }, options: PrometheusEndpointOptions = {}): Promise<PrometheusEndpoint> {
  const metricsPath = options.path ?? '/metrics';
  const host = options.host ?? '127.0.0.1';
  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== metricsPath) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end(`Not found; metrics are at ${metricsPath}\n`);
      return;
    }
    prometheusText(source.metrics()).then(
      ({ contentType, body }) => res.writeHead(200, { 'content-type': contentType }).end(body),
      (e: unknown) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`${e instanceof Error ? e.message : String(e)}\n`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 9464, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}${metricsPath}`,
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}
