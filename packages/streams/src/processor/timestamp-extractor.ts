/**
 * Timestamp extractors: where a record's event time comes from (Kafka's `TimestampExtractor`). The default
 * takes the Kafka record's own timestamp and fails on a negative one.
 */
import { StreamsException } from '../errors';
import { log } from '../logger';

/** The consumed record as a timestamp extractor sees it (already deserialized). */
export interface ConsumedRecord<K = unknown, V = unknown> {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly timestamp: number;
  readonly key: K;
  readonly value: V;
}

/** Returns the event time of a record; `partitionTime` is the highest timestamp seen so far on its partition. */
export interface TimestampExtractor {
  extract(record: ConsumedRecord, partitionTime: number): number;
}

/** Uses the record's timestamp; a negative one is an error naming the record (Kafka's default). */
export class FailOnInvalidTimestamp implements TimestampExtractor {
  extract(record: ConsumedRecord): number {
    if (record.timestamp < 0) {
      throw new StreamsException(
        `Input record {topic=${record.topic}, partition=${record.partition}, offset=${record.offset}} has invalid (negative) timestamp. ` +
          'Possibly because a pre-0.10 producer client was used to write this record to Kafka without embedding a timestamp, ' +
          'or because the input topic was created before upgrading the Kafka cluster to 0.10+. ' +
          'Use a different TimestampExtractor to process this data.',
      );
    }
    return record.timestamp;
  }
}

/** Uses the record's timestamp; a negative one makes the record be skipped (logged and counted). */
export class LogAndSkipOnInvalidTimestamp implements TimestampExtractor {
  extract(record: ConsumedRecord): number {
    if (record.timestamp < 0) {
      log.warn(
        `Input record ConsumerRecord(topic = ${record.topic}, partition = ${record.partition}, offset = ${record.offset}, ` +
          `timestamp = ${record.timestamp}) will be dropped because it has an invalid (negative) timestamp.`,
      );
    }
    return record.timestamp;
  }
}

/** Uses the record's timestamp, or the partition time when it is negative. */
export class UsePartitionTimeOnInvalidTimestamp implements TimestampExtractor {
  extract(record: ConsumedRecord, partitionTime: number): number {
    if (record.timestamp >= 0) return record.timestamp;
    if (partitionTime < 0) {
      throw new StreamsException(
        `Could not infer new timestamp for input record {topic=${record.topic}, partition=${record.partition}, offset=${record.offset}} ` +
          `because partition time is unknown.`,
      );
    }
    return partitionTime;
  }
}

/** Uses the current wall-clock time (processing time). */
export class WallclockTimestampExtractor implements TimestampExtractor {
  extract(): number {
    return Date.now();
  }
}
