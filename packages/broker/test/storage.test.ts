/** Segment storage: offsets, reads, rolling, torn-tail recovery, log start, retention and compaction. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildBatch, readBatchHeader, readRecords, ControlType } from '@kstreams/protocol/record-batch';
import { compactLog } from '../src/storage/compaction';
import { LogManager } from '../src/storage/log-manager';
import { Partition } from '../src/storage/partition';
import { PartitionLog } from '../src/storage/partition-log';
import { applyRetention } from '../src/storage/retention';
import { removeDir, tempDir } from './support';

const noTxn = (): null => null;

function batch(records: { key?: string | null; value: string | null }[], ts = 1000): Buffer {
  return buildBatch(
    { baseOffset: 0, attributes: 0, baseTimestamp: ts, producerId: -1, producerEpoch: -1, baseSequence: -1 },
    records.map((r, i) => ({
      key: r.key === undefined || r.key === null ? null : Buffer.from(r.key),
      value: r.value === null ? null : Buffer.from(r.value),
      offsetDelta: i,
    })),
  );
}

/** Every (offset, key, value) readable from `offset`, walking the log batch by batch. */
function readAll(log: PartitionLog, from = log.logStartOffset): [number, string | null, string | null][] {
  const out: [number, string | null, string | null][] = [];
  let offset = from;
  for (let guard = 0; guard < 10_000; guard++) {
    const r = log.read(offset, log.logEndOffset, 1 << 20, true);
    if (r.chunks.length === 0) break;
    const buf = Buffer.concat(r.chunks);
    for (let at = 0; at < buf.length; ) {
      const h = readBatchHeader(buf, at);
      for (const rec of readRecords(buf.subarray(at + 61, at + h.size), h.recordCount)) {
        const o = h.baseOffset + rec.offsetDelta;
        if (o >= offset) out.push([o, rec.key?.toString() ?? null, rec.value?.toString() ?? null]);
      }
      at += h.size;
    }
    offset = r.nextOffset;
  }
  return out;
}

