/**
 * Foreign-key joins beyond the Java differential cases (test/joins, which compare describe(), outputs and every
 * internal-topic and changelog byte with Java 4.1.1): the murmur3 hash against Java's `Murmur3.hash128`, the
 * wrapper formats' round trips and flags, TableJoined's partitioners, the logged warning for a null foreign key,
 * and typed errors for bad arguments.
 */
import { Materialized, Named, StreamsBuilder, TableJoined, TopologyException } from '@kstreams/streams';
import type { KTable } from '@kstreams/streams';
import { murmur3Hash128 } from '../../src/processor/operators/foreign-key-join/murmur3';
import {
  CombinedKeySchema,
  Instruction,
  SubscriptionResponseWrapper,
  SubscriptionResponseWrapperSerde,
  SubscriptionWrapper,
  SubscriptionWrapperSerde,
} from '../../src/processor/operators/foreign-key-join/wrappers';
import { internalBuilderOf } from '../../src/topology/topology';
import { S, drain, droppedRecords, withDriver } from './helpers';

function tables(b: StreamsBuilder): [KTable<string, string>, KTable<string, string>] {
  return [b.table<string, string>('lt'), b.table<string, string>('rt')];
}

describe('foreign-key join internals', () => {
  it("hashes as Java's Murmur3.hash128 (seed 104729) for every block and tail length", () => {
    // printed by Java 4.1.1: String.format("%016x%016x", h[0], h[1]) of Murmur3.hash128(s.getBytes(UTF_8))
    const vectors: Array<[string, string]> = [
      ['', '9d2764a018e329428c3cf3b035938518'],
      ['a', '3361634e7e0f5188e9c7dda24eae326b'],
      ['hello', '30bfb4f39919e764566aea857401d1c6'],
      ['0123456789abcdef', '1a6e941ec6a76967d7d82808f505d6b1'],
      ['0123456789abcdef0123456789abcde', 'b08c030d6e229dd71c716e07ecc22844'],
      ['f1:abcdefghijklmnopqrstuvwxyz0123456789--', 'b6d2b7510b98e23c0117fe0b0de8a6c8'],
    ];
    for (const [s, hex] of vectors) expect([s, murmur3Hash128(Buffer.from(s, 'utf8')).toString('hex')]).toEqual([s, hex]);
  });

  it('writes SubscriptionWrapper v1 with the no-hash flag, instruction, primary key and partition, and reads it back', () => {
    const serde = new SubscriptionWrapperSerde<string>(S, () => 'app-t-pk');
    const hash = murmur3Hash128(Buffer.from('v'));
    const w = new SubscriptionWrapper<string>(hash, Instruction.PROPAGATE_ONLY_IF_FK_VAL_AVAILABLE, 'pk', 7);
    const bytes = serde.serialize('t', w)!;
    expect(bytes.toString('hex')).toBe(`0103${hash.toString('hex')}${Buffer.from('pk').toString('hex')}00000007`);
    expect(serde.deserialize('t', bytes)).toEqual(w);
    const deleted = new SubscriptionWrapper<string>(null, Instruction.DELETE_KEY_AND_PROPAGATE, 'pk', 2);
    expect(serde.serialize('t', deleted)!.toString('hex')).toBe('8101' + Buffer.from('pk').toString('hex') + '00000002');
    expect(serde.deserialize('t', serde.serialize('t', deleted))).toEqual(deleted);
    expect(() => serde.deserialize('t', Buffer.from('8109706b00000002', 'hex'))).toThrow('Unknown instruction byte value = 9');
  });

  it('writes SubscriptionResponseWrapper v0 (a null foreign value is no bytes) and the combined key as length-prefixed foreign key + primary key', () => {
    const serde = new SubscriptionResponseWrapperSerde<string>(S);
    const hash = murmur3Hash128(Buffer.from('v'));
    expect(serde.serialize('t', new SubscriptionResponseWrapper<string>(hash, 'F', 0))!.toString('hex')).toBe(`00${hash.toString('hex')}46`);
    expect(serde.serialize('t', new SubscriptionResponseWrapper<string>(null, null, 0))!.toString('hex')).toBe('80');
    expect(serde.deserialize('t', Buffer.from(`00${hash.toString('hex')}46`, 'hex'))).toEqual(new SubscriptionResponseWrapper<string>(hash, 'F', null));
    const schema = new CombinedKeySchema<string, string>(S, S, () => 'fk', () => 'pk');
    expect(schema.toBytes('f1', 'a1').toString('hex')).toBe('00000002' + Buffer.from('f1a1').toString('hex'));
    expect(schema.fromBytes(schema.toBytes('f1', 'a1'))).toEqual({ foreignKey: 'f1', primaryKey: 'a1' });
  });
});

