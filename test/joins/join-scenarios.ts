/**
 * The join topologies checked against Java Kafka Streams 4.1.1: each mirrors the scenario of the same name in
 * java/Scenarios.java (describe goldens in join-goldens.json, outputs of join-cases.txt in join-outputs.json).
 */
import { Consumed, Grouped, JoinWindows, Joined, Materialized, Named, Serdes, StreamJoined, Stores, TableJoined, SessionWindows, SlidingWindows, StreamsBuilder, TimeWindows, UnlimitedWindows } from '@kstreams/streams';
import type { GlobalKTable, KeyValueStore, KStream, KTable } from '@kstreams/streams';

/** The foreign key of a primary value `<fk>:<payload>`; `none` is a null foreign key. */
const fkOf = (v: string): string | null => {
  const f = v.split(':')[0]!;
  return f === 'none' ? null : f;
};

export const joinScenarios: { [name: string]: (b: StreamsBuilder) => void } = {
  'stream-table-join': (b) => {
    const s: KStream<string, string> = b.stream('orders');
    const t: KTable<string, string> = b.table('customers');
    s.join(t, (a, c) => `${a}+${c}`).to('out');
  },
  'stream-table-leftjoin-repartition': (b) => {
    const s: KStream<string, string> = b.stream('orders');
    const t: KTable<string, string> = b.table('customers', Materialized.as('cust'));
    s.selectKey((_k, v) => v)
      .leftJoin(t, (a, c) => `${a}+${String(c)}`)
      .to('out');
  },
  'stream-table-join-named-repartition': (b) => {
    const s: KStream<string, string> = b.stream('orders');
    const t: KTable<string, string> = b.table('customers');
    s.map((k, v) => ({ key: v, value: k }))
      .join(t, (a, c) => `${a}+${c}`, Joined.as('my-join'))
      .to('out');
  },
  'stream-table-join-filtered-table': (b) => {
    const s: KStream<string, string> = b.stream('orders');
    const t = b.table<string, string>('customers').filter((_k, v) => v !== null && v.length > 1);
    s.leftJoin(t, (a, c) => `${a}+${String(c)}`, Joined.as('named')).to('out');
  },
  'stream-table-join-twice-repartition-reused': (b) => {
    const s = b.stream<string, string>('orders').selectKey((_k, v) => v);
    const t: KTable<string, string> = b.table('customers');
    s.join(t, (a, c) => `${a}+${c}`).to('out1');
    s.leftJoin(t, (a, c) => `${a}+${String(c)}`).to('out2');
  },
  'stream-stream-join': (b) => {
    const l: KStream<string, string> = b.stream('left');
    const r: KStream<string, string> = b.stream('right');
    l.join(r, (a, c) => `${a}+${c}`, JoinWindows.ofTimeDifferenceAndGrace(100, 20)).to('out');
  },
  'stream-stream-leftjoin': (b) => {
    const l: KStream<string, string> = b.stream('left');
    const r: KStream<string, string> = b.stream('right');
    l.leftJoin(r, (a, c) => `${a}+${String(c)}`, JoinWindows.ofTimeDifferenceAndGrace(100, 20)).to('out');
  },
  'stream-stream-outerjoin': (b) => {
    const l: KStream<string, string> = b.stream('left');
    const r: KStream<string, string> = b.stream('right');
    l.outerJoin(r, (a, c) => `${String(a)}+${String(c)}`, JoinWindows.ofTimeDifferenceAndGrace(100, 20)).to('out');
  },
  'stream-stream-asymmetric-nograce': (b) => {
    const l: KStream<string, string> = b.stream('left');
    const r: KStream<string, string> = b.stream('right');
    l.leftJoin(r, (a, c) => `${a}+${String(c)}`, JoinWindows.ofTimeDifferenceWithNoGrace(50).before(10).after(30)).to('out');
  },
  'stream-stream-named-repartition': (b) => {
    const l = b.stream<string, string>('left').selectKey((_k, v) => v);
    const r = b.stream<string, string>('right').map((k, v) => ({ key: v, value: k }));
    l.outerJoin(r, (a, c) => `${String(a)}+${String(c)}`, JoinWindows.ofTimeDifferenceWithNoGrace(100), StreamJoined.as<string, string, string>('store').withName('named')).to(
      'out',
    );
  },
  'stream-stream-repartition-generated': (b) => {
    const l = b.stream<string, string>('left').selectKey((_k, v) => v);
    const r: KStream<string, string> = b.stream('right');
    l.leftJoin(r, (a, c) => `${a}+${String(c)}`, JoinWindows.ofTimeDifferenceWithNoGrace(100)).to('out');
  },
  'stream-stream-store-name-only': (b) => {
    const l: KStream<string, string> = b.stream('left');
    const r: KStream<string, string> = b.stream('right');
    l.join(r, (a, c) => `${a}+${c}`, JoinWindows.ofTimeDifferenceWithNoGrace(100), StreamJoined.as('st')).to('out');
  },
  'table-table-join': (b) => {
    const l: KTable<string, string> = b.table('lt');
    const r: KTable<string, string> = b.table('rt');
    l.join(r, (a, c) => `${a}+${c}`).toStream().to('out');
  },
  'table-table-leftjoin': (b) => {
    const l: KTable<string, string> = b.table('lt');
    const r: KTable<string, string> = b.table('rt');
    l.leftJoin(r, (a, c) => `${a}+${String(c)}`).toStream().to('out');
  },
  'table-table-outerjoin-materialized': (b) => {
    const l: KTable<string, string> = b.table('lt');
    const r: KTable<string, string> = b.table('rt');
    l.outerJoin(r, (a, c) => `${String(a)}+${String(c)}`, Materialized.as('joined')).toStream().to('out');
  },
  'table-table-named-unnamed-store': (b) => {
    const l: KTable<string, string> = b.table('lt');
    const r: KTable<string, string> = b.table('rt');
    l.join(r, (a, c) => `${a}+${c}`, Named.as('tj'), Materialized.with(Serdes.String(), Serdes.String())).toStream().to('out');
  },
  'table-table-chained': (b) => {
    const l: KTable<string, string> = b.table('lt');
    const r: KTable<string, string> = b.table('rt');
    const x: KTable<string, string> = b.table('xt');
    l.join(r, (a, c) => `${a}+${c}`)
      .leftJoin(x, (a, c) => `${a}+${String(c)}`)
      .toStream()
      .to('out');
  },
  'table-table-self-join': (b) => {
    const t: KTable<string, string> = b.table('lt');
    t.join(t, (a, c) => `${a}+${c}`).toStream().to('out');
  },
  'stream-joins-chained-table': (b) => {
    const l: KTable<string, string> = b.table('lt');
    const r: KTable<string, string> = b.table('rt');
    const st: KStream<string, string> = b.stream('st');
    st.leftJoin(
      l.join(r, (a, c) => `${a}+${c}`),
      (a, c) => `${a}/${String(c)}`,
    ).to('out');
  },
  'global-table-join': (b) => {
    const s: KStream<string, string> = b.stream('orders');
    const g: GlobalKTable<string, string> = b.globalTable('customers');
    s.join(g, (_k, v) => v, (a, c) => `${a}+${c}`).to('out');
  },
  'global-table-first-leftjoin-named': (b) => {
    const g = b.globalTable<string, string>('customers', Consumed.as('cust'), Materialized.as('cust-store'));
    const s: KStream<string, string> = b.stream('orders');
    s.leftJoin(g, (_k, v) => v, (a, c) => `${a}+${String(c)}`, Named.as('enrich')).to('out');
  },
  'global-store-between': (b) => {
    const s: KStream<string, string> = b.stream('orders');
    b.addGlobalStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore('gstore'), Serdes.String(), Serdes.String()), 'gtopic', Consumed.with(Serdes.String(), Serdes.String()), () => {
      let store: KeyValueStore<string, string>;
      return {
        init: (c) => {
          store = c.getStateStore<KeyValueStore<string, string>>('gstore');
        },
        process: (r) => store.put(r.key, r.value),
      };
    });
    b.table('t2').toStream().to('out2');
    s.mapValues((v) => `${v}!`).to('out');
  },
  cogroup: (b) => {
    const a = b.stream<string, string>('a').groupByKey();
    const c = b.stream<string, string>('c').groupByKey();
    a.cogroup<string>((_k, v, agg) => `${agg}a${v}`)
      .cogroup(c, (_k, v, agg) => `${agg}c${v}`)
      .aggregate(() => '')
      .toStream()
      .to('out');
  },
  'cogroup-named-repartition': (b) => {
    const a = b
      .stream<string, string>('a')
      .selectKey((_k, v) => v)
      .groupByKey(Grouped.as('ga'));
    const c = b.stream<string, string>('c').groupByKey();
    a.cogroup<string>((_k, v, agg) => `${agg}a${v}`)
      .cogroup(c, (_k, v, agg) => `${agg}c${v}`)
      .aggregate(() => '', Named.as('cg'), Materialized.as('cg-store'))
      .toStream()
      .to('out');
  },
  'cogroup-windowed': (b) => {
    const a = b.stream<string, string>('a').groupByKey();
    const c = b.stream<string, string>('c').groupByKey();
    a.cogroup<string>((_k, v, agg) => `${agg}a${v}`)
      .cogroup(c, (_k, v, agg) => `${agg}c${v}`)
      .windowedBy(TimeWindows.ofSizeAndGrace(100, 10))
      .aggregate(() => '')
      .toStream()
      .map((w, v) => ({ key: `${w.key()}@${w.window().start()}`, value: v }))
      .to('out');
  },
  'unlimited-windows-count': (b) => {
    b.stream<string, string>('a')
      .groupByKey()
      .windowedBy(UnlimitedWindows.of())
      .count()
      .toStream()
      .map((w, v) => ({ key: `${w.key()}@${w.window().start()}`, value: String(v) }))
      .to('out');
  },
  'cogroup-sliding': (b) => {
    const a = b.stream<string, string>('a').groupByKey();
    const c = b.stream<string, string>('c').groupByKey();
    a.cogroup<string>((_k, v, agg) => `${agg}a${v}`)
      .cogroup(c, (_k, v, agg) => `${agg}c${v}`)
      .windowedBy(SlidingWindows.ofTimeDifferenceAndGrace(50, 10))
      .aggregate(() => '')
      .toStream()
      .map((w, v) => ({ key: `${w.key()}@${w.window().start()}-${w.window().end()}`, value: v }))
      .to('out');
  },
  'cogroup-session': (b) => {
    const a = b.stream<string, string>('a').groupByKey();
    const c = b.stream<string, string>('c').groupByKey();
    a.cogroup<string>((_k, v, agg) => `${agg}a${v}`)
      .cogroup(c, (_k, v, agg) => `${agg}c${v}`)
      .windowedBy(SessionWindows.ofInactivityGapAndGrace(30, 10))
      .aggregate(
        () => '',
        (_k, x, y) => `${x}/${y}`,
        Named.as('sess'),
      )
      .toStream()
      .map((w, v) => ({ key: `${w.key()}@${w.window().start()}-${w.window().end()}`, value: String(v) }))
      .to('out');
  },
  'fk-join': (b) => {
    const l: KTable<string, string> = b.table('lt');
    const r: KTable<string, string> = b.table('rt');
    l.join(r, fkOf, (a, c) => `${a}+${c}`).toStream().to('out');
  },
  'fk-leftjoin': (b) => {
    const l: KTable<string, string> = b.table('lt');
    const r: KTable<string, string> = b.table('rt');
    l.leftJoin(r, fkOf, (a, c) => `${a}+${String(c)}`).toStream().to('out');
  },
  'fk-join-named-materialized': (b) => {
    const l: KTable<string, string> = b.table('lt');
    const r: KTable<string, string> = b.table('rt');
    l.join(r, (_k: string, v: string) => v.split(':')[0]!, (a, c) => `${a}+${c}`, TableJoined.as('fkj'), Materialized.as('fk-store'))
      .toStream()
      .to('out');
  },
  'fk-leftjoin-chained': (b) => {
    const l: KTable<string, string> = b.table('lt');
    const r: KTable<string, string> = b.table('rt');
    const x: KTable<string, string> = b.table('xt');
    l.leftJoin(r, (v: string) => v.split(':')[0]!, (a, c) => `${a}+${String(c)}`, Materialized.with(Serdes.String(), Serdes.String()))
      .join(x, (a, c) => `${a}/${c}`)
      .toStream()
      .to('out');
  },
};
