/**
 * Prepares the topics an application needs before it processes (Kafka's `RepartitionTopics`,
 * `CopartitionedTopicsEnforcer` and `InternalTopicManager`): checks that source topics exist, sizes repartition
 * topics from their upstream sub-topologies and co-partition groups, sizes changelogs by task count, validates
 * co-partitioning with Kafka's messages, and creates what is missing with Kafka Streams' topic configs.
 */
import { StreamsException, TopologyException } from '../errors';
import { log } from '../logger';
import type { SubtopologyTopics } from '../topology/internal-topology-builder';
import type { KafkaClient, NewTopic } from './kafka-client';
import type { SubtopologySources } from './streams-partition-assignor';

/** Thrown when source topics of the topology do not exist (Kafka's `MissingSourceTopicException`). */
export class MissingSourceTopicException extends StreamsException {
  override readonly name: string = 'MissingSourceTopicException';
}

/** Everything the runtime needs to know about topics once they are set up. */
export interface TopicLayout {
  /** Partition count of every source, repartition and changelog topic. */
  readonly partitionCounts: ReadonlyMap<string, number>;
  readonly subtopologies: readonly SubtopologySources[];
  /** Every topic the consumer subscribes to. */
  readonly sourceTopics: readonly string[];
  /** The repartition topics among them (purged of committed records). */
  readonly repartitionTopics: readonly string[];
}

/** Kafka Streams' repartition-topic defaults (`RepartitionTopicConfig`). */
const REPARTITION_DEFAULTS = { 'cleanup.policy': 'delete', 'segment.bytes': '52428800', 'retention.ms': '-1' } as const;
/** Kafka Streams' key-value changelog defaults (`UnwindowedUnversionedChangelogTopicConfig`). */
const CHANGELOG_DEFAULTS = { 'cleanup.policy': 'compact' } as const;

function sortedMap(m: ReadonlyMap<string, number>): string {
  return [...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => `${k}=${v}`).join(', ');
}

/**
 * Computes partition counts for every internal topic. Pure: `existing` holds the partition counts of topics that
 * exist. Throws `MissingSourceTopicException` or Kafka's co-partitioning `TopologyException`s.
 */
export function planTopics(
  subtopologies: readonly SubtopologyTopics[],
  copartitionGroups: readonly (readonly string[])[],
  existing: ReadonlyMap<string, number>,
): { counts: Map<string, number>; missingSources: string[] } {
  const repartition = new Map<string, number | null>();
  for (const s of subtopologies) for (const r of s.repartitionSourceTopics) repartition.set(r.name, r.numberOfPartitions ?? null);
  const counts = new Map<string, number>();
  const missing: string[] = [];
  for (const s of subtopologies) {
    for (const t of s.sourceTopics) {
      if (repartition.has(t)) continue;
      const n = existing.get(t);
      if (n === undefined) {
        if (!missing.includes(t)) missing.push(t);
      } else counts.set(t, n);
    }
  }
  if (missing.length > 0) return { counts, missingSources: missing };
  // Repartition topics without a set count take the max of their upstream sub-topologies' sources (to a fixpoint).
  for (const [name, n] of repartition) if (n !== null) counts.set(name, n);
  for (let round = 0; round <= subtopologies.length + 1; round++) {
    let changed = false;
    for (const [name, n] of repartition) {
      if (n !== null) continue;
      let max = 0;
      for (const s of subtopologies) {
        if (!s.sinkTopics.includes(name)) continue;
        for (const t of s.sourceTopics) max = Math.max(max, counts.get(t) ?? 0);
      }
      if (max > 0 && counts.get(name) !== max) {
        counts.set(name, max);
        changed = true;
      }
    }
    if (!changed) break;
  }
  // Co-partition groups (Kafka's CopartitionedTopicsEnforcer).
  for (const group of copartitionGroups) {
    const external = new Map<string, number>();
    const internal = new Map<string, number | null>();
    for (const t of group) {
      if (repartition.has(t)) internal.set(t, repartition.get(t)!);
      else external.set(t, counts.get(t)!);
    }
    let n: number;
    if (external.size > 0) {
      n = external.values().next().value!;
      for (const v of external.values()) if (v !== n) throw new TopologyException(`Topics not co-partitioned: [{${sortedMap(external)}}]`);
    } else {
      const enforced = [...internal].filter(([, v]) => v !== null) as Array<[string, number]>;
      if (enforced.length > 0) {
        n = enforced[0]![1];
        for (const [, v] of enforced) {
          if (v !== n) throw new TopologyException(`Following topics do not have the same number of partitions: [{${sortedMap(new Map(enforced))}}]`);
        }
      } else {
        n = 0;
        for (const t of internal.keys()) n = Math.max(n, counts.get(t) ?? 0);
      }
    }
    for (const [t, enforced] of internal) {
      if (enforced === null) counts.set(t, n);
      else if (enforced !== n) {
        throw new TopologyException(`Number of partitions [${enforced}] of repartition topic [${t}] doesn't match number of partitions [${n}] of the source topic.`);
      }
    }
  }
  for (const [name] of repartition) {
    if (!counts.has(name)) throw new TopologyException(`Number of partitions is not set for topic: ${name}`);
  }
  // Changelogs: one partition per task of their sub-topology.
  for (const s of subtopologies) {
    let tasks = 0;
    for (const t of s.sourceTopics) tasks = Math.max(tasks, counts.get(t) ?? 0);
    for (const c of s.changelogTopics) counts.set(c.topic, Math.max(counts.get(c.topic) ?? 0, tasks));
  }
  return { counts, missingSources: [] };
}

