/**
 * Exactly-once across instances: two app processes share the tasks; while records flow one is SIGKILLed and a
 * new one (empty state directory) joins. The new owners fence the killed instance's producers, restore from the
 * changelogs and go on from the committed offsets: read_committed, every count is exact.
 */
import type { Kafka } from 'kafkajs';
import { startTestBroker, type TestBroker } from '../support/broker';
import { createKafka } from '../support/kafka-client';
import { runCrashHarness } from './crash-harness';

jest.setTimeout(600_000);

let broker: TestBroker;
let kafka: Kafka;

beforeAll(async () => {
  broker = await startTestBroker({ restartable: true });
  kafka = createKafka(broker.bootstrapServers);
});

afterAll(async () => {
  await broker?.close();
});

test('exactly_once_v2: one of two instances killed and a new one added while records flow', async () => {
  const report = await runCrashHarness({
    broker,
    kafka,
    guarantee: 'exactly_once_v2',
    kills: 2,
    brokerKills: 0,
    instances: 2,
    replaceKilled: true,
  });
  expect(report.stalled).toBeNull();
  expect(report.appErrors).toEqual([]);
  expect(report.kills).toBe(2);
  expect(report.inputs).toBeGreaterThan(0);
  expect(report.lost).toBe(0);
  expect(report.duplicated).toBe(0);
  expect(report.badSequences).toEqual([]);
  expect(report.changelogMismatches).toEqual([]);
});
