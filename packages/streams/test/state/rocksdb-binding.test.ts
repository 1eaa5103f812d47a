/** The binding wrapper refuses calls on a closed database (they would touch freed native memory). */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { defaultRocksDBOptions } from '../../src/state/rocksdb/rocksdb-config-setter';
import { nxteditionRocksDBBinding } from '../../src/state/rocksdb/rocksdb-binding';
import { tempDir } from './fake-state-store-context';

describe('nxteditionRocksDBBinding', () => {
  it('reads, writes and iterates with bounds, then refuses every call once closed', () => {
    const dir = tempDir();
    try {
      const path = join(dir.path, 'db');
      mkdirSync(path);
      const db = nxteditionRocksDBBinding.open(path, defaultRocksDBOptions());
      const batch = db.newBatch();
      for (const k of ['a', 'b', 'c', 'd']) batch.put(Buffer.from(k), Buffer.from(k.toUpperCase()));
      expect(batch.count).toBe(4);
      db.write(batch);
      batch.clear();
      expect(db.get(Buffer.from('b'))!.toString()).toBe('B');
      expect(db.get(Buffer.from('z'))).toBeUndefined();
      expect(db.getMany([Buffer.from('a'), Buffer.from('x')]).map((v) => v?.toString())).toEqual(['A', undefined]);
      const it = db.iterator({ gte: Buffer.from('b'), lt: Buffer.from('d'), reverse: true });
      expect(it.nextBatch(10).rows.map((r) => r.toString())).toEqual(['c', 'C', 'b', 'B']);
      const open = db.iterator({ lte: Buffer.from('b') });
      db.close();
      expect(() => db.get(Buffer.from('a'))).toThrow(/closed/);
      expect(() => db.write(batch)).toThrow(/closed/);
      expect(() => open.nextBatch(1)).toThrow(/closed/);
      open.close();
      it.close();
    } finally {
      dir.cleanup();
    }
  });
});
