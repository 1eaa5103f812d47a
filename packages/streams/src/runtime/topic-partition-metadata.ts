/**
 * Kafka Streams' offset-commit metadata (`TopicPartitionMetadata`): base64 of a magic byte (2), the partition time
 * as a big-endian int64, and processor metadata (empty here). Committing it with each offset lets stream time
 * survive restarts and task moves, and stays readable by (and from) Java Kafka Streams.
 */

const MAGIC = 2;

export function encodePartitionTime(partitionTime: number): string {
  const b = Buffer.alloc(9);
  b.writeUInt8(MAGIC, 0);
  b.writeBigInt64BE(BigInt(partitionTime), 1);
  return b.toString('base64');
}

/** The partition time in committed metadata, or -1 when absent or not in Kafka Streams' format. */
export function decodePartitionTime(metadata: string | null | undefined): number {
  if (!metadata) return -1;
  try {
    const b = Buffer.from(metadata, 'base64');
    const version = b.readUInt8(0);
    if ((version !== 1 && version !== 2) || b.length < 9) return -1;
    return Number(b.readBigInt64BE(1));
  } catch {
    return -1;
  }
}
