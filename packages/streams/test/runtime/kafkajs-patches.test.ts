/**
 * The read_committed filter that replaces kafkajs' own: aborted transactions are applied in first-offset order
 * whatever order the broker lists them in (Apache Kafka lists them by marker order), several producers can be
 * inside aborted transactions at once, and only control records end them.
 */
import { filterAbortedMessages, type FetchedMessageLike } from '../../src/runtime/kafkajs-patches';

const ABORT = Buffer.from([0, 0, 0, 0]);
const COMMIT = Buffer.from([0, 0, 0, 1]);

function rec(offset: number, producerId: string, key: Buffer | null = Buffer.from(`k${offset}`), control = false): FetchedMessageLike {
  return { offset: String(offset), key, isControlRecord: control, batchContext: { producerId, inTransaction: true } };
}

test('overlapping aborted transactions of two producers, listed by marker order, are both dropped', () => {
  const messages = [
    rec(0, '7'), // B's aborted txn starts
    rec(1, '8'), // A's committed txn
    rec(2, '9'), // C's aborted txn starts
    rec(3, '7'),
    rec(4, '9'),
    rec(5, '9', ABORT, true), // C aborted
    rec(6, '8', COMMIT, true), // A committed
    rec(7, '7', ABORT, true), // B aborted
    rec(8, '7'), // B's next transaction is not aborted
  ];
  // listed as Kafka lists them: in the order the ABORT markers were written (C before B)
  const kept = filterAbortedMessages({ messages, abortedTransactions: [{ producerId: '9', firstOffset: '2' }, { producerId: '7', firstOffset: '0' }] });
  expect(kept.filter((m) => m.isControlRecord !== true).map((m) => Number(m.offset))).toEqual([1, 8]);
});

test('a data record whose key looks like an ABORT marker does not end an aborted transaction', () => {
  const messages = [rec(0, '7'), rec(1, '7', ABORT, false), rec(2, '7'), rec(3, '7', ABORT, true)];
  const kept = filterAbortedMessages({ messages, abortedTransactions: [{ producerId: '7', firstOffset: '0' }] });
  expect(kept.filter((m) => m.isControlRecord !== true)).toEqual([]);
});

test('without aborted transactions every record is kept', () => {
  const messages = [rec(0, '7'), rec(1, '8')];
  expect(filterAbortedMessages({ messages, abortedTransactions: [] })).toBe(messages);
});
