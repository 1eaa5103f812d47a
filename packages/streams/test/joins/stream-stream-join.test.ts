/**
 * KStream–KStream joins beyond the Java differential cases (test/joins): store suppliers and their checks
 * (Kafka's KStreamImplJoin.assertWindowSettings / assertUniqueStoreNames), the stores and changelogs a join adds,
 * and the outer-join store's byte formats.
 */
import { JoinWindows, Serdes, StreamJoined, Stores, StreamsBuilder, StreamsException } from '@kstreams/streams';
import type { KStream } from '@kstreams/streams';
import { LeftOrRightValue, LeftOrRightValueSerde, TimestampedKeyAndJoinSide, TimestampedKeyAndJoinSideSerde } from '../../src/state/timestamped-key-and-join-side';
import { internalBuilderOf } from '../../src/topology/topology';
import { S, drain, withDriver } from './helpers';

function streams(b: StreamsBuilder): [KStream<string, string>, KStream<string, string>] {
  return [b.stream<string, string>('left'), b.stream<string, string>('right')];
}

describe('KStream-KStream join stores', () => {
  const windows = JoinWindows.ofTimeDifferenceAndGrace(100, 20);

  it('uses given window store suppliers (names in describe) and joins through them', () => {
    const b = new StreamsBuilder();
    const [l, r] = streams(b);
    const sj = StreamJoined.with<string, string, string>(Stores.inMemoryWindowStore('mine', 220, 200, true), Stores.inMemoryWindowStore('theirs', 220, 200, true));
    l.leftJoin(r, (a, c) => `${a}+${String(c)}`, windows, sj).to('out');
    const text = b.build().describe().toString();
    expect(text).toContain('Processor: KSTREAM-WINDOWED-0000000002 (stores: [mine])');
    expect(text).toContain('(stores: [mine-left-shared-join-store, theirs])');
    withDriver(b.build(), (d) => {
      d.createInputTopic('left', S.serializer(), S.serializer()).pipeInput('k', 'a', 0);
      d.createInputTopic('right', S.serializer(), S.serializer()).pipeInput('k', 'b', 5);
      expect(drain(d.createOutputTopic('out', S.deserializer(), S.deserializer()))).toEqual(['k=a+b@5']);
      expect(d.getStateStore('mine')).toBeDefined();
    });
  });

  it('refuses suppliers that do not retain duplicates, that mismatch the windows, or that share a name', () => {
    const [l, r] = streams(new StreamsBuilder());
    const j = (a: string, c: string): string => a + c;
    expect(() => l.join(r, j, windows, StreamJoined.with(Stores.inMemoryWindowStore('a', 220, 200, false), Stores.inMemoryWindowStore('b', 220, 200, true)))).toThrow(
      new StreamsException('The StoreSupplier must set retainDuplicates=true, found retainDuplicates=false'),
    );
    expect(() => l.join(r, j, windows, StreamJoined.with(Stores.inMemoryWindowStore('a', 300, 200, true), Stores.inMemoryWindowStore('b', 220, 200, true)))).toThrow(
      /^Window settings mismatch\. WindowBytesStoreSupplier settings .* must match JoinWindows settings JoinWindows\{beforeMs=100, afterMs=100, graceMs=20\} for the window size and retention period$/,
    );
    expect(() => l.join(r, j, windows, StreamJoined.with(Stores.inMemoryWindowStore('same', 220, 200, true), Stores.inMemoryWindowStore('same', 220, 200, true)))).toThrow(
      'Both StoreSuppliers have the same name.  StoreSuppliers must provide unique names',
    );
  });

  it('logs both window stores (cleanup.policy=delete) and the outer store (compact) to changelogs', () => {
    const b = new StreamsBuilder();
    const [l, r] = streams(b);
    l.outerJoin(r, (a, c) => `${String(a)}+${String(c)}`, windows).to('out');
    withDriver(b.build(), (d) => {
      d.createInputTopic('left', S.serializer(), S.serializer()).pipeInput('k', 'a', 0);
      expect([...d.producedTopicNames()].sort()).toEqual([
        'windowing-test-KSTREAM-OUTERSHARED-0000000004-store-changelog',
        'windowing-test-KSTREAM-OUTERTHIS-0000000004-store-changelog',
      ]);
    });
    const internal = internalBuilderOf(b.build());
    internal.setApplicationId('app');
    const changelogs = internal.subtopologyTopics()[0]!.changelogTopics;
    expect(Object.fromEntries(changelogs.map((c) => [c.topic, c.config]))).toEqual({
      'app-KSTREAM-OUTERTHIS-0000000004-store-changelog': { 'cleanup.policy': 'delete', 'retention.ms': '86400220' },
      'app-KSTREAM-OUTEROTHER-0000000005-store-changelog': { 'cleanup.policy': 'delete', 'retention.ms': '86400220' },
      'app-KSTREAM-OUTERSHARED-0000000004-store-changelog': { 'cleanup.policy': 'compact' },
    });
  });

  it('writes no changelog when StreamJoined disables logging', () => {
    const b = new StreamsBuilder();
    const [l, r] = streams(b);
    l.leftJoin(r, (a, c) => `${a}+${String(c)}`, windows, StreamJoined.with<string, string, string>(S, S, S).withLoggingDisabled()).to('out');
    withDriver(b.build(), (d) => {
      d.createInputTopic('left', S.serializer(), S.serializer()).pipeInput('k', 'a', 0);
      d.createInputTopic('right', S.serializer(), S.serializer()).pipeInput('k', 'b', 1);
      expect([...d.producedTopicNames()]).toEqual(['out']);
    });
  });

  it('rejects a non-JoinWindows windows argument and a stream of another builder', () => {
    const [l, r] = streams(new StreamsBuilder());
    expect(() => l.join(r, (a, c) => a + c, { beforeMs: 1 } as unknown as JoinWindows)).toThrow(/needs JoinWindows/);
    const other = new StreamsBuilder().stream<string, string>('x');
    expect(() => l.join(other, (a, c) => a + c, windows)).toThrow(/different StreamsBuilder/);
  });
});

