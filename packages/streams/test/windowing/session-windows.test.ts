import { Consumed, EmitStrategy, Materialized, Produced, SessionWindows, StreamsBuilder } from '@kstreams/streams';
import { drain, droppedRecords, L, S, withDriver } from './helpers';

function sessionTopology(windows: SessionWindows, onClose = false, caching = false, retention: number | null = null) {
  const b = new StreamsBuilder();
  const windowed = b.stream<string, string>('in', Consumed.with(S, S)).groupByKey().windowedBy(windows);
  const named = Materialized.as<string, string>('sessions').withValueSerde(S);
  const m = retention === null ? named : named.withRetention(retention);
  (onClose ? windowed.emitStrategy(EmitStrategy.onWindowClose()) : windowed)
    .aggregate(() => '', (_k, v, agg) => agg + v, (_k, a, b) => a + b, caching ? m : m.withCachingDisabled())
    .toStream()
    .map((k, v) => ({ key: k.toString(), value: v }))
    .to('out', Produced.with(S, S));
  return b.build();
}

describe('SessionWindows', () => {
  it('merging two sessions with a bridging record emits a tombstone for each, then the merged session', () => {
    let out: string[] = [];
    withDriver(sessionTopology(SessionWindows.ofInactivityGapAndGrace(10, 100)), (d) => {
      const t = d.createInputTopic('in', S.serializer(), S.serializer());
      t.pipeInput('k', 'a', 0);
      t.pipeInput('k', 'b', 20);
      t.pipeInput('k', 'c', 10); // within 10 of both 0 and 20
      out = drain(d.createOutputTopic('out', S.deserializer(), S.deserializer()));
    });
    expect(out).toEqual(['[k@0/0]=a@0', '[k@20/20]=b@20', '[k@0/0]=null@0', '[k@20/20]=null@20', '[k@0/20]=abc@20']);
  });

  it('records exactly one gap apart merge; one ms more starts a new session', () => {
    let out: string[] = [];
    withDriver(sessionTopology(SessionWindows.ofInactivityGapAndGrace(5, 100)), (d) => {
      const t = d.createInputTopic('in', S.serializer(), S.serializer());
      t.pipeInput('k', 'a', 10);
      t.pipeInput('k', 'b', 15);
      t.pipeInput('k', 'c', 21);
      out = drain(d.createOutputTopic('out', S.deserializer(), S.deserializer()));
    });
    expect(out).toEqual(['[k@10/10]=a@10', '[k@10/10]=null@10', '[k@10/15]=ab@15', '[k@21/21]=c@21']);
  });

  it('drop rule: a session ending before streamTime - gap - grace is closed (boundaries)', () => {
    // gap 5, grace 3: close time at stream time 20 is 12
    const run = (late: number) => {
      let dropped = 0;
      let warnings: string[] = [];
      warnings = withDriver(sessionTopology(SessionWindows.ofInactivityGapAndGrace(5, 3)), (d) => {
        const t = d.createInputTopic('in', S.serializer(), S.serializer());
        t.pipeInput('other', 'x', 20);
        t.pipeInput('k', 'late', late);
        dropped = droppedRecords(d);
      });
      return { dropped, warnings };
    };
    expect(run(12).dropped).toBe(0);
    expect(run(11)).toEqual({
      dropped: 1,
      warnings: ['Skipping record for expired window. topic=[in] partition=[0] offset=[1] timestamp=[11] window=[11,11] expiration=[12] streamTime=[20]'],
    });
  });

  it('a late record that merges into an open session is accepted', () => {
    let out: string[] = [];
    // a long retention keeps closed sessions in the store (by default it is gap + grace, as Kafka)
    withDriver(sessionTopology(SessionWindows.ofInactivityGapAndGrace(5, 0), false, false, 1000), (d) => {
      const t = d.createInputTopic('in', S.serializer(), S.serializer());
      t.pipeInput('k', 'a', 10);
      t.pipeInput('other', 'x', 16);
      // alone, [6,6] would end before close time 11; merged with [10,10] it ends at 10... still < 11: dropped
      t.pipeInput('k', 'b', 6);
      t.pipeInput('k', 'c', 12); // merges into [10,12], end 12 >= 11
      out = drain(d.createOutputTopic('out', S.deserializer(), S.deserializer())).filter((r) => r.startsWith('[k'));
    });
    expect(out).toEqual(['[k@10/10]=a@10', '[k@10/10]=null@10', '[k@10/12]=ac@12']);
  });

  it('count and reduce merge aggregates (count adds, reduce folds)', () => {
    const b = new StreamsBuilder();
    const grouped = b.stream<string, string>('in', Consumed.with(S, S)).groupByKey();
    grouped
      .windowedBy(SessionWindows.ofInactivityGapAndGrace(5, 10))
      .count(Materialized.as<string, number>('c').withCachingDisabled())
      .toStream()
      .map((k, v) => ({ key: k.toString(), value: v }))
      .to('counts', Produced.with(S, L));
    grouped
      .windowedBy(SessionWindows.ofInactivityGapAndGrace(5, 10))
      .reduce((a, v) => `${a}|${v}`, Materialized.as<string, string>('r').withCachingDisabled())
      .toStream()
      .map((k, v) => ({ key: k.toString(), value: v }))
      .to('reduced', Produced.with(S, S));
    withDriver(b.build(), (d) => {
      const t = d.createInputTopic('in', S.serializer(), S.serializer());
      t.pipeInput('k', 'a', 0);
      t.pipeInput('k', 'b', 10);
      t.pipeInput('k', 'c', 5);
      expect(drain(d.createOutputTopic('counts', S.deserializer(), L.deserializer()))).toEqual([
        '[k@0/0]=1@0',
        '[k@10/10]=1@10',
        '[k@0/0]=null@0',
        '[k@10/10]=null@10',
        '[k@0/10]=3@10',
      ]);
      expect(drain(d.createOutputTopic('reduced', S.deserializer(), S.deserializer())).pop()).toBe('[k@0/10]=a|b|c@10');
      const store = d.getSessionStore<string, number>('c')!;
      expect([...store.fetch('k')].map((kv) => `${kv.key.toString()}=${kv.value}`)).toEqual(['[k@0/10]=3']);
      expect(store.fetchSession('k', 0, 10)).toBe(3);
      expect([...store.findSessions('k', 11, 20)]).toEqual([]);
    });
  });

  it('with caching, updates are forwarded by the cache flush on commit (the driver commits after each record)', () => {
    let out: string[] = [];
    withDriver(sessionTopology(SessionWindows.ofInactivityGapAndGrace(10, 100), false, true), (d) => {
      const t = d.createInputTopic('in', S.serializer(), S.serializer());
      t.pipeInput('k', 'a', 0);
      t.pipeInput('k', 'b', 5);
      out = drain(d.createOutputTopic('out', S.deserializer(), S.deserializer()));
    });
    expect(out).toEqual(['[k@0/0]=a@0', '[k@0/0]=null@0', '[k@0/5]=ab@5']);
  });

  it('emitStrategy(onWindowClose) emits each session once, after gap + grace', () => {
    let out: string[] = [];
    withDriver(sessionTopology(SessionWindows.ofInactivityGapAndGrace(5, 2), true), (d) => {
      const t = d.createInputTopic('in', S.serializer(), S.serializer());
      t.pipeInput('k', 'a', 0);
      t.pipeInput('k', 'b', 4);
      t.pipeInput('j', 'x', 11); // close time 4: [k@0/4] ends at 4, not yet before it
      expect(drain(d.createOutputTopic('out', S.deserializer(), S.deserializer()))).toEqual([]);
      t.pipeInput('j', 'y', 12); // close time 5
      out = drain(d.createOutputTopic('out', S.deserializer(), S.deserializer()));
    });
    expect(out).toEqual(['[k@0/4]=ab@4']);
  });

  it('a session still in the record cache merges even after the store expired it, as Kafka 4.1.1 (test/interop)', () => {
    const b = new StreamsBuilder();
    b.stream<string, string>('in', Consumed.with(S, S))
      .groupByKey()
      .windowedBy(SessionWindows.ofInactivityGapWithNoGrace(5))
      .aggregate(() => '', (_k, v, a) => a + v, (_k, a1, a2) => `${a1}|${a2}`, Materialized.with(S, S))
      .toStream()
      .map((k, v) => ({ key: k.toString(), value: v }))
      .to('out', Produced.with(S, S));
    let out: string[] = [];
    withDriver(
      b.build(),
      (d) => {
        const t = d.createInputTopic('in', S.serializer(), S.serializer());
        t.pipeInput('a', '1', 0);
        t.pipeInput('a', '3', 8); // stream time 8: the session [0,0] is past retention (5) in the store, not in the cache
        t.pipeInput('a', '4', 4); // bridges [0,0] and [8,8]
        out = drain(d.createOutputTopic('out', S.deserializer(), S.deserializer()));
      },
      { defaultDslStore: 'rocksDB' },
    );
    // Kafka's output: [0,0] is merged from the cache; its delete goes to a store that already expired it
    expect(out).toEqual(['[a@0/0]=1@0', '[a@8/8]=3@8', '[a@8/8]=null@8', '[a@0/8]=|1|34@8']);
  });
});