describe('partition log', () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => removeDir(dir));

  it('assigns consecutive offsets, reads from inside a batch, and honours max bytes with at least one batch', () => {
    const p = new Partition('t', 0, dir, { segmentBytes: 1 << 20 });
    expect(p.append(batch([{ value: 'a' }, { value: 'b' }, { value: 'c' }]), { maxBatchBytes: 1 << 20 }, noTxn)).toMatchObject({ errorCode: 0, baseOffset: 0 });
    expect(p.append(batch([{ value: 'd' }]), { maxBatchBytes: 1 << 20 }, noTxn)).toMatchObject({ errorCode: 0, baseOffset: 3 });
    expect(p.highWatermark).toBe(4);
    // offset 1 lies inside the first batch: the whole batch comes back
    const r = p.log.read(1, 4, 1, true);
    expect(readBatchHeader(r.chunks[0]!, 0).baseOffset).toBe(0);
    expect(r.nextOffset).toBe(3);
    expect(p.log.read(1, 4, 1, false).chunks).toEqual([]);
    expect(readAll(p.log).map(([o, , v]) => `${o}:${v}`)).toEqual(['0:a', '1:b', '2:c', '3:d']);
    // upper bound (LSO) stops before a batch it does not wholly cover
    expect(p.log.read(0, 3, 1 << 20, true).nextOffset).toBe(3);
    p.close();
  });

  it('rolls segments at segment.bytes and reads across them after reopening', () => {
    const p = new Partition('t', 0, dir, { segmentBytes: 200 });
    for (let i = 0; i < 20; i++) p.append(batch([{ value: `v${i}` }, { value: `w${i}` }]), { maxBatchBytes: 1 << 20 }, noTxn);
    expect(p.log.segments.length).toBeGreaterThan(3);
    p.close();
    const again = new Partition('t', 0, dir, { segmentBytes: 200 });
    expect(again.highWatermark).toBe(40);
    expect(readAll(again.log)).toHaveLength(40);
    expect(readAll(again.log, 25)[0]).toEqual([25, null, 'w12']);
    again.close();
  });

  it('truncates a torn tail on recovery and keeps appending at the right offset', () => {
    const p = new Partition('t', 0, dir, { segmentBytes: 1 << 20 });
    p.append(batch([{ value: 'one' }]), { maxBatchBytes: 1 << 20 }, noTxn);
    p.append(batch([{ value: 'two' }]), { maxBatchBytes: 1 << 20 }, noTxn);
    p.close();
    const file = path.join(dir, '00000000000000000000.log');
    const whole = fs.statSync(file).size;
    // a crash mid-write: half of a third batch
    const third = batch([{ value: 'three' }]);
    fs.appendFileSync(file, third.subarray(0, 30));
    const reopened = new Partition('t', 0, dir, { segmentBytes: 1 << 20 });
    expect(reopened.log.recovery.reason).toMatch(/torn batch/);
    expect(fs.statSync(file).size).toBe(whole);
    expect(reopened.highWatermark).toBe(2);
    expect(reopened.append(batch([{ value: 'after' }]), { maxBatchBytes: 1 << 20 }, noTxn).baseOffset).toBe(2);
    expect(readAll(reopened.log).map(([, , v]) => v)).toEqual(['one', 'two', 'after']);
    reopened.close();
  });

  it('truncates a last batch whose CRC does not match', () => {
    const p = new Partition('t', 0, dir, { segmentBytes: 1 << 20 });
    p.append(batch([{ value: 'good' }]), { maxBatchBytes: 1 << 20 }, noTxn);
    p.append(batch([{ value: 'flipped' }]), { maxBatchBytes: 1 << 20 }, noTxn);
    p.close();
    const file = path.join(dir, '00000000000000000000.log');
    const bytes = fs.readFileSync(file);
    bytes[bytes.length - 2] = bytes[bytes.length - 2]! ^ 0x55;
    fs.writeFileSync(file, bytes);
    const reopened = new Partition('t', 0, dir, { segmentBytes: 1 << 20 });
    expect(reopened.log.recovery.reason).toMatch(/CRC mismatch/);
    expect(readAll(reopened.log).map(([, , v]) => v)).toEqual(['good']);
    reopened.close();
  });

  it('moves the log start offset (DeleteRecords) durably and refuses reads below it', () => {
    const p = new Partition('t', 0, dir, { segmentBytes: 150 });
    for (let i = 0; i < 10; i++) p.append(batch([{ value: `v${i}` }]), { maxBatchBytes: 1 << 20 }, noTxn);
    const segmentsBefore = p.log.segments.length;
    p.advanceLogStart(6);
    expect(p.logStartOffset).toBe(6);
    expect(p.log.segments.length).toBeLessThan(segmentsBefore);
    p.close();
    const again = new Partition('t', 0, dir, { segmentBytes: 150 });
    expect(again.logStartOffset).toBe(6);
    expect(readAll(again.log)[0]![0]).toBe(6);
    again.close();
  });

  it('applies retention by size and by time to closed segments', () => {
    const log = PartitionLog.open(dir, { segmentBytes: 150 });
    const b = batch([{ value: 'x'.repeat(50) }], 1000);
    for (let i = 0; i < 10; i++) log.appendBatches(Buffer.from(b), [0], [readBatchHeader(Buffer.from(b), 0)]);
    const total = log.sizeInBytes;
    expect(applyRetention(log, { retentionMs: -1, retentionBytes: total / 2 }, Date.now())).toBeGreaterThan(0);
    expect(log.sizeInBytes).toBeLessThanOrEqual(total / 2);
    expect(log.logStartOffset).toBeGreaterThan(0);
    // every batch has timestamp 1000: all of it is past a 1 s retention
    applyRetention(log, { retentionMs: 1000, retentionBytes: -1 }, 10_000);
    expect(log.logStartOffset).toBe(10);
    expect(log.logEndOffset).toBe(10);
    expect(readAll(log)).toEqual([]);
    log.close();
  });
});

