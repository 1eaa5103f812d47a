/**
 * Join behaviour checked record for record against Java Kafka Streams 4.1.1: every case of java/join-cases.txt
 * (out-of-order and late records, tombstones, null keys, window boundaries) is piped through our
 * TopologyTestDriver and must give the records — and the dropped-records count — that Java's
 * TopologyTestDriver gave for the same topology and input (join-outputs.json, written by java/JoinOutputs.java);
 * for foreign-key joins also the bytes of every record on their internal topics and subscription-store changelog.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConsoleLogger, Serdes, setLogger, StreamsBuilder } from '@kstreams/streams';
import { TopologyTestDriver, type TestInputTopic } from '@kstreams/test-utils';
import { joinScenarios } from './join-scenarios';

interface Case {
  readonly name: string;
  readonly topology: string;
  readonly rocksdb: boolean;
  readonly inputs: ReadonlyArray<readonly [string, string | null, string | null, number]>;
}

function parseCases(text: string): Case[] {
  const cases: Array<Case & { inputs: Array<[string, string | null, string | null, number]> }> = [];
  const nul = (s: string): string | null => (s === 'null' ? null : s);
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    if (line === '') continue;
    const f = line.split(/\s+/);
    if (f[0] === 'case') cases.push({ name: f[1]!, topology: f[2]!, rocksdb: f[3] === 'rocksdb', inputs: [] });
    else cases[cases.length - 1]!.inputs.push([f[0]!, nul(f[1]!), nul(f[2]!), Number(f[3])]);
  }
  return cases;
}

const cases = parseCases(readFileSync(join(__dirname, 'java', 'join-cases.txt'), 'utf8'));
interface Outcome {
  dropped: number;
  records: string[];
  /** Foreign-key joins: every record of their internal topics and subscription-store changelog, in hex. */
  internal?: string[];
}
const expected = JSON.parse(readFileSync(join(__dirname, 'join-outputs.json'), 'utf8')) as { [name: string]: Outcome };
const S = Serdes.String();
const B = Serdes.ByteArray();

function run(c: Case): Outcome {
  const b = new StreamsBuilder();
  joinScenarios[c.topology]!(b);
  const records: string[] = [];
  const internal: string[] = [];
  const hex = (b: Buffer | null): string => (b === null ? 'null' : b.toString('hex'));
  const silent = { error: () => undefined, warn: () => undefined, info: () => undefined, debug: () => undefined };
  setLogger(silent);
  const d = new TopologyTestDriver(b.build(), {
    applicationId: 'join-cases',
    defaultKeySerde: S,
    defaultValueSerde: S,
    defaultDslStore: c.rocksdb ? 'rocksDB' : 'in_memory',
  });
  try {
    const topics = new Map<string, TestInputTopic<string | null, string | null>>();
    const out = d.createOutputTopic('out', S.deserializer(), S.deserializer());
    for (const [topic, key, value, ts] of c.inputs) {
      let t = topics.get(topic);
      if (t === undefined) {
        t = d.createInputTopic<string | null, string | null>(topic, S.serializer(), S.serializer());
        topics.set(topic, t);
      }
      t.pipeInput(key, value, ts);
      for (const r of out.readRecordsToList()) records.push(`${String(r.key)}=${String(r.value)}@${r.timestamp} <${topic} ${String(key)} ${String(value)} ${ts}`);
      for (const name of [...d.producedTopicNames()].sort()) {
        if (!name.includes('FK-JOIN') && !name.includes('-subscription-')) continue;
        const raw = d.createOutputTopic(name, B.deserializer(), B.deserializer());
        for (const r of raw.readRecordsToList()) internal.push(`${name} ${hex(r.key)} ${hex(r.value)} @${r.timestamp}`);
      }
    }
    // summed over tasks (the global task has its own), as the Java side sums stream-task-metrics
    const dropped = d.metrics().filter((m) => m.name === 'dropped-records-total').reduce((sum, m) => sum + m.value, 0);
    return internal.length > 0 ? { dropped, records, internal } : { dropped, records };
  } finally {
    d.close();
    setLogger(new ConsoleLogger('error'));
  }
}

describe('joins against Java Kafka Streams 4.1.1 (TopologyTestDriver, same inputs)', () => {
  it('has a Java result for every case', () => {
    expect(cases.map((c) => c.name).sort()).toEqual(Object.keys(expected).sort());
  });
  for (const c of cases) {
    it(`${c.name} (${c.topology}${c.rocksdb ? ', RocksDB' : ''})`, () => {
      expect(run(c)).toEqual(expected[c.name]);
    });
  }
});
