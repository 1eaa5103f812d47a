import { BatchBuilder } from '@kstreams/protocol/batch-builder';
import { batchCrcValid, buildBatch, readBatchHeader, readRecords, BATCH_HEADER_SIZE, Attr } from '@kstreams/protocol/record-batch';

const b = (s: string): Buffer => Buffer.from(s, 'utf8');

describe('BatchBuilder', () => {
  test('writes the same bytes as the reference encoder, header and CRC included', () => {
    const base = 1_733_000_000_000;
    const records = [
      { key: b('hello'), value: b('1'), ts: base },
      { key: null, value: b('no key'), ts: base + 5 },
      { key: b('tombstone'), value: null, ts: base - 3 },
      { key: b(''), value: b(''), ts: base + 2_000_000 },
      { key: b('k'), value: b('h'), ts: base, headers: [{ key: 'trace', value: b('abc') }, { key: 'ü', value: null }] },
    ];
    const builder = new BatchBuilder(16_384);
    for (const r of records) expect(builder.append(r.key, r.value, r.ts, r.headers ?? null)).toBe(true);
    const sealed = builder.seal({ producerId: 4_000_000_000_123, producerEpoch: 7, baseSequence: 42, transactional: true });
    const reference = buildBatch(
      { baseOffset: 0, attributes: Attr.TRANSACTIONAL, baseTimestamp: base, maxTimestamp: base + 2_000_000, producerId: 4_000_000_000_123, producerEpoch: 7, baseSequence: 42, partitionLeaderEpoch: -1 },
      records.map((r, i) => ({ key: r.key, value: r.value, timestampDelta: r.ts - base, offsetDelta: i, ...(r.headers ? { headers: r.headers } : {}) })),
    );
    expect(sealed.toString('hex')).toBe(reference.toString('hex'));
    expect(batchCrcValid(sealed, 0, sealed.length)).toBe(true);
    const h = readBatchHeader(sealed, 0);
    expect(h).toMatchObject({ recordCount: 5, lastOffsetDelta: 4, producerId: 4_000_000_000_123, producerEpoch: 7, baseSequence: 42 });
    const views = readRecords(sealed.subarray(BATCH_HEADER_SIZE), 5);
    expect(views.map((v) => v.value?.toString() ?? null)).toEqual(['1', 'no key', null, '', 'h']);
    expect(views[3]!.timestampDelta).toBe(2_000_000);
    expect(views[2]!.timestampDelta).toBe(-3);
  });

  test('timestamp deltas past 32 bits are written as 64-bit varints', () => {
    const builder = new BatchBuilder(1024);
    builder.append(b('a'), b('1'), 1_000, null);
    builder.append(b('a'), b('2'), 1_000 + 70_000_000_000, null);
    builder.append(b('a'), b('3'), 1_000 - 9_000_000_000, null);
    const sealed = builder.seal();
    expect(readRecords(sealed.subarray(BATCH_HEADER_SIZE), 3).map((v) => v.timestampDelta)).toEqual([0, 70_000_000_000, -9_000_000_000]);
    expect(readBatchHeader(sealed, 0).maxTimestamp).toBe(1_000 + 70_000_000_000);
  });

  test('a non-idempotent batch carries producer id -1 and no transactional flag', () => {
    const builder = new BatchBuilder(1024);
    builder.append(b('a'), b('b'), 1, null);
    const h = readBatchHeader(builder.seal(), 0);
    expect(h).toMatchObject({ producerId: -1, producerEpoch: -1, baseSequence: -1, attributes: 0 });
  });

  test('refuses a record past its capacity, but always takes the first record', () => {
    const small = new BatchBuilder(100);
    expect(small.append(b('k'), Buffer.alloc(30), 1, null)).toBe(true);
    expect(small.append(b('k'), Buffer.alloc(30), 1, null)).toBe(false);
    expect(small.count).toBe(1);
    const big = new BatchBuilder(100);
    expect(big.append(b('k'), Buffer.alloc(1000), 1, null)).toBe(true);
    const sealed = big.seal();
    expect(batchCrcValid(sealed, 0, sealed.length)).toBe(true);
    expect(readRecords(sealed.subarray(BATCH_HEADER_SIZE), 1)[0]!.value!.length).toBe(1000);
  });

  test('sealing an empty batch is an error', () => {
    expect(() => new BatchBuilder(100).seal()).toThrow(RangeError);
  });
});
