/** Kafka's KStreamWindowAggregateTest.testAggBasic (hopping windows, aggregate), verbatim inputs and outputs. */
import { Consumed, EmitStrategy, Materialized, Produced, StreamsBuilder, TimeWindows } from '@kstreams/streams';
import { drain, S, withDriver } from './helpers';

const inputs: ReadonlyArray<readonly [string, string, number]> = [
  ['A', '1', 0], ['B', '2', 1], ['C', '3', 2], ['D', '4', 3], ['A', '1', 4],
  ['A', '1', 5], ['B', '2', 6], ['D', '4', 7], ['B', '2', 8], ['C', '3', 9],
  ['A', '1', 10], ['B', '2', 11], ['D', '4', 12], ['B', '2', 13], ['C', '3', 14],
  ['B', '1', 3], ['B', '2', 2], ['B', '3', 9],
];

function run(caching: boolean, onClose: boolean, cacheBytes = 10 * 1024 * 1024): string[] {
  const b = new StreamsBuilder();
  const m = Materialized.as<string, string>('topic1-Canonized').withValueSerde(S);
  const windowed = b
    .stream<string, string>('topic1', Consumed.with(S, S))
    .groupByKey()
    .windowedBy(TimeWindows.ofSizeAndGrace(10, 100).advanceBy(5));
  (onClose ? windowed.emitStrategy(EmitStrategy.onWindowClose()) : windowed)
    .aggregate(() => '0', (_k, v, agg) => `${agg}+${v}`, caching ? m.withCachingEnabled() : m.withCachingDisabled())
    .toStream()
    .map((k, v) => ({ key: k.toString(), value: v }))
    .to('out', Produced.with(S, S));
  let out: string[] = [];
  withDriver(b.build(), (d) => {
    const t = d.createInputTopic('topic1', S.serializer(), S.serializer());
    for (const [k, v, ts] of inputs) t.pipeInput(k, v, ts);
    out = drain(d.createOutputTopic('out', S.deserializer(), S.deserializer()));
  }, { statestoreCacheMaxBytes: cacheBytes });
  return out;
}

describe('KStreamWindowAggregateTest.testAggBasic', () => {
  it.each([
    [false, 10 * 1024 * 1024],
    [true, 10 * 1024 * 1024],
    [true, 0],
  ])('emit on update (caching=%s, cache %d bytes; the driver commits after every record)', (caching, bytes) => {
    expect(run(caching, false, bytes)).toEqual([
      '[A@0/10]=0+1@0',
      '[B@0/10]=0+2@1',
      '[C@0/10]=0+3@2',
      '[D@0/10]=0+4@3',
      '[A@0/10]=0+1+1@4',
      '[A@0/10]=0+1+1+1@5',
      '[A@5/15]=0+1@5',
      '[B@0/10]=0+2+2@6',
      '[B@5/15]=0+2@6',
      '[D@0/10]=0+4+4@7',
      '[D@5/15]=0+4@7',
      '[B@0/10]=0+2+2+2@8',
      '[B@5/15]=0+2+2@8',
      '[C@0/10]=0+3+3@9',
      '[C@5/15]=0+3@9',
      '[A@5/15]=0+1+1@10',
      '[A@10/20]=0+1@10',
      '[B@5/15]=0+2+2+2@11',
      '[B@10/20]=0+2@11',
      '[D@5/15]=0+4+4@12',
      '[D@10/20]=0+4@12',
      '[B@5/15]=0+2+2+2+2@13',
      '[B@10/20]=0+2+2@13',
      '[C@5/15]=0+3+3@14',
      '[C@10/20]=0+3@14',
      '[B@0/10]=0+2+2+2+1@8',
      '[B@0/10]=0+2+2+2+1+2@8',
      '[B@0/10]=0+2+2+2+1+2+3@9',
      '[B@5/15]=0+2+2+2+2+3@13',
    ]);
  });

  it('emit on window close: nothing, since grace is 100 and no window closes', () => {
    expect(run(false, true)).toEqual([]);
  });
});
