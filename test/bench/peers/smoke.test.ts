/**
 * The seconds-long smoke run of `npm run bench:peers` (run.js --smoke: 3,000 lines, one repetition, the bundled
 * broker), so the benchmark does not rot. It needs Java and Maven (the Java Kafka Streams peer) and Python (Quix
 * Streams), so it runs in `npm run test:kafka`, not in `npm test`. It checks that kstreams (both guarantees) and
 * Java Kafka Streams (both guarantees) produced their complete output on both pipelines, that every other peer either
 * did too or carries the reason why not, and that the markdown table and the SVG chart were written. No figure is
 * compared with another: the machine may be loaded.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

interface Row {
  broker: string;
  kind: string;
  peer: string;
  runs: number;
  failedRuns: number;
  failures: string[];
  reason: string | null;
  rate: number;
  cpuPerMillion: number;
  peakRssMb: number;
  otherCores: number;
  loadAvg1: number;
}

describe('npm run bench:peers -- --smoke', () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'kstreams-peers-smoke-test-'));
  let exitCode: number | null = null;
  let log = '';
  let rows: Row[] = [];

  beforeAll(async () => {
    const child = spawn(process.execPath, [path.join(__dirname, 'run.js'), '--smoke', `--out=${out}`], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (d: Buffer) => (log += d.toString()));
    child.stderr.on('data', (d: Buffer) => (log += d.toString()));
    exitCode = await new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const json = path.join(out, 'peers.json');
    if (fs.existsSync(json)) rows = (JSON.parse(fs.readFileSync(json, 'utf8')) as { rows: Row[] }).rows;
  }, 600_000);

  afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

  it('exits 0 and writes the table, the chart and the figures', () => {
    expect({ exitCode, log: exitCode === 0 ? '' : log }).toEqual({ exitCode: 0, log: '' });
    expect(fs.readFileSync(path.join(out, 'peers.md'), 'utf8')).toMatch(/^\| kstreams at-least-once \| [\d,]+ \|/m);
    expect(fs.readFileSync(path.join(out, 'peers.svg'), 'utf8')).toMatch(/^<svg [^>]*>[\s\S]*<rect [\s\S]*<\/svg>\n$/);
  });

  it.each(['kstreams-alos', 'kstreams-eos', 'java-alos', 'java-eos'].flatMap((peer) => ['wordcount', 'wordcount-nocache', 'map'].map((kind) => [peer, kind])))(
    '%s %s on the bundled broker: complete output, with its rate, CPU, peak RSS and the machine load measured',
    (peer, kind) => {
      const row = rows.find((r) => r.peer === peer && r.kind === kind && r.broker === 'bundled');
      expect(row && { runs: row.runs, failures: row.failures }).toEqual({ runs: 1, failures: [] });
      for (const figure of [row!.rate, row!.cpuPerMillion, row!.peakRssMb, row!.otherCores, row!.loadAvg1]) {
        expect(Number.isFinite(figure) && figure >= 0).toBe(true);
      }
      expect(row!.rate).toBeGreaterThan(0);
    },
  );

  it('measures every other peer or says why not', () => {
    const others = rows.filter((r) => !/^(kstreams|java)-/.test(r.peer));
    expect(others.map((r) => r.peer).sort()).toEqual(
      ['kafkats-alos', 'kafkats-alos', 'kafkats-eos', 'kafkats-eos', 'quix-alos', 'quix-alos', 'quix-eos', 'quix-eos', 'raw'].sort(),
    );
    for (const r of others) {
      expect(r.runs === 1 ? r.rate > 0 : typeof r.reason === 'string' && r.reason.length > 0).toBe(true);
    }
  });
});
