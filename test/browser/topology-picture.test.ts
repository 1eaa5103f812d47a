/**
 * The HTML picture in a real browser (Debian's chromium, headless, through playwright-core): for WordCount, a
 * windowed topology and a 50-node topology, every node, store and topic of the description is drawn, no two
 * overlap, every label fits its shape, and a click shows the node's details. Screenshots go to artefacts/.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { Consumed, Grouped, Produced, Serdes, StreamsBuilder, toHtml, topologyGraph, type TopologyDescription } from '@kstreams/streams';
import { wordCountTopology } from '../../examples/wordcount/src/topology';
import { pageViewsTopology } from '../../examples/windowed-pageviews/src/topology';
import { ARTEFACTS, launchChromium } from './chromium';

/** Five independent count pipelines with repartitioning: 50 processor nodes in 10 sub-topologies. */
function fiftyNodeTopology(): TopologyDescription {
  const b = new StreamsBuilder();
  const S = Serdes.String();
  for (let i = 0; i < 5; i++) {
    b.stream<string, string>(`input-${i}`, Consumed.with(S, S))
      .filter((_k, v) => v.length > 0)
      .mapValues((v) => v.toLowerCase())
      .selectKey((_k, v) => v)
      .groupByKey(Grouped.with(S, S))
      .count()
      .toStream()
      .to(`counts-${i}`, Produced.with(S, Serdes.Long()));
  }
  return b.build().describe();
}

interface Box {
  id: string;
  kind: string;
  x: number;
  y: number;
  width: number;
  height: number;
  labelWidth: number;
}

async function drawnBoxes(page: Page): Promise<Box[]> {
  return page.$$eval('g.node', (els) =>
    els.map((el) => {
      const shape = el.querySelector('rect, path')!.getBoundingClientRect();
      const label = el.querySelector('text.label')!.getBoundingClientRect();
      return { id: el.getAttribute('data-id')!, kind: el.getAttribute('data-kind')!, x: shape.x, y: shape.y, width: shape.width, height: shape.height, labelWidth: label.width };
    }),
  );
}

function overlaps(a: Box, b: Box): boolean {
  const eps = 0.5;
  return a.x + a.width - eps > b.x && b.x + b.width - eps > a.x && a.y + a.height - eps > b.y && b.y + b.height - eps > a.y;
}

describe('the HTML topology picture in chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    fs.mkdirSync(ARTEFACTS, { recursive: true });
    browser = await launchChromium();
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
  });

  const cases: Array<[string, () => TopologyDescription, number]> = [
    ['wordcount', () => wordCountTopology().describe(), 9],
    ['windowed-pageviews', () => pageViewsTopology().describe(), 3],
    ['fifty-nodes', fiftyNodeTopology, 50],
  ];

  it.each(cases)('%s: every node and topic drawn, nothing overlaps, labels fit, click shows details', async (name, describe, minProcessorNodes) => {
    const description = describe();
    const graph = topologyGraph(description);
    expect(graph.nodes.filter((n) => n.kind === 'source' || n.kind === 'processor' || n.kind === 'sink').length).toBeGreaterThanOrEqual(minProcessorNodes);
    const file = path.join(ARTEFACTS, `${name}.html`);
    fs.writeFileSync(file, toHtml(description, { title: name }));

    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    try {
      await page.goto(`file://${file}`);
      await page.waitForSelector('body[data-rendered="true"]');
      expect(errors).toEqual([]);

      const boxes = await drawnBoxes(page);
      expect(boxes.map((b) => b.id).sort()).toEqual(graph.nodes.map((n) => n.id).sort());
      for (const b of boxes) {
        expect(b.width).toBeGreaterThan(10);
        expect(b.height).toBeGreaterThan(10);
        // the label fits inside its shape
        expect(b.labelWidth).toBeLessThanOrEqual(b.width);
      }
      const overlapping: string[] = [];
      for (let i = 0; i < boxes.length; i++) {
        for (let j = i + 1; j < boxes.length; j++) if (overlaps(boxes[i]!, boxes[j]!)) overlapping.push(`${boxes[i]!.id} / ${boxes[j]!.id}`);
      }
      expect(overlapping).toEqual([]);

      // every edge of the model is drawn
      const edges = await page.$$eval('path.edge', (els) => els.map((e) => `${e.getAttribute('data-from')}>${e.getAttribute('data-to')}`));
      expect(edges.sort()).toEqual(graph.edges.map((e) => `${e.from}>${e.to}`).sort());
      // internal topics are marked
      const internal = await page.$$eval('g.node.internal', (els) => els.map((e) => e.getAttribute('data-id')));
      expect(internal.sort()).toEqual(graph.nodes.filter((n) => n.internal !== null).map((n) => n.id).sort());
      expect(internal.length).toBeGreaterThan(0);

      // click a store (or the first processor) and its details appear
      const target = graph.nodes.find((n) => n.kind === 'store') ?? graph.nodes.find((n) => n.kind === 'processor')!;
      await page.click(`g.node[data-id="${target.id}"]`);
      expect(await page.textContent('#details h2')).toBe(target.label);
      expect(await page.textContent('#details dl')).toContain(target.details[0]![1]);

      await page.screenshot({ path: path.join(ARTEFACTS, `${name}.png`), fullPage: true });
    } finally {
      await page.close();
    }
  }, 120_000);
});
