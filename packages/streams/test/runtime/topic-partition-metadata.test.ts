/**
 * Offset-commit metadata in Kafka Streams' `TopicPartitionMetadata` format: magic byte 2, int64 partition time,
 * base64; version 1 (no processor metadata) is read too; anything else reads as unknown (-1).
 */
import { decodePartitionTime, decodeProcessorMetadata, encodePartitionTime, encodeTopicPartitionMetadata } from '../../src/runtime/topic-partition-metadata';

test('encodes like Kafka: base64(0x02, int64 big-endian)', () => {
  expect(encodePartitionTime(12345)).toBe(Buffer.from([2, 0, 0, 0, 0, 0, 0, 0x30, 0x39]).toString('base64'));
  expect(decodePartitionTime(encodePartitionTime(1_700_000_040_000))).toBe(1_700_000_040_000);
});

test('reads version 1 and version 2 with processor metadata; unknown input is -1', () => {
  expect(decodePartitionTime(Buffer.from([1, 0, 0, 0, 0, 0, 0, 0, 7]).toString('base64'))).toBe(7);
  expect(decodePartitionTime(Buffer.from([2, 0, 0, 0, 0, 0, 0, 0, 9, 0, 0, 0, 1]).toString('base64'))).toBe(9);
  expect(decodePartitionTime(null)).toBe(-1);
  expect(decodePartitionTime('')).toBe(-1);
  expect(decodePartitionTime(Buffer.from([3, 0, 0, 0, 0, 0, 0, 0, 9]).toString('base64'))).toBe(-1);
  expect(decodePartitionTime('AA')).toBe(-1);
});

test('processor metadata rides along in Kafka ProcessorMetadata layout and reads back', () => {
  const meta = new Map([
    ['store', 1_700_000_000_000],
    ['store.observed-stream-time', 1_700_000_100_000],
  ]);
  const encoded = encodeTopicPartitionMetadata(42, meta);
  const bytes = Buffer.from(encoded, 'base64');
  // magic, partition time, count, then [len, key, value] per entry
  expect(bytes.readUInt8(0)).toBe(2);
  expect(Number(bytes.readBigInt64BE(1))).toBe(42);
  expect(bytes.readInt32BE(9)).toBe(2);
  expect(bytes.readInt32BE(13)).toBe(5);
  expect(bytes.toString('utf8', 17, 22)).toBe('store');
  expect(decodePartitionTime(encoded)).toBe(42);
  expect(decodeProcessorMetadata(encoded)).toEqual(meta);
  expect(encodeTopicPartitionMetadata(42, new Map())).toBe(encodePartitionTime(42));
  expect(decodeProcessorMetadata(encodePartitionTime(42))).toEqual(new Map());
  expect(decodeProcessorMetadata('AA')).toEqual(new Map());
});