describe('JoinWindows', () => {
  it('validates like Kafka', () => {
    expect(() => JoinWindows.ofTimeDifferenceWithNoGrace(10).before(-20)).toThrow('Window interval (ie, beforeMs+afterMs) must not be negative.');
    expect(() => JoinWindows.ofTimeDifferenceAndGrace(10, -1)).toThrow('Grace period must not be negative.');
    const w = JoinWindows.ofTimeDifferenceAndGrace(10, 5).after(30);
    expect([w.beforeMs, w.afterMs, w.size(), w.gracePeriodMs()]).toEqual([10, 30, 40, 5]);
    expect(w.toString()).toBe('JoinWindows{beforeMs=10, afterMs=30, graceMs=5}');
  });
});

describe('outer-join store formats (Kafka TimestampedKeyAndJoinSideSerializer / LeftOrRightValueSerializer)', () => {
  it('key = timestamp(8) ‖ side(1, left=1) ‖ key; value = side(1) ‖ value', () => {
    const ks = new TimestampedKeyAndJoinSideSerde(Serdes.String());
    const key = ks.serializer().serialize('t', TimestampedKeyAndJoinSide.make(true, 'ab', 258))!;
    expect(key.toString('hex')).toBe('0000000000000102' + '01' + '6162');
    const back = ks.deserializer().deserialize('t', key)!;
    expect([back.key, back.timestamp, back.leftSide]).toEqual(['ab', 258, true]);
    const vs = new LeftOrRightValueSerde(Serdes.String(), Serdes.String());
    expect(vs.serializer().serialize('t', LeftOrRightValue.makeRightValue('z'))!.toString('hex')).toBe('00' + '7a');
    expect(vs.deserializer().deserialize('t', Buffer.from('0178', 'hex'))!.leftValue).toBe('x');
  });
});
