/**
 * Runs the page-views topology on the test driver (no broker): prints `describe()`, pipes the sample views,
 * then prints each window's final count as the suppression emits it, what was dropped, and the window store.
 *
 *   npx turbo run build && node examples/windowed-pageviews/dist/main.js
 */
import { DateTime } from 'luxon';
import { Serdes } from '@kstreams/streams';
import { TopologyTestDriver } from '@kstreams/test-utils';
import { SAMPLE_VIEWS } from './sample';
import { COUNTS_TOPIC, PAGEVIEWS_TOPIC, STORE, pageViewSerde, pageViewsTopology, windowedUserSerde } from './topology';

const hhmm = (ms: number): string => DateTime.fromMillis(ms, { zone: 'utc' }).toFormat('HH:mm');

function main(): void {
  const topology = pageViewsTopology();
  console.log(topology.describe().toString());
  const driver = new TopologyTestDriver(topology, { applicationId: 'windowed-pageviews', defaultDslStore: 'in_memory' });
  try {
    const input = driver.createInputTopic(PAGEVIEWS_TOPIC, Serdes.String().serializer(), pageViewSerde.serializer());
    const output = driver.createOutputTopic(COUNTS_TOPIC, windowedUserSerde.deserializer(), Serdes.Long().deserializer());
    console.log('Final page views per user per 5 minutes (emitted when each window closes):');
    for (const view of SAMPLE_VIEWS) {
      input.pipeInput(view.user, { page: view.page, viewedAt: view.viewedAt });
      for (const r of output.readRecordsToList()) {
        const w = r.key!.window();
        console.log(`  ${r.key!.key().padEnd(6)} [${hhmm(w.start())}–${hhmm(w.end())})  ${r.value}   (after ${view.user} ${view.page} at ${hhmm(view.viewedAt)})`);
      }
    }
    const dropped = driver.metrics().find((m) => m.name === 'dropped-records-total')?.value ?? 0;
    console.log(`\nLate views dropped: ${dropped}`);
    console.log(`\nWindow store ${STORE} (windows still within retention = size + grace):`);
    const store = driver.getTimestampedWindowStore<string, number>(STORE)!;
    for (const kv of store.all()) console.log(`  ${kv.key.toString()} = ${kv.value.value} (last view at ${hhmm(kv.value.timestamp)})`);
  } finally {
    driver.close();
  }
}

main();
