/**
 * Resolving pattern (regex) sources against a cluster's topics, as Kafka Streams' runtime does: the pattern matches
 * whole names (Java's `Matcher.matches`), this application's internal topics and topics named by other sources are
 * never matched, and tasks then read the matched topics (partition grouping is per sub-topology).
 */
import { Consumed, Serdes, StreamsBuilder, TopologyException } from '@kstreams/streams';
import { internalBuilderOf } from '../../src/internal';

function wordCountOn(pattern: RegExp) {
  const b = new StreamsBuilder();
  b.stream(pattern, Consumed.with(Serdes.String(), Serdes.String())).groupBy((_k, v) => v).count().toStream().to('orders-out');
  b.stream('named', Consumed.with(Serdes.String(), Serdes.String())).to('elsewhere');
  const internal = internalBuilderOf(b.build());
  internal.setApplicationId('shop');
  return internal;
}

test('a pattern matches whole topic names, never this app\'s internal topics', () => {
  const builder = wordCountOn(/orders-.*|shop-.*/);
  const cluster = [
    'orders-eu',
    'orders-us',
    'pre-orders-x', // matches only partly: Java's matches() needs the whole name
    'named', // read by another source
    'shop-KSTREAM-AGGREGATE-STATE-STORE-0000000003-repartition', // this app's internal topics
    'shop-KSTREAM-AGGREGATE-STATE-STORE-0000000003-changelog',
    'shop-inventory', // another topic with the app's prefix is not internal
  ];
  expect(builder.resolvePatternTopics(cluster)).toBe(true);
  const sub0 = builder.subtopologyTopics().find((s) => s.id === 0)!;
  expect(sub0.sourceTopics).toEqual(['orders-eu', 'orders-us', 'shop-inventory']);
  expect(builder.resolvePatternTopics([...cluster].reverse())).toBe(false); // the same set: nothing changed
  expect(builder.resolvePatternTopics([...cluster, 'orders-asia'])).toBe(true);
  expect(builder.subtopologyTopics().find((s) => s.id === 0)!.sourceTopics).toEqual(['orders-asia', 'orders-eu', 'orders-us', 'shop-inventory']);
  // the built source node reads what the pattern matched
  expect([...builder.buildTopology([0]).sourcesByTopic.keys()].sort()).toEqual(['orders-asia', 'orders-eu', 'orders-us', 'shop-inventory']);
  // describe() keeps the pattern, as Java's does
  expect(builder.describe().toString()).toContain('(topics: orders-.*|shop-.*)');
});

test('a named topic that a pattern matches as a whole name is refused; a partial match is not', () => {
  const b = new StreamsBuilder();
  b.stream(/orders-.*/).to('out');
  b.stream('pre-orders-eu').to('out');
  expect(() => b.build()).not.toThrow();
  const c = new StreamsBuilder();
  c.stream(/orders-.*/).to('out');
  c.stream('orders-eu').to('out');
  expect(() => c.build()).toThrow(TopologyException);
});
