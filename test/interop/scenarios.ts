/**
 * The kstreams side of the differential harness: the scenarios of `java/interop/Scenarios.java`, by the same names
 * and in the same order, each printing its canonical text (`Out`). `interop.test.ts` compares the two byte for byte.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { KeyValue, KTable, KGroupedStream, Processor, ProcessorContext, ProcessorSupplier, Record, StreamsConfigProps, Topology } from '@kstreams/streams';
import {
  Branched,
  BufferConfig,
  Consumed,
  EmitStrategy,
  Grouped,
  Materialized,
  Named,
  Produced,
  Repartitioned,
  Serdes,
  SessionWindows,
  SlidingWindows,
  Stores,
  StreamsBuilder,
  Suppressed,
  TimeWindows,
  Topology as TopologyClass,
} from '@kstreams/streams';
import type { KeyValueStore } from '@kstreams/streams';
import { TopologyTestDriver } from '@kstreams/test-utils';
import type { TestInputTopic } from '@kstreams/test-utils';
import { Out } from './out';

export type Scenario = (out: Out) => void;

export const S = Serdes.String();
export const L = Serdes.Long();
export const I = Serdes.Integer();

export const ALL = new Map<string, Scenario>();

function add(name: string, s: Scenario): void {
  if (ALL.has(name)) throw new Error(`duplicate scenario ${name}`);
  ALL.set(name, s);
}

const tempDirs: string[] = [];

/** The driver every scenario uses: the same application id, default serdes and wall clock (0) as the Java side. */
export function driver(t: Topology, extra: StreamsConfigProps = {}): TopologyTestDriver {
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'interop-ts-'));
  tempDirs.push(stateDir);
  return new TopologyTestDriver(t, { applicationId: 'interop', bootstrapServers: 'dummy:1234', defaultKeySerde: S, defaultValueSerde: S, stateDir, ...extra }, 0);
}

/** Runs `body` with a driver and closes it afterwards. */
function withDriver(t: Topology, body: (d: TopologyTestDriver) => void, extra: StreamsConfigProps = {}): void {
  const d = driver(t, extra);
  try {
    body(d);
  } finally {
    d.close();
  }
}

