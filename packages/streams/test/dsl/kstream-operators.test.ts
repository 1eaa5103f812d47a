import { Branched, Consumed, Grouped, Materialized, Named, Produced, Repartitioned, Serdes, StreamsBuilder } from '@kstreams/streams';
import type { KStream } from '@kstreams/streams';
import { L, S, withDriver } from './driver';

function stringStream(builder: StreamsBuilder, topic = 'in'): KStream<string, string> {
  return builder.stream<string, string>(topic, Consumed.with(S, S));
}

describe('KStream stateless operators', () => {
  it('filter keeps matching records and filterNot drops them', () => {
    const b = new StreamsBuilder();
    const s = stringStream(b);
    s.filter((_k, v) => v.startsWith('a')).to('kept');
    s.filterNot((_k, v) => v.startsWith('a')).to('dropped');
    withDriver(b.build(), (d) => {
      const input = d.createInputTopic('in', S.serializer(), S.serializer());
      input.pipeKeyValueList([{ key: '1', value: 'apple' }, { key: '2', value: 'banana' }, { key: '3', value: 'avocado' }]);
      expect(d.createOutputTopic('kept', S.deserializer(), S.deserializer()).readValuesToList()).toEqual(['apple', 'avocado']);
      expect(d.createOutputTopic('dropped', S.deserializer(), S.deserializer()).readValuesToList()).toEqual(['banana']);
    });
  });

  it('map changes key and value; selectKey changes the key', () => {
    const b = new StreamsBuilder();
    const s = stringStream(b);
    s.map((k, v) => ({ key: v, value: k.length })).to('mapped', Produced.with(S, L));
    s.selectKey((_k, v) => v.toUpperCase()).to('rekeyed');
    withDriver(b.build(), (d) => {
      d.createInputTopic('in', S.serializer(), S.serializer()).pipeInput('key', 'x', 5);
      const mapped = d.createOutputTopic('mapped', S.deserializer(), L.deserializer()).readRecord();
      expect([mapped.key, mapped.value, mapped.timestamp]).toEqual(['x', 3, 5]);
      expect(d.createOutputTopic('rekeyed', S.deserializer(), S.deserializer()).readKeyValue()).toEqual({ key: 'X', value: 'x' });
    });
  });

  it('mapValues takes (value) or (readOnlyKey, value)', () => {
    const b = new StreamsBuilder();
    const s = stringStream(b);
    s.mapValues((v) => v.length).to('len', Produced.with(S, L));
    s.mapValues((k: string, v: string) => `${k}:${v}`).to('joined');
    withDriver(b.build(), (d) => {
      d.createInputTopic('in', S.serializer(), S.serializer()).pipeInput('k', 'hello');
      expect(d.createOutputTopic('len', S.deserializer(), L.deserializer()).readKeyValue()).toEqual({ key: 'k', value: 5 });
      expect(d.createOutputTopic('joined', S.deserializer(), S.deserializer()).readValue()).toBe('k:hello');
    });
  });

  it('flatMap and flatMapValues emit zero or more records per record', () => {
    const b = new StreamsBuilder();
    const s = stringStream(b);
    s.flatMap((k, v) => v.split(',').map((part) => ({ key: part, value: k }))).to('fm');
    s.flatMapValues((v) => (v === '' ? [] : v.split(','))).to('fmv');
    withDriver(b.build(), (d) => {
      const input = d.createInputTopic('in', S.serializer(), S.serializer());
      input.pipeInput('k', 'a,b');
      input.pipeInput('e', '');
      expect(d.createOutputTopic('fm', S.deserializer(), S.deserializer()).readKeyValuesToList()).toEqual([
        { key: 'a', value: 'k' },
        { key: 'b', value: 'k' },
        { key: '', value: 'e' },
      ]);
      expect(d.createOutputTopic('fmv', S.deserializer(), S.deserializer()).readKeyValuesToList()).toEqual([
        { key: 'k', value: 'a' },
        { key: 'k', value: 'b' },
      ]);
    });
  });

  it('peek passes records on and foreach consumes them', () => {
    const seen: string[] = [];
    const b = new StreamsBuilder();
    const s = stringStream(b);
    s.peek((k, v) => seen.push(`peek ${k}=${v}`)).to('out');
    s.foreach((k, v) => seen.push(`foreach ${k}=${v}`));
    withDriver(b.build(), (d) => {
      d.createInputTopic('in', S.serializer(), S.serializer()).pipeInput('a', '1');
      expect(d.createOutputTopic('out', S.deserializer(), S.deserializer()).readKeyValue()).toEqual({ key: 'a', value: '1' });
      expect(seen).toEqual(['peek a=1', 'foreach a=1']);
    });
  });

  it('split sends each record to the first matching branch, else the default', () => {
    const consumed: string[] = [];
    const b = new StreamsBuilder();
    const branches = b
      .stream<string, number>('nums', Consumed.with(S, L))
      .split(Named.as('n-'))
      .branch((_k, v) => v > 0, Branched.as('pos'))
      .branch((_k, v) => v === 0, Branched.withConsumer((s) => s.foreach((k) => consumed.push(k)), 'zero'))
      .branch((_k, v) => v < -100, Branched.withFunction((s) => s.mapValues((v) => -v), 'small'))
      .defaultBranch(Branched.as('neg'));
    expect([...branches.keys()].sort()).toEqual(['n-neg', 'n-pos', 'n-small']);
    branches.get('n-pos')!.to('pos', Produced.with(S, L));
    branches.get('n-neg')!.to('neg', Produced.with(S, L));
    branches.get('n-small')!.to('small', Produced.with(S, L));
    withDriver(b.build(), (d) => {
      d.createInputTopic('nums', S.serializer(), L.serializer()).pipeKeyValueList([
        { key: 'a', value: 5 },
        { key: 'b', value: 0 },
        { key: 'c', value: -5 },
        { key: 'd', value: -500 },
      ]);
      expect(d.createOutputTopic('pos', S.deserializer(), L.deserializer()).readKeyValuesToList()).toEqual([{ key: 'a', value: 5 }]);
      expect(d.createOutputTopic('neg', S.deserializer(), L.deserializer()).readKeyValuesToList()).toEqual([{ key: 'c', value: -5 }]);
      expect(d.createOutputTopic('small', S.deserializer(), L.deserializer()).readKeyValuesToList()).toEqual([{ key: 'd', value: 500 }]);
      expect(consumed).toEqual(['b']);
    });
  });

  it('merge interleaves both streams in processing order', () => {
    const b = new StreamsBuilder();
    stringStream(b, 'left').merge(stringStream(b, 'right')).to('merged');
    withDriver(b.build(), (d) => {
      const left = d.createInputTopic('left', S.serializer(), S.serializer());
      const right = d.createInputTopic('right', S.serializer(), S.serializer());
      left.pipeInput('l', '1');
      right.pipeInput('r', '2');
      left.pipeInput('l', '3');
      expect(d.createOutputTopic('merged', S.deserializer(), S.deserializer()).readValuesToList()).toEqual(['1', '2', '3']);
    });
  });

  it('to() with a TopicNameExtractor routes per record', () => {
    const b = new StreamsBuilder();
    stringStream(b).to((key) => `out-${key}`);
    withDriver(b.build(), (d) => {
      const input = d.createInputTopic('in', S.serializer(), S.serializer());
      input.pipeInput('a', '1');
      input.pipeInput('b', '2');
      expect(d.createOutputTopic('out-a', S.deserializer(), S.deserializer()).readValuesToList()).toEqual(['1']);
      expect(d.createOutputTopic('out-b', S.deserializer(), S.deserializer()).readValuesToList()).toEqual(['2']);
    });
  });

  it('repartition() writes through an internal topic prefixed with the application id', () => {
    const b = new StreamsBuilder();
    stringStream(b).repartition(Repartitioned.as('rekey')).to('out');
    withDriver(b.build(), (d) => {
      d.createInputTopic('in', S.serializer(), S.serializer()).pipeInput('a', '1');
      expect(d.createOutputTopic('out', S.deserializer(), S.deserializer()).readKeyValue()).toEqual({ key: 'a', value: '1' });
      expect(d.producedTopicNames()).toEqual(new Set(['dsl-test-rekey-repartition', 'out']));
    });
  });

  it('toTable() keeps the latest value per key in its store', () => {
    const b = new StreamsBuilder();
    stringStream(b).toTable(Materialized.as('latest')).toStream().to('out');
    withDriver(b.build(), (d) => {
      const input = d.createInputTopic('in', S.serializer(), S.serializer());
      input.pipeInput('a', '1');
      input.pipeInput('a', '2');
      input.pipeInput('b', '3');
      expect(d.createOutputTopic('out', S.deserializer(), S.deserializer()).readValuesToList()).toEqual(['1', '2', '3']);
      const store = d.getKeyValueStore<string, string>('latest')!;
      expect(store.get('a')).toBe('2');
      expect(store.get('b')).toBe('3');
    });
  });
});

