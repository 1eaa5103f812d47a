/**
 * Kafka's `WindowedStreamPartitioner`: a sink whose key serializer writes windowed keys, and that has no partitioner
 * of its own, partitions by the inner key alone, so every window of a key lands on the partition the key itself
 * would (and on the one a Java app picks for the same record).
 */
import type { StreamPartitioner } from '../../processor/processor-node';
import { partitionForKey } from '../../runtime/partitioner';
import type { Serializer } from '../../serde/serde';
import { SessionWindowedSerializer, TimeWindowedSerializer } from './windowed-serdes';
import type { Windowed } from './windowed';

/** Java's `WindowedSerializer`: serializes a windowed key, and its inner key alone. */
export type WindowedSerializer<K> = TimeWindowedSerializer<K> | SessionWindowedSerializer<K>;

export function isWindowedSerializer(serializer: Serializer<unknown> | null): serializer is WindowedSerializer<unknown> {
  return serializer instanceof TimeWindowedSerializer || serializer instanceof SessionWindowedSerializer;
}

/** The partition of a windowed key: murmur2 of the serialized inner key, as Kafka's default partitioner. */
export function windowedStreamPartitioner<K, V>(serializer: WindowedSerializer<K>): StreamPartitioner<Windowed<K>, V> {
  return (topic, windowedKey, _value, numPartitions) => partitionForKey(serializer.serializeBaseKey(topic, windowedKey), numPartitions);
}
