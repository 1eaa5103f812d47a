import { Consumed, Materialized, SessionWindows, StreamsBuilder, Stores, TimeWindows } from '@kstreams/streams';
import { S, withDriver } from './helpers';

describe('TopologyTestDriver window and session store getters', () => {
  function topology() {
    const b = new StreamsBuilder();
    const grouped = b.stream<string, string>('in', Consumed.with(S, S)).groupByKey();
    grouped.windowedBy(TimeWindows.ofSizeWithNoGrace(10)).count(Materialized.as<string, number>('windows'));
    grouped.windowedBy(SessionWindows.ofInactivityGapWithNoGrace(10)).count(Materialized.as<string, number>('sessions'));
    grouped.count(Materialized.as<string, number>('plain'));
    // a user-supplied in-memory window store (Materialized.as(supplier))
    grouped.windowedBy(TimeWindows.ofSizeWithNoGrace(10)).count(Materialized.as<string, number>(Stores.inMemoryWindowStore('supplied', 50, 10, false)));
    return b.build();
  }

  it('returns typed stores by kind, undefined for other kinds, and refuses timestamped window stores in getStateStore', () => {
    withDriver(topology(), (d) => {
      d.createInputTopic('in', S.serializer(), S.serializer()).pipeInput('k', 'v', 3);
      expect(d.getTimestampedWindowStore<string, number>('windows')!.fetch('k', 0)?.value).toBe(1);
      expect(d.getWindowStore<string, number>('windows')!.fetch('k', 0)).toBe(1);
      expect(d.getSessionStore<string, number>('sessions')!.fetchSession('k', 3, 3)).toBe(1);
      expect(d.getWindowStore('plain')).toBeUndefined();
      expect(d.getSessionStore('windows')).toBeUndefined();
      expect(d.getTimestampedWindowStore('sessions')).toBeUndefined();
      expect(() => d.getStateStore('windows')).toThrow(
        'Store windows is a timestamped window store and should be accessed via `getTimestampedWindowStore()`',
      );
      expect(d.getWindowStore<string, number>('supplied')!.fetch('k', 0)).toBe(1);
    });
  });
});
