/**
 * Conformance: the kafkajs admin client. Topics (create, describe, delete, add partitions), configs
 * (describe, and AlterConfigs' replace-everything semantics), delete records, consumer groups (list,
 * describe, delete) and group offsets (fetch, commit, reset), with Kafka's error codes where a
 * request is refused.
 */
import { ConfigResourceTypes, type Admin, type Kafka } from 'kafkajs';

import { startTestBroker, type TestBroker } from '../support/broker';
import {
  createKafka,
  createTopic,
  defaultPartitioner,
  drainTopic,
  fastConsumerConfig,
  kafkaErrorTypes,
} from '../support/kafka-client';
import { uniqueName } from '../support/unique-name';
import { waitFor } from '../support/wait-for';

jest.setTimeout(60_000);

let broker: TestBroker;
let kafka: Kafka;
let admin: Admin;

beforeAll(async () => {
  broker = await startTestBroker();
  kafka = createKafka(broker.bootstrapServers);
  admin = kafka.admin();
  await admin.connect();
});

afterAll(async () => {
  await admin?.disconnect();
  await broker?.close();
});

async function produce(topic: string, messages: { partition: number; value: string }[]) {
  const producer = kafka.producer({ createPartitioner: defaultPartitioner });
  await producer.connect();
  try {
    await producer.send({ topic, acks: -1, messages });
  } finally {
    await producer.disconnect();
  }
}

async function rejection(promise: Promise<unknown>): Promise<{ type?: string; message: string; [k: string]: unknown }> {
  return promise.then(
    () => {
      throw new Error('expected the request to fail');
    },
    (err: unknown) => err as { type?: string; message: string },
  );
}

function topicConfig(topic: string, names: string[]) {
  return admin
    .describeConfigs({ includeSynonyms: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames: names }] })
    .then((r) => new Map(r.resources[0]!.configEntries.map((e) => [e.configName, e])));
}