describe('KGroupedStream aggregations', () => {
  it('groupBy + count repartitions by the new key', () => {
    const b = new StreamsBuilder();
    stringStream(b)
      .groupBy((_k, v) => v, Grouped.with(S, S))
      .count(Materialized.as('counts'))
      .toStream()
      .to('counts', Produced.with(S, L));
    withDriver(b.build(), (d) => {
      d.createInputTopic('in', S.serializer(), S.serializer()).pipeValueList(['x', 'y', 'x']);
      expect(d.createOutputTopic('counts', S.deserializer(), L.deserializer()).readKeyValuesToList()).toEqual([
        { key: 'x', value: 1 },
        { key: 'y', value: 1 },
        { key: 'x', value: 2 },
      ]);
      expect(d.getKeyValueStore<string, number>('counts')!.get('x')).toBe(2);
      expect(d.producedTopicNames().has('dsl-test-counts-repartition')).toBe(true);
    });
  });

  it('groupByKey + reduce combines values; null keys and values are dropped and counted', () => {
    const b = new StreamsBuilder();
    b.stream<string, number>('nums', Consumed.with(S, L))
      .groupByKey(Grouped.with(S, L))
      .reduce((a, v) => a + v)
      .toStream()
      .to('sums', Produced.with(S, L));
    const logs = withDriver(b.build(), (d) => {
      const input = d.createInputTopic('nums', S.serializer(), Serdes.Long().serializer());
      input.pipeInput('a', 1);
      input.pipeInput('a', 2);
      input.pipeInput(null as unknown as string, 3);
      input.pipeInput('a', null as unknown as number);
      input.pipeInput('b', 10);
      expect(d.createOutputTopic('sums', S.deserializer(), L.deserializer()).readKeyValuesToList()).toEqual([
        { key: 'a', value: 1 },
        { key: 'a', value: 3 },
        { key: 'b', value: 10 },
      ]);
      expect(d.metrics().find((m) => m.name === 'dropped-records-total')?.value).toBe(2);
    });
    expect(logs.warnings).toEqual([
      'Skipping record due to null key or value. topic=[nums] partition=[0] offset=[2]',
      'Skipping record due to null key or value. topic=[nums] partition=[0] offset=[3]',
    ]);
  });

  it('aggregate folds into an initialized aggregate, timestamped with the max record time', () => {
    const b = new StreamsBuilder();
    stringStream(b)
      .groupByKey()
      .aggregate(() => '', (_k, v, agg) => agg + v, Materialized.with(S, S))
      .toStream()
      .to('agg');
    withDriver(b.build(), (d) => {
      const input = d.createInputTopic('in', S.serializer(), S.serializer());
      input.pipeInput('k', 'a', 10);
      input.pipeInput('k', 'b', 5);
      const out = d.createOutputTopic('agg', S.deserializer(), S.deserializer()).readRecordsToList();
      expect(out.map((r) => [r.value, r.timestamp])).toEqual([
        ['a', 10],
        ['ab', 10],
      ]);
    });
  });
});

