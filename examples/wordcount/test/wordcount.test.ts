import { Serdes } from '@kstreams/streams';
import { TopologyTestDriver } from '@kstreams/test-utils';
import { INPUT_TOPIC, OUTPUT_TOPIC, SAMPLE_LINES, wordCountTopology } from '../src/topology';

describe('examples/wordcount', () => {
  it('counts the sample text', () => {
    const driver = new TopologyTestDriver(wordCountTopology(), { applicationId: 'wordcount-test' });
    try {
      const input = driver.createInputTopic(INPUT_TOPIC, Serdes.String().serializer(), Serdes.String().serializer());
      const output = driver.createOutputTopic(OUTPUT_TOPIC, Serdes.String().deserializer(), Serdes.Long().deserializer());
      input.pipeValueList(SAMPLE_LINES);
      const counts = output.readKeyValuesToMap();
      expect(counts.get('kafka')).toBe(6);
      expect(counts.get('streams')).toBe(4);
      expect(counts.get('all')).toBe(1);
      expect(counts.size).toBe(17);
    } finally {
      driver.close();
    }
  });
});