describe('admin: cluster and topics', () => {
  test('describeCluster names one broker that is also the controller', async () => {
    const cluster = await admin.describeCluster();
    expect(cluster.brokers).toHaveLength(1);
    const [only] = cluster.brokers;
    expect(`${only!.host}:${only!.port}`).toBe(broker.bootstrapServers);
    expect(cluster.controller).toBe(only!.nodeId);
    expect(typeof cluster.clusterId).toBe('string');
    expect(cluster.clusterId.length).toBeGreaterThan(0);
  });

  test('create, list, describe and delete topics', async () => {
    const a = uniqueName('admin-a');
    const b = uniqueName('admin-b');
    const created = await admin.createTopics({
      waitForLeaders: false,
      topics: [
        { topic: a, numPartitions: 3, replicationFactor: 1 },
        { topic: b, numPartitions: 1, replicationFactor: 1, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] },
      ],
    });
    expect(created).toBe(true);
    // Creating an existing topic: kafkajs resolves false on TOPIC_ALREADY_EXISTS.
    expect(await admin.createTopics({ topics: [{ topic: a, numPartitions: 3 }] })).toBe(false);

    const listed = await admin.listTopics();
    expect(listed).toEqual(expect.arrayContaining([a, b]));

    // A new topic reaches the broker's metadata cache shortly after CreateTopics returns.
    const meta = await waitFor(() => admin.fetchTopicMetadata({ topics: [a, b] }), 15_000, { description: 'new topics' });
    const byName = new Map(meta.topics.map((t) => [t.name, t]));
    expect(byName.get(a)!.partitions.map((p) => p.partitionId).sort()).toEqual([0, 1, 2]);
    for (const p of byName.get(a)!.partitions) {
      expect(p.leader).toBe(1);
      expect(p.replicas).toEqual([1]);
      expect(p.isr).toEqual([1]);
    }
    expect(byName.get(b)!.partitions).toHaveLength(1);

    await admin.deleteTopics({ topics: [a] });
    await waitFor(async () => !(await admin.listTopics()).includes(a), 15_000, { description: `${a} gone` });
    const err = await rejection(admin.fetchTopicMetadata({ topics: [a] }));
    expect(kafkaErrorTypes(err)).toContain('UNKNOWN_TOPIC_OR_PARTITION');
    // Deleting a missing topic fails with the same code (kafkajs retries it; here once).
    const noRetry = createKafka(broker.bootstrapServers, { retry: { retries: 0 } }).admin();
    await noRetry.connect();
    try {
      const deleteMissing = await rejection(noRetry.deleteTopics({ topics: [a] }));
      expect(kafkaErrorTypes(deleteMissing)).toContain('UNKNOWN_TOPIC_OR_PARTITION');
    } finally {
      await noRetry.disconnect();
    }
  });

  test('invalid topic requests are refused with Kafka error codes', async () => {
    const badConfig = await rejection(
      admin.createTopics({
        topics: [{ topic: uniqueName('bad-config'), numPartitions: 1, configEntries: [{ name: 'cleanup.policy', value: 'bogus' }] }],
      }),
    );
    expect(kafkaErrorTypes(badConfig)).toContain('INVALID_CONFIG');

    const badName = await rejection(admin.createTopics({ topics: [{ topic: 'bad name!', numPartitions: 1 }] }));
    expect(kafkaErrorTypes(badName)).toContain('INVALID_TOPIC_EXCEPTION');

    const badPartitions = await rejection(admin.createTopics({ topics: [{ topic: uniqueName('zero'), numPartitions: 0 }] }));
    expect(kafkaErrorTypes(badPartitions)).toContain('INVALID_PARTITIONS');

    // One broker cannot hold three replicas.
    const badReplication = await rejection(
      admin.createTopics({ topics: [{ topic: uniqueName('rf3'), numPartitions: 1, replicationFactor: 3 }] }),
    );
    expect(kafkaErrorTypes(badReplication)).toContain('INVALID_REPLICATION_FACTOR');
  });

  test('createTopics with validateOnly checks but creates nothing', async () => {
    const topic = uniqueName('validate-only');
    // waitForLeaders off: kafkajs would otherwise wait for leaders of the topic validateOnly never creates.
    await admin.createTopics({ validateOnly: true, waitForLeaders: false, topics: [{ topic, numPartitions: 2 }] });
    expect(await admin.listTopics()).not.toContain(topic);
    const invalid = await rejection(
      admin.createTopics({
        validateOnly: true,
        waitForLeaders: false,
        topics: [{ topic, numPartitions: 1, configEntries: [{ name: 'cleanup.policy', value: 'bogus' }] }],
      }),
    );
    expect(kafkaErrorTypes(invalid)).toContain('INVALID_CONFIG');
  });

  test('createPartitions grows a topic and refuses to shrink it', async () => {
    const topic = uniqueName('grow');
    await createTopic(kafka, topic, 2);
    await admin.createPartitions({ topicPartitions: [{ topic, count: 5 }] });
    await waitFor(
      async () => (await admin.fetchTopicMetadata({ topics: [topic] })).topics[0]!.partitions.length === 5,
      15_000,
      { description: '5 partitions' },
    );
    const shrink = await rejection(admin.createPartitions({ topicPartitions: [{ topic, count: 3 }] }));
    expect(kafkaErrorTypes(shrink)).toContain('INVALID_PARTITIONS');
    // The new partitions take records.
    await produce(topic, [{ partition: 4, value: 'in-new-partition' }]);
    const records = await drainTopic(kafka, topic);
    expect(records.map((r) => [r.partition, r.value])).toEqual([[4, 'in-new-partition']]);
  });
});

