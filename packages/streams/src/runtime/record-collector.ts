/**
 * Where sink nodes and change-logging stores send serialized records. The runtime implements it over a kafkajs
 * producer; the test driver over in-memory topics. `send` is synchronous (records are buffered); the
 * asynchronous flush happens at commit.
 */
import type { Headers } from '../processor/headers';

/** One serialized outgoing record. `partition === null` lets the collector pick (murmur2 of the key). */
export interface OutgoingRecord {
  readonly topic: string;
  readonly partition: number | null;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly timestamp: number;
  readonly headers: Headers;
}

export interface RecordCollector {
  send(record: OutgoingRecord): void;
  /** Number of partitions of a topic, for stream partitioners; `null` if unknown. */
  partitionsFor(topic: string): number | null;
}
