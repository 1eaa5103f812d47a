/**
 * Offset-commit metadata in Kafka Streams' `TopicPartitionMetadata` format: magic byte 2, int64 partition time,
 * base64; version 1 (no processor metadata) is read too; anything else reads as unknown (-1).
 */
import { decodePartitionTime, encodePartitionTime } from '../../src/runtime/topic-partition-metadata';

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