describe('compaction', () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => removeDir(dir));

  it('keeps the latest record per key in closed segments, keeps offsets, and drops old tombstones', () => {
    const p = new Partition('t', 0, dir, { segmentBytes: 120 });
    const writes: [string, string | null][] = [
      ['a', '1'], ['b', '1'], ['a', '2'], ['c', '1'], ['b', null], ['a', '3'], ['d', '1'], ['c', '2'], ['e', '1'], ['f', '1'],
    ];
    for (const [k, v] of writes) p.append(batch([{ key: k, value: v }], 1000), { maxBatchBytes: 1 << 20 }, noTxn);
    expect(p.log.segments.length).toBeGreaterThan(2);
    const before = readAll(p.log);
    const result = compactLog(p.log, { now: 1000, deleteRetentionMs: 60_000, cleanableEnd: p.lastStableOffset, isAborted: () => false });
    expect(result.recordsRemoved).toBeGreaterThan(0);
    const after = readAll(p.log);
    // every surviving record keeps its offset, and each key's latest value is still there
    for (const rec of after) expect(before).toContainEqual(rec);
    const latest = new Map<string, string | null>();
    for (const [, k, v] of before) latest.set(k!, v);
    const seen = new Map<string, string | null>();
    for (const [, k, v] of after) seen.set(k!, v);
    expect(seen).toEqual(latest);
    // superseded values of keys whose latest record is in a closed segment are gone
    expect(after.filter(([, k]) => k === 'a').map(([, , v]) => v)).toEqual(['3']);
    // the tombstone of b survives inside delete.retention.ms and goes after it
    expect(after.some(([, k, v]) => k === 'b' && v === null)).toBe(true);
    compactLog(p.log, { now: 1_000_000, deleteRetentionMs: 60_000, cleanableEnd: p.lastStableOffset, isAborted: () => false });
    expect(readAll(p.log).some(([, k]) => k === 'b')).toBe(false);
    p.close();
    // the compacted log reopens cleanly and appends continue after the old end
    const again = new Partition('t', 0, dir, { segmentBytes: 120 });
    expect(again.log.recovery.reason).toBeNull();
    expect(again.append(batch([{ key: 'z', value: '1' }]), { maxBatchBytes: 1 << 20 }, noTxn).baseOffset).toBe(10);
    again.close();
  });

  it('removes the records of aborted transactions and leaves markers', () => {
    const p = new Partition('t', 0, dir, { segmentBytes: 100 });
    const txnBatch = buildBatch(
      { baseOffset: 0, attributes: 0x10, baseTimestamp: 1000, producerId: 5, producerEpoch: 0, baseSequence: 0 },
      [{ key: Buffer.from('k'), value: Buffer.from('aborted'), offsetDelta: 0 }],
    );
    p.append(txnBatch, { maxBatchBytes: 1 << 20 }, () => null);
    p.appendMarker(5, 0, ControlType.ABORT, 1000);
    for (let i = 0; i < 4; i++) p.append(batch([{ key: `o${i}`, value: 'x' }]), { maxBatchBytes: 1 << 20 }, noTxn);
    compactLog(p.log, {
      now: 1000,
      deleteRetentionMs: 60_000,
      cleanableEnd: p.lastStableOffset,
      isAborted: (pid, o) => p.producers.isAborted(pid, o),
    });
    expect(readAll(p.log).some(([, , v]) => v === 'aborted')).toBe(false);
    expect(p.producers.aborted).toEqual([{ producerId: 5, firstOffset: 0, lastOffset: 1 }]);
    p.close();
  });
});

describe('log manager', () => {
  it('persists topics and configs, and removes directories left by a delete interrupted by a crash', () => {
    const dir = tempDir();
    try {
      const defaults = { segmentBytes: 1 << 20, retentionMs: -1, retentionBytes: -1 };
      let lm = new LogManager(dir, defaults);
      const t = lm.create('kept', 2, { 'cleanup.policy': 'compact' });
      t.partitions[1]!.append(batch([{ key: 'k', value: 'v' }]), { maxBatchBytes: 1 << 20 }, noTxn);
      lm.create('doomed', 1, {});
      lm.close();
      // simulate: topics.json already without "doomed", its directory not yet removed
      const file = path.join(dir, 'topics.json');
      const json = JSON.parse(fs.readFileSync(file, 'utf8')) as { topics: Record<string, unknown> };
      delete json.topics['doomed'];
      fs.writeFileSync(file, JSON.stringify(json));
      lm = new LogManager(dir, defaults);
      expect([...lm.topics.keys()]).toEqual(['kept']);
      expect(fs.existsSync(path.join(dir, 'logs', 'doomed-0'))).toBe(false);
      expect(lm.config(lm.get('kept')!, 'cleanup.policy')).toBe('compact');
      expect(lm.partition('kept', 1)!.highWatermark).toBe(1);
      lm.close();
    } finally {
      removeDir(dir);
    }
  });
});
