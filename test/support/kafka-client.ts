/**
 * kafkajs 2.2.4 set up for the conformance suites: quiet logs, short retry backoff, and a few
 * awaited helpers (create a topic, drain a topic exactly) shared by the test files.
 */
import { randomUUID } from 'node:crypto';
import {
  Kafka,
  logLevel,
  Partitioners,
  type ConsumerConfig,
  type ISocketFactory,
  type KafkaConfig,
  type Admin,
  type KafkaMessage,
} from 'kafkajs';

import { uniqueName } from './unique-name';
import { waitFor } from './wait-for';

process.env['KAFKAJS_NO_PARTITIONER_WARNING'] = '1';

/** Set KSTREAMS_TEST_KAFKAJS_LOG=debug|info|warn|error to see kafkajs logs while debugging a suite. */
function level(): logLevel {
  switch (process.env['KSTREAMS_TEST_KAFKAJS_LOG']) {
    case 'debug':
      return logLevel.DEBUG;
    case 'info':
      return logLevel.INFO;
    case 'warn':
      return logLevel.WARN;
    case 'error':
      return logLevel.ERROR;
    default:
      return logLevel.NOTHING;
  }
}

export interface ClientOptions {
  readonly clientId?: string;
  readonly socketFactory?: ISocketFactory;
  readonly retry?: KafkaConfig['retry'];
  readonly requestTimeout?: number;
}

export function createKafka(bootstrapServers: string, options: ClientOptions = {}): Kafka {
  return new Kafka({
    clientId: options.clientId ?? uniqueName('conformance'),
    brokers: [bootstrapServers],
    logLevel: level(),
    connectionTimeout: 3000,
    requestTimeout: options.requestTimeout ?? 30000,
    retry: options.retry ?? { initialRetryTime: 100, maxRetryTime: 2000, retries: 10 },
    ...(options.socketFactory === undefined ? {} : { socketFactory: options.socketFactory }),
  });
}

/** The partitioner kafkajs uses by default in 2.x (Java-compatible murmur2), set explicitly. */
export const defaultPartitioner = Partitioners.DefaultPartitioner;

export async function withAdmin<T>(kafka: Kafka, body: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return await body(admin);
  } finally {
    await admin.disconnect();
  }
}

/** Creates a topic and waits until its metadata shows every partition with a leader. */
export async function createTopic(
  kafka: Kafka,
  topic: string,
  numPartitions: number,
  configEntries: { name: string; value: string }[] = [],
): Promise<void> {
  await withAdmin(kafka, async (admin) => {
    const created = await admin.createTopics({
      topics: [{ topic, numPartitions, replicationFactor: 1, configEntries }],
      // kafkajs's own waitForLeaders gives up on the UNKNOWN_TOPIC_OR_PARTITION that Kafka answers
      // while a new topic propagates to the broker's metadata cache; poll here instead.
      waitForLeaders: false,
    });
    if (!created) throw new Error(`topic ${topic} already existed`);
    await waitFor(
      async () => {
        const meta = await admin.fetchTopicMetadata({ topics: [topic] });
        const parts = meta.topics[0]?.partitions ?? [];
        if (parts.length !== numPartitions || parts.some((p) => p.leader < 0)) return false;
        // Kafka's metadata can name a leader a moment before that replica serves the partition
        // (NOT_LEADER_OR_FOLLOWER), which makes kafkajs retry whole Produce requests: wait until
        // ListOffsets succeeds on every partition.
        const offsets = await admin.fetchTopicOffsets(topic);
        return offsets.length === numPartitions;
      },
      15_000,
      { description: `leaders for ${topic}` },
    );
  });
}

export interface ConsumedRecord {
  readonly partition: number;
  readonly offset: number;
  readonly key: string | null;
  readonly value: string | null;
  readonly headers: Record<string, string>;
  readonly timestamp: number;
}

export const SENTINEL_HEADER = 'kstreams-test-sentinel';

/**
 * Reads everything a fresh consumer group sees on `topic`, exactly: writes one non-transactional
 * sentinel record to every partition, consumes from the beginning until every sentinel arrived
 * (per-partition order means nothing earlier can still be missing), and returns the other records.
 * For read_committed this only terminates when no transaction is open on the topic.
 */
