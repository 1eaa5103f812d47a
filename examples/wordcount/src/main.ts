/**
 * Runs WordCount: prints the topology as Kafka Streams describes it, pipes the sample lines through the
 * topology and prints each count update as it happens, then the final counts.
 */
import { Serdes } from '@kstreams/streams';
import { TopologyTestDriver } from '@kstreams/test-utils';
import { INPUT_TOPIC, OUTPUT_TOPIC, SAMPLE_LINES, wordCountTopology } from './topology';

function main(): void {
  const topology = wordCountTopology();
  console.log(topology.describe().toString());
  const driver = new TopologyTestDriver(topology, { applicationId: 'streams-wordcount', statestoreCacheMaxBytes: 0 });
  try {
    const input = driver.createInputTopic(INPUT_TOPIC, Serdes.String().serializer(), Serdes.String().serializer());
    const output = driver.createOutputTopic(OUTPUT_TOPIC, Serdes.String().deserializer(), Serdes.Long().deserializer());
    const counts = new Map<string, number>();
    for (const line of SAMPLE_LINES) {
      input.pipeInput(line);
      for (const { key, value } of output.readKeyValuesToList()) {
        console.log(`${key}\t${value}`);
        counts.set(key, value);
      }
    }
    console.log('\nFinal counts:');
    for (const [word, count] of [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))) console.log(`  ${word.padEnd(10)} ${count}`);
  } finally {
    driver.close();
  }
}

main();
