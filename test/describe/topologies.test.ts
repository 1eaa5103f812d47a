/**
 * describe() goldens. Strings marked "verbatim" are copied from Kafka Streams' own tests (TopologyTest,
 * StreamsGraphTest); the others are derived from Kafka Streams' naming and ordering rules.
 */
import { Branched, Consumed, Grouped, Materialized, Named, Serdes, Stores, StreamsBuilder, Topology } from '@kstreams/streams';
import type { KStream, Processor, ProcessorContext, Record } from '@kstreams/streams';

describe('describe() goldens', () => {
  it('groupByKey().count() (verbatim, TopologyTest.kGroupedStreamZeroArgCountShouldPreserveTopologyStructure)', () => {
    const builder = new StreamsBuilder();
    builder.stream('input-topic').groupByKey().count();
    expect(builder.build().describe().toString()).toBe(
      'Topologies:\n' +
        '   Sub-topology: 0\n' +
        '    Source: KSTREAM-SOURCE-0000000000 (topics: [input-topic])\n' +
        '      --> KSTREAM-AGGREGATE-0000000002\n' +
        '    Processor: KSTREAM-AGGREGATE-0000000002 (stores: [KSTREAM-AGGREGATE-STATE-STORE-0000000001])\n' +
        '      --> none\n' +
        '      <-- KSTREAM-SOURCE-0000000000\n\n',
    );
  });

  it('count(Materialized.as(name)) uses the name and burns no index', () => {
    const builder = new StreamsBuilder();
    builder.stream('input-topic').groupByKey().count(Materialized.as('count-store'));
    expect(builder.build().describe().toString()).toContain('Processor: KSTREAM-AGGREGATE-0000000001 (stores: [count-store])');
  });

  it('table().groupBy().count() (verbatim, TopologyTest.tableZeroArgCountShouldPreserveTopologyStructure)', () => {
    const builder = new StreamsBuilder();
    builder.table('input-topic').groupBy((_k, _v) => ({ key: null, value: null })).count();
    expect(builder.build().describe().toString()).toBe(
      'Topologies:\n' +
        '   Sub-topology: 0\n' +
        '    Source: KSTREAM-SOURCE-0000000001 (topics: [input-topic])\n' +
        '      --> KTABLE-SOURCE-0000000002\n' +
        '    Processor: KTABLE-SOURCE-0000000002 (stores: [input-topic-STATE-STORE-0000000000])\n' +
        '      --> KTABLE-SELECT-0000000003\n' +
        '      <-- KSTREAM-SOURCE-0000000001\n' +
        '    Processor: KTABLE-SELECT-0000000003 (stores: [])\n' +
        '      --> KSTREAM-SINK-0000000005\n' +
        '      <-- KTABLE-SOURCE-0000000002\n' +
        '    Sink: KSTREAM-SINK-0000000005 (topic: KTABLE-AGGREGATE-STATE-STORE-0000000004-repartition)\n' +
        '      <-- KTABLE-SELECT-0000000003\n' +
        '\n' +
        '  Sub-topology: 1\n' +
        '    Source: KSTREAM-SOURCE-0000000006 (topics: [KTABLE-AGGREGATE-STATE-STORE-0000000004-repartition])\n' +
        '      --> KTABLE-AGGREGATE-0000000007\n' +
        '    Processor: KTABLE-AGGREGATE-0000000007 (stores: [KTABLE-AGGREGATE-STATE-STORE-0000000004])\n' +
        '      --> none\n' +
        '      <-- KSTREAM-SOURCE-0000000006\n\n',
    );
  });

  it('an unmaterialized table source lists no store', () => {
    const builder = new StreamsBuilder();
    builder.table('t').toStream().to('out');
    expect(builder.build().describe().toString()).toContain('Processor: KTABLE-SOURCE-0000000002 (stores: [])');
  });

  it('merge with fan-out and fan-in (verbatim, StreamsGraphTest.expectedMergeOptimizedTopology)', () => {
    const builder = new StreamsBuilder();
    const parent = builder.stream('input_topic', Consumed.with(Serdes.Integer(), Serdes.Integer())).selectKey((k, v) => k + v);
    const c1 = parent.mapValues((v) => v + 1);
    const c2 = parent.mapValues((v) => v + 2);
    const c3 = parent.mapValues((v) => v + 3);
    c1.merge(c2).merge(c3).to('output_topic');
    expect(builder.build().describe().toString()).toBe(
      'Topologies:\n' +
        '   Sub-topology: 0\n' +
        '    Source: KSTREAM-SOURCE-0000000000 (topics: [input_topic])\n' +
        '      --> KSTREAM-KEY-SELECT-0000000001\n' +
        '    Processor: KSTREAM-KEY-SELECT-0000000001 (stores: [])\n' +
        '      --> KSTREAM-MAPVALUES-0000000002, KSTREAM-MAPVALUES-0000000003, KSTREAM-MAPVALUES-0000000004\n' +
        '      <-- KSTREAM-SOURCE-0000000000\n' +
        '    Processor: KSTREAM-MAPVALUES-0000000002 (stores: [])\n' +
        '      --> KSTREAM-MERGE-0000000005\n' +
        '      <-- KSTREAM-KEY-SELECT-0000000001\n' +
        '    Processor: KSTREAM-MAPVALUES-0000000003 (stores: [])\n' +
        '      --> KSTREAM-MERGE-0000000005\n' +
        '      <-- KSTREAM-KEY-SELECT-0000000001\n' +
        '    Processor: KSTREAM-MAPVALUES-0000000004 (stores: [])\n' +
        '      --> KSTREAM-MERGE-0000000006\n' +
        '      <-- KSTREAM-KEY-SELECT-0000000001\n' +
        '    Processor: KSTREAM-MERGE-0000000005 (stores: [])\n' +
        '      --> KSTREAM-MERGE-0000000006\n' +
        '      <-- KSTREAM-MAPVALUES-0000000002, KSTREAM-MAPVALUES-0000000003\n' +
        '    Processor: KSTREAM-MERGE-0000000006 (stores: [])\n' +
        '      --> KSTREAM-SINK-0000000007\n' +
        '      <-- KSTREAM-MERGE-0000000005, KSTREAM-MAPVALUES-0000000004\n' +
        '    Sink: KSTREAM-SINK-0000000007 (topic: output_topic)\n' +
        '      <-- KSTREAM-MERGE-0000000006\n\n',
    );
  });

  it('split() with named and unnamed branches', () => {
    const builder = new StreamsBuilder();
    const branches = builder
      .stream<string, number>('input')
      .split()
      .branch((_k, v) => v > 0, Branched.as('positive'))
      .branch((_k, v) => v < 0)
      .defaultBranch();
    expect([...branches.keys()]).toEqual(['KSTREAM-BRANCH-0000000001positive', 'KSTREAM-BRANCH-00000000012', 'KSTREAM-BRANCH-00000000010']);
    branches.get('KSTREAM-BRANCH-0000000001positive')!.to('positives');
    expect(builder.build().describe().toString()).toBe(
      'Topologies:\n' +
        '   Sub-topology: 0\n' +
        '    Source: KSTREAM-SOURCE-0000000000 (topics: [input])\n' +
        '      --> KSTREAM-BRANCH-0000000001\n' +
        '    Processor: KSTREAM-BRANCH-0000000001 (stores: [])\n' +
        '      --> KSTREAM-BRANCH-0000000001positive, KSTREAM-BRANCH-00000000010, KSTREAM-BRANCH-00000000012\n' +
        '      <-- KSTREAM-SOURCE-0000000000\n' +
        '    Processor: KSTREAM-BRANCH-0000000001positive (stores: [])\n' +
        '      --> KSTREAM-SINK-0000000005\n' +
        '      <-- KSTREAM-BRANCH-0000000001\n' +
        '    Processor: KSTREAM-BRANCH-00000000010 (stores: [])\n' +
        '      --> none\n' +
        '      <-- KSTREAM-BRANCH-0000000001\n' +
        '    Processor: KSTREAM-BRANCH-00000000012 (stores: [])\n' +
        '      --> none\n' +
        '      <-- KSTREAM-BRANCH-0000000001\n' +
        '    Sink: KSTREAM-SINK-0000000005 (topic: positives)\n' +
        '      <-- KSTREAM-BRANCH-0000000001positive\n\n',
    );
  });

  it('a named split with a function branch', () => {
    const builder = new StreamsBuilder();
    const branches = builder
      .stream<string, number>('input')
      .split(Named.as('sign-'))
      .branch((_k, v) => v > 0, Branched.withFunction((s: KStream<string, number>) => s.mapValues((v) => v * 2), 'pos'))
      .noDefaultBranch();
    expect([...branches.keys()]).toEqual(['sign-pos']);
    // split(Named) still uses up index 1 and the branch index 2, as Kafka's NamedInternal does
    expect(builder.build().describe().toString()).toContain('Processor: sign-pos (stores: [])\n      --> KSTREAM-MAPVALUES-0000000003\n');
  });

  it('a Processor-API topology (WordCountProcessorDemo)', () => {
    class Counter implements Processor<string, string> {
      process(_record: Record<string, string>): void {}
      init(_context: ProcessorContext<never, never>): void {}
    }
    const topology = new Topology()
      .addSource('Source', 'streams-plaintext-input')
      .addProcessor('Process', () => new Counter(), 'Source')
      .addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore('Counts'), Serdes.String(), Serdes.Long()), 'Process')
      .addSink('Sink', 'streams-wordcount-processor-output', 'Process');
    expect(topology.describe().toString()).toBe(
      'Topologies:\n' +
        '   Sub-topology: 0\n' +
        '    Source: Source (topics: [streams-plaintext-input])\n' +
        '      --> Process\n' +
        '    Processor: Process (stores: [Counts])\n' +
        '      --> Sink\n' +
        '      <-- Source\n' +
        '    Sink: Sink (topic: streams-wordcount-processor-output)\n' +
        '      <-- Process\n\n',
    );
  });

  it('Processor-API sub-topologies: separate sources split, a shared store joins (TopologyTest structure tests)', () => {
    const store = (name: string) => Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), Serdes.String(), Serdes.String());
    const t = new Topology()
      .addSource('source1', 'topic1', 'topic2', 'topic3')
      .addProcessor('processor1', () => ({ process() {} }), 'source1')
      .addSource('source2', 'other')
      .addProcessor('processor2', () => ({ process() {} }), 'source2')
      .addSource('source3', /topic-[0-9]/)
      .addSink('sink3', 'sinkTopic3', 'source3')
      .addStateStore(store('store1'), 'processor1')
      .addStateStore(store('store2'), 'processor1', 'processor2');
    expect(t.describe().toString()).toBe(
      'Topologies:\n' +
        '   Sub-topology: 0\n' +
        '    Source: source1 (topics: [topic1, topic2, topic3])\n' +
        '      --> processor1\n' +
        '    Source: source2 (topics: [other])\n' +
        '      --> processor2\n' +
        '    Processor: processor1 (stores: [store1, store2])\n' +
        '      --> none\n' +
        '      <-- source1\n' +
        '    Processor: processor2 (stores: [store2])\n' +
        '      --> none\n' +
        '      <-- source2\n' +
        '\n' +
        '  Sub-topology: 1\n' +
        '    Source: source3 (topics: topic-[0-9])\n' +
        '      --> sink3\n' +
        '    Sink: sink3 (topic: sinkTopic3)\n' +
        '      <-- source3\n\n',
    );
  });

  it('groupBy with Grouped.as names the key-select node and the repartition nodes', () => {
    const builder = new StreamsBuilder();
    builder.stream<string, string>('in').groupBy((_k, v) => v, Grouped.as('g')).count();
    const text = builder.build().describe().toString();
    expect(text).toContain('Processor: g (stores: [])');
    expect(text).toContain('Sink: g-repartition-sink (topic: g-repartition)');
    expect(text).toContain('Processor: g-repartition-filter (stores: [])');
    expect(text).toContain('Source: g-repartition-source (topics: [g-repartition])');
  });

  it('repartition() names its topic after the generated node name', () => {
    const builder = new StreamsBuilder();
    builder.stream('in').repartition().to('out');
    expect(builder.build().describe().toString()).toContain('(topic: KSTREAM-REPARTITION-0000000001-repartition)');
  });

  it('an empty topology', () => {
    expect(new Topology().describe().toString()).toBe('Topologies:\n ');
  });
});
