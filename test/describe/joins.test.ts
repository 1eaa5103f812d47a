/**
 * describe() goldens of joins, global tables and cogroup. Every expected string comes from Java Kafka Streams
 * 4.1.1 building the same topology: java/Scenarios.java (one scenario per name), printed by java/JoinGoldens.java
 * into join-goldens.json.
 */
import { Joined, Materialized, StreamsBuilder } from '@kstreams/streams';
import type { KStream, KTable } from '@kstreams/streams';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const scenarios: { [name: string]: (b: StreamsBuilder) => void } = {
  'stream-table-join': (b) => {
    const s: KStream<string, string> = b.stream('orders');
    const t: KTable<string, string> = b.table('customers');
    s.join(t, (a, c) => `${a}+${c}`).to('out');
  },
  'stream-table-leftjoin-repartition': (b) => {
    const s: KStream<string, string> = b.stream('orders');
    const t: KTable<string, string> = b.table('customers', Materialized.as('cust'));
    s.selectKey((_k, v) => v)
      .leftJoin(t, (a, c) => `${a}+${String(c)}`)
      .to('out');
  },
  'stream-table-join-named-repartition': (b) => {
    const s: KStream<string, string> = b.stream('orders');
    const t: KTable<string, string> = b.table('customers');
    s.map((k, v) => ({ key: v, value: k }))
      .join(t, (a, c) => `${a}+${c}`, Joined.as('my-join'))
      .to('out');
  },
  'stream-table-join-filtered-table': (b) => {
    const s: KStream<string, string> = b.stream('orders');
    const t = b.table<string, string>('customers').filter((_k, v) => v !== null && v.length > 1);
    s.leftJoin(t, (a, c) => `${a}+${String(c)}`, Joined.as('named')).to('out');
  },
  'stream-table-join-twice-repartition-reused': (b) => {
    const s = b.stream<string, string>('orders').selectKey((_k, v) => v);
    const t: KTable<string, string> = b.table('customers');
    s.join(t, (a, c) => `${a}+${c}`).to('out1');
    s.leftJoin(t, (a, c) => `${a}+${String(c)}`).to('out2');
  },
};

const expected = JSON.parse(readFileSync(join(__dirname, 'join-goldens.json'), 'utf8')) as { [name: string]: string };

describe('describe() goldens of joins (from Java Kafka Streams 4.1.1)', () => {
  it('covers every Java scenario', () => {
    expect(Object.keys(scenarios).sort()).toEqual(Object.keys(expected).sort());
  });
  for (const [name, build] of Object.entries(scenarios)) {
    it(name, () => {
      const b = new StreamsBuilder();
      build(b);
      expect(b.build().describe().toString()).toBe(expected[name]);
    });
  }
});
