/**
 * Topic planning before processing: missing sources, repartition topics sized from upstream sources, changelogs
 * sized by task count, and Kafka's co-partitioning errors.
 */
import { TopologyException } from '../../src/errors';
import { planTopics } from '../../src/runtime/internal-topic-manager';
import type { SubtopologyTopics } from '../../src/topology/internal-topology-builder';

function sub(id: number, parts: Partial<SubtopologyTopics>): SubtopologyTopics {
  return { id, sourceTopics: [], sinkTopics: [], repartitionSourceTopics: [], changelogTopics: [], stores: [], ...parts };
}

const wordcount = [
  sub(0, { sourceTopics: ['input'], sinkTopics: ['app-counts-repartition'] }),
  sub(1, {
    sourceTopics: ['app-counts-repartition'],
    repartitionSourceTopics: [{ name: 'app-counts-repartition', numberOfPartitions: null, config: {} }],
    changelogTopics: [{ store: 'counts', topic: 'app-counts-changelog', config: {} }],
    stores: ['counts'],
  }),
];

test('repartition topics take the partition count of their upstream sources; changelogs one per task', () => {
  const { counts, missingSources } = planTopics(wordcount, [], new Map([['input', 5]]));
  expect(missingSources).toEqual([]);
  expect(counts.get('app-counts-repartition')).toBe(5);
  expect(counts.get('app-counts-changelog')).toBe(5);
});

test('missing source topics are reported', () => {
  expect(planTopics(wordcount, [], new Map()).missingSources).toEqual(['input']);
});

test('a repartition topic with a set partition count keeps it', () => {
  const subs = [
    wordcount[0]!,
    { ...wordcount[1]!, repartitionSourceTopics: [{ name: 'app-counts-repartition', numberOfPartitions: 2, config: {} }] },
  ];
  expect(planTopics(subs, [], new Map([['input', 5]])).counts.get('app-counts-repartition')).toBe(2);
});

describe('co-partitioning', () => {
  const join = [sub(0, { sourceTopics: ['left', 'right'] })];

  test('source topics of a join with different partition counts: Kafka\'s "Topics not co-partitioned"', () => {
    expect(() => planTopics(join, [['left', 'right']], new Map([['left', 2], ['right', 3]]))).toThrow(
      new TopologyException('Topics not co-partitioned: [{left=2, right=3}]'),
    );
  });

  test('a repartition topic in a co-partition group is sized like the external topic', () => {
    const subs = [
      sub(0, { sourceTopics: ['orders'], sinkTopics: ['app-rekey-repartition'] }),
      sub(1, {
        sourceTopics: ['app-rekey-repartition', 'customers'],
        repartitionSourceTopics: [{ name: 'app-rekey-repartition', numberOfPartitions: null, config: {} }],
      }),
    ];
    const { counts } = planTopics(subs, [['app-rekey-repartition', 'customers']], new Map([['orders', 8], ['customers', 3]]));
    expect(counts.get('app-rekey-repartition')).toBe(3);
  });

  test('an enforced repartition count that differs from the source: Kafka\'s message', () => {
    const subs = [
      sub(0, { sourceTopics: ['orders'], sinkTopics: ['app-rekey-repartition'] }),
      sub(1, {
        sourceTopics: ['app-rekey-repartition', 'customers'],
        repartitionSourceTopics: [{ name: 'app-rekey-repartition', numberOfPartitions: 4, config: {} }],
      }),
    ];
    expect(() => planTopics(subs, [['app-rekey-repartition', 'customers']], new Map([['orders', 8], ['customers', 3]]))).toThrow(
      "Number of partitions [4] of repartition topic [app-rekey-repartition] doesn't match number of partitions [3] of the source topic.",
    );
  });
});
