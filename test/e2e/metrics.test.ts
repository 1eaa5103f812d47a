/**
 * Metrics of a running WordCount on the bundled broker, scraped through the Prometheus endpoint: Kafka Streams'
 * groups, names and tags (thread, task, processor node, store), every name one Kafka Streams defines, and counts
 * that match the records processed.
 */
import type { Kafka } from 'kafkajs';
import { KafkaStreams, startPrometheusEndpoint, type MetricValue, type PrometheusEndpoint } from '@kstreams/streams';
import { startTestBroker, type TestBroker } from '../support/broker';
import { createKafka, createTopic } from '../support/kafka-client';
import { uniqueName } from '../support/unique-name';
import { waitFor } from '../support/wait-for';
import { decodeLong, produceLines, tempStateDir, TopicWatcher, waitForCounts, wordCountTopology, wordLines } from './e2e-support';

jest.setTimeout(120_000);

/**
 * Metric names Kafka Streams 4.1 defines, per group (ThreadMetrics, TaskMetrics, ProcessorNodeMetrics,
 * StateStoreMetrics and RocksDBMetrics): a sensor `x` gives `x-rate` and `x-total`, a latency sensor
 * `x-latency-avg` and `x-latency-max`.
 */
const rateTotal = (...names: string[]): string[] => names.flatMap((n) => [`${n}-rate`, `${n}-total`]);
const latency = (...names: string[]): string[] => names.flatMap((n) => [`${n}-latency-avg`, `${n}-latency-max`]);
const KAFKA_NAMES: { [group: string]: ReadonlySet<string> } = {
  'stream-thread-metrics': new Set([
    ...rateTotal('commit', 'poll', 'process', 'punctuate', 'task-created', 'task-closed'),
    ...latency('commit', 'poll', 'process', 'punctuate'),
    'process-ratio',
    'poll-ratio',
    'commit-ratio',
    'punctuate-ratio',
    'blocked-time-ns-total',
    'thread-start-time',
    'poll-records-avg',
    'poll-records-max',
  ]),
  'stream-task-metrics': new Set([
    ...rateTotal('process', 'punctuate', 'restore', 'update', 'enforced-processing', 'dropped-records'),
    ...latency('process', 'punctuate'),
    'restore-remaining-records-total',
    'record-lateness-avg',
    'record-lateness-max',
    'active-process-ratio',
    'active-buffer-count',
    'cache-size-bytes-total',
  ]),
  'stream-processor-node-metrics': new Set(rateTotal('process', 'suppression-emit', 'idempotent-update-skip', 'window-aggregate-final-emit')),
  'stream-state-metrics': new Set([
    ...['put', 'put-if-absent', 'put-all', 'get', 'fetch', 'all', 'range', 'prefix-scan', 'flush', 'delete', 'remove', 'restore'].flatMap((op) => [
      `${op}-rate`,
      ...latency(op),
    ]),
    'estimate-num-keys',
    'suppression-buffer-count-avg',
    'suppression-buffer-count-max',
    'suppression-buffer-size-avg',
    'suppression-buffer-size-max',
  ]),
};

/** Parses Prometheus exposition text into samples. */
function parseExposition(text: string): Array<{ name: string; labels: { [k: string]: string }; value: number }> {
  const out: Array<{ name: string; labels: { [k: string]: string }; value: number }> = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) throw new Error(`not an exposition line: ${line}`);
    const labels: { [k: string]: string } = {};
    for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]!] = l[2]!;
    out.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return out;
}

let broker: TestBroker;
let kafka: Kafka;

beforeAll(async () => {
  broker = await startTestBroker();
  kafka = createKafka(broker.bootstrapServers);
});

afterAll(async () => {
  await broker?.close();
});

