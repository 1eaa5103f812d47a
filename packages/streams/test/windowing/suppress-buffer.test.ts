import { Headers, Serdes } from '@kstreams/streams';
import { Change } from '@kstreams/streams/internal';
import { InMemoryTimeOrderedKeyValueBuffer } from '../../src/processor/operators/ktable-suppress-buffer';
import { FakeStateStoreContext } from '../state/fake-state-store-context';

const S = Serdes.String();
const L = Serdes.Long();

function buffer(logging = true) {
  const b = new InMemoryTimeOrderedKeyValueBuffer<string, number>('buf', () => S, () => L, logging);
  const context = new FakeStateStoreContext();
  b.init(context, b);
  return { b, context };
}

const rc = (timestamp: number) => ({ topic: 't', partition: 0, offset: 0, timestamp, headers: new Headers() });

describe('suppression buffer', () => {
  it('keeps the latest change per key at the time the key first entered; evicts oldest first', () => {
    const { b } = buffer();
    b.put(5, 'a', new Change(1, null), rc(5));
    b.put(3, 'b', new Change(7, null), rc(3));
    b.put(9, 'a', new Change(2, 1), rc(9)); // keeps buffer time 5 and prior value null
    expect(b.numRecords()).toBe(2);
    expect(b.minTimestamp()).toBe(3);
    expect(b.priorValueForBuffered('a')).toEqual({ value: null });
    const evicted: string[] = [];
    b.evictWhile(() => b.minTimestamp() <= 5, (e) => evicted.push(`${e.key}=${e.value.newValue}<-${e.value.oldValue}@${e.context.timestamp}`));
    expect(evicted).toEqual(['b=7<-null@3', 'a=2<-1@9']);
    expect(b.numRecords()).toBe(0);
    expect(b.bufferSize()).toBe(0);
    expect(b.minTimestamp()).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('is restored from its changelog (puts and eviction tombstones)', () => {
    const { b, context } = buffer();
    b.put(5, 'a', new Change(1, null), rc(5));
    b.put(6, 'b', new Change(2, null), rc(6));
    b.put(7, 'a', new Change(3, 1), rc(7));
    b.evictWhile(() => b.minTimestamp() <= 5, () => undefined);
    expect(context.logged).toEqual([]); // changes are logged on flush (commit), once per key
    b.flush();
    expect(context.logged.map((l) => [l.key.toString(), l.value === null ? null : 'entry'])).toEqual([
      ['a', null],
      ['b', 'entry'],
    ]);
    const { b: restored, context: c2 } = buffer();
    c2.registered.get('buf')!.restore(context.logged.map((l) => ({ key: l.key, value: l.value, timestamp: l.timestamp })));
    expect(restored.numRecords()).toBe(1);
    const out: string[] = [];
    restored.evictWhile(() => true, (e) => out.push(`${e.key}=${e.value.newValue}@${e.context.timestamp}`));
    expect(out).toEqual(['b=2@6']);
  });

  it('logs nothing with logging disabled', () => {
    const { b, context } = buffer(false);
    b.put(1, 'a', new Change(1, null), rc(1));
    b.evictWhile(() => true, () => undefined);
    b.flush();
    expect(context.logged).toEqual([]);
  });

  it('logs Kafka\'s v3 layout: record context, prior, old (-2 = same as prior), new, buffer time', () => {
    const { b, context } = buffer();
    const headers = new Headers().add('h', Buffer.from([9]));
    b.put(42, 'k', new Change(2, 1), { topic: 'tp', partition: 3, offset: 17, timestamp: 40, headers });
    b.flush();
    const long = (n: number) => {
      const x = Buffer.alloc(8);
      x.writeBigInt64BE(BigInt(n));
      return x;
    };
    const int = (n: number) => {
      const x = Buffer.alloc(4);
      x.writeInt32BE(n);
      return x;
    };
    const expected = Buffer.concat([
      long(40), long(17), int(2), Buffer.from('tp'), int(3), int(1), int(1), Buffer.from('h'), int(1), Buffer.from([9]),
      int(8), long(1), // prior = old value of the first update
      int(-2), // old equals prior
      int(8), long(2), // new
      long(42), // buffer time
    ]);
    expect(context.logged[0]!.value!.toString('hex')).toBe(expected.toString('hex'));
    expect(b.bufferSize()).toBe(1 + 8 + 8 + 8 + (8 + 8 + 4 + 2 + 1 + 1));
  });
});
