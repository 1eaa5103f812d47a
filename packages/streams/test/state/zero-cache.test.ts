/**
 * `statestore.cache.max.bytes = 0` removes the caching layer from every store, as Kafka's
 * `InternalTopologyBuilder.rewriteTopology` does: a delete written over a key the store never had is still
 * forwarded (a zero-byte cache would drop it on flush), for DSL and Processor-API stores alike.
 */
import { Consumed, Materialized, Serdes, Stores, StreamsBuilder, TimeWindows } from '@kstreams/streams';
import { TopologyTestDriver } from '@kstreams/test-utils';

const S = Serdes.String();

function tableTombstones(config: Record<string, unknown>): string[] {
  const b = new StreamsBuilder();
  b.table<string, string>('t', Consumed.with(S, S), Materialized.as('t-store')).toStream().to('out');
  const d = new TopologyTestDriver(b.build(), { applicationId: 'zero-cache', defaultKeySerde: S, defaultValueSerde: S, ...config }, 0);
  try {
    const input = d.createInputTopic<string, string | null>('t', S.serializer(), S.serializer(), 0, 0);
    input.pipeInput('a', '1', 1);
    input.pipeInput('b', null, 2); // never in the store
    input.pipeInput('a', null, 3);
    return d
      .createOutputTopic('out', S.deserializer(), S.deserializer())
      .readRecordsToList()
      .map((r) => `${r.key}=${String(r.value)}`);
  } finally {
    d.close();
  }
}

describe('statestore.cache.max.bytes = 0', () => {
  it('forwards a tombstone for a key the table never had (no caching layer)', () => {
    expect(tableTombstones({ 'statestore.cache.max.bytes': 0 })).toEqual(['a=1', 'b=null', 'a=null']);
  });

  it('with a cache, the delete over nothing is dropped when the cache flushes (Kafka\'s behaviour too)', () => {
    expect(tableTombstones({})).toEqual(['a=1', 'a=null']);
  });

  it('builds every store without its caching layer, DSL and Processor-API ones alike', () => {
    const b = new StreamsBuilder();
    b.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore('papi'), S, S).withCachingEnabled());
    const stream = b.stream<string, string>('in', Consumed.with(S, S));
    stream.groupByKey().count(Materialized.as('counts'));
    stream.groupByKey().windowedBy(TimeWindows.ofSizeWithNoGrace(10)).count(Materialized.as('windowed'));
    stream.process(() => ({ process: () => undefined }), 'papi');
    const layers = (config: Record<string, unknown>): string[] => {
      const d = new TopologyTestDriver(b.build(), { applicationId: 'zero-cache', ...config }, 0);
      try {
        return ['papi', 'counts', 'windowed'].map((name) => {
          const names: string[] = [];
          for (let s: unknown = d.getAllStateStores().get(name); s; s = (s as { wrapped?: unknown }).wrapped) names.push((s as object).constructor.name);
          return `${name}: ${names.some((n) => n.startsWith('Caching')) ? 'cached' : 'uncached'} ${names[names.length - 1]!.startsWith('InMemory') ? 'in-memory' : 'rocksdb'}`;
        });
      } finally {
        d.close();
      }
    };
    expect(layers({})).toEqual(['papi: cached in-memory', 'counts: cached rocksdb', 'windowed: cached rocksdb']);
    expect(layers({ 'statestore.cache.max.bytes': 0 })).toEqual(['papi: uncached in-memory', 'counts: uncached rocksdb', 'windowed: uncached rocksdb']);
    // the default DSL store type survives the rewrite
    expect(layers({ 'statestore.cache.max.bytes': 0, defaultDslStore: 'in_memory' })).toEqual(['papi: uncached in-memory', 'counts: uncached in-memory', 'windowed: uncached in-memory']);
  });
});