/** Attempts at creating internal topics when the cluster answers with a retriable error. */
const CREATE_ATTEMPTS = 6;

function isRetriable(e: unknown): boolean {
  return e !== null && typeof e === 'object' && (e as { retriable?: unknown }).retriable === true;
}

/**
 * Creates topics, retrying retriable errors (on a multi-broker cluster a new topic's leaders can take longer to
 * reach every broker's metadata than kafkajs waits for; Kafka's `InternalTopicManager` retries the same way).
 * Topics that exist by then are not created again.
 */
async function createWithRetries(client: KafkaClient, topics: readonly NewTopic[]): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      const existing = attempt === 1 ? new Map<string, number>() : await client.partitionCounts(topics.map((t) => t.topic));
      const missing = topics.filter((t) => !existing.has(t.topic));
      if (missing.length > 0) await client.createTopics(missing);
      if (attempt > 1) await client.partitionCounts(topics.map((t) => t.topic));
      return;
    } catch (e) {
      if (!isRetriable(e) || attempt >= CREATE_ATTEMPTS) throw e;
      log.warn(`Creating internal topics failed with a retriable error (attempt ${attempt} of ${CREATE_ATTEMPTS}), retrying: ${(e as Error).message}`);
      await new Promise((r) => setTimeout(r, 500 * attempt));
    }
  }
}

/** Checks sources, creates internal topics, validates existing ones, and returns the layout. */
export async function setupTopics(
  client: KafkaClient,
  subtopologies: readonly SubtopologyTopics[],
  copartitionGroups: readonly (readonly string[])[],
  options: { replicationFactor: number; topicConfigs: Readonly<{ [key: string]: unknown }> },
): Promise<TopicLayout> {
  const all = new Set<string>();
  for (const s of subtopologies) {
    for (const t of s.sourceTopics) all.add(t);
    for (const c of s.changelogTopics) all.add(c.topic);
  }
  const existing = await client.partitionCounts([...all]);
  const { counts, missingSources } = planTopics(subtopologies, copartitionGroups, existing);
  if (missingSources.length > 0) {
    throw new MissingSourceTopicException(
      `Missing source topics. [${missingSources.join(', ')}]: the topology reads topics that do not exist; create them before starting the application.`,
    );
  }
  const extra: { [key: string]: string } = {};
  for (const [k, v] of Object.entries(options.topicConfigs)) extra[k] = String(v);
  const toCreate: NewTopic[] = [];
  const check = (topic: string, want: number): void => {
    const have = existing.get(topic);
    if (have !== undefined && have !== want) {
      throw new StreamsException(
        `Existing internal topic ${topic} has invalid partitions: expected: ${want}; actual: ${have}. ` +
          'Use \'kafka.tools.StreamsResetter\' tool to clean up invalid topics before processing.',
      );
    }
  };
  for (const s of subtopologies) {
    for (const r of s.repartitionSourceTopics) {
      const n = counts.get(r.name)!;
      check(r.name, n);
      if (!existing.has(r.name) && !toCreate.some((t) => t.topic === r.name)) {
        toCreate.push({ topic: r.name, numPartitions: n, replicationFactor: options.replicationFactor, configs: { ...REPARTITION_DEFAULTS, ...extra, ...r.config } });
      }
    }
    for (const c of s.changelogTopics) {
      const n = counts.get(c.topic)!;
      check(c.topic, n);
      if (!existing.has(c.topic) && !toCreate.some((t) => t.topic === c.topic)) {
        toCreate.push({ topic: c.topic, numPartitions: n, replicationFactor: options.replicationFactor, configs: { ...CHANGELOG_DEFAULTS, ...extra, ...c.config } });
      }
    }
  }
  if (toCreate.length > 0) {
    log.info(`Creating internal topics: ${toCreate.map((t) => `${t.topic} (${t.numPartitions} partitions)`).join(', ')}`);
    await createWithRetries(client, toCreate);
  }
  const sources: string[] = [];
  for (const s of subtopologies) for (const t of s.sourceTopics) if (!sources.includes(t)) sources.push(t);
  const repartitionTopics: string[] = [];
  for (const s of subtopologies) for (const r of s.repartitionSourceTopics) if (!repartitionTopics.includes(r.name)) repartitionTopics.push(r.name);
  return {
    partitionCounts: counts,
    sourceTopics: sources,
    repartitionTopics,
    subtopologies: subtopologies.map((s) => ({ id: s.id, sourceTopics: s.sourceTopics, stateful: s.stores.length > 0 })),
  };
}
