/** Shared helpers for windowing tests: a driver, captured log warnings, and compact output reading. */
import { Serdes, type Topology } from '@kstreams/streams';
import { TopologyTestDriver, captureLogs, type TestOutputTopic } from '@kstreams/test-utils';

export const S = Serdes.String();
export const L = Serdes.Long();

/** Runs `body` with a driver (in-memory stores, String default serdes) and returns the warnings logged meanwhile. */
export function withDriver(
  topology: Topology,
  body: (driver: TopologyTestDriver) => void,
  config: Record<string, unknown> = {},
  initialWallClockTime = 0,
): string[] {
  const logs = captureLogs();
  const driver = new TopologyTestDriver(
    topology,
    { applicationId: 'windowing-test', defaultKeySerde: S, defaultValueSerde: S, defaultDslStore: 'in_memory', ...config },
    initialWallClockTime,
  );
  try {
    body(driver);
  } finally {
    driver.close();
    logs.stop();
  }
  return logs.warnings;
}

/** `key=value@timestamp` for each record on the topic. */
export function drain<K, V>(out: TestOutputTopic<K, V>): string[] {
  return out.readRecordsToList().map((r) => `${String(r.key)}=${r.value === null ? 'null' : String(r.value)}@${r.timestamp}`);
}

export function droppedRecords(driver: TopologyTestDriver): number {
  return driver.metrics().find((m) => m.name === 'dropped-records-total')?.value ?? 0;
}
