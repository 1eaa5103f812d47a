/**
 * Kafka Streams' offset-commit metadata (`TopicPartitionMetadata`): base64 of a magic byte (2), the partition time
 * as a big-endian int64, and the task's processor metadata (`ProcessorMetadata`: int32 count, then per entry an
 * int32 key length, the UTF-8 key and an int64 value; nothing when empty). Committing it with each offset lets
 * stream time and processor state such as emit-on-close's last emitted close time survive restarts and task
 * moves, and stays readable by (and from) Java Kafka Streams.
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

/** Encodes partition time and processor metadata as Kafka's `TopicPartitionMetadata.encode()` does. */
export function encodeTopicPartitionMetadata(partitionTime: number, processorMetadata: ReadonlyMap<string, number>): string {
  if (processorMetadata.size === 0) return encodePartitionTime(partitionTime);
  const entries = [...processorMetadata].map(([k, v]) => [Buffer.from(k, 'utf8'), v] as const);
  let size = 9 + 4;
  for (const [k] of entries) size += 4 + k.length + 8;
  const b = Buffer.alloc(size);
  b.writeUInt8(MAGIC, 0);
  b.writeBigInt64BE(BigInt(partitionTime), 1);
  let at = b.writeInt32BE(entries.length, 9);
  for (const [k, v] of entries) {
    at = b.writeInt32BE(k.length, at);
    at += k.copy(b, at);
    at = b.writeBigInt64BE(BigInt(v), at);
  }
  return b.toString('base64');
}

/** The processor metadata in committed metadata (empty when absent, version 1, or not in Kafka's format). */
export function decodeProcessorMetadata(metadata: string | null | undefined): Map<string, number> {
  const out = new Map<string, number>();
  if (!metadata) return out;
  try {
    const b = Buffer.from(metadata, 'base64');
    if (b.length <= 9 + 4 || b.readUInt8(0) !== MAGIC) return out;
    const n = b.readInt32BE(9);
    let at = 13;
    for (let i = 0; i < n; i++) {
      const len = b.readInt32BE(at);
      at += 4;
      const key = b.toString('utf8', at, at + len);
      at += len;
      out.set(key, Number(b.readBigInt64BE(at)));
      at += 8;
    }
    return out;
  } catch {
    return new Map();
  }
}
