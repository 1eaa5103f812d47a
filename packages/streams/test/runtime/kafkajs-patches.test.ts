/**
 * The read_committed filter that replaces kafkajs' own: aborted transactions are applied in first-offset order
 * whatever order the broker lists them in (Apache Kafka lists them by marker order), several producers can be
 * inside aborted transactions at once, and only control records end them. And the record batch decoder that
 * replaces kafkajs' own returns what kafkajs' returns.
 */
import { BatchBuilder } from '@kstreams/protocol/batch-builder';
import { buildControlBatch, ControlType } from '@kstreams/protocol/record-batch';
import { decodeRecordBatch, filterAbortedMessages, originalRecordBatchDecoder, type FetchedMessageLike, type KafkajsDecoderLike } from '../../src/runtime/kafkajs-patches';

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

describe('the record batch decoder', () => {
  // kafkajs' Decoder over a buffer, as its Fetch response decoder hands one over
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const KafkajsDecoder = require('kafkajs/src/protocol/decoder') as new (b: Buffer) => KafkajsDecoderLike;
  const b = (s: string): Buffer => Buffer.from(s, 'utf8');

  function batches(): Buffer[] {
    const out: Buffer[] = [];
    const plain = new BatchBuilder(1 << 16);
    for (let i = 0; i < 50; i++) {
      const headers = i % 7 === 0 ? [{ key: 'a', value: b(`x${i}`) }, { key: 'a', value: null }, { key: 'ü', value: b('') }] : null;
      plain.append(i % 5 === 0 ? null : b(`key-${i}`), i % 9 === 0 ? null : b(`value ${i}`), 1_700_000_000_000 + i * 13 - (i % 4) * 5000, headers);
    }
    const one = plain.seal({ producerId: 9_007_199_254, producerEpoch: 3, baseSequence: 17, transactional: true });
    one.writeBigInt64BE(123_456_789_012n, 0); // a base offset as the broker assigns it
    out.push(Buffer.from(one));
    const logAppend = Buffer.from(one);
    logAppend.writeInt16BE(logAppend.readInt16BE(21) | 0x08, 21); // LOG_APPEND_TIME: every record takes maxTimestamp
    out.push(logAppend);
    out.push(buildControlBatch(77, 5, 1, ControlType.ABORT, 1_700_000_000_000));
    return out;
  }

  test('returns what kafkajs returns, field for field (plain, transactional, log-append time, control batches)', async () => {
    expect(originalRecordBatchDecoder).not.toBeNull();
    const all = Buffer.concat(batches());
    const ours = new KafkajsDecoder(all);
    const theirs = new KafkajsDecoder(all);
    for (let n = 0; n < 3; n++) {
      const expected = await originalRecordBatchDecoder!(theirs);
      const actual = await decodeRecordBatch(ours, originalRecordBatchDecoder!);
      expect(actual).toEqual(expected);
      expect(ours.offset).toBe(theirs.offset);
    }
    expect(ours.offset).toBe(all.length);
  });

  test('a partial batch at the end of a fetch fails as kafkajs fails it (KafkaJSPartialMessageError)', async () => {
    const [first] = batches();
    const partial = first!.subarray(0, first!.length - 10);
    await expect(decodeRecordBatch(new KafkajsDecoder(partial), originalRecordBatchDecoder!)).rejects.toMatchObject({ name: 'KafkaJSPartialMessageError' });
  });

  test('a compressed batch goes to kafkajs own decoder', async () => {
    const [first] = batches();
    const gzipFlagged = Buffer.from(first!);
    gzipFlagged.writeInt16BE(gzipFlagged.readInt16BE(21) | 0x01, 21);
    const calls: number[] = [];
    await decodeRecordBatch(new KafkajsDecoder(gzipFlagged), async (d) => {
      calls.push(d.offset);
      return { records: [] };
    });
    expect(calls).toEqual([0]);
  });
});
