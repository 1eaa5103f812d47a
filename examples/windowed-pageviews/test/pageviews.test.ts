import { Serdes } from '@kstreams/streams';
import { TopologyTestDriver, withCapturedLogs } from '@kstreams/test-utils';
import { DateTime } from 'luxon';
import { SAMPLE_VIEWS } from '../src/sample';
import { COUNTS_TOPIC, PAGEVIEWS_TOPIC, STORE, pageViewSerde, pageViewsTopology, windowedUserSerde } from '../src/topology';

const at = (hhmm: string): number => DateTime.fromISO(`2026-11-22T${hhmm}Z`).toMillis();

describe('examples/windowed-pageviews', () => {
  let driver: TopologyTestDriver;
  beforeEach(() => {
    driver = new TopologyTestDriver(pageViewsTopology(), { applicationId: 'pageviews-test', defaultDslStore: 'in_memory' });
  });
  afterEach(() => driver.close());

  it('emits one final count per user and 5-minute window, once the window and its grace have passed', () => {
    const input = driver.createInputTopic(PAGEVIEWS_TOPIC, Serdes.String().serializer(), pageViewSerde.serializer());
    const output = driver.createOutputTopic(COUNTS_TOPIC, windowedUserSerde.deserializer(), Serdes.Long().deserializer());
    const { warnings } = withCapturedLogs(() => {
      for (const v of SAMPLE_VIEWS) input.pipeInput(v.user, { page: v.page, viewedAt: v.viewedAt });
    });
    expect(warnings).toEqual([
      `Skipping record for expired window. topic=[${PAGEVIEWS_TOPIC}] partition=[0] offset=[7] timestamp=[${at('09:02')}] ` +
        `window=[${at('09:00')},${at('09:05')}) expiration=[${at('09:10')}] streamTime=[${at('09:11')}]`,
    ]);
    const rows = output.readRecordsToList().map((r) => [r.key!.key(), r.key!.window().start(), r.key!.window().end(), r.value, r.timestamp]);
    expect(rows).toEqual([
      // 09:00–09:05 closes at stream time 09:06:00 (bob's 09:04:59 view arrived out of order, inside grace)
      ['alice', at('09:00'), at('09:05'), 2, at('09:03:30')],
      ['bob', at('09:00'), at('09:05'), 2, at('09:04:59')],
      // 09:05–09:10 closes at 09:11:00
      ['alice', at('09:05'), at('09:10'), 1, at('09:05:05')],
      ['bob', at('09:05'), at('09:10'), 1, at('09:06:40')],
      // 09:10–09:15 closes at 09:16:00
      ['carol', at('09:10'), at('09:15'), 1, at('09:11')],
    ]);
    expect(driver.metrics().find((m) => m.name === 'dropped-records-total')?.value).toBe(1);
  });

  it('nothing is emitted before a window closes; the store has the running counts', () => {
    const input = driver.createInputTopic(PAGEVIEWS_TOPIC, Serdes.String().serializer(), pageViewSerde.serializer());
    const output = driver.createOutputTopic(COUNTS_TOPIC, windowedUserSerde.deserializer(), Serdes.Long().deserializer());
    input.pipeInput('alice', { page: '/a', viewedAt: at('09:00') });
    input.pipeInput('alice', { page: '/b', viewedAt: at('09:05:59') });
    expect(output.isEmpty()).toBe(true);
    const store = driver.getWindowStore<string, number>(STORE)!;
    expect(store.fetch('alice', at('09:00'))).toBe(1);
    expect(store.fetch('alice', at('09:05'))).toBe(1);
    input.pipeInput('bob', { page: '/c', viewedAt: at('09:06') });
    expect(output.readKeyValue().key!.toString()).toBe(`[alice@${at('09:00')}/${at('09:05')}]`);
  });

  it('describe() shows the windowed aggregation and the suppression with their stores', () => {
    const text = pageViewsTopology().describe().toString();
    expect(text).toContain('Processor: KSTREAM-AGGREGATE-0000000001 (stores: [pageviews-per-user])');
    expect(text).toContain('Processor: KTABLE-SUPPRESS-0000000002 (stores: [KTABLE-SUPPRESS-STATE-STORE-0000000003])');
  });
});
