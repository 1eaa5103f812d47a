/**
 * Conformance: a classic consumer group (kafkajs, eager rebalancing) with three members joining and
 * leaving while a producer keeps writing. Every record is consumed, and no record whose offset commit
 * the broker acknowledged is ever delivered again.
 */
import { AssignerProtocol, PartitionAssigners, type Consumer, type Kafka, type PartitionAssigner } from 'kafkajs';

import { startTestBroker, type TestBroker } from '../support/broker';
import {
  createKafka,
  createTopic,
  defaultPartitioner,
  fastConsumerConfig,
  kafkaErrorTypes,
  withAdmin,
} from '../support/kafka-client';
import { uniqueName } from '../support/unique-name';
import { waitFor } from '../support/wait-for';

jest.setTimeout(120_000);

let broker: TestBroker;
let kafka: Kafka;

beforeAll(async () => {
  broker = await startTestBroker();
  kafka = createKafka(broker.bootstrapServers);
});

afterAll(async () => {
  await broker?.close();
});

interface Delivery {
  readonly member: string;
  readonly at: number;
  /** When the broker acknowledged a commit covering this delivery. */
  committedAt?: number;
}

describe('consumer groups', () => {
  test('three members join and leave under load: all consumed, nothing redelivered after a commit', async () => {
    const topic = uniqueName('group-load');
    const groupId = uniqueName('group');
    const partitions = 6;
    await createTopic(kafka, topic, partitions);

    // --- producer: keeps writing uniquely numbered records until told to stop (bounded) ---
    const producer = kafka.producer({ createPartitioner: defaultPartitioner });
    await producer.connect();
    const produced = new Set<string>();
    let stopProducing = false;
    const maxRecords = 40_000;
    const production = (async () => {
      let n = 0;
      while (!stopProducing && n < maxRecords) {
        const messages = Array.from({ length: 20 }, () => {
          n += 1;
          return { key: `k${n % 97}`, value: `r${n}` };
        });
        await producer.send({ topic, acks: -1, messages });
        for (const m of messages) produced.add(m.value);
      }
    })();

    // --- consumers ---
    const deliveries = new Map<string, Delivery[]>();
    const consumedBy = new Map<string, number>();
    const consumers = new Map<string, Consumer>();
    const assignments: { member: string; partitions: number }[] = [];
    const joins = new Map<string, number[]>(); // member -> times its JoinGroup+SyncGroup completed

    const startMember = async (member: string): Promise<Consumer> => {
      const consumer = kafka.consumer(fastConsumerConfig(groupId));
      consumers.set(member, consumer);
      consumedBy.set(member, 0);
      consumer.on(consumer.events.GROUP_JOIN, (event) => {
        const assigned = event.payload.memberAssignment[topic] ?? [];
        assignments.push({ member, partitions: assigned.length });
        joins.set(member, [...(joins.get(member) ?? []), Date.now()]);
      });
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
          const mine: Delivery[] = [];
          let last: string | undefined;
          for (const message of batch.messages) {
            if (!isRunning() || isStale()) break;
            const value = message.value!.toString();
            const delivery: Delivery = { member, at: Date.now() };
            const list = deliveries.get(value);
            if (list === undefined) deliveries.set(value, [delivery]);
            else list.push(delivery);
            mine.push(delivery);
            consumedBy.set(member, (consumedBy.get(member) ?? 0) + 1);
            resolveOffset(message.offset);
            last = message.offset;
          }
          if (last === undefined) return;
          // Throws on REBALANCE_IN_PROGRESS / ILLEGAL_GENERATION: then nothing is marked committed.
          await consumer.commitOffsets([{ topic, partition: batch.partition, offset: String(Number(last) + 1) }]);
          const ackedAt = Date.now();
          for (const d of mine) d.committedAt = ackedAt;
          await heartbeat();
        },
      });
      return consumer;
    };
    const total = () => [...consumedBy.values()].reduce((a, b) => a + b, 0);
    const progressBy = async (amount: number, what: string) => {
      const target = total() + amount;
      await waitFor(() => total() >= target, 45_000, { description: what });
    };
    const describeMembers = () =>
      withAdmin(kafka, async (admin) => {
        const { groups } = await admin.describeGroups([groupId]);
        return groups[0]!;
      });

    try {
      await startMember('c1');
      await waitFor(() => (consumedBy.get('c1') ?? 0) >= 200, 45_000, { description: 'c1 consuming' });
      await startMember('c2');
      await waitFor(() => (consumedBy.get('c2') ?? 0) >= 100, 45_000, { description: 'c2 consuming' });
      await startMember('c3');
      await waitFor(() => (consumedBy.get('c3') ?? 0) >= 100, 45_000, { description: 'c3 consuming' });

      const full = await waitFor(
        async () => {
          const group = await describeMembers();
          return group.state === 'Stable' && group.members.length === 3 ? group : undefined;
        },
        30_000,
        { description: '3 stable members' },
      );
      expect(full.protocolType).toBe('consumer');
      expect(full.protocol).toBe('RoundRobinAssigner');

      await progressBy(300, 'progress with 3 members');
      await consumers.get('c1')!.disconnect(); // LeaveGroup
      await progressBy(300, 'progress after c1 left');
      await consumers.get('c2')!.disconnect();
      await progressBy(300, 'progress after c2 left');
      stopProducing = true;
      await production;

      // Everything produced is consumed (by c3, the last member) and committed.
      await waitFor(() => [...produced].every((v) => deliveries.has(v)), 45_000, {
        description: `all ${produced.size} records consumed`,
      });
      const alone = await waitFor(
        async () => {
          const group = await describeMembers();
          return group.state === 'Stable' && group.members.length === 1 ? group : undefined;
        },
        30_000,
        { description: 'one member left' },
      );
      expect(alone.members).toHaveLength(1);
      const high = await withAdmin(kafka, (admin) => admin.fetchTopicOffsets(topic));
      await waitFor(
        async () => {
          const committed = await withAdmin(kafka, (admin) => admin.fetchOffsets({ groupId, topics: [topic] }));
          return high.every((h) =>
            committed[0]!.partitions.some((c) => c.partition === h.partition && c.offset === h.high),
          );
        },
        30_000,
        { description: 'committed offsets reach the end of every partition' },
      );
    } finally {
      stopProducing = true;
      await production.catch(() => undefined);
      await Promise.allSettled([...consumers.values()].map((c) => c.disconnect()));
      await producer.disconnect();
    }

    expect(produced.size).toBeGreaterThan(1000);
    // No unknown records.
    for (const value of deliveries.keys()) expect(produced.has(value)).toBe(true);
    // A redelivery is allowed only if no earlier delivery's commit was acknowledged before the
    // redelivering member joined the generation it consumed in: a member fetches its committed
    // offsets after joining, so a commit stored before that must be respected. (kafkajs may land a
    // commit for a just-revoked partition after the new owner fetched offsets: that is not counted.)
    const joinedBefore = (d: Delivery) => Math.max(-Infinity, ...(joins.get(d.member) ?? []).filter((t) => t <= d.at));
    const violations = [...deliveries.entries()].filter(([, list]) =>
      list.some((later, i) => i > 0 && list.slice(0, i).some((earlier) => earlier.committedAt !== undefined && earlier.committedAt < joinedBefore(later))),
    );
    expect(violations.map(([value, list]) => `${value}: ${list.map((d) => d.member).join(',')}`)).toEqual([]);
    // Each member took part: at peak the 6 partitions were spread over 3 members.
    for (const member of ['c1', 'c2', 'c3']) expect(consumedBy.get(member)).toBeGreaterThan(0);
    expect(assignments.some((a) => a.member === 'c3' && a.partitions === 2)).toBe(true);
    expect(assignments.some((a) => a.member === 'c3' && a.partitions === partitions)).toBe(true);
  });

  test('a member that stops heartbeating is evicted after the session timeout and its partitions move', async () => {
    const topic = uniqueName('group-evict');
    const groupId = uniqueName('evict');
    await createTopic(kafka, topic, 2);
    const survivorAssignments: number[] = [];
    const survivor = kafka.consumer(fastConsumerConfig(groupId));
    survivor.on(survivor.events.GROUP_JOIN, (e) => survivorAssignments.push((e.payload.memberAssignment[topic] ?? []).length));
    // The other member blocks inside eachMessage, so kafkajs sends no heartbeats for it.
    const stuck = kafka.consumer({ ...fastConsumerConfig(groupId), sessionTimeout: 6000, rebalanceTimeout: 6000 });
    let release: () => void = () => undefined;
    const blocked = new Promise<void>((resolve) => {
      release = resolve;
    });
    const producer = kafka.producer({ createPartitioner: defaultPartitioner });
    try {
      await producer.connect();
      await stuck.connect();
      await stuck.subscribe({ topic, fromBeginning: true });
      let stuckGotOne = false;
      await stuck.run({
        eachMessage: async () => {
          stuckGotOne = true;
          await blocked;
        },
      });
      await waitFor(
        async () => (await withAdmin(kafka, (a) => a.describeGroups([groupId]))).groups[0]?.state === 'Stable',
        30_000,
        { description: 'first member stable' },
      );
      await survivor.connect();
      await survivor.subscribe({ topic, fromBeginning: true });
      const seen = new Set<number>();
      await survivor.run({ eachMessage: async ({ partition }) => void seen.add(partition) });
      await producer.send({ topic, acks: -1, messages: [{ partition: 0, value: 'a' }, { partition: 1, value: 'b' }] });
      await waitFor(() => stuckGotOne, 30_000, { description: 'stuck member blocked on a record' });
      // Session timeout 6 s: the stuck member is removed and the survivor ends up with both partitions.
      await waitFor(() => survivorAssignments.includes(2) && seen.size === 2, 40_000, {
        description: 'survivor owns both partitions',
      });
    } finally {
      release();
      await Promise.allSettled([stuck.disconnect(), survivor.disconnect(), producer.disconnect()]);
    }
  });

  test('a session timeout below group.min.session.timeout.ms is refused (INVALID_SESSION_TIMEOUT)', async () => {
    const topic = uniqueName('group-bad-session');
    await createTopic(kafka, topic, 1);
    const consumer = kafka.consumer({ ...fastConsumerConfig(uniqueName('bad-session')), sessionTimeout: 1000, heartbeatInterval: 100 });
    let crash: unknown;
    consumer.on(consumer.events.CRASH, (event) => {
      crash = event.payload.error;
    });
    try {
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({ eachMessage: async () => undefined });
      await waitFor(() => crash, 15_000, { description: 'consumer crash' });
    } finally {
      await consumer.disconnect();
    }
    expect(kafkaErrorTypes(crash)).toContain('INVALID_SESSION_TIMEOUT');
  });

  describe('assignment protocols', () => {
    /** A custom assignor: member userData travels to the leader, the leader's assignment back verbatim. */
    function labelledAssigner(label: string, seenByLeader: string[]): PartitionAssigner {
      return ({ cluster }) => ({
        name: 'KStreamsTestAssigner',
        version: 3,
        protocol: ({ topics }) => ({
          name: 'KStreamsTestAssigner',
          metadata: AssignerProtocol.MemberMetadata.encode({ version: 3, topics, userData: Buffer.from(label) }),
        }),
        assign: async ({ members, topics }) => {
          const decoded = members.map((m) => ({ memberId: m.memberId, meta: AssignerProtocol.MemberMetadata.decode(m.memberMetadata)! }));
          seenByLeader.push(...decoded.map((d) => d.meta.userData.toString()));
          const all = Object.fromEntries(topics.map((t) => [t, cluster.findTopicPartitionMetadata(t).map((p) => p.partitionId).sort()]));
          return decoded.map((d) => ({
            memberId: d.memberId,
            memberAssignment: AssignerProtocol.MemberAssignment.encode({
              version: 3,
              assignment: d.meta.userData.toString() === 'takes-all' ? all : {},
              userData: Buffer.from(`for-${d.meta.userData.toString()}`),
            }),
          }));
        },
      });
    }

    test('custom assignor: member userData reaches the leader, its assignment reaches each member', async () => {
      const topic = uniqueName('custom-assign');
      const groupId = uniqueName('custom-group');
      await createTopic(kafka, topic, 4);
      const seenByLeader: string[] = [];
      const joins = new Map<string, { protocol: string; partitions: number[] }>();
      const consumers: Consumer[] = [];
      try {
        for (const label of ['takes-all', 'takes-none']) {
          const consumer = kafka.consumer({ ...fastConsumerConfig(groupId), partitionAssigners: [labelledAssigner(label, seenByLeader)] });
          consumers.push(consumer);
          consumer.on(consumer.events.GROUP_JOIN, (e) => {
            joins.set(label, { protocol: e.payload.groupProtocol, partitions: e.payload.memberAssignment[topic] ?? [] });
          });
          await consumer.connect();
          await consumer.subscribe({ topic });
          await consumer.run({ eachMessage: async () => undefined });
        }
        await waitFor(
          async () => {
            const group = (await withAdmin(kafka, (a) => a.describeGroups([groupId]))).groups[0]!;
            return group.state === 'Stable' && group.members.length === 2 && joins.size === 2 && new Set(seenByLeader).size === 2;
          },
          30_000,
          { description: 'two members in a stable group' },
        );
        // The last rebalance: both members' userData as they sent it.
        expect(seenByLeader.slice(-2).sort()).toEqual(['takes-all', 'takes-none']);
        await waitFor(() => joins.get('takes-all')?.partitions.length === 4, 30_000, { description: 'final assignment' });
        expect(joins.get('takes-all')).toEqual({ protocol: 'KStreamsTestAssigner', partitions: [0, 1, 2, 3] });
        expect(joins.get('takes-none')).toEqual({ protocol: 'KStreamsTestAssigner', partitions: [] });
        // DescribeGroups returns each member's assignment bytes as the leader wrote them.
        const described = (await withAdmin(kafka, (a) => a.describeGroups([groupId]))).groups[0]!;
        const userData = described.members.map((m) => AssignerProtocol.MemberAssignment.decode(m.memberAssignment)!.userData.toString()).sort();
        expect(userData).toEqual(['for-takes-all', 'for-takes-none']);
        expect(described.protocol).toBe('KStreamsTestAssigner');
      } finally {
        await Promise.allSettled(consumers.map((c) => c.disconnect()));
      }
    });

    test('the group uses a protocol every member supports; a member with none in common is refused', async () => {
      const topic = uniqueName('protocols');
      const groupId = uniqueName('protocol-group');
      await createTopic(kafka, topic, 2);
      const flexible = kafka.consumer({
        ...fastConsumerConfig(groupId),
        partitionAssigners: [labelledAssigner('takes-all', []), PartitionAssigners.roundRobin],
      });
      const plain = kafka.consumer({ ...fastConsumerConfig(groupId), partitionAssigners: [PartitionAssigners.roundRobin] });
      const stranger = kafka.consumer({ ...fastConsumerConfig(groupId), partitionAssigners: [labelledAssigner('takes-all', [])] });
      let crash: unknown;
      stranger.on(stranger.events.CRASH, (e) => {
        crash = e.payload.error;
      });
      try {
        for (const consumer of [flexible, plain]) {
          await consumer.connect();
          await consumer.subscribe({ topic });
          await consumer.run({ eachMessage: async () => undefined });
        }
        const group = await waitFor(
          async () => {
            const g = (await withAdmin(kafka, (a) => a.describeGroups([groupId]))).groups[0]!;
            return g.state === 'Stable' && g.members.length === 2 ? g : undefined;
          },
          30_000,
          { description: 'two members stable' },
        );
        expect(group.protocol).toBe('RoundRobinAssigner');

        await stranger.connect();
        await stranger.subscribe({ topic });
        await stranger.run({ eachMessage: async () => undefined });
        await waitFor(() => crash, 30_000, { description: 'stranger refused' });
        expect(kafkaErrorTypes(crash)).toContain('INCONSISTENT_GROUP_PROTOCOL');
      } finally {
        await Promise.allSettled([flexible.disconnect(), plain.disconnect(), stranger.disconnect()]);
      }
    });
  });
});
