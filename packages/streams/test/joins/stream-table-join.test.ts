/**
 * KStream–KTable join and leftJoin through the test driver. Cases follow Kafka Streams' KStreamKTableJoinTest and
 * KStreamKTableLeftJoinTest (keys 0..3, stream values "X<k>", table values "Y<k>", stream timestamp = key); the
 * repartition case was checked against Java Kafka Streams 4.1.1's TopologyTestDriver (test/describe/java).
 */
import { Joined, Materialized, Named, StreamsBuilder, TopologyException, IllegalArgumentException } from '@kstreams/streams';
import type { KStream, KTable } from '@kstreams/streams';
import { S, drain, droppedRecords, withDriver } from './helpers';

function build(left: boolean, withKey = false): { b: StreamsBuilder } {
  const b = new StreamsBuilder();
  const stream: KStream<string, string> = b.stream('streamTopic');
  const table: KTable<string, string> = b.table('tableTopic');
  const joined = withKey
    ? stream.join(table, (k: string, v: string, t: string) => `${k}:${v}+${t}`)
    : left
      ? stream.leftJoin(table, (v, t) => `${v}+${t === null ? 'null' : t}`)
      : stream.join(table, (v, t) => `${v}+${t}`);
  joined.to('out');
  return { b };
}

const keys = ['0', '1', '2', '3'];

describe('KStream-KTable join', () => {
  it('joins only when the table has the key (KStreamKTableJoinTest.shouldJoinOnlyIfMatchFoundOnStreamUpdates)', () => {
    withDriver(build(false).b.build(), (d) => {
      const stream = d.createInputTopic('streamTopic', S.serializer(), S.serializer());
      const table = d.createInputTopic('tableTopic', S.serializer(), S.serializer());
      const out = d.createOutputTopic('out', S.deserializer(), S.deserializer());
      for (const k of keys.slice(0, 2)) table.pipeInput(k, `Y${k}`, 100 + Number(k));
      expect(drain(out)).toEqual([]);
      for (const k of keys) stream.pipeInput(k, `X${k}`, Number(k));
      expect(drain(out)).toEqual(['0=X0+Y0@0', '1=X1+Y1@1']);
    });
  });

  it('table updates never trigger output; deletes clear the entry (KStreamKTableJoinTest.shouldClearTableEntryOnNullValueUpdates)', () => {
    withDriver(build(false).b.build(), (d) => {
      const stream = d.createInputTopic('streamTopic', S.serializer(), S.serializer());
      const table = d.createInputTopic('tableTopic', S.serializer(), S.serializer());
      const out = d.createOutputTopic('out', S.deserializer(), S.deserializer());
      for (const k of keys) table.pipeInput(k, `Y${k}`, 7);
      expect(drain(out)).toEqual([]);
      for (const k of keys) stream.pipeInput(k, `X${k}`, Number(k));
      expect(drain(out)).toEqual(['0=X0+Y0@0', '1=X1+Y1@1', '2=X2+Y2@2', '3=X3+Y3@3']);
      table.pipeInput('0', null as unknown as string);
      table.pipeInput('1', null as unknown as string);
      expect(drain(out)).toEqual([]);
      for (const k of keys) stream.pipeInput(k, `XX${k}`, Number(k));
      expect(drain(out)).toEqual(['2=XX2+Y2@2', '3=XX3+Y3@3']);
    });
  });

  it('drops and counts stream records with a null key or value (KStreamKTableJoinTest.shouldLogAndMeterWhenSkippingNull*)', () => {
    const warnings = withDriver(build(false).b.build(), (d) => {
      const stream = d.createInputTopic('streamTopic', S.serializer(), S.serializer());
      const table = d.createInputTopic('tableTopic', S.serializer(), S.serializer());
      table.pipeInput('A', 'Y');
      stream.pipeInput(null as unknown as string, 'A');
      stream.pipeInput('A', null as unknown as string);
      expect(drain(d.createOutputTopic('out', S.deserializer(), S.deserializer()))).toEqual([]);
      expect(droppedRecords(d)).toBe(2);
    });
    expect(warnings.filter((w) => w.startsWith('Skipping record due to null join key or value. topic=[streamTopic] partition=[0] offset=['))).toHaveLength(2);
  });

  it('passes the key to a three-argument joiner (ValueJoinerWithKey)', () => {
    withDriver(build(false, true).b.build(), (d) => {
      d.createInputTopic('tableTopic', S.serializer(), S.serializer()).pipeInput('k', 'T');
      d.createInputTopic('streamTopic', S.serializer(), S.serializer()).pipeInput('k', 'V', 5);
      expect(drain(d.createOutputTopic('out', S.deserializer(), S.deserializer()))).toEqual(['k=k:V+T@5']);
    });
  });
});