test("WordCount's metrics carry Kafka Streams' names and tags and are scraped by Prometheus", async () => {
  const app = uniqueName('metrics');
  const input = `${app}-input`;
  const output = `${app}-output`;
  await createTopic(kafka, input, 2);
  await createTopic(kafka, output, 2);
  const { lines, expected } = wordLines(500);
  await produceLines(kafka, input, lines.map((l, i) => [`k${i}`, l] as const));

  const state = tempStateDir();
  const streams = new KafkaStreams(wordCountTopology(input, output), {
    applicationId: app,
    bootstrapServers: broker.bootstrapServers,
    stateDir: state.dir,
    commitIntervalMs: 200,
    'metrics.recording.level': 'DEBUG',
  });
  const watcher = await TopicWatcher.start(kafka, output, decodeLong);
  let endpoint: PrometheusEndpoint | null = null;
  try {
    await streams.start();
    endpoint = await startPrometheusEndpoint(streams, { port: 0 });
    await waitForCounts(watcher, expected, 60_000);

    // the scrape shows every input line processed by the thread
    const threadTotal = 'kafka_streams_stream_thread_metrics_process_total';
    const samples = await waitFor(async () => {
      const res = await fetch(endpoint!.url);
      expect(res.headers.get('content-type')).toContain('text/plain');
      const parsed = parseExposition(await res.text());
      const total = parsed.filter((s) => s.name === threadTotal).reduce((n, s) => n + s.value, 0);
      return total >= lines.length ? parsed : null;
    }, 60_000);

    const threadId = samples.find((s) => s.name === threadTotal)!.labels['thread_id']!;
    expect(threadId).toMatch(new RegExp(`^${app}-.+-StreamThread-1$`));
    const names = new Set(samples.map((s) => s.name));
    for (const n of [
      'kafka_streams_stream_thread_metrics_process_rate',
      'kafka_streams_stream_thread_metrics_commit_total',
      'kafka_streams_stream_thread_metrics_commit_latency_avg',
      'kafka_streams_stream_thread_metrics_commit_latency_max',
      'kafka_streams_stream_task_metrics_process_total',
      'kafka_streams_stream_task_metrics_record_lateness_avg',
      'kafka_streams_stream_task_metrics_record_lateness_max',
      'kafka_streams_stream_task_metrics_dropped_records_total',
      'kafka_streams_stream_processor_node_metrics_process_total',
      'kafka_streams_stream_processor_node_metrics_process_rate',
      'kafka_streams_stream_state_metrics_put_rate',
      'kafka_streams_stream_state_metrics_put_latency_avg',
      'kafka_streams_stream_state_metrics_put_latency_max',
      'kafka_streams_stream_state_metrics_get_rate',
    ]) {
      expect(names).toContain(n);
    }
    // tags: per node within its task; the store's tag names its type, as Kafka's do
    const sourceNode = samples.filter((s) => s.name === 'kafka_streams_stream_processor_node_metrics_process_total' && s.labels['processor_node_id'] === 'KSTREAM-SOURCE-0000000000');
    expect(sourceNode.map((s) => s.labels['task_id']).sort()).toEqual(['0_0', '0_1']);
    expect(sourceNode.reduce((n, s) => n + s.value, 0)).toBe(lines.length);
    for (const s of sourceNode) expect(s.labels['thread_id']).toBe(threadId);
    const put = samples.filter((s) => s.name === 'kafka_streams_stream_state_metrics_put_rate');
    expect(put.map((s) => s.labels['rocksdb_state_id'])).toEqual(['KSTREAM-AGGREGATE-STATE-STORE-0000000003', 'KSTREAM-AGGREGATE-STATE-STORE-0000000003']);
    const taskTotals = samples.filter((s) => s.name === 'kafka_streams_stream_task_metrics_process_total');
    expect(taskTotals.reduce((n, s) => n + s.value, 0)).toBeGreaterThanOrEqual(lines.length);

    // every metric streams.metrics() reports is one Kafka Streams defines, in the group Kafka puts it
    const all: MetricValue[] = streams.metrics();
    const foreign = all.filter((m) => !KAFKA_NAMES[m.group]?.has(m.name)).map((m) => `${m.group}/${m.name}`);
    expect([...new Set(foreign)]).toEqual([]);
    expect(all.every((m) => m.tags['thread-id'] === threadId)).toBe(true);
  } finally {
    await endpoint?.close();
    await watcher.stop();
    await streams.close();
    state.remove();
  }
});
