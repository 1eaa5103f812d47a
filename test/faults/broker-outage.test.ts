/**
 * The broker down for 60 s under load: two WordCount instances (child processes) count input that keeps coming;
 * the broker is stopped (bundled: its process, then started again on the same port and data dir; real Kafka:
 * `kafka.sh stop` / `start`), and after it returns both instances are back to RUNNING by themselves, no instance
 * reached ERROR, and every word is counted at least as often as it was acknowledged as input (at-least-once).
 */
import { startTestBroker, type TestBroker } from '../support/broker';
import { describeInstances, isAlive } from '../e2e/e2e-support';
import { requireBuild, WordCountCluster } from './fault-support';

jest.setTimeout(600_000);

const OUTAGE_MS = 60_000;

let broker: TestBroker;
beforeAll(async () => {
  requireBuild();
  broker = await startTestBroker({ restartable: true });
});
afterAll(async () => {
  await broker?.close();
});

test('instances ride out a 60 s broker outage under load: back to RUNNING by themselves, nothing lost, no ERROR', async () => {
  const app = new WordCountCluster(broker);
  let down = false;
  try {
    await app.start();
    await app.load!.advanced(2000, 120_000);
    const reportsBefore = app.instances.map((i) => i.states.length);
    down = true;
    await broker.stop();
    await new Promise((r) => setTimeout(r, OUTAGE_MS)); // the deliberate outage
    await broker.restart();
    down = false;
    await app.load!.advanced(2000, 180_000);
    // back to RUNNING by themselves, with every task
    await app.allRunning(300_000, 'both instances RUNNING again after the outage');
    expect(app.instances.every(isAlive)).toBe(true);
    const { words, duplicates } = await app.countsAtLeastTheTruth(300_000);
    console.log(
      `broker outage (${broker.kind}): ${app.load!.ackedLines} lines / ${words} words acknowledged, ${app.load!.failedSends} sends failed during the outage, ` +
        `${duplicates} words counted more than once; state reports during and after: ${app.instances.map((i, n) => i.states.slice(reportsBefore[n]).join('>')).join(' | ')}`,
    );
    expect(app.errors()).toEqual([]);
    expect(app.instances.every(isAlive)).toBe(true);
  } catch (e) {
    throw new Error(`${String(e)}\n${describeInstances(app.launched)}`);
  } finally {
    // a shared Kafka must serve the suites after this one even when this test failed mid-outage
    if (down) await broker.restart();
    await app.close();
  }
});