describe('admin: configs', () => {
  test('describeConfigs reports set and default topic configs', async () => {
    const topic = uniqueName('configs');
    await createTopic(kafka, topic, 1, [{ name: 'retention.ms', value: '3600000' }]);
    const entries = await topicConfig(topic, ['retention.ms', 'cleanup.policy', 'max.message.bytes']);
    expect(entries.get('retention.ms')).toMatchObject({ configValue: '3600000', isDefault: false, readOnly: false });
    expect(entries.get('cleanup.policy')).toMatchObject({ configValue: 'delete', isDefault: true });
    expect(entries.get('max.message.bytes')).toMatchObject({ configValue: '1048588', isDefault: true });
  });

  test('describeConfigs for the broker resource reports broker settings', async () => {
    const { brokers } = await admin.describeCluster();
    const result = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: ConfigResourceTypes.BROKER, name: String(brokers[0]!.nodeId), configNames: ['log.retention.hours', 'auto.create.topics.enable'] }],
    });
    const entries = new Map(result.resources[0]!.configEntries.map((e) => [e.configName, e.configValue]));
    expect(entries.get('log.retention.hours')).toBe('168');
    expect(entries.get('auto.create.topics.enable')).toBe('true');
  });

  test('describeConfigs without names lists every topic config', async () => {
    const topic = uniqueName('all-configs');
    await createTopic(kafka, topic, 1);
    const result = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: ConfigResourceTypes.TOPIC, name: topic }],
    });
    const names = result.resources[0]!.configEntries.map((e) => e.configName);
    expect(names).toEqual(expect.arrayContaining(['cleanup.policy', 'retention.ms', 'segment.bytes', 'min.insync.replicas']));
  });

  test('alterConfigs replaces the whole set: unnamed configs revert to defaults', async () => {
    const topic = uniqueName('alter');
    await createTopic(kafka, topic, 1, [{ name: 'retention.ms', value: '3600000' }]);
    await admin.alterConfigs({
      validateOnly: false,
      resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configEntries: [{ name: 'max.message.bytes', value: '2000000' }] }],
    });
    const entries = await waitFor(
      async () => {
        const e = await topicConfig(topic, ['retention.ms', 'max.message.bytes']);
        return e.get('max.message.bytes')?.configValue === '2000000' ? e : undefined;
      },
      15_000,
      { description: 'altered config visible' },
    );
    expect(entries.get('max.message.bytes')).toMatchObject({ configValue: '2000000', isDefault: false });
    expect(entries.get('retention.ms')).toMatchObject({ configValue: '604800000', isDefault: true });

    // validateOnly changes nothing.
    await admin.alterConfigs({
      validateOnly: true,
      resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configEntries: [{ name: 'max.message.bytes', value: '3000000' }] }],
    });
    expect((await topicConfig(topic, ['max.message.bytes'])).get('max.message.bytes')?.configValue).toBe('2000000');

    const invalid = await rejection(
      admin.alterConfigs({
        validateOnly: false,
        resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configEntries: [{ name: 'cleanup.policy', value: 'bogus' }] }],
      }),
    );
    expect(kafkaErrorTypes(invalid)).toContain('INVALID_CONFIG');
  });
});

describe('admin: records and offsets', () => {
  test('deleteTopicRecords moves the log start offset; consumers start there', async () => {
    const topic = uniqueName('delete-records');
    await createTopic(kafka, topic, 2);
    await produce(topic, Array.from({ length: 10 }, (_, i) => ({ partition: 0, value: `p0-${i}` })));
    await produce(topic, Array.from({ length: 4 }, (_, i) => ({ partition: 1, value: `p1-${i}` })));

    // kafkajs looks leaders up in its metadata cache without loading the topic first.
    await admin.fetchTopicMetadata({ topics: [topic] });
    await admin.deleteTopicRecords({ topic, partitions: [{ partition: 0, offset: '6' }] });
    const offsets = new Map((await admin.fetchTopicOffsets(topic)).map((o) => [o.partition, o]));
    expect(offsets.get(0)).toMatchObject({ low: '6', high: '10' });
    expect(offsets.get(1)).toMatchObject({ low: '0', high: '4' });

    // -1 means "up to the high watermark".
    await admin.deleteTopicRecords({ topic, partitions: [{ partition: 1, offset: '-1' }] });
    expect((await admin.fetchTopicOffsets(topic)).find((o) => o.partition === 1)).toMatchObject({ low: '4', high: '4' });

    const records = await drainTopic(kafka, topic);
    expect(records.map((r) => [r.partition, r.offset, r.value])).toEqual([
      [0, 6, 'p0-6'],
      [0, 7, 'p0-7'],
      [0, 8, 'p0-8'],
      [0, 9, 'p0-9'],
    ]);

    const beyond = await rejection(admin.deleteTopicRecords({ topic, partitions: [{ partition: 0, offset: '999' }] }));
    expect(kafkaErrorTypes(beyond)).toContain('OFFSET_OUT_OF_RANGE');
  });

  test('group offsets: commit (setOffsets), fetch, reset, and -1 for none', async () => {
    const topic = uniqueName('group-offsets');
    const groupId = uniqueName('offsets-group');
    await createTopic(kafka, topic, 3);
    await produce(topic, Array.from({ length: 5 }, (_, i) => ({ partition: 2, value: `v${i}` })));

    const none = await admin.fetchOffsets({ groupId, topics: [topic] });
    expect(none[0]!.partitions.map((p) => [p.partition, p.offset]).sort()).toEqual([
      [0, '-1'],
      [1, '-1'],
      [2, '-1'],
    ]);

    await admin.setOffsets({ groupId, topic, partitions: [{ partition: 2, offset: '3' }, { partition: 0, offset: '0' }] });
    const after = await admin.fetchOffsets({ groupId, topics: [topic] });
    expect(after[0]!.partitions.map((p) => [p.partition, p.offset]).sort()).toEqual([
      [0, '0'],
      [1, '-1'],
      [2, '3'],
    ]);

    // A consumer of that group resumes from the committed offset.
    const seen: string[] = [];
    const consumer = kafka.consumer(fastConsumerConfig(groupId));
    try {
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({ eachMessage: async ({ message }) => void seen.push(message.value!.toString()) });
      await waitFor(() => seen.length === 2, 30_000, { description: 'resume from offset 3' });
    } finally {
      await consumer.disconnect();
    }
    expect(seen).toEqual(['v3', 'v4']);

    // kafkajs commits the EARLIEST sentinel -2 itself; the broker stores any offset verbatim.
    await admin.resetOffsets({ groupId, topic, earliest: true });
    const reset = await admin.fetchOffsets({ groupId, topics: [topic] });
    expect(reset[0]!.partitions.map((p) => [p.partition, p.offset]).sort()).toEqual([
      [0, '-2'],
      [1, '-2'],
      [2, '-2'],
    ]);
  });
});

