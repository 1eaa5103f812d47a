/** RepartitionPurger: one DeleteRecords request per interval, only for offsets that moved, never two at once. */
import type { PartitionOffset, RecordDeleter } from '../../src/runtime/kafka-client';
import { RepartitionPurger } from '../../src/runtime/repartition-purger';
import { ConsoleLogger, setLogger } from '../../src/logger';

const warnings: string[] = [];
beforeEach(() => setLogger({ error: () => undefined, warn: (m) => warnings.push(m), info: () => undefined, debug: () => undefined }));
afterEach(() => setLogger(new ConsoleLogger()));

function fakeDeleter() {
  const calls: PartitionOffset[][] = [];
  let release: (() => void) | null = null;
  let fail = false;
  const deleter = {
    deleteBelow: (offsets: readonly PartitionOffset[]) => {
      calls.push([...offsets]);
      return new Promise<void>((resolve, reject) => {
        release = () => (fail ? reject(new Error('broker down')) : resolve());
      });
    },
    close: () => Promise.resolve(),
  } as unknown as RecordDeleter;
  return {
    deleter,
    calls,
    finish: async (failing = false) => {
      fail = failing;
      release!();
      await new Promise((r) => setImmediate(r));
    },
  };
}

const at = (offset: number, partition = 0): PartitionOffset => ({ topic: 'app-x-repartition', partition, offset });

test('purges after the interval, one request at a time, and only offsets that moved', async () => {
  let now = 1000;
  const d = fakeDeleter();
  const purger = new RepartitionPurger(d.deleter, 500, () => now);
  purger.maybePurge([at(10)]);
  expect(d.calls).toHaveLength(0); // interval not passed since creation
  now = 1500;
  purger.maybePurge([at(10), at(0, 1)]);
  expect(d.calls).toEqual([[at(10)]]); // partition 1 has nothing below offset 0
  now = 3000;
  purger.maybePurge([at(20)]);
  expect(d.calls).toHaveLength(1); // the first request is still in flight
  await d.finish();
  purger.maybePurge([at(10)]);
  expect(d.calls).toHaveLength(1); // offset 10 is purged already
  purger.maybePurge([at(20)]);
  expect(d.calls).toEqual([[at(10)], [at(20)]]);
  await d.finish(true); // a failure is logged and the same offsets are tried again after the next interval
  expect(warnings).toEqual(['Failed to purge repartition records (retried after repartition.purge.interval.ms): broker down']);
  purger.maybePurge([at(20)]);
  expect(d.calls).toHaveLength(2);
  now = 3500;
  purger.maybePurge([at(20)]);
  expect(d.calls).toEqual([[at(10)], [at(20)], [at(20)]]);
  await d.finish();
  expect(purger.requests).toBe(3);
});