describe('KStream-KTable leftJoin', () => {
  it('joins with null when the table lacks the key (KStreamKTableLeftJoinTest.shouldJoinWithEmptyTableOnStreamUpdates)', () => {
    withDriver(build(true).b.build(), (d) => {
      const stream = d.createInputTopic('streamTopic', S.serializer(), S.serializer());
      const table = d.createInputTopic('tableTopic', S.serializer(), S.serializer());
      const out = d.createOutputTopic('out', S.deserializer(), S.deserializer());
      for (const k of keys.slice(0, 2)) stream.pipeInput(k, `X${k}`, Number(k));
      expect(drain(out)).toEqual(['0=X0+null@0', '1=X1+null@1']);
      for (const k of keys.slice(0, 2)) table.pipeInput(k, `Y${k}`, 50);
      for (const k of keys) stream.pipeInput(k, `X${k}`, Number(k));
      expect(drain(out)).toEqual(['0=X0+Y0@0', '1=X1+Y1@1', '2=X2+null@2', '3=X3+null@3']);
    });
  });

  it('gives the joiner null, not undefined, for the missing side', () => {
    const b = new StreamsBuilder();
    const seen: unknown[] = [];
    b.stream<string, string>('s')
      .leftJoin(b.table<string, string>('t'), (v, t) => {
        seen.push(t);
        return v;
      })
      .to('out');
    withDriver(b.build(), (d) => {
      d.createInputTopic('s', S.serializer(), S.serializer()).pipeInput('k', 'v');
    });
    expect(seen).toEqual([null]);
    expect(seen[0]).toBeNull();
  });

  it('keeps a null-keyed record with a value and joins it with null (KIP-962, KStreamKTableLeftJoinTest.shouldNotDropLeftNullKey)', () => {
    const b = new StreamsBuilder();
    b.stream<string, string>('s')
      .leftJoin(b.table<string, string>('t'), (v, t) => `${v}+${String(t)}`)
      .to('out');
    withDriver(b.build(), (d) => {
      d.createInputTopic('s', S.serializer(), S.serializer()).pipeInput(null as unknown as string, 'v', 3);
      expect(drain(d.createOutputTopic('out', S.deserializer(), S.deserializer()))).toEqual(['null=v+null@3']);
      expect(droppedRecords(d)).toBe(0);
    });
  });
});

describe('KStream-KTable join topology', () => {
  it('repartitions a key-changed stream before joining, and joins after the repartition', () => {
    const b = new StreamsBuilder();
    const table = b.table<string, string>('customers', Materialized.as('cust'));
    b.stream<string, string>('orders')
      .selectKey((_k, v) => v.split(':')[0]!)
      .join(table, (o, c) => `${o}/${c}`)
      .to('out');
    withDriver(b.build(), (d) => {
      d.createInputTopic('customers', S.serializer(), S.serializer()).pipeInput('c1', 'Alice', 1);
      d.createInputTopic('orders', S.serializer(), S.serializer()).pipeInput('o1', 'c1:book', 2);
      expect(drain(d.createOutputTopic('out', S.deserializer(), S.deserializer()))).toEqual(['c1=c1:book/Alice@2']);
      expect([...d.producedTopicNames()].sort()).toEqual(['out', 'windowing-test-KSTREAM-KEY-SELECT-0000000003-repartition', 'windowing-test-cust-changelog']);
    });
  });

  it('a non-materialized filtered table is read through its filter', () => {
    const b = new StreamsBuilder();
    const table = b.table<string, string>('t').filter((_k, v) => v !== 'hidden');
    b.stream<string, string>('s').leftJoin(table, (v, t) => `${v}+${String(t)}`, Joined.as('named')).to('out');
    withDriver(b.build(), (d) => {
      const t = d.createInputTopic('t', S.serializer(), S.serializer());
      const s = d.createInputTopic('s', S.serializer(), S.serializer());
      t.pipeInput('a', 'shown', 0);
      t.pipeInput('b', 'hidden', 0);
      s.pipeInput('a', 'x', 0);
      s.pipeInput('b', 'y', 0);
      expect(drain(d.createOutputTopic('out', S.deserializer(), S.deserializer()))).toEqual(['a=x+shown@0', 'b=y+null@0']);
    });
  });

  it('refuses a grace period on a non-versioned table with Kafka\'s message', () => {
    const b = new StreamsBuilder();
    expect(() => b.stream<string, string>('s').join(b.table<string, string>('t'), (v) => v, Joined.as<string, string, string>('j').withGracePeriod(10))).toThrow(
      new IllegalArgumentException('KTable must be versioned to use a grace period in a stream table join.'),
    );
  });

  it('refuses a table of another builder and a non-function joiner', () => {
    const b = new StreamsBuilder();
    const other = new StreamsBuilder().table<string, string>('t');
    expect(() => b.stream<string, string>('s').join(other, (v) => v)).toThrow(TopologyException);
    expect(() => b.stream<string, string>('s').join(b.table<string, string>('t2'), null as never)).toThrow(/joiner must be a function/);
  });

  it('uses the Named/Joined name as the processor name', () => {
    const b = new StreamsBuilder();
    b.stream<string, string>('s').join(b.table<string, string>('t'), (v) => v, Joined.as('enrich')).to('out', undefined);
    expect(b.build().describe().toString()).toContain('Processor: enrich (stores: [t-STATE-STORE-0000000001])');
    void Named;
  });
});
