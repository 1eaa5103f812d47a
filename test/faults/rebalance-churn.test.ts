/**
 * Repeated rebalances: while input flows, one of two WordCount instances is SIGKILLed and started again (same
 * state dir) 24 times, alternating. Half the rounds wait until the restarted instance runs its share of the tasks
 * (so the next kills hit instances that were processing), the other half only until it joins (so kills also land
 * mid-rebalance and mid-restore); every round waits for more input to be acknowledged.
 * No instance may reach ERROR by itself; after the churn both run every task again and every word is counted at
 * least as often as it was acknowledged as input (at-least-once).
 */
import { startTestBroker, type TestBroker } from '../support/broker';
import { waitFor } from '../support/wait-for';
import { describeInstances, isAlive, stopInstance } from '../e2e/e2e-support';
import { requireBuild, WordCountCluster } from './fault-support';

jest.setTimeout(900_000);

const KILLS = 24;

let broker: TestBroker;
beforeAll(async () => {
  requireBuild();
  broker = await startTestBroker({ restartable: true });
});
afterAll(async () => {
  await broker?.close();
});

test('24 SIGKILL-and-restart rounds under load: no instance reaches ERROR, counts at least the truth', async () => {
  const app = new WordCountCluster(broker);
  try {
    await app.start();
    for (let round = 0; round < KILLS; round++) {
      const slot = round % 2;
      await stopInstance(app.instances[slot]!, 'SIGKILL');
      const restarted = app.launch(slot);
      // paced by conditions: the new instance runs tasks (or has joined), and more input was acknowledged
      const untilRunning = round % 4 < 2;
      await waitFor(() => (untilRunning ? restarted.last?.state === 'RUNNING' && restarted.last.tasks.length > 0 : restarted.states.includes('REBALANCING')), 180_000, {
        description: `round ${round}: the restarted instance ${untilRunning ? 'running tasks' : 'joining'}\n${describeInstances(app.instances)}`,
        intervalMs: 100,
      });
      await app.load!.advanced(300, 120_000);
      const other = app.instances[1 - slot]!;
      expect(isAlive(other)).toBe(true);
    }
    await app.allRunning(300_000, 'both instances RUNNING with every task after the churn');
    const { words, duplicates } = await app.countsAtLeastTheTruth(300_000);
    console.log(`rebalance churn (${broker.kind}): ${KILLS} kills, ${app.load!.ackedLines} lines / ${words} words, ${duplicates} words counted more than once`);
    expect(app.errors()).toEqual([]);
    expect(app.instances.every(isAlive)).toBe(true);
  } catch (e) {
    throw new Error(`${String(e)}\n${describeInstances(app.launched.slice(-6))}`);
  } finally {
    await app.close();
  }
});
