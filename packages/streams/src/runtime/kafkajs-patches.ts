/**
 * Performance patches to kafkajs 2.2.4, applied before kafkajs loads (part of the kafkajs wrapper; only
 * `kafka-client.ts` imports this). kafkajs groups a produce request's messages per partition with
 * `[...current, message]` in a reduce, which is quadratic in the messages per partition: 12% of WordCount's CPU
 * with 10,000-record sends. The replacement below does the same grouping in linear time. If kafkajs was already
 * loaded (or its layout differs), nothing is patched and kafkajs behaves as shipped.
 */
import Module from 'node:module';

type Partitioner = (args: { topic: string; partitionMetadata: unknown[]; message: unknown }) => number;

function groupMessagesPerPartition({
  topic,
  partitionMetadata,
  messages,
  partitioner,
}: {
  topic: string;
  partitionMetadata: unknown[];
  messages: unknown[];
  partitioner: Partitioner;
}): { [partition: number]: unknown[] } {
  const result: { [partition: number]: unknown[] } = {};
  if (partitionMetadata.length === 0) return result;
  for (const message of messages) {
    const partition = partitioner({ topic, partitionMetadata, message });
    const current = result[partition];
    if (current) current.push(message);
    else result[partition] = [message];
  }
  return result;
}

function patch(): void {
  let file: string;
  try {
    file = require.resolve('kafkajs/src/producer/groupMessagesPerPartition');
  } catch {
    return;
  }
  if (require.cache[file]) return; // kafkajs already loaded: leave it as it is
  const m = new Module(file);
  m.filename = file;
  m.loaded = true;
  m.exports = groupMessagesPerPartition;
  require.cache[file] = m;
}

patch();
