/**
 * Names of DSL nodes and stores, checked against what Kafka Streams 4.1.1 prints for the same topologies (taken
 * from the interop harness, test/interop): a named operation still uses up a name index, `table()` with
 * `Consumed.as(name)` names its source `<name>-source` and its processor `<name>`, and an unnamed `toTable()`
 * has no store unless something downstream needs one.
 */
import { Consumed, Grouped, Materialized, Named, Produced, Serdes, StreamsBuilder } from '@kstreams/streams';

const S = Serdes.String();

describe('DSL naming (Kafka Streams 4.1.1 goldens)', () => {
  it('a named operation uses up a name index, so later generated names match Kafka\'s', () => {
    const b = new StreamsBuilder();
    const s = b.stream<string, string>('in', Consumed.as('src'));
    s.filter(() => true, Named.as('keep')).mapValues((v) => v).to('out', Produced.as('out-sink'));
    s.selectKey((_k, v) => v).mapValues((v) => v + v).to('out2');
    expect(b.build().describe().toString()).toBe(
      'Topologies:\n' +
        '   Sub-topology: 0\n' +
        '    Source: src (topics: [in])\n' +
        '      --> KSTREAM-KEY-SELECT-0000000004, keep\n' +
        '    Processor: KSTREAM-KEY-SELECT-0000000004 (stores: [])\n' +
        '      --> KSTREAM-MAPVALUES-0000000005\n' +
        '      <-- src\n' +
        '    Processor: keep (stores: [])\n' +
        '      --> KSTREAM-MAPVALUES-0000000002\n' +
        '      <-- src\n' +
        '    Processor: KSTREAM-MAPVALUES-0000000002 (stores: [])\n' +
        '      --> out-sink\n' +
        '      <-- keep\n' +
        '    Processor: KSTREAM-MAPVALUES-0000000005 (stores: [])\n' +
        '      --> KSTREAM-SINK-0000000006\n' +
        '      <-- KSTREAM-KEY-SELECT-0000000004\n' +
        '    Sink: KSTREAM-SINK-0000000006 (topic: out2)\n' +
        '      <-- KSTREAM-MAPVALUES-0000000005\n' +
        '    Sink: out-sink (topic: out)\n' +
        '      <-- KSTREAM-MAPVALUES-0000000002\n\n',
    );
  });

  it('groupBy(Grouped.as), count(Named) and toStream(Named) each use up an index (store and sink names shift)', () => {
    const b = new StreamsBuilder();
    b.stream<string, string>('in', Consumed.with(S, S))
      .groupBy((_k, v) => v, Grouped.as<string, string>('by-value'))
      .count(Named.as('counted'))
      .toStream(Named.as('to-stream'))
      .to('out', Produced.with(S, Serdes.Long()));
    const text = b.build().describe().toString();
    expect(text).toContain('Processor: counted (stores: [KSTREAM-AGGREGATE-STATE-STORE-0000000002])\n');
    expect(text).toContain('Sink: KSTREAM-SINK-0000000008 (topic: out)\n');
  });

  it('table(topic, Consumed.as(name)): source <name>-source, table processor <name>', () => {
    const b = new StreamsBuilder();
    b.table<string, string>('t', Consumed.with(S, S).withName('tbl'))
      .filter((_k, v) => v !== null)
      .toStream()
      .to('out');
    expect(b.build().describe().toString()).toBe(
      'Topologies:\n' +
        '   Sub-topology: 0\n' +
        '    Source: tbl-source (topics: [t])\n' +
        '      --> tbl\n' +
        '    Processor: tbl (stores: [])\n' +
        '      --> KTABLE-FILTER-0000000003\n' +
        '      <-- tbl-source\n' +
        '    Processor: KTABLE-FILTER-0000000003 (stores: [])\n' +
        '      --> KTABLE-TOSTREAM-0000000004\n' +
        '      <-- tbl\n' +
        '    Processor: KTABLE-TOSTREAM-0000000004 (stores: [])\n' +
        '      --> KSTREAM-SINK-0000000005\n' +
        '      <-- KTABLE-FILTER-0000000003\n' +
        '    Sink: KSTREAM-SINK-0000000005 (topic: out)\n' +
        '      <-- KTABLE-TOSTREAM-0000000004\n\n',
    );
  });

  it('toTable() has a store only when named (or forced by a downstream operator)', () => {
    const b = new StreamsBuilder();
    const s = b.stream<string, string>('in', Consumed.with(S, S));
    s.toTable(Named.as('tt'), Materialized.as('tt-store')).toStream().to('out1');
    s.toTable().toStream().to('out2');
    s.toTable().groupBy((k, v) => ({ key: v, value: k })).count().toStream().to('out3', Produced.with(S, Serdes.Long()));
    const text = b.build().describe().toString();
    expect(text).toContain('Processor: tt (stores: [tt-store])\n');
    expect(text).toContain('Processor: KSTREAM-TOTABLE-0000000004 (stores: [])\n');
    expect(text).toContain('Processor: KSTREAM-TOTABLE-0000000008 (stores: [KSTREAM-TOTABLE-STATE-STORE-0000000009])\n');
  });
});
