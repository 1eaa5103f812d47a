/**
 * describe() goldens of windowed and suppressed topologies. Strings marked "verbatim" are copied from Kafka
 * Streams' tests (TopologyTest, SuppressTopologyTest); the others follow Kafka's naming rules.
 */
import {
  BufferConfig,
  Consumed,
  EmitStrategy,
  Grouped,
  Materialized,
  Produced,
  Serdes,
  SessionWindows,
  SlidingWindows,
  StreamsBuilder,
  Suppressed,
  TimeWindows,
  TopologyException,
} from '@kstreams/streams';
import type { Windowed } from '@kstreams/streams';

const S = Serdes.String();

const zeroArgCount =
  'Topologies:\n' +
  '   Sub-topology: 0\n' +
  '    Source: KSTREAM-SOURCE-0000000000 (topics: [input-topic])\n' +
  '      --> KSTREAM-AGGREGATE-0000000002\n' +
  '    Processor: KSTREAM-AGGREGATE-0000000002 (stores: [KSTREAM-AGGREGATE-STATE-STORE-0000000001])\n' +
  '      --> none\n' +
  '      <-- KSTREAM-SOURCE-0000000000\n\n';

describe('windowed describe() goldens', () => {
  it('time-windowed count() (verbatim, TopologyTest.timeWindowZeroArgCountShouldPreserveTopologyStructure)', () => {
    const b = new StreamsBuilder();
    b.stream('input-topic').groupByKey().windowedBy(TimeWindows.ofSizeWithNoGrace(1)).count();
    expect(b.build().describe().toString()).toBe(zeroArgCount);
  });

  it('sliding-windowed count() has the same shape (TopologyTest.slidingWindowZeroArgCount…)', () => {
    const b = new StreamsBuilder();
    b.stream('input-topic').groupByKey().windowedBy(SlidingWindows.ofTimeDifferenceWithNoGrace(1)).count();
    expect(b.build().describe().toString()).toBe(zeroArgCount);
  });

  it('session-windowed count() has the same shape (§3.3)', () => {
    const b = new StreamsBuilder();
    b.stream('input-topic').groupByKey().windowedBy(SessionWindows.ofInactivityGapWithNoGrace(1)).count();
    expect(b.build().describe().toString()).toBe(zeroArgCount);
  });

  it('named materialized windowed count (verbatim, TopologyTest.timeWindowNamedMaterializedCountShouldPreserveTopologyStructure)', () => {
    const b = new StreamsBuilder();
    b.stream('input-topic').groupByKey().windowedBy(TimeWindows.ofSizeWithNoGrace(1)).count(Materialized.as<unknown, number>('count-store').withStoreType('in_memory'));
    expect(b.build().describe().toString()).toBe(
      'Topologies:\n' +
        '   Sub-topology: 0\n' +
        '    Source: KSTREAM-SOURCE-0000000000 (topics: [input-topic])\n' +
        '      --> KSTREAM-AGGREGATE-0000000001\n' +
        '    Processor: KSTREAM-AGGREGATE-0000000001 (stores: [count-store])\n' +
        '      --> none\n' +
        '      <-- KSTREAM-SOURCE-0000000000\n\n',
    );
  });

  it('anonymous materialized windowed count burns one index (verbatim, TopologyTest.timeWindowAnonymousMaterializedCountShouldPreserveTopologyStructure)', () => {
    const b = new StreamsBuilder();
    b.stream('input-topic').groupByKey().windowedBy(TimeWindows.ofSizeWithNoGrace(1)).count(Materialized.with<unknown, number>(null, Serdes.Long()).withStoreType('rocksDB'));
    expect(b.build().describe().toString()).toBe(
      'Topologies:\n' +
        '   Sub-topology: 0\n' +
        '    Source: KSTREAM-SOURCE-0000000000 (topics: [input-topic])\n' +
        '      --> KSTREAM-AGGREGATE-0000000003\n' +
        '    Processor: KSTREAM-AGGREGATE-0000000003 (stores: [KSTREAM-AGGREGATE-STATE-STORE-0000000002])\n' +
        '      --> none\n' +
        '      <-- KSTREAM-SOURCE-0000000000\n\n',
    );
  });

  it('windowed reduce with emitStrategy(onWindowClose) names a KSTREAM-REDUCE node', () => {
    const b = new StreamsBuilder();
    b.stream<string, string>('input-topic').groupByKey().windowedBy(TimeWindows.ofSizeAndGrace(10, 5)).emitStrategy(EmitStrategy.onWindowClose()).reduce((a, v) => a + v);
    expect(b.build().describe().toString()).toBe(
      'Topologies:\n' +
        '   Sub-topology: 0\n' +
        '    Source: KSTREAM-SOURCE-0000000000 (topics: [input-topic])\n' +
        '      --> KSTREAM-REDUCE-0000000002\n' +
        '    Processor: KSTREAM-REDUCE-0000000002 (stores: [KSTREAM-REDUCE-STATE-STORE-0000000001])\n' +
        '      --> none\n' +
        '      <-- KSTREAM-SOURCE-0000000000\n\n',
    );
  });

  const finalTopology = (name: string | null) => {
    const b = new StreamsBuilder();
    const suppressed = Suppressed.untilWindowCloses<Windowed<string>>(BufferConfig.unbounded());
    b.stream<string, string>('input', Consumed.with(S, S))
      .groupBy((k: string) => k, Grouped.with(S, S))
      .windowedBy(SessionWindows.ofInactivityGapAndGrace(5, 5))
      .count(Materialized.as<string, number>('counts').withCachingDisabled())
      .suppress(name === null ? suppressed : suppressed.withName(name))
      .toStream()
      .map((k, v) => ({ key: k.toString(), value: v }))
      .to('output-suppressed', Produced.with(S, Serdes.Long()));
    return b.build().describe().toString();
  };

  it('anonymous final-results suppression (verbatim, SuppressTopologyTest.ANONYMOUS_FINAL_TOPOLOGY)', () => {
    expect(finalTopology(null)).toBe(
      'Topologies:\n' +
        '   Sub-topology: 0\n' +
        '    Source: KSTREAM-SOURCE-0000000000 (topics: [input])\n' +
        '      --> KSTREAM-KEY-SELECT-0000000001\n' +
        '    Processor: KSTREAM-KEY-SELECT-0000000001 (stores: [])\n' +
        '      --> counts-repartition-filter\n' +
        '      <-- KSTREAM-SOURCE-0000000000\n' +
        '    Processor: counts-repartition-filter (stores: [])\n' +
        '      --> counts-repartition-sink\n' +
        '      <-- KSTREAM-KEY-SELECT-0000000001\n' +
        '    Sink: counts-repartition-sink (topic: counts-repartition)\n' +
        '      <-- counts-repartition-filter\n' +
        '\n' +
        '  Sub-topology: 1\n' +
        '    Source: counts-repartition-source (topics: [counts-repartition])\n' +
        '      --> KSTREAM-AGGREGATE-0000000002\n' +
        '    Processor: KSTREAM-AGGREGATE-0000000002 (stores: [counts])\n' +
        '      --> KTABLE-SUPPRESS-0000000006\n' +
        '      <-- counts-repartition-source\n' +
        '    Processor: KTABLE-SUPPRESS-0000000006 (stores: [KTABLE-SUPPRESS-STATE-STORE-0000000007])\n' +
        '      --> KTABLE-TOSTREAM-0000000008\n' +
        '      <-- KSTREAM-AGGREGATE-0000000002\n' +
        '    Processor: KTABLE-TOSTREAM-0000000008 (stores: [])\n' +
        '      --> KSTREAM-MAP-0000000009\n' +
        '      <-- KTABLE-SUPPRESS-0000000006\n' +
        '    Processor: KSTREAM-MAP-0000000009 (stores: [])\n' +
        '      --> KSTREAM-SINK-0000000010\n' +
        '      <-- KTABLE-TOSTREAM-0000000008\n' +
        '    Sink: KSTREAM-SINK-0000000010 (topic: output-suppressed)\n' +
        '      <-- KSTREAM-MAP-0000000009\n' +
        '\n',
    );
  });

  it('named final-results suppression (verbatim, SuppressTopologyTest.NAMED_FINAL_TOPOLOGY)', () => {
    expect(finalTopology('myname')).toBe(
      'Topologies:\n' +
        '   Sub-topology: 0\n' +
        '    Source: KSTREAM-SOURCE-0000000000 (topics: [input])\n' +
        '      --> KSTREAM-KEY-SELECT-0000000001\n' +
        '    Processor: KSTREAM-KEY-SELECT-0000000001 (stores: [])\n' +
        '      --> counts-repartition-filter\n' +
        '      <-- KSTREAM-SOURCE-0000000000\n' +
        '    Processor: counts-repartition-filter (stores: [])\n' +
        '      --> counts-repartition-sink\n' +
        '      <-- KSTREAM-KEY-SELECT-0000000001\n' +
        '    Sink: counts-repartition-sink (topic: counts-repartition)\n' +
        '      <-- counts-repartition-filter\n' +
        '\n' +
        '  Sub-topology: 1\n' +
        '    Source: counts-repartition-source (topics: [counts-repartition])\n' +
        '      --> KSTREAM-AGGREGATE-0000000002\n' +
        '    Processor: KSTREAM-AGGREGATE-0000000002 (stores: [counts])\n' +
        '      --> myname\n' +
        '      <-- counts-repartition-source\n' +
        '    Processor: myname (stores: [myname-store])\n' +
        '      --> KTABLE-TOSTREAM-0000000006\n' +
        '      <-- KSTREAM-AGGREGATE-0000000002\n' +
        '    Processor: KTABLE-TOSTREAM-0000000006 (stores: [])\n' +
        '      --> KSTREAM-MAP-0000000007\n' +
        '      <-- myname\n' +
        '    Processor: KSTREAM-MAP-0000000007 (stores: [])\n' +
        '      --> KSTREAM-SINK-0000000008\n' +
        '      <-- KTABLE-TOSTREAM-0000000006\n' +
        '    Sink: KSTREAM-SINK-0000000008 (topic: output-suppressed)\n' +
        '      <-- KSTREAM-MAP-0000000007\n' +
        '\n',
    );
  });

  const intermediateTopology = (name: string | null) => {
    const b = new StreamsBuilder();
    const suppressed = Suppressed.untilTimeLimit<string>(1000, BufferConfig.unbounded());
    b.stream<string, string>('input', Consumed.with(S, S))
      .groupByKey()
      .count()
      .suppress(name === null ? suppressed : suppressed.withName(name))
      .toStream()
      .to('output', Produced.with(S, Serdes.Long()));
    return b.build().describe().toString();
  };

  it('anonymous time-limit suppression (verbatim, SuppressTopologyTest.ANONYMOUS_INTERMEDIATE_TOPOLOGY)', () => {
    expect(intermediateTopology(null)).toBe(
      'Topologies:\n' +
        '   Sub-topology: 0\n' +
        '    Source: KSTREAM-SOURCE-0000000000 (topics: [input])\n' +
        '      --> KSTREAM-AGGREGATE-0000000002\n' +
        '    Processor: KSTREAM-AGGREGATE-0000000002 (stores: [KSTREAM-AGGREGATE-STATE-STORE-0000000001])\n' +
        '      --> KTABLE-SUPPRESS-0000000003\n' +
        '      <-- KSTREAM-SOURCE-0000000000\n' +
        '    Processor: KTABLE-SUPPRESS-0000000003 (stores: [KTABLE-SUPPRESS-STATE-STORE-0000000004])\n' +
        '      --> KTABLE-TOSTREAM-0000000005\n' +
        '      <-- KSTREAM-AGGREGATE-0000000002\n' +
        '    Processor: KTABLE-TOSTREAM-0000000005 (stores: [])\n' +
        '      --> KSTREAM-SINK-0000000006\n' +
        '      <-- KTABLE-SUPPRESS-0000000003\n' +
        '    Sink: KSTREAM-SINK-0000000006 (topic: output)\n' +
        '      <-- KTABLE-TOSTREAM-0000000005\n' +
        '\n',
    );
  });

  it('named time-limit suppression (verbatim, SuppressTopologyTest.NAMED_INTERMEDIATE_TOPOLOGY)', () => {
    expect(intermediateTopology('asdf')).toBe(
      'Topologies:\n' +
        '   Sub-topology: 0\n' +
        '    Source: KSTREAM-SOURCE-0000000000 (topics: [input])\n' +
        '      --> KSTREAM-AGGREGATE-0000000002\n' +
        '    Processor: KSTREAM-AGGREGATE-0000000002 (stores: [KSTREAM-AGGREGATE-STATE-STORE-0000000001])\n' +
        '      --> asdf\n' +
        '      <-- KSTREAM-SOURCE-0000000000\n' +
        '    Processor: asdf (stores: [asdf-store])\n' +
        '      --> KTABLE-TOSTREAM-0000000003\n' +
        '      <-- KSTREAM-AGGREGATE-0000000002\n' +
        '    Processor: KTABLE-TOSTREAM-0000000003 (stores: [])\n' +
        '      --> KSTREAM-SINK-0000000004\n' +
        '      <-- asdf\n' +
        '    Sink: KSTREAM-SINK-0000000004 (topic: output)\n' +
        '      <-- KTABLE-TOSTREAM-0000000003\n' +
        '\n',
    );
  });

  it('untilWindowCloses on a non-windowed table fails with Kafka\'s message (Appendix A.10)', () => {
    const b = new StreamsBuilder();
    const table = b.table<string, string>('input', Consumed.with(S, S));
    expect(() => table.suppress(Suppressed.untilWindowCloses(BufferConfig.unbounded()))).toThrow(
      new TopologyException('Window close time is only defined for windowed computations. Got [root->KTABLE-SOURCE-0000000002].'),
    );
  });

  it('retention smaller than size + grace fails with Kafka\'s message (Appendix A.9)', () => {
    const b = new StreamsBuilder();
    const grouped = b.stream<string, string>('input', Consumed.with(S, S)).groupByKey();
    expect(() => grouped.windowedBy(TimeWindows.ofSizeWithNoGrace(10)).count(Materialized.as<string, number>('w').withRetention(5))).toThrow(
      'The retention period of the window store w must be no smaller than its window size plus the grace period. Got size=[10], grace=[0], retention=[5]',
    );
    expect(() => grouped.windowedBy(SessionWindows.ofInactivityGapAndGrace(10, 5)).count(Materialized.as<string, number>('s').withRetention(14))).toThrow(
      'The retention period of the session store s must be no smaller than the session inactivity gap plus the grace period. Got gap=[10], grace=[5], retention=[14]',
    );
  });
});
