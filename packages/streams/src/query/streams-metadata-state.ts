/**
 * Which instance hosts which store partitions (Kafka's `StreamsMetadataState`), rebuilt after every rebalance
 * from the group: each member's `application.server` (from its subscription) and its assigned partitions.
 * Answers `metadataForAllStreamsClients`, `streamsMetadataForStore` and `queryMetadataForKey`.
 */
import { IllegalArgumentException } from '../errors';
import type { StreamPartitioner } from '../processor/processor-node';
import { partitionForKey } from '../runtime/partitioner';
import type { TopicPartition } from '../runtime/state-restore-listener';
import type { Serializer } from '../serde/serde';
import { HostInfo } from './host-info';
import { KeyQueryMetadata, StreamsMetadata } from './streams-metadata';

/** One instance's share of the assignment. */
export interface HostAssignment {
  readonly host: HostInfo;
  readonly active: readonly TopicPartition[];
  readonly standby: readonly TopicPartition[];
}

export class StreamsMetadataState {
  #all: StreamsMetadata[] = [];
  #initialized = false;
  #generation = 0;

  /**
   * @param storeSourceTopics the source topics (repartition topics included) of the sub-topology of each store
   * @param partitionCounts partition count of every source topic
   * @param thisHost this instance's `application.server`, or null
   */
  constructor(
    private readonly storeSourceTopics: ReadonlyMap<string, readonly string[]>,
    private readonly partitionCounts: () => ReadonlyMap<string, number>,
    readonly thisHost: HostInfo | null,
  ) {}

  /** Whether a rebuild happened (Kafka answers NOT_AVAILABLE before). */
  get initialized(): boolean {
    return this.#initialized;
  }

  /** Number of rebuilds so far. */
  get generation(): number {
    return this.#generation;
  }

  hasStore(storeName: string): boolean {
    return this.storeSourceTopics.has(storeName);
  }

  /** Rebuilds the metadata from every instance's assignment (instances without `application.server` are left out). */
  onChange(hosts: readonly HostAssignment[]): void {
    const sorted = [...hosts].sort((a, b) => (a.host.host() < b.host.host() ? -1 : a.host.host() > b.host.host() ? 1 : a.host.port() - b.host.port()));
    this.#all = sorted.map((h) => new StreamsMetadata(h.host, this.#storesOn(h.active), h.active, this.#storesOn(h.standby), h.standby));
    this.#initialized = true;
    this.#generation++;
  }

  /** Marks the metadata unknown (a rebalance started and the new assignment is not known yet). */
  invalidate(): void {
    this.#initialized = false;
  }

  #storesOn(partitions: readonly TopicPartition[]): Set<string> {
    const topics = new Set(partitions.map((tp) => tp.topic));
    const out = new Set<string>();
    for (const [store, sources] of this.storeSourceTopics) if (sources.some((t) => topics.has(t))) out.add(store);
    return out;
  }

  allMetadata(): StreamsMetadata[] {
    return this.#initialized ? [...this.#all] : [];
  }

  allMetadataForStore(storeName: string): StreamsMetadata[] {
    if (!this.#initialized || !this.storeSourceTopics.has(storeName)) return [];
    return this.#all.filter((m) => m.stateStoreNames().has(storeName) || m.standbyStateStoreNames().has(storeName));
  }

  /** The metadata of this instance, or null when it has no `application.server` or no metadata yet. */
  localMetadata(): StreamsMetadata | null {
    const me = this.thisHost;
    if (!this.#initialized || me === null) return null;
    return this.#all.find((m) => m.hostInfo().equals(me)) ?? new StreamsMetadata(me, new Set(), [], new Set(), []);
  }

  /**
   * Where `key` of `storeName` lives. `NOT_AVAILABLE` before the first assignment is known; null for a store
   * this topology does not have (as Kafka).
   */
  keyQueryMetadataForKey<K>(storeName: string, key: K, keySerializerOrPartitioner: Serializer<K> | StreamPartitioner<K, unknown>): KeyQueryMetadata | null {
    if (key === null || key === undefined) throw new IllegalArgumentException("key can't be null");
    if (!this.#initialized) return KeyQueryMetadata.NOT_AVAILABLE;
    const sources = this.storeSourceTopics.get(storeName);
    if (sources === undefined || sources.length === 0) return null;
    const counts = this.partitionCounts();
    let topic = sources[0]!;
    let max = 0;
    for (const t of sources) {
      const n = counts.get(t) ?? 0;
      if (n > max) {
        max = n;
        topic = t;
      }
    }
    if (max === 0) return KeyQueryMetadata.NOT_AVAILABLE;
    const partition = partitionOf(topic, key, keySerializerOrPartitioner, max);
    let active = HostInfo.unavailable();
    const standbys: HostInfo[] = [];
    for (const m of this.#all) {
      const matches = (tps: readonly TopicPartition[]): boolean => tps.some((tp) => tp.partition === partition && sources.includes(tp.topic));
      if (m.stateStoreNames().has(storeName) && matches(m.topicPartitions())) active = m.hostInfo();
      if (m.standbyStateStoreNames().has(storeName) && matches(m.standbyTopicPartitions())) standbys.push(m.hostInfo());
    }
    return new KeyQueryMetadata(active, standbys, partition);
  }
}

function partitionOf<K>(topic: string, key: K, how: Serializer<K> | StreamPartitioner<K, unknown>, numPartitions: number): number {
  if (typeof how === 'function') {
    const p = how(topic, key, null, numPartitions);
    if (p === null || p === undefined) return partitionForKeyBytesOf(topic, key, null, numPartitions);
    if (!Number.isInteger(p) || p < 0 || p >= numPartitions) {
      throw new IllegalArgumentException(`The partitioner returned partition ${String(p)} for a key of topic ${topic}, which has ${numPartitions} partitions`);
    }
    return p;
  }
  return partitionForKeyBytesOf(topic, key, how, numPartitions);
}

function partitionForKeyBytesOf<K>(topic: string, key: K, serializer: Serializer<K> | null, numPartitions: number): number {
  if (serializer === null) {
    throw new IllegalArgumentException(`The partitioner returned no partition for a key of topic ${topic}; pass a key serializer instead`);
  }
  const bytes = serializer.serialize(topic, key);
  if (bytes === null) throw new IllegalArgumentException(`The key serializer returned null for a key of topic ${topic}`);
  return partitionForKey(bytes, numPartitions);
}
