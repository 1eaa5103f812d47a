/**
 * The topology pictures: Java's describe() texts (from Kafka's own tests) read back byte for byte, mermaid and
 * dot compared with golden files, and the `kstreams describe` bin run as a user runs it (module, file, stdin).
 * Set UPDATE_GOLDENS=1 to rewrite the golden files after a deliberate change (then review the diff).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  TopologyDescriptionParseException,
  parseTopologyDescription,
  toDot,
  toHtml,
  toMermaid,
  topologyGraph,
  type TopologyDescription,
} from '@kstreams/streams';
import { wordCountTopology } from '../../examples/wordcount/src/topology';

const javaDir = path.join(__dirname, 'java');
const goldenDir = path.join(__dirname, 'golden');
const repo = path.resolve(__dirname, '..', '..');
const bin = path.join(repo, 'packages', 'streams', 'dist', 'cli', 'kstreams.js');
const javaTexts = fs
  .readdirSync(javaDir)
  .filter((f) => f.endsWith('.txt'))
  .sort();

function golden(name: string, actual: string): void {
  const file = path.join(goldenDir, name);
  if (process.env['UPDATE_GOLDENS'] === '1') fs.writeFileSync(file, actual);
  expect(actual).toBe(fs.readFileSync(file, 'utf8'));
}

function kstreams(args: string[], input?: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: repo, encoding: 'utf8', ...(input !== undefined ? { input } : {}) });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("Java's describe() text", () => {
  it('there are several texts from Kafka tests, one with 30+ processor nodes and one with a global store', () => {
    expect(javaTexts.length).toBeGreaterThanOrEqual(8);
    const counts = javaTexts.map((f) => parseTopologyDescription(fs.readFileSync(path.join(javaDir, f), 'utf8')).subtopologies.reduce((n, s) => n + s.nodes.length, 0));
    expect(Math.max(...counts)).toBeGreaterThanOrEqual(30);
    expect(javaTexts.some((f) => parseTopologyDescription(fs.readFileSync(path.join(javaDir, f), 'utf8')).globalStores.length > 0)).toBe(true);
  });

  it.each(javaTexts)('%s reads back and prints byte for byte', (file) => {
    const text = fs.readFileSync(path.join(javaDir, file), 'utf8');
    const parsed = parseTopologyDescription(text);
    expect(parsed.toString()).toBe(text);
    // edges are linked both ways
    for (const s of parsed.subtopologies) {
      for (const n of s.nodes) {
        for (const succ of n.successors) expect(succ.predecessors).toContain(n);
      }
    }
  });

  it('our WordCount description and the same text read back draw the same graph', () => {
    const ours = wordCountTopology().describe();
    const parsed = parseTopologyDescription(ours.toString());
    expect(topologyGraph(parsed)).toEqual(topologyGraph(ours));
  });

  it('names the line it cannot read', () => {
    expect(() => parseTopologyDescription('hello')).toThrow(TopologyDescriptionParseException);
    expect(() => parseTopologyDescription('Topologies:\n   Sub-topology: 0\n    Source: a (topics: [t])\n      --> b\n')).toThrow(/a --> b, which is not a node/);
    expect(() => parseTopologyDescription('Topologies:\n   Sub-topology: 0\n    Widget: a\n')).toThrow(/line 3: cannot read "Widget: a"/);
  });
});

describe('the picture model', () => {
  it('marks repartition and changelog topics internal and links both sub-topologies through the repartition topic', () => {
    const g = topologyGraph(wordCountTopology().describe());
    const repartition = g.nodes.find((n) => n.id === 'topic:KSTREAM-AGGREGATE-STATE-STORE-0000000003-repartition')!;
    expect(repartition.internal).toBe('repartition');
    expect(g.edges).toContainEqual({ from: 'node:KSTREAM-SINK-0000000005', to: repartition.id, kind: 'flow' });
    expect(g.edges).toContainEqual({ from: repartition.id, to: 'node:KSTREAM-SOURCE-0000000007', kind: 'flow' });
    const changelog = g.nodes.find((n) => n.id === 'topic:KSTREAM-AGGREGATE-STATE-STORE-0000000003-changelog')!;
    expect(changelog.internal).toBe('changelog');
    expect(g.edges).toContainEqual({ from: 'store:KSTREAM-AGGREGATE-STATE-STORE-0000000003', to: changelog.id, kind: 'changelog' });
    expect(g.nodes.filter((n) => n.internal === null && n.kind === 'topic').map((n) => n.label)).toEqual(['streams-plaintext-input', 'streams-wordcount-output']);
  });
});

describe('golden mermaid and dot', () => {
  const cases: Array<[string, () => TopologyDescription]> = [
    ['wordcount', () => wordCountTopology().describe()],
    ['repartition-naming-optimized', () => parseTopologyDescription(fs.readFileSync(path.join(javaDir, 'repartition-naming-optimized.txt'), 'utf8'))],
    ['global-table-join', () => parseTopologyDescription(fs.readFileSync(path.join(javaDir, 'global-table-join.txt'), 'utf8'))],
  ];
  it.each(cases)('%s', (name, description) => {
    golden(`${name}.mmd`, toMermaid(description()));
    golden(`${name}.dot`, toDot(description()));
  });

  it('the html page is self-contained: dagre inlined, no external script, style or link', () => {
    const html = toHtml(wordCountTopology().describe(), { title: 'WordCount' });
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/<script[^>]+src=/);
    expect(html).not.toMatch(/<link /);
    expect(html).toContain('dagre');
    expect(html).toContain('"topic:KSTREAM-AGGREGATE-STATE-STORE-0000000003-repartition"');
  });
});

describe('kstreams describe (the bin)', () => {
  it('loads a module exporting a function that returns the Topology and prints its description', () => {
    const r = kstreams(['describe', 'examples/wordcount/dist/topology.js']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(wordCountTopology().describe().toString());
  });

  it('renders Java describe() text from a file and from stdin, in every format', () => {
    const file = path.join(javaDir, 'repartition-naming-unoptimized.txt');
    const text = fs.readFileSync(file, 'utf8');
    expect(kstreams(['describe', file]).stdout).toBe(text);
    expect(kstreams(['describe', '-', '--format', 'mermaid'], text).stdout).toBe(toMermaid(parseTopologyDescription(text)));
    expect(kstreams(['describe', file, '--format=dot']).stdout).toBe(toDot(parseTopologyDescription(text)));
    const html = kstreams(['describe', '-', '--format', 'html'], text);
    expect(html.status).toBe(0);
    expect(html.stdout).toContain('window.KSTREAMS_GRAPH');
  });

  it('refuses bad usage with a message naming what is wrong', () => {
    const badFormat = kstreams(['describe', 'x.js', '--format', 'png']);
    expect(badFormat.status).toBe(2);
    expect(badFormat.stderr).toContain('--format must be one of text, mermaid, dot, html, got "png"');
    const missing = kstreams(['describe', 'no/such/module.js']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('no such file: no/such/module.js');
    const notTopology = kstreams(['describe', 'test/describe/java/README.md']);
    expect(notTopology.status).not.toBe(0);
    const badText = kstreams(['describe', '-'], 'Topologies:\n   Sub-topology: 0\n    Gadget: x\n');
    expect(badText.status).toBe(1);
    expect(badText.stderr).toContain('TopologyDescriptionParseException: line 3: cannot read "Gadget: x"');
  });
});
