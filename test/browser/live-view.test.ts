/**
 * The live view in chromium against a running WordCount on the bundled broker: the page draws the topology, shows
 * each node's records processed and the store's size, and the numbers follow the application as more records
 * arrive. A screenshot goes to artefacts/.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Kafka } from 'kafkajs';
import type { Browser } from 'playwright-core';
import { KafkaStreams, startLiveView, topologyGraph, type LiveView } from '@kstreams/streams';
import { startTestBroker, type TestBroker } from '../support/broker';
import { createKafka, createTopic } from '../support/kafka-client';
import { uniqueName } from '../support/unique-name';
import { waitFor } from '../support/wait-for';
import { produceLines, tempStateDir, wordCountTopology } from '../e2e/e2e-support';
import { ARTEFACTS, launchChromium } from './chromium';

jest.setTimeout(180_000);

let broker: TestBroker;
let kafka: Kafka;
let browser: Browser;

beforeAll(async () => {
  fs.mkdirSync(ARTEFACTS, { recursive: true });
  [broker, browser] = await Promise.all([startTestBroker(), launchChromium()]);
  kafka = createKafka(broker.bootstrapServers);
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await broker?.close();
});

/** The number at the start of a node's live line ("12.0 rec/s · 345 total" → 345 total; "7 entries" → 7). */
function totalOf(text: string | null): number {
  const m = /(\d+) (?:total|entries)/.exec(text ?? '');
  return m ? Number(m[1]) : -1;
}

test('the live view shows per-node totals and rates and the store size of a running app, updating', async () => {
  const app = uniqueName('live');
  const input = `${app}-input`;
  const output = `${app}-output`;
  await createTopic(kafka, input, 1);
  await createTopic(kafka, output, 1);
  const topology = wordCountTopology(input, output);
  const state = tempStateDir();
  const streams = new KafkaStreams(topology, { applicationId: app, bootstrapServers: broker.bootstrapServers, stateDir: state.dir, commitIntervalMs: 100 });
  let view: LiveView | null = null;
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  try {
    await streams.start();
    view = await startLiveView(streams, topology, { port: 0, intervalMs: 200 });
    await page.goto(view.url);
    await page.waitForSelector('body[data-rendered="true"]');
    // every node of the topology is drawn
    const ids = await page.$$eval('g.node', (els) => els.map((e) => e.getAttribute('data-id')));
    expect(ids.sort()).toEqual(topologyGraph(topology.describe()).nodes.map((n) => n.id).sort());

    await produceLines(kafka, input, [['a', 'live view one'], ['b', 'live view two'], ['c', 'three']]);
    const source = 'g.node[data-id="node:KSTREAM-SOURCE-0000000000"] text.stat';
    await waitFor(async () => /\b3 total/.test((await page.textContent(source)) ?? ''), 60_000);
    expect(await page.textContent(source)).toMatch(/^\d+(\.\d)? rec\/s · 3 total$/);
    // the aggregate saw one record per word (7); the store holds one key per distinct word once committed
    await waitFor(async () => /\b7 total/.test((await page.textContent('g.node[data-id="node:KSTREAM-AGGREGATE-0000000004"] text.stat')) ?? ''), 60_000);
    const storeSel = 'g.node[data-id="store:KSTREAM-AGGREGATE-STATE-STORE-0000000003"] text.stat';
    await waitFor(async () => /\b[1-9]\d* entries/.test((await page.textContent(storeSel)) ?? ''), 60_000);
    expect(await page.textContent('#state')).toBe('RUNNING');

    // more input: the page follows
    await produceLines(kafka, input, Array.from({ length: 50 }, (_, i) => [`k${i}`, `word${i % 10}`] as const));
    await waitFor(async () => /\b53 total/.test((await page.textContent(source)) ?? ''), 60_000);
    expect(totalOf(await page.textContent(source))).toBe(53);
    expect(errors).toEqual([]);
    await page.screenshot({ path: path.join(ARTEFACTS, 'live-view.png'), fullPage: true });
  } finally {
    await page.close();
    await view?.close();
    await streams.close();
    state.remove();
  }
});