export async function drainTopic(
  kafka: Kafka,
  topic: string,
  options: { readUncommitted?: boolean; timeoutMs?: number } = {},
): Promise<ConsumedRecord[]> {
  const partitions = await withAdmin(kafka, async (admin) => {
    const meta = await admin.fetchTopicMetadata({ topics: [topic] });
    return (meta.topics[0]?.partitions ?? []).map((p) => p.partitionId);
  });
  const marker = randomUUID();
  const producer = kafka.producer({ createPartitioner: defaultPartitioner });
  await producer.connect();
  try {
    await producer.send({
      topic,
      acks: -1,
      messages: partitions.map((partition) => ({
        partition,
        key: null,
        value: marker,
        headers: { [SENTINEL_HEADER]: marker },
      })),
    });
  } finally {
    await producer.disconnect();
  }
  const records: ConsumedRecord[] = [];
  const seen = new Set<number>();
  await consumeUntil(
    kafka,
    topic,
    (record) => {
      if (record.headers[SENTINEL_HEADER] === marker) seen.add(record.partition);
      else if (record.headers[SENTINEL_HEADER] === undefined) records.push(record);
      return seen.size === partitions.length;
    },
    { readUncommitted: options.readUncommitted ?? false, timeoutMs: options.timeoutMs ?? 30_000 },
  );
  return records;
}

/**
 * Runs a fresh-group consumer from the beginning of `topic`, feeding records to `onRecord` until it
 * returns true or the timeout passes (which fails).
 */
export async function consumeUntil(
  kafka: Kafka,
  topic: string,
  onRecord: (record: ConsumedRecord) => boolean,
  options: { readUncommitted?: boolean; timeoutMs?: number; groupId?: string } = {},
): Promise<void> {
  const consumer = kafka.consumer(fastConsumerConfig(options.groupId ?? uniqueName('drain'), options.readUncommitted));
  let done = false;
  try {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        if (done) return;
        if (onRecord(toRecord(partition, message))) done = true;
      },
    });
    await waitFor(() => done, options.timeoutMs ?? 30_000, { description: `consuming ${topic}` });
  } finally {
    await consumer.disconnect();
  }
}

/** Consumer settings that keep rebalances and empty fetches short, within Kafka's default limits. */
export function fastConsumerConfig(groupId: string, readUncommitted = false): ConsumerConfig {
  return {
    groupId,
    sessionTimeout: 10_000,
    rebalanceTimeout: 10_000,
    heartbeatInterval: 500,
    maxWaitTimeInMs: 250,
    readUncommitted,
    retry: { initialRetryTime: 100, maxRetryTime: 2000, retries: 10 },
  };
}

export function toRecord(partition: number, message: KafkaMessage): ConsumedRecord {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.map(String).join(',') : String(value);
  }
  return {
    partition,
    offset: Number(message.offset),
    key: message.key === null ? null : message.key.toString(),
    value: message.value === null ? null : message.value.toString(),
    headers,
    timestamp: Number(message.timestamp),
  };
}

/**
 * Every Kafka error type (e.g. `UNKNOWN_TOPIC_OR_PARTITION`) inside a kafkajs error: kafkajs wraps
 * protocol errors in retry errors (`cause`, `originalError`) and per-item lists (`partitions`,
 * `groups`, `topics` with an `error` each), so tests assert on the codes, not on the wrapping.
 */
export function kafkaErrorTypes(err: unknown): string[] {
  const types = new Set<string>();
  const seen = new Set<unknown>();
  const visit = (value: unknown, depth: number): void => {
    if (value === null || typeof value !== 'object' || seen.has(value) || depth > 6) return;
    seen.add(value);
    const record = value as Record<string, unknown>;
    if (typeof record['type'] === 'string') types.add(record['type']);
    for (const key of ['cause', 'originalError', 'error']) visit(record[key], depth + 1);
    for (const key of ['partitions', 'groups', 'topics', 'errors']) {
      const list = record[key];
      if (Array.isArray(list)) for (const item of list) visit(item, depth + 1);
    }
  };
  visit(err, 0);
  return [...types];
}
