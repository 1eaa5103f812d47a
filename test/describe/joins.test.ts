/**
 * describe() goldens of joins, global tables and cogroup. Every expected string comes from Java Kafka Streams
 * 4.1.1 building the same topology: ../joins/java/Scenarios.java (one scenario per name), printed by
 * ../joins/java/JoinGoldens.java into ../joins/join-goldens.json.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { StreamsBuilder } from '@kstreams/streams';
import { joinScenarios } from '../joins/join-scenarios';

const expected = JSON.parse(readFileSync(join(__dirname, '..', 'joins', 'join-goldens.json'), 'utf8')) as { [name: string]: string };

describe('describe() goldens of joins (from Java Kafka Streams 4.1.1)', () => {
  it('covers every Java scenario', () => {
    expect(Object.keys(joinScenarios).sort()).toEqual(Object.keys(expected).sort());
  });
  for (const [name, build] of Object.entries(joinScenarios)) {
    it(name, () => {
      const b = new StreamsBuilder();
      build(b);
      expect(b.build().describe().toString()).toBe(expected[name]);
    });
  }
});
