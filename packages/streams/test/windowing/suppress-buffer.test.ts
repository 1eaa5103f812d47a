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
    expect(context.logged).toEqual([]);
  });
});