describe('KTable operators', () => {
  it('filter forwards tombstones for rows that stop (or never) match', () => {
    const b = new StreamsBuilder();
    b.table<string, number>('t', Consumed.with(S, L))
      .filter((_k, v) => v > 10)
      .toStream()
      .to('big', Produced.with(S, L));
    withDriver(b.build(), (d) => {
      const input = d.createInputTopic('t', S.serializer(), L.serializer());
      input.pipeInput('a', 20);
      input.pipeInput('a', 5);
      input.pipeInput('b', 1);
      expect(d.createOutputTopic('big', S.deserializer(), L.deserializer()).readKeyValuesToList()).toEqual([
        { key: 'a', value: 20 },
        { key: 'a', value: null },
        { key: 'b', value: null },
      ]);
    });
  });

  it('filterNot and mapValues (materialized) keep their own stores', () => {
    const b = new StreamsBuilder();
    const table = b.table<string, number>('t', Consumed.with(S, L), Materialized.as('source'));
    table.filterNot((_k, v) => v % 2 === 0, Materialized.as('odd')).toStream().to('odd', Produced.with(S, L));
    table.mapValues((v) => v * 10, Materialized.as<string, number>('tenfold').withValueSerde(L)).toStream().to('x10', Produced.with(S, L));
    withDriver(b.build(), (d) => {
      const input = d.createInputTopic('t', S.serializer(), L.serializer());
      input.pipeInput('a', 3);
      input.pipeInput('b', 4);
      input.pipeInput('c', 5);
      input.pipeInput('a', 8);
      // A cached (materialized) table skips the tombstone for a key it never held, as Kafka Streams does;
      // the delete of a key it held is forwarded.
      expect(d.createOutputTopic('odd', S.deserializer(), L.deserializer()).readKeyValuesToList()).toEqual([
        { key: 'a', value: 3 },
        { key: 'c', value: 5 },
        { key: 'a', value: null },
      ]);
      expect(d.createOutputTopic('x10', S.deserializer(), L.deserializer()).readValuesToList()).toEqual([30, 40, 50, 80]);
      expect(d.getKeyValueStore<string, number>('odd')!.get('c')).toBe(5);
      expect(d.getKeyValueStore<string, number>('odd')!.get('a')).toBeNull();
      expect(d.getKeyValueStore<string, number>('tenfold')!.get('b')).toBe(40);
      expect(d.getKeyValueStore<string, number>('source')!.get('b')).toBe(4);
    });
  });

  it('a tombstone on the source topic deletes the row downstream', () => {
    const b = new StreamsBuilder();
    b.table<string, string>('t', Consumed.with(S, S), Materialized.as('rows')).toStream().to('out');
    withDriver(b.build(), (d) => {
      const input = d.createInputTopic('t', S.serializer(), S.serializer());
      input.pipeInput('a', 'v');
      input.pipeInput('a', null as unknown as string);
      expect(d.createOutputTopic('out', S.deserializer(), S.deserializer()).readKeyValuesToList()).toEqual([
        { key: 'a', value: 'v' },
        { key: 'a', value: null },
      ]);
      expect(d.getKeyValueStore<string, string>('rows')!.get('a')).toBeNull();
    });
  });

  it('groupBy + count subtracts from the old group and adds to the new one', () => {
    const b = new StreamsBuilder();
    b.table<string, string>('users', Consumed.with(S, S))
      .groupBy((_user, region) => ({ key: region, value: region }), Grouped.with(S, S))
      .count()
      .toStream()
      .to('per-region', Produced.with(S, L));
    withDriver(b.build(), (d) => {
      const input = d.createInputTopic('users', S.serializer(), S.serializer());
      input.pipeInput('alice', 'eu');
      input.pipeInput('bob', 'eu');
      input.pipeInput('alice', 'us');
      expect(d.createOutputTopic('per-region', S.deserializer(), L.deserializer()).readKeyValuesToList()).toEqual([
        { key: 'eu', value: 1 },
        { key: 'eu', value: 2 },
        { key: 'eu', value: 1 },
        { key: 'us', value: 1 },
      ]);
    });
  });

  it('a filtered table feeding groupBy sends old values, so rows leaving the filter are subtracted', () => {
    const b = new StreamsBuilder();
    b.table<string, number>('orders', Consumed.with(S, L))
      .filter((_k, amount) => amount >= 10)
      .groupBy((order, amount) => ({ key: order.split('-')[0]!, value: amount }), Grouped.with(S, L))
      .count()
      .toStream()
      .to('big-orders', Produced.with(S, L));
    withDriver(b.build(), (d) => {
      const input = d.createInputTopic('orders', S.serializer(), L.serializer());
      input.pipeInput('eu-1', 50);
      input.pipeInput('eu-2', 70);
      input.pipeInput('eu-1', 5); // leaves the filter: subtracted from eu
      input.pipeInput('eu-3', 1); // never passed the filter: nothing changes
      expect(d.createOutputTopic('big-orders', S.deserializer(), L.deserializer()).readValuesToList()).toEqual([1, 2, 1]);
    });
  });

  it('groupBy + reduce and aggregate apply adder and subtractor', () => {
    const b = new StreamsBuilder();
    const grouped = b.table<string, number>('scores', Consumed.with(S, L)).groupBy((player, score) => ({ key: player.split('-')[0]!, value: score }), Grouped.with(S, L));
    grouped.reduce((a, v) => a + v, (a, v) => a - v).toStream().to('team-sum', Produced.with(S, L));
    grouped
      .aggregate(() => 0, (_k, v, agg) => agg + v * 2, (_k, v, agg) => agg - v * 2, Materialized.with(S, L))
      .toStream()
      .to('team-double', Produced.with(S, L));
    withDriver(b.build(), (d) => {
      const input = d.createInputTopic('scores', S.serializer(), L.serializer());
      input.pipeInput('red-1', 5);
      input.pipeInput('red-2', 7);
      input.pipeInput('red-1', 6);
      expect(d.createOutputTopic('team-sum', S.deserializer(), L.deserializer()).readValuesToList()).toEqual([5, 12, 13]);
      expect(d.createOutputTopic('team-double', S.deserializer(), L.deserializer()).readValuesToList()).toEqual([10, 24, 26]);
    });
  });
});
