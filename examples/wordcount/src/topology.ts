/**
 * WordCount, the Kafka Streams demo: split lines into words, count each word, and emit the running counts.
 * The same topology runs on the test driver (tests) and on a broker (`main.ts`).
 */
import { Consumed, Grouped, Produced, Serdes, StreamsBuilder } from '@kstreams/streams';
import type { Topology } from '@kstreams/streams';

export const INPUT_TOPIC = 'streams-plaintext-input';
export const OUTPUT_TOPIC = 'streams-wordcount-output';

/** Builds the WordCount topology. */
export function wordCountTopology(): Topology {
  const builder = new StreamsBuilder();
  builder
    .stream<string | null, string>(INPUT_TOPIC, Consumed.with(Serdes.String(), Serdes.String()))
    .flatMapValues((line) => line.toLowerCase().split(/\W+/).filter((w) => w.length > 0))
    .groupBy((_key, word) => word, Grouped.with(Serdes.String(), Serdes.String()))
    .count()
    .toStream()
    .to(OUTPUT_TOPIC, Produced.with(Serdes.String(), Serdes.Long()));
  return builder.build();
}

/** The sample text fed by the demo. */
export const SAMPLE_LINES: readonly string[] = [
  'all streams lead to kafka',
  'hello kafka streams',
  'join kafka summit',
  'Apache Kafka Streams Example',
  'Using Kafka Streams Test Utils',
  'Reading and Writing Kafka Topics',
];
