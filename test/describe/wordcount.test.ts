import { Consumed, Produced, Serdes, StreamsBuilder } from '@kstreams/streams';
import { TopologyTestDriver } from '@kstreams/test-utils';

// Verbatim from Kafka Streams (WordCountDemo topology as printed by Topology#describe()).
const WORDCOUNT_DESCRIPTION =
  'Topologies:\n' +
  '   Sub-topology: 0\n' +
  '    Source: KSTREAM-SOURCE-0000000000 (topics: [streams-plaintext-input])\n' +
  '      --> KSTREAM-FLATMAPVALUES-0000000001\n' +
  '    Processor: KSTREAM-FLATMAPVALUES-0000000001 (stores: [])\n' +
  '      --> KSTREAM-KEY-SELECT-0000000002\n' +
  '      <-- KSTREAM-SOURCE-0000000000\n' +
  '    Processor: KSTREAM-KEY-SELECT-0000000002 (stores: [])\n' +
  '      --> KSTREAM-FILTER-0000000006\n' +
  '      <-- KSTREAM-FLATMAPVALUES-0000000001\n' +
  '    Processor: KSTREAM-FILTER-0000000006 (stores: [])\n' +
  '      --> KSTREAM-SINK-0000000005\n' +
  '      <-- KSTREAM-KEY-SELECT-0000000002\n' +
  '    Sink: KSTREAM-SINK-0000000005 (topic: KSTREAM-AGGREGATE-STATE-STORE-0000000003-repartition)\n' +
  '      <-- KSTREAM-FILTER-0000000006\n' +
  '\n' +
  '  Sub-topology: 1\n' +
  '    Source: KSTREAM-SOURCE-0000000007 (topics: [KSTREAM-AGGREGATE-STATE-STORE-0000000003-repartition])\n' +
  '      --> KSTREAM-AGGREGATE-0000000004\n' +
  '    Processor: KSTREAM-AGGREGATE-0000000004 (stores: [KSTREAM-AGGREGATE-STATE-STORE-0000000003])\n' +
  '      --> KTABLE-TOSTREAM-0000000008\n' +
  '      <-- KSTREAM-SOURCE-0000000007\n' +
  '    Processor: KTABLE-TOSTREAM-0000000008 (stores: [])\n' +
  '      --> KSTREAM-SINK-0000000009\n' +
  '      <-- KSTREAM-AGGREGATE-0000000004\n' +
  '    Sink: KSTREAM-SINK-0000000009 (topic: streams-wordcount-output)\n' +
  '      <-- KTABLE-TOSTREAM-0000000008\n' +
  '\n';

function wordCount() {
  const builder = new StreamsBuilder();
  builder
    .stream<string, string>('streams-plaintext-input', Consumed.with(Serdes.String(), Serdes.String()))
    .flatMapValues((value) => value.toLowerCase().split(/\W+/))
    .groupBy((_key, word) => word, )
    .count()
    .toStream()
    .to('streams-wordcount-output', Produced.with(Serdes.String(), Serdes.Long()));
  return builder.build();
}

describe('WordCount', () => {
  it('describes exactly as Kafka Streams', () => {
    expect(wordCount().describe().toString()).toBe(WORDCOUNT_DESCRIPTION);
  });

  it('counts words through the test driver', () => {
    const driver = new TopologyTestDriver(wordCount(), { defaultKeySerde: Serdes.String(), defaultValueSerde: Serdes.String() });
    try {
      const input = driver.createInputTopic('streams-plaintext-input', Serdes.String().serializer(), Serdes.String().serializer());
      const output = driver.createOutputTopic('streams-wordcount-output', Serdes.String().deserializer(), Serdes.Long().deserializer());
      input.pipeInput('Hello');
      expect(output.readKeyValue()).toEqual({ key: 'hello', value: 1 });
      expect(output.isEmpty()).toBe(true);
      input.pipeValueList(['Apache   Kafka Streams   Example', 'Using  \t\t Kafka   Streams\tTest Utils', 'Reading and Writing Kafka Topic']);
      const counts = output.readKeyValuesToMap();
      expect(Object.fromEntries(counts)).toEqual({
        apache: 1, kafka: 3, streams: 2, example: 1, using: 1, test: 1, utils: 1, reading: 1, and: 1, writing: 1, topic: 1,
      });
      const store = driver.getKeyValueStore<string, number>('KSTREAM-AGGREGATE-STATE-STORE-0000000003')!;
      expect(store.get('kafka')).toBe(3);
      expect(store.get('hello')).toBe(1);
    } finally {
      driver.close();
    }
  });
});