describe('foreign-key join in the DSL', () => {
  it("calls TableJoined's partitioners for the registration (by foreign key) and response (by primary key) topics", () => {
    const b = new StreamsBuilder();
    const [l, r] = tables(b);
    const calls: string[] = [];
    const tj = TableJoined.with<string, string>(
      (topic, key, value, n) => {
        calls.push(`this ${topic} ${key} ${String(value)} ${n}`);
        return 0;
      },
      (topic, key, value, n) => {
        calls.push(`other ${topic} ${key} ${String(value)} ${n}`);
        return 0;
      },
    );
    l.join(r, (v) => v, (a, c) => `${a}+${c}`, tj.withName('j')).toStream().to('out');
    withDriver(b.build(), (d) => {
      d.createInputTopic('rt', S.serializer(), S.serializer()).pipeInput('f', 'F', 0);
      d.createInputTopic('lt', S.serializer(), S.serializer()).pipeInput('a', 'f', 1);
      expect(drain(d.createOutputTopic('out', S.deserializer(), S.deserializer()))).toEqual(['a=f+F@1']);
    }, { applicationId: 'app' });
    expect(calls).toEqual(['other app-j-subscription-registration-topic f null 1', 'this app-j-subscription-response-topic a null 1']);
  });

  it('logs and counts a null foreign key of an inner join; a left join emits the row with null', () => {
    for (const left of [false, true]) {
      const b = new StreamsBuilder();
      const [l, r] = tables(b);
      const fk = (v: string): string | null => (v === 'none' ? null : v);
      (left ? l.leftJoin(r, fk, (a, c) => `${a}+${String(c)}`) : l.join(r, fk, (a, c) => `${a}+${c}`)).toStream().to('out');
      let out: string[] = [];
      let dropped = 0;
      const warnings = withDriver(b.build(), (d) => {
        d.createInputTopic('lt', S.serializer(), S.serializer()).pipeInput('a', 'none', 5);
        out = drain(d.createOutputTopic('out', S.deserializer(), S.deserializer()));
        dropped = droppedRecords(d);
      }, { statestoreCacheMaxBytes: 0 }); // uncached: the update reaches the join while its record is processed
      if (left) {
        expect([out, dropped, warnings]).toEqual([['a=none+null@5'], 0, []]);
      } else {
        expect([out, dropped]).toEqual([[], 1]);
        expect(warnings).toEqual([expect.stringContaining('Skipping record due to null foreign key. topic=[lt] partition=[0] offset=[0]')]);
      }
    }
  });

  it('is queryable under its Materialized name and readable by a later join', () => {
    const b = new StreamsBuilder();
    const [l, r] = tables(b);
    l.join(r, (k: string, v: string) => `${k}${v}`, (a, c) => `${a}+${c}`, Materialized.as('fk-result')).toStream().to('out');
    expect(b.build().describe().toString()).toContain('Processor: KTABLE-FK-JOIN-OUTPUT-0000000018 (stores: [fk-result])');
  });

  it("co-partitions the registration topic with the other table and the response topic with this table; the result joins as this table's sources plus the response topic", () => {
    // Kafka's KTableImpl.doJoinOnForeignKey: copartitionSources(foreign sources + registration source) and
    // (this table's sources + response source), and the result KTable's subTopologySourceNodes are the latter
    const b = new StreamsBuilder();
    const [l, r] = tables(b);
    const x = b.table<string, string>('xt');
    l.leftJoin(r, (v: string) => v, (a, c) => `${a}+${String(c)}`)
      .join(x, (a, c) => `${a}/${c}`)
      .toStream()
      .to('out');
    const internal = internalBuilderOf(b.build());
    internal.setApplicationId('app');
    expect(internal.copartitionGroups().map((g) => [...g].sort())).toEqual([
      ['app-KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-0000000009-topic', 'rt'],
      ['app-KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-0000000017-topic', 'lt'],
      ['app-KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-0000000017-topic', 'lt', 'xt'],
    ]);
  });

  it('refuses bad arguments with typed errors', () => {
    const b = new StreamsBuilder();
    const [l, r] = tables(b);
    const [, other] = tables(new StreamsBuilder());
    const joiner = (a: string, c: string | null): string => a + String(c);
    expect(() => l.join(r, 'v' as never, joiner)).toThrow(TopologyException);
    expect(() => l.join(other, (v: string) => v, joiner)).toThrow(new TopologyException('join() cannot join a KTable of a different StreamsBuilder.'));
    expect(() => l.leftJoin(r, (v: string) => v, joiner, Named.as('x') as never)).toThrow(new TopologyException('leftJoin(): the fourth argument must be a TableJoined or a Materialized.'));
    expect(() => l.join(r, (v: string) => v, joiner, Materialized.as('a'), Materialized.as('b'))).toThrow(
      new TopologyException('join() takes a TableJoined before the Materialized, not two Materialized.'),
    );
    expect(() => TableJoined.as('bad name')).toThrow(TopologyException);
  });
});