describe('admin: consumer groups', () => {
  test('list, describe and delete groups; a group with members cannot be deleted', async () => {
    const topic = uniqueName('groups');
    const groupId = uniqueName('described');
    await createTopic(kafka, topic, 2);
    const consumer = kafka.consumer(fastConsumerConfig(groupId));
    let left = false;
    try {
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({ eachMessage: async () => undefined });

      const described = await waitFor(
        async () => {
          const g = (await admin.describeGroups([groupId])).groups[0]!;
          return g.state === 'Stable' ? g : undefined;
        },
        30_000,
        { description: 'stable group' },
      );
      expect(described).toMatchObject({ groupId, errorCode: 0, protocolType: 'consumer', protocol: 'RoundRobinAssigner' });
      expect(described.members).toHaveLength(1);
      expect(described.members[0]!.clientId.length).toBeGreaterThan(0);
      expect(described.members[0]!.memberAssignment.length).toBeGreaterThan(0);

      const { groups } = await admin.listGroups();
      expect(groups).toEqual(expect.arrayContaining([{ groupId, protocolType: 'consumer' }]));

      const nonEmpty = await rejection(admin.deleteGroups([groupId]));
      expect(kafkaErrorTypes(nonEmpty)).toContain('NON_EMPTY_GROUP');

      await consumer.disconnect();
      left = true;
      const empty = await waitFor(
        async () => {
          const g = (await admin.describeGroups([groupId])).groups[0]!;
          return g.state === 'Empty' ? g : undefined;
        },
        15_000,
        { description: 'empty group' },
      );
      expect(empty.members).toEqual([]);

      const deleted = await admin.deleteGroups([groupId]);
      expect(deleted).toEqual([{ groupId, errorCode: 0 }]);
      expect((await admin.listGroups()).groups.map((g) => g.groupId)).not.toContain(groupId);
      // A deleted (or never seen) group describes as Dead with no members.
      const dead = (await admin.describeGroups([groupId])).groups[0]!;
      expect(dead).toMatchObject({ groupId, state: 'Dead', members: [] });
    } finally {
      if (!left) await consumer.disconnect();
    }
  });

  test('deleting a group that does not exist reports GROUP_ID_NOT_FOUND', async () => {
    const missing = await rejection(admin.deleteGroups([uniqueName('never-existed')]));
    expect(kafkaErrorTypes(missing)).toContain('GROUP_ID_NOT_FOUND');
  });
});
