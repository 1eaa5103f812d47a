/** Shared helpers for DSL tests: a test driver with in-memory stores and string/long topics. */
import { Serdes } from '@kstreams/streams';
import type { Topology } from '@kstreams/streams';
import { TopologyTestDriver, captureLogs, type LogCapture } from '@kstreams/test-utils';

export const S = Serdes.String();
export const L = Serdes.Long();

/**
 * Runs `body` with a driver over `topology` (in-memory stores, String default serdes), closing it after; returns
 * what kstreams logged meanwhile, for the tests that expect warnings to assert on.
 */
export function withDriver(
  topology: Topology,
  body: (driver: TopologyTestDriver) => void,
  config: Record<string, unknown> = {},
  initialWallClockTime = 0,
): LogCapture {
  const logs = captureLogs();
  const driver = new TopologyTestDriver(topology, {
    applicationId: 'dsl-test',
    defaultKeySerde: Serdes.String(),
    defaultValueSerde: Serdes.String(),
    defaultDslStore: 'in_memory',
    ...config,
  }, initialWallClockTime);
  try {
    body(driver);
  } finally {
    driver.close();
    logs.stop();
  }
  return logs;
}
