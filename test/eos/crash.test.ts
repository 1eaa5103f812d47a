/**
 * Exactly-once under kill -9: the counting app (with a repartition stage) is SIGKILLed at random moments while
 * records flow, and the broker twice; read_committed, every input is counted exactly once, each key's counts
 * are 1, 2, 3, … and the store's changelog equals the output. `npm run soak:eos -- --kills 50` runs the same
 * harness longer (KSTREAMS_EOS_* settings below).
 */
import { writeFileSync } from 'node:fs';
import type { Kafka } from 'kafkajs';
import { startTestBroker, type TestBroker } from '../support/broker';
import { createKafka } from '../support/kafka-client';
import { runCrashHarness } from './crash-harness';

const num = (name: string, fallback: number): number => {
  const v = process.env[name];
  return v === undefined || v === '' ? fallback : Number(v);
};
const KILLS = num('KSTREAMS_EOS_KILLS', 10);
const BROKER_KILLS = num('KSTREAMS_EOS_BROKER_KILLS', 2);
const GUARANTEE = process.env['KSTREAMS_EOS_GUARANTEE'] === 'at_least_once' ? 'at_least_once' : 'exactly_once_v2';
const REPORT = process.env['KSTREAMS_EOS_REPORT'];

jest.setTimeout(600_000 + KILLS * 30_000);

let broker: TestBroker;
let kafka: Kafka;

beforeAll(async () => {
  broker = await startTestBroker({ restartable: true });
  kafka = createKafka(broker.bootstrapServers);
});

afterAll(async () => {
  await broker?.close();
});

test(`${GUARANTEE}: ${KILLS} app kills and ${BROKER_KILLS} broker kills while records flow`, async () => {
  const lines: string[] = [];
  const report = await runCrashHarness({
    broker,
    kafka,
    guarantee: GUARANTEE,
    kills: KILLS,
    brokerKills: BROKER_KILLS,
    instances: 1,
    seed: num('KSTREAMS_EOS_SEED', Date.now()),
    log: (line) => lines.push(`${new Date().toISOString()} ${line}`),
  });
  if (REPORT !== undefined && REPORT !== '') writeFileSync(REPORT, JSON.stringify({ ...report, log: lines }, null, 2));
  expect(report.stalled).toBeNull();
  expect(report.appErrors).toEqual([]);
  expect(report.kills).toBe(KILLS);
  expect(report.brokerKills).toBe(BROKER_KILLS);
  expect(report.inputs).toBeGreaterThan(0);
  expect(report.lost).toBe(0);
  if (GUARANTEE === 'exactly_once_v2') {
    expect(report.duplicated).toBe(0);
    expect(report.badSequences).toEqual([]);
    expect(report.changelogMismatches).toEqual([]);
  }
});