export function removeTempDirs(): void {
  for (const dir of tempDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

function input(d: TopologyTestDriver, topic: string): TestInputTopic<string | null, string | null> {
  return d.createInputTopic<string | null, string | null>(topic, S.serializer(), S.serializer(), 0, 0);
}

const ss = (): Consumed<string, string> => Consumed.with(S, S);
const kv = <K, V>(key: K, value: V): KeyValue<K, V> => ({ key, value });

/** A processor that forwards each record with its value tagged, and counts into an optional store (Java's `tagger`). */
function tagger(tag: string, store: string | null): ProcessorSupplier<string, string, string, string> {
  return () => {
    let context: ProcessorContext<string, string>;
    const p: Processor<string, string, string, string> = {
      init(c) {
        context = c;
      },
      process(r: Record<string, string>) {
        if (store !== null) {
          const s = context.getStateStore<KeyValueStore<string, number>>(store);
          const c = s.get(r.key);
          s.put(r.key, c === null || c === undefined ? 1 : c + 1);
        }
        context.forward(r.withValue(`${tag}:${r.value}`));
      },
    };
    return p;
  };
}

/** Java's `v.toLowerCase().split("\\W+")` (a leading empty string kept, trailing ones dropped). */
function javaSplitWords(v: string): string[] {
  const parts = v.toLowerCase().split(/[^a-zA-Z0-9_]+/);
  while (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

function describeScenarios(): void {
  add('describe-wordcount', (out) => {
    const b = new StreamsBuilder();
    b.stream<string, string>('text', ss())
      .flatMapValues((v) => javaSplitWords(v))
      .groupBy((_k, w) => w, Grouped.with(S, S))
      .count()
      .toStream()
      .to('counts', Produced.with(S, L));
    out.describe(b.build());
  });
  add('describe-stateless-unnamed', (out) => {
    const b = new StreamsBuilder();
    b.stream<string, string>('in', ss())
      .filter((_k, v) => v.length > 1)
      .filterNot((_k, v) => v.startsWith('x'))
      .map((k, v) => kv(v, k))
      .mapValues((v) => v + '!')
      .flatMap((k, v) => [kv(k, v), kv(v, k)])
      .flatMapValues((v) => [v, v])
      .selectKey((_k, v) => v)
      .peek(() => undefined)
      .to('out');
    out.describe(b.build());
  });
  add('describe-stateless-named', (out) => {
    const b = new StreamsBuilder();
    b.stream<string, string>('in', Consumed.with(S, S).withName('src'))
      .filter((_k, v) => v.length > 1, Named.as('f1'))
      .filterNot((_k, v) => v.startsWith('x'), Named.as('f2'))
      .map((k, v) => kv(v, k), Named.as('m'))
      .mapValues((v) => v + '!', Named.as('mv'))
      .flatMap((k, v) => [kv(k, v)], Named.as('fm'))
      .flatMapValues((v) => [v, v], Named.as('fmv'))
      .selectKey((_k, v) => v, Named.as('sk'))
      .peek(() => undefined, Named.as('pk'))
      .to('out', Produced.as('sink'));
    out.describe(b.build());
  });
  add('describe-named-then-generated', (out) => {
    const b = new StreamsBuilder();
    const s = b.stream<string, string>('in', Consumed.as('src'));
    s.filter(() => true, Named.as('keep')).mapValues((v) => v).to('out', Produced.as('out-sink'));
    s.selectKey((_k, v) => v).mapValues((v) => v + v).to('out2');
    out.describe(b.build());
  });
  add('describe-merge', (out) => {
    const b = new StreamsBuilder();
    const a = b.stream<string, string>('a', ss());
    const c = b.stream<string, string>('c', ss());
    const d = b.stream<string, string>('d', ss());
    a.merge(c).merge(d, Named.as('merged')).mapValues((v) => v).to('out');
    out.describe(b.build());
  });
  add('describe-split-unnamed', (out) => {
    const b = new StreamsBuilder();
    b.stream<string, string>('in', ss())
      .split()
      .branch((_k, v) => v.startsWith('a'), Branched.withConsumer((ks) => ks.to('a')))
      .branch((_k, v) => v.startsWith('b'), Branched.withConsumer((ks) => ks.to('b')))
      .defaultBranch(Branched.withConsumer((ks) => ks.to('other')));
    out.describe(b.build());
  });
  add('describe-split-named', (out) => {
    const b = new StreamsBuilder();
    const s = b.stream<string, string>('in', ss()).mapValues((v) => v, Named.as('pre'));
    s.split(Named.as('sp-'))
      .branch((_k, v) => v.startsWith('a'), Branched.withConsumer((ks) => ks.to('a'), 'first'))
      .branch((_k, v) => v.startsWith('b'), Branched.withConsumer((ks) => ks.mapValues((v) => v).to('b')))
      .defaultBranch(Branched.withConsumer((ks) => ks.to('other'), 'rest'));
    s.to('all');
    out.describe(b.build());
  });
  add('describe-groupby-grouped-as-count-named', (out) => {
    const b = new StreamsBuilder();
    b.stream<string, string>('in', ss())
      .groupBy((_k, v) => v, Grouped.as<string, string>('by-value'))
      .count(Named.as('counted'))
      .toStream(Named.as('to-stream'))
      .to('out', Produced.with(S, L));
    out.describe(b.build());
  });
  add('describe-groupbykey-after-map-reduce', (out) => {
    const b = new StreamsBuilder();
    b.stream<string, string>('in', ss())
      .map((k, v) => kv(v, k), Named.as('swap'))
      .groupByKey(Grouped.as('rekeyed'))
      .reduce((a, c) => a + c, Materialized.as('reduced'))
      .toStream()
      .to('out');
    out.describe(b.build());
  });
  add('describe-count-materialized-without-name', (out) => {
    const b = new StreamsBuilder();
    b.stream<string, string>('in', ss())
      .selectKey((_k, v) => v)
      .groupByKey()
      .count(Materialized.with(S, L))
      .toStream()
      .to('out', Produced.with(S, L));
    out.describe(b.build());
  });
  add('describe-aggregate-and-reduce-unnamed', (out) => {
    const b = new StreamsBuilder();
    const g: KGroupedStream<string, string> = b.stream<string, string>('in', ss()).groupByKey();
    g.aggregate(() => '', (_k, v, a) => a + v).toStream().to('agg');
    g.reduce((_a, c) => c).toStream().to('red');
    g.count(Named.as('cnt')).toStream().to('cnt', Produced.with(S, L));
    out.describe(b.build());
  });
  add('describe-table-unnamed', (out) => {
    const b = new StreamsBuilder();
    b.table<string, string>('t', ss()).toStream().to('out');
    out.describe(b.build());
  });
  add('describe-table-consumed-as', (out) => {
    const b = new StreamsBuilder();
    b.table<string, string>('t', Consumed.with(S, S).withName('tbl'))
      .filter((_k, v) => v !== null)
      .toStream()
      .to('out');
    out.describe(b.build());
  });
  add('describe-table-ops-named-materialized', (out) => {
    const b = new StreamsBuilder();
    b.table<string, string>('t', ss(), Materialized.as('t-store'))
      .filter((_k, v) => v.length > 0, Named.as('tf'))
      .filterNot((_k, v) => v === 'x')
      .mapValues((v) => v + '!', Named.as('tmv'), Materialized.as<string, string>('mv-store'))
      .mapValues((v) => String(v.length))
      .toStream(Named.as('ts'))
      .to('out');
    out.describe(b.build());
  });
  add('describe-table-groupby-named-and-unnamed', (out) => {
    const b = new StreamsBuilder();
    const t: KTable<string, string> = b.table<string, string>('t', ss());
    t.groupBy((k, v) => kv(v, k), Grouped.as<string, string>('tg'))
      .reduce((a, c) => a + c, (a) => a, Named.as('tr'), Materialized.with(S, S))
      .toStream()
      .to('r');
    t.groupBy((k, v) => kv(v, k))
      .count()
      .toStream()
      .to('c', Produced.with(S, L));
    t.groupBy((k, v) => kv(k, v), Grouped.with(S, S))
      .aggregate(() => '', (_k, v, a) => a + v, (_k, _v, a) => a, Materialized.as('tagg'))
      .toStream()
      .to('a');
    out.describe(b.build());
  });
  add('describe-totable', (out) => {
    const b = new StreamsBuilder();
    const s = b.stream<string, string>('in', ss());
    s.toTable(Named.as('tt'), Materialized.as('tt-store')).toStream().to('out1');
    s.selectKey((_k, v) => v).toTable().toStream().to('out2');
    s.toTable().filter(() => true).toStream().to('out3');
    out.describe(b.build());
  });
  add('describe-totable-store-forced-downstream', (out) => {
    const b = new StreamsBuilder();
    const s = b.stream<string, string>('in', ss());
    s.toTable(Named.as('tt'), Materialized.as('tt-store')).toStream().to('out1');
    s.toTable().toStream().to('out2');
    s.toTable().groupBy((k, v) => kv(v, k)).count().toStream().to('out3', Produced.with(S, L));
    out.describe(b.build());
  });
  add('describe-repartition', (out) => {
    const b = new StreamsBuilder();
    const s = b.stream<string, string>('in', ss());
    s.repartition().to('out1');
    s.repartition(Repartitioned.as<string, string>('rp').withNumberOfPartitions(3)).mapValues((v) => v).to('out2');
    s.selectKey((_k, v) => v).repartition(Repartitioned.with(S, S)).groupByKey().count().toStream().to('out3', Produced.with(S, L));
    out.describe(b.build());
  });
  add('describe-tumbling-suppress', (out) => {
    const b = new StreamsBuilder();
    b.stream<string, string>('in', ss())
      .groupByKey()
      .windowedBy(TimeWindows.ofSizeAndGrace(10, 5))
      .count()
      .suppress(Suppressed.untilWindowCloses(BufferConfig.unbounded()))
      .toStream()
      .to('out');
    out.describe(b.build());
  });
  add('describe-hopping-named', (out) => {
    const b = new StreamsBuilder();
    b.stream<string, string>('in', ss())
      .groupBy((_k, v) => v, Grouped.as('hop-group'))
      .windowedBy(TimeWindows.ofSizeWithNoGrace(10).advanceBy(5))
      .aggregate(() => '', (_k, v, a) => a + v, Named.as('hop-agg'), Materialized.as('hop-store'))
      .toStream(Named.as('hop-out'))
      .to('out');
    out.describe(b.build());
  });
  add('describe-sliding', (out) => {
    const b = new StreamsBuilder();
    b.stream<string, string>('in', ss())
      .groupByKey()
      .windowedBy(SlidingWindows.ofTimeDifferenceAndGrace(10, 20))
      .reduce((a, c) => a + c)
      .toStream()
      .to('out');
    out.describe(b.build());
  });
  add('describe-session', (out) => {
    const b = new StreamsBuilder();
    const g = b.stream<string, string>('in', ss()).groupByKey();
    g.windowedBy(SessionWindows.ofInactivityGapWithNoGrace(10)).count(Named.as('sess')).toStream().to('out1');
    g.windowedBy(SessionWindows.ofInactivityGapAndGrace(10, 3))
      .aggregate(() => '', (_k, v, a) => a + v, (_k, a1, a2) => a1 + a2)
      .toStream()
      .to('out2');
    out.describe(b.build());
  });
  add('describe-emit-on-window-close', (out) => {
    const b = new StreamsBuilder();
    b.stream<string, string>('in', ss())
      .groupByKey()
      .windowedBy(TimeWindows.ofSizeAndGrace(10, 2))
      .emitStrategy(EmitStrategy.onWindowClose())
      .count()
      .toStream()
      .to('out');
    out.describe(b.build());
  });
  add('describe-suppress-time-limit-named', (out) => {
    const b = new StreamsBuilder();
    b.table<string, string>('t', ss())
      .groupBy((k, v) => kv(v, k))
      .count()
      .suppress(Suppressed.untilTimeLimit<string>(10, BufferConfig.maxRecords(5)).withName('sup'))
      .mapValues((v) => v + 1)
      .suppress(Suppressed.untilTimeLimit<string>(5, BufferConfig.unbounded()))
      .toStream()
      .to('out', Produced.with(S, L));
    out.describe(b.build());
  });
  add('describe-process-and-state-store', (out) => {
    const b = new StreamsBuilder();
    b.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore('counts'), S, L));
    b.stream<string, string>('in', ss())
      .process(tagger('p', 'counts'), Named.as('proc'), 'counts')
      .process(tagger('q', null))
      .processValues<string>(() => {
        let ctx: { forward(r: unknown): void };
        return {
          init(c) {
            ctx = c as never;
          },
          process(r) {
            ctx.forward(r.withValue(r.value + '.'));
          },
        };
      })
      .to('out');
    out.describe(b.build());
  });
  add('describe-processor-api', (out) => {
    const t = new TopologyClass();
    t.addSource('source', 'in');
    t.addProcessor('tag', tagger('t', 'store'), 'source');
    t.addProcessor('tag2', tagger('u', null), 'tag');
    t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore('store'), S, L), 'tag');
    t.addSink('sink', 'out', 'tag', 'tag2');
    t.addSource('other-source', 'other');
    t.addSink('other-sink', 'other-out', 'other-source');
    out.describe(t);
  });
  add('describe-pattern-and-multi-topic-sources', (out) => {
    const b = new StreamsBuilder();
    b.stream<string, string>(/in-.*/, ss()).to('out1');
    b.stream<string, string>(['x', 'y'], ss()).foreach(() => undefined, Named.as('each'));
    b.stream<string, string>('z', ss()).foreach(() => undefined);
    out.describe(b.build());
  });
}

function behaviourScenarios(): void {
  add('out-wordcount-all-topics', (out) => {
    const b = new StreamsBuilder();
    b.stream<string, string>('text', ss())
      .flatMapValues((v) => javaSplitWords(v))
      .groupBy((_k, w) => w, Grouped.with(S, S))
      .count()
      .toStream()
      .to('counts', Produced.with(S, L));
    withDriver(b.build(), (d) => {
      const t = input(d, 'text');
      t.pipeInput('a', 'Hello Kafka', 5);
      t.pipeInput('b', 'hello streams', 7);
      t.pipeInput(null, 'kafka', 3);
      out.readAll(d);
    });
  });
}

describeScenarios();
behaviourScenarios();

/** Runs every scenario; an exception prints as the Java side prints it (its class name). */
export function runAll(): Map<string, string> {
  const results = new Map<string, string>();
  for (const [name, scenario] of ALL) {
    const out = new Out();
    try {
      scenario(out);
    } catch (e) {
      out.line(`exception: ${e instanceof Error ? e.constructor.name : typeof e}`);
    }
    results.set(name, out.toString());
  }
  removeTempDirs();
  return results;
}
