/**
 * The differential harness: every scenario runs through Java Kafka Streams 4.1.1's TopologyTestDriver
 * (`run-java.sh`, one JVM for all) and through kstreams' (`scenarios.ts`); their canonical texts must be equal
 * byte for byte. Runs in `npm run test:kafka` (it needs Java and Maven), not in `npm test`.
 */
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { ALL, runAll } from './scenarios';

function parse(text: string): Map<string, string> {
  const sections = new Map<string, string>();
  for (const chunk of text.split(/^### /m).slice(1)) {
    const nl = chunk.indexOf('\n');
    sections.set(chunk.slice(0, nl), chunk.slice(nl + 1));
  }
  return sections;
}

describe('kstreams against Kafka Streams 4.1.1 (TopologyTestDriver, scenario by scenario)', () => {
  let java: Map<string, string>;
  let ts: Map<string, string>;

  beforeAll(() => {
    const text = execFileSync('bash', [path.join(__dirname, 'run-java.sh')], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'inherit'] });
    java = parse(text);
    ts = runAll();
  }, 600_000);

  it('runs the same scenarios on both sides', () => {
    expect([...java.keys()]).toEqual([...ALL.keys()]);
    expect(ALL.size).toBeGreaterThanOrEqual(60);
  });

  it.each([...ALL.keys()])('%s', (name) => {
    expect(java.get(name)).toBeDefined();
    expect(ts.get(name)).toBe(java.get(name));
  });
});
