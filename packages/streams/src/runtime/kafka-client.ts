/**
 * The one module that talks to kafkajs. The runtime sees Kafka through the small interfaces here (admin,
 * a group consumer driven by batch callbacks, a producer taking already-partitioned records, and a
 * partition reader for restoration), so the transport can be swapped without touching tasks or the loop.
 */
import { ATTACH_GROUP, BEFORE_REJOIN, filterAbortedMessages } from './kafkajs-patches';
import type {
  Admin,
  Assigner,
  Consumer,
  EachBatchPayload,
  GroupMember,
  GroupMemberAssignment,
  Kafka as KafkaType,
  KafkaConfig,
} from 'kafkajs';
import { AssignerProtocol, Kafka, logLevel as KafkaLogLevel } from 'kafkajs';
import { StreamsException } from '../errors';
import { kafkajsLogCreator, log } from '../logger';
import { Headers } from '../processor/headers';
import type { RawRecord } from './record-queue';
import { KafkaProducer, type KafkaProducerOptions, type ProducerCluster } from './producer/kafka-producer';
import type { TaskProducer } from './task-producer';
import { DeliveryTimeoutError } from './task-producer';

export interface KafkaClientOptions {
  readonly clientId: string;
  readonly bootstrapServers: readonly string[];
  /** The `kafkajs` config key: passed to `new Kafka(...)` over our defaults. */
  readonly overrides: Readonly<Partial<KafkaConfig>>;
}

/** Partition count and config of a topic to create. */
export interface NewTopic {
  readonly topic: string;
  readonly numPartitions: number;
  readonly replicationFactor: number;
  readonly configs: Readonly<{ [key: string]: string }>;
}

/** One fetched partition batch, already converted to raw records. */
export interface FetchedBatch {
  readonly topic: string;
  readonly partition: number;
  readonly records: RawRecord[];
  /** High watermark the broker reported with this batch. */
  readonly highWatermark: number;
}

export interface BatchControl {
  /** Heartbeats (rate-limited by kafkajs); throws a rebalance error when the group is rebalancing. */
  heartbeat(): Promise<void>;
}

/** Member subscription as the assignor sees it. */
export interface AssignorMember {
  readonly memberId: string;
  readonly userData: Buffer | null;
}

/** One member's assignment: partitions per topic, and the assignor's user data for it. */
export interface MemberAssignment {
  readonly partitions: Map<string, number[]>;
  readonly userData: Buffer | null;
}

/** What a group assignor must provide; the kafkajs protocol encoding is done here. */
export interface GroupAssignor {
  readonly name: string;
  readonly version: number;
  /** Subscription user data for the next JoinGroup (synchronous: kafkajs calls it on every join). */
  subscriptionUserData(): Buffer;
  /** Leader only: the assignment of each member, from members and partition counts of the subscribed topics. */
  assign(members: readonly AssignorMember[], partitionCounts: ReadonlyMap<string, number>): Promise<Map<string, MemberAssignment>>;
}

export interface GroupConsumerHandlers {
  /**
   * Called synchronously once a join completes, before any fetch of the new generation, with the assigned
   * partitions and the assignment's user data (null when the leader sent none).
   */
  onAssigned(assignment: ReadonlyMap<string, readonly number[]>, userData: Buffer | null): void;
  /** Called when kafkajs sees the group rebalancing (not awaited by kafkajs). */
  onRebalancing(): void;
  /**
   * Awaited before this member rejoins a group whose generation it was part of (Kafka's `onPartitionsRevoked`):
   * while it runs, the member's old generation is still the group's, so offsets committed here are accepted.
   */
  beforeRejoin(): Promise<void>;
  onBatch(batch: FetchedBatch, control: BatchControl): Promise<void>;
  /** The consumer stopped for good on an error. */
  onCrash(error: Error): void;
  /** kafkajs restarts the consumer after an error: it rejoins and fetches again from the committed offsets. */
  onRestart(error: Error): void;
}

export interface GroupConsumerOptions {
  readonly groupId: string;
  /** Source topics; `fromBeginning` is the reset policy when the group has no committed offset. */
  readonly topics: ReadonlyArray<{ readonly topic: string; readonly fromBeginning: boolean }>;
  readonly assignor: GroupAssignor;
  readonly sessionTimeoutMs?: number;
  readonly heartbeatIntervalMs?: number;
  readonly maxWaitTimeMs?: number;
  readonly readCommitted: boolean;
  /** Raw `consumer.*` overrides with Kafka names; the ones kafkajs has an equivalent for are mapped. */
  readonly overrides: Readonly<{ [key: string]: unknown }>;
}

/** One member of a group as DescribeGroups reports it. */
export interface GroupMemberDescription {
  readonly memberId: string;
  readonly clientId: string;
  readonly userData: Buffer | null;
  /** Assigned partitions per topic (empty while the group rebalances). */
  readonly assignment: ReadonlyMap<string, readonly number[]>;
  /** The user data of its assignment (null when none). */
  readonly assignmentUserData: Buffer | null;
}

/** Offsets to commit: next offset to read per partition. */
export interface PartitionOffset {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  /** Offset commit metadata (Kafka Streams stores the partition time there). */
  readonly metadata?: string | null;
}

const REBALANCE_TYPES = new Set(['REBALANCE_IN_PROGRESS', 'NOT_COORDINATOR_FOR_GROUP', 'ILLEGAL_GENERATION', 'UNKNOWN_MEMBER_ID']);

/** Whether an error means the member must rejoin the group (its partitions may have moved). */
export function isRebalanceError(error: unknown): boolean {
  if (error === null || typeof error !== 'object') return false;
  const e = error as { type?: unknown; name?: unknown; originalError?: unknown; cause?: unknown };
  if (typeof e.type === 'string' && REBALANCE_TYPES.has(e.type)) return true;
  if (e.name === 'KafkaJSStaleTopicMetadataAssignment') return true;
  return isRebalanceError(e.originalError) || (e.cause !== error && isRebalanceError(e.cause));
}

/** Errors about the records themselves: retrying or restarting the task would fail again the same way. */
const RECORD_ERROR_TYPES = new Set([
  'MESSAGE_TOO_LARGE',
  'RECORD_LIST_TOO_LARGE',
  'INVALID_RECORD',
  'CORRUPT_MESSAGE',
  'INVALID_TIMESTAMP',
  'TOPIC_AUTHORIZATION_FAILED',
  'INVALID_TOPIC_EXCEPTION',
]);

/** Whether a produce error is about the records sent (for the production exception handler), not the client. */
export function isRecordError(error: unknown, depth = 0): boolean {
  if (error === null || typeof error !== 'object' || depth > 5) return false;
  const e = error as { type?: unknown; originalError?: unknown; cause?: unknown };
  if (typeof e.type === 'string' && RECORD_ERROR_TYPES.has(e.type)) return true;
  return isRecordError(e.originalError, depth + 1) || (e.cause !== error && isRecordError(e.cause, depth + 1));
}

/** Whether an error is a delivery timeout (`delivery.timeout.ms`). */
export function isDeliveryTimeout(error: unknown): boolean {
  return error instanceof DeliveryTimeoutError;
}

function kafkajsLogLevel(): number {
  const level = process.env['KSTREAMS_KAFKAJS_LOG_LEVEL'];
  switch (level) {
    case 'debug':
      return KafkaLogLevel.DEBUG;
    case 'info':
      return KafkaLogLevel.INFO;
    case 'warn':
      return KafkaLogLevel.WARN;
    case 'nothing':
      return KafkaLogLevel.NOTHING;
    default:
      return KafkaLogLevel.ERROR;
  }
}

function toNumber(v: unknown, key: string): number {
  const n = typeof v === 'string' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isFinite(n)) throw new StreamsException(`Client override ${key}=${String(v)} is not a number`);
  return n;
}

function headersOf(raw: { [key: string]: Buffer | string | (Buffer | string)[] | undefined } | undefined): Headers {
  const h = new Headers();
  if (!raw) return h;
  for (const k in raw) {
    const v = raw[k];
    if (v === undefined) continue;
    if (Array.isArray(v)) for (const x of v) h.add(k, x);
    else h.add(k, v);
  }
  return h;
}

interface KafkajsMessageLike {
  offset: string;
  timestamp: string;
  key: Buffer | null;
  value: Buffer | null;
  headers?: { [key: string]: Buffer | string | (Buffer | string)[] | undefined };
  isControlRecord?: boolean;
}

function toRaw(topic: string, partition: number, m: KafkajsMessageLike): RawRecord {
  return {
    topic,
    partition,
    offset: Number(m.offset),
    timestamp: Number(m.timestamp),
    key: m.key ?? null,
    value: m.value ?? null,
    headers: headersOf(m.headers),
  };
}

/** A record ready to produce: the partition is always chosen by the caller. */
export interface ProduceRecord {
  readonly topic: string;
  readonly partition: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly timestamp: number;
  readonly headers: Headers;
}

/** Last offset written per `topic:partition` by one send. */
export type WrittenOffsets = Map<string, { topic: string; partition: number; offset: number }>;

/** How long closing the producers' connections may wait for kafkajs' disconnect. */
const PRODUCER_CLOSE_TIMEOUT_MS = 5_000;

export class KafkaClient {
  readonly #kafka: KafkaType;
  #admin: Admin | null = null;
  #adminConnect: Promise<void> | null = null;
  /**
   * Admin calls run one at a time: kafkajs' admin keeps one metadata target set per client, so a
   * `fetchTopicMetadata` beside a `fetchTopicOffsets` can drop the topic the latter is reading (it then throws
   * "Cannot destructure property 'partitions' of 'low.pop(...)'").
   */
  #adminChain: Promise<unknown> = Promise.resolve();
  #producerCluster: ProducerCluster | null = null;

  constructor(readonly options: KafkaClientOptions) {
    this.#kafka = new Kafka({
      clientId: options.clientId,
      brokers: [...options.bootstrapServers],
      logLevel: kafkajsLogLevel(),
      logCreator: kafkajsLogCreator,
      retry: { retries: 8, initialRetryTime: 100, maxRetryTime: 5000 },
      ...options.overrides,
    });
  }

  // ---- admin ----

  async #adminClient(): Promise<Admin> {
    if (!this.#admin) {
      const admin = this.#kafka.admin();
      this.#admin = admin;
      this.#adminConnect = admin.connect().catch((e: unknown) => {
        // a failed connect must not stick: the next call connects again
        if (this.#admin === admin) this.#admin = null;
        throw e;
      });
    }
    await this.#adminConnect;
    return this.#admin!;
  }

  /** Runs one admin operation after the ones before it. */
  #withAdmin<T>(fn: (admin: Admin) => Promise<T>): Promise<T> {
    const run = this.#adminChain.then(async () => fn(await this.#adminClient()));
    this.#adminChain = run.catch(() => undefined);
    return run;
  }

  /** The names of every topic of the cluster. */
  listTopics(): Promise<string[]> {
    return this.#withAdmin((admin) => admin.listTopics());
  }

  /** Partition counts of the topics that exist; missing topics are absent from the map. */
  partitionCounts(topics: readonly string[]): Promise<Map<string, number>> {
    return this.#withAdmin((admin) => this.#partitionCounts(admin, topics));
  }

  async #partitionCounts(admin: Admin, topics: readonly string[]): Promise<Map<string, number>> {
    const existing = new Set(await admin.listTopics());
    const wanted = [...new Set(topics)].filter((t) => existing.has(t));
    const out = new Map<string, number>();
    if (wanted.length === 0) return out;
    const { topics: meta } = await admin.fetchTopicMetadata({ topics: wanted });
    for (const t of meta) out.set(t.name, t.partitions.length);
    return out;
  }

  /** Creates topics (already-existing ones are ignored) and waits for their leaders. */
  async createTopics(topics: readonly NewTopic[]): Promise<void> {
    if (topics.length === 0) return;
    await this.#withAdmin((admin) => admin.createTopics({
      waitForLeaders: true,
      topics: topics.map((t) => ({
        topic: t.topic,
        numPartitions: t.numPartitions,
        replicationFactor: t.replicationFactor,
        configEntries: Object.entries(t.configs).map(([name, value]) => ({ name, value })),
      })),
    }));
  }

  /** Log start offset and high watermark per partition. */
  async endOffsets(topic: string): Promise<Map<number, { low: number; high: number }>> {
    const offsets = await this.#withAdmin((admin) => admin.fetchTopicOffsets(topic));
    return new Map(offsets.map((o) => [o.partition, { low: Number(o.low), high: Number(o.high) }]));
  }

  /** Committed offsets of a group, with their metadata, by `topic:partition` (offset -1 when none). */
  async committedOffsets(groupId: string, topics: readonly string[]): Promise<Map<string, { offset: number; metadata: string | null }>> {
    const res = await this.#withAdmin((admin) => admin.fetchOffsets({ groupId, topics: [...new Set(topics)] }));
    const out = new Map<string, { offset: number; metadata: string | null }>();
    for (const t of res) for (const p of t.partitions) out.set(`${t.topic}:${p.partition}`, { offset: Number(p.offset), metadata: p.metadata ?? null });
    return out;
  }

  /** The subscription user data of every current member of a group (for the application shutdown signal). */
  async groupUserData(groupId: string): Promise<Buffer[]> {
    const { groups } = await this.#withAdmin((admin) => admin.describeGroups([groupId]));
    const out: Buffer[] = [];
    for (const g of groups) {
      for (const m of g.members) {
        try {
          const meta = AssignerProtocol.MemberMetadata.decode(m.memberMetadata);
          if (meta?.userData) out.push(meta.userData);
        } catch {
          // another protocol's metadata
        }
      }
    }
    return out;
  }

  /**
   * The members of a group with their subscription user data and assigned partitions, for interactive-query
   * metadata. `stable` is false while the group rebalances (assignments are then empty).
   */
  async describeGroupMembers(groupId: string): Promise<{ stable: boolean; members: GroupMemberDescription[] }> {
    const admin = await this.#adminClient();
    const { groups } = await admin.describeGroups([groupId]);
    const group = groups[0];
    if (!group) return { stable: false, members: [] };
    const members: GroupMemberDescription[] = [];
    for (const m of group.members) {
      let userData: Buffer | null = null;
      let assignmentUserData: Buffer | null = null;
      const assignment = new Map<string, number[]>();
      try {
        userData = AssignerProtocol.MemberMetadata.decode(m.memberMetadata)?.userData ?? null;
        const decoded = m.memberAssignment.length > 0 ? kafkajsDecodeAssignment(m.memberAssignment) : null;
        for (const [t, ps] of Object.entries(decoded?.assignment ?? {})) assignment.set(t, [...ps]);
        assignmentUserData = decoded?.userData && decoded.userData.length > 0 ? decoded.userData : null;
      } catch {
        // another protocol's metadata
      }
      members.push({ memberId: m.memberId, clientId: m.clientId, userData, assignment, assignmentUserData });
    }
    return { stable: group.state === 'Stable', members };
  }

  // ---- consumer ----

  groupConsumer(options: GroupConsumerOptions, handlers: GroupConsumerHandlers): GroupConsumer {
    return new GroupConsumer(this.#kafka, options, handlers);
  }

  // ---- producer ----

  /**
   * A task producer: transactional when `transactionalId` is set (exactly-once), else plain or idempotent. All
   * producers of this client share one kafkajs cluster (its connections, metadata and coordinator lookups).
   */
  producer(options: KafkaProducerOptions): TaskProducer {
    this.#producerCluster ??= createCluster(this.#kafka, { maxInFlightRequests: null }) as unknown as ProducerCluster;
    return new KafkaProducer(this.#producerCluster, options);
  }

  // ---- restoration ----

  partitionReader(): PartitionReader {
    return new PartitionReader(this.#kafka);
  }

  /** Deletes records below given offsets (DeleteRecords), for repartition-topic purging. */
  recordDeleter(): RecordDeleter {
    return new RecordDeleter(this.#kafka);
  }

  async close(): Promise<void> {
    const cluster = this.#producerCluster;
    this.#producerCluster = null;
    if (cluster) {
      // bounded: kafkajs' disconnect can wait on a connection attempt to a broker that does not answer
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        cluster.disconnect().catch((e: unknown) => log.debug(`producer disconnect failed: ${String(e)}`)),
        new Promise<void>((resolve) => (timer = setTimeout(resolve, PRODUCER_CLOSE_TIMEOUT_MS))),
      ]);
      clearTimeout(timer);
    }
    const admin = this.#admin;
    this.#admin = null;
    if (admin) {
      try {
        await this.#adminConnect;
        await admin.disconnect();
      } catch {
        // already gone
      }
    }
  }
}

/** The kafkajs assigner wrapping a {@link GroupAssignor}. */
function kafkajsAssigner(
  assignor: GroupAssignor,
  beforeRejoin: () => Promise<void>,
  attachGroup: (requestRejoin: () => void) => void,
): (config: { cluster: unknown }) => Assigner {
  return ({ cluster }) => {
    const c = cluster as { findTopicPartitionMetadata(topic: string): Array<{ partitionId: number }> };
    return {
      [BEFORE_REJOIN]: beforeRejoin,
      [ATTACH_GROUP]: attachGroup,
      name: assignor.name,
      version: assignor.version,
      protocol({ topics }: { topics: string[] }) {
        return {
          name: assignor.name,
          metadata: AssignerProtocol.MemberMetadata.encode({ version: assignor.version, topics, userData: assignor.subscriptionUserData() }),
        };
      },
      async assign({ members, topics }: { members: GroupMember[]; topics: string[] }): Promise<GroupMemberAssignment[]> {
        const counts = new Map<string, number>();
        for (const t of topics) counts.set(t, c.findTopicPartitionMetadata(t).length);
        const decoded = members.map((m) => {
          const meta = AssignerProtocol.MemberMetadata.decode(m.memberMetadata);
          return { memberId: m.memberId, userData: meta?.userData ?? null };
        });
        const result = await assignor.assign(decoded, counts);
        return members.map((m) => {
          const mine = result.get(m.memberId);
          const assignment: { [topic: string]: number[] } = {};
          for (const [t, ps] of mine?.partitions ?? []) assignment[t] = ps;
          return {
            memberId: m.memberId,
            memberAssignment: AssignerProtocol.MemberAssignment.encode({ version: assignor.version, assignment, userData: mine?.userData ?? Buffer.alloc(0) }),
          };
        });
      },
    };
  };
}

/**
 * kafkajs decodes the assignment it receives in SyncGroup and keeps only the partitions; the assignment's user data
 * (standby tasks) is caught here as it is decoded, by member id (the assignor's user data names the member it is
 * for), and taken by the member's GROUP_JOIN handler.
 */
const receivedAssignmentUserData = new Map<string, Buffer>();
interface DecodedMemberAssignment {
  readonly assignment: { [topic: string]: number[] };
  readonly userData?: Buffer;
}
const memberAssignmentCodec = AssignerProtocol.MemberAssignment as unknown as { decode(buffer: Buffer): DecodedMemberAssignment | null };
const kafkajsDecodeAssignment = memberAssignmentCodec.decode.bind(memberAssignmentCodec);
memberAssignmentCodec.decode = (buffer: Buffer) => {
  const decoded = kafkajsDecodeAssignment(buffer);
  const userData = decoded?.userData;
  if (userData && userData.length > 0 && userData[0] === 0x7b) {
    try {
      const memberId = (JSON.parse(userData.toString('utf8')) as { memberId?: unknown }).memberId;
      if (typeof memberId === 'string') receivedAssignmentUserData.set(memberId, userData);
    } catch {
      // not an assignment of ours
    }
  }
  return decoded;
};

/** The `consumer.*` / `main.consumer.*` settings the group consumer maps onto kafkajs (every other one is refused). */
export const MAIN_CONSUMER_SETTINGS: readonly string[] = [
  'session.timeout.ms',
  'heartbeat.interval.ms',
  'max.poll.interval.ms',
  'fetch.max.wait.ms',
  'max.partition.fetch.bytes',
  'fetch.max.bytes',
  'fetch.min.bytes',
  'auto.offset.reset',
  'metadata.max.age.ms',
];

/** A group member consuming with `eachBatch`, one batch at a time, committing only what the caller says. */
export class GroupConsumer {
  readonly #consumer: Consumer;
  #running = false;
  #stopped = false;
  /** Makes kafkajs rejoin the group at its next heartbeat (set once the member has joined). */
  #requestRejoin: (() => void) | null = null;

  constructor(
    kafka: KafkaType,
    readonly options: GroupConsumerOptions,
    readonly handlers: GroupConsumerHandlers,
  ) {
    const o = options.overrides;
    const num = (key: string, fallback: number): number => (o[key] === undefined ? fallback : toNumber(o[key], `consumer.${key}`));
    this.#consumer = kafka.consumer({
      groupId: options.groupId,
      partitionAssigners: [
        kafkajsAssigner(
          options.assignor,
          () => handlers.beforeRejoin(),
          (requestRejoin) => {
            this.#requestRejoin = requestRejoin;
          },
        ) as never,
      ],
      sessionTimeout: num('session.timeout.ms', options.sessionTimeoutMs ?? 45_000),
      heartbeatInterval: num('heartbeat.interval.ms', options.heartbeatIntervalMs ?? 3_000),
      rebalanceTimeout: num('max.poll.interval.ms', 300_000),
      maxWaitTimeInMs: num('fetch.max.wait.ms', options.maxWaitTimeMs ?? 500),
      maxBytesPerPartition: num('max.partition.fetch.bytes', 1_048_576),
      maxBytes: num('fetch.max.bytes', 10_485_760),
      minBytes: num('fetch.min.bytes', 1),
      metadataMaxAge: num('metadata.max.age.ms', 300_000),
      readUncommitted: !options.readCommitted,
      allowAutoTopicCreation: false,
      retry: { retries: 8, initialRetryTime: 100, maxRetryTime: 5000 },
    });
    const ev = this.#consumer.events;
    this.#consumer.on(ev.GROUP_JOIN, (e) => {
      const assignment = new Map<string, number[]>();
      for (const [t, ps] of Object.entries(e.payload.memberAssignment)) assignment.set(t, [...(ps as number[])]);
      const userData = receivedAssignmentUserData.get(e.payload.memberId) ?? null;
      receivedAssignmentUserData.delete(e.payload.memberId);
      handlers.onAssigned(assignment, userData);
    });
    this.#consumer.on(ev.REBALANCING, () => handlers.onRebalancing());
    this.#consumer.on(ev.CRASH, (e) => {
      if (this.#stopped) return;
      if (e.payload.restart) handlers.onRestart(e.payload.error);
      else handlers.onCrash(e.payload.error);
    });
  }

  async start(): Promise<void> {
    await this.#consumer.connect();
    const earliest = this.options.topics.filter((t) => t.fromBeginning).map((t) => t.topic);
    const latest = this.options.topics.filter((t) => !t.fromBeginning).map((t) => t.topic);
    if (earliest.length > 0) await this.#consumer.subscribe({ topics: earliest, fromBeginning: true });
    if (latest.length > 0) await this.#consumer.subscribe({ topics: latest, fromBeginning: false });
    this.#running = true;
    await this.#consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: true,
      partitionsConsumedConcurrently: 1,
      eachBatch: async (payload: EachBatchPayload) => {
        const { batch } = payload;
        if (batch.isEmpty()) return;
        // fetched before a seek of this partition: the seek decides where reading goes on
        if (payload.isStale()) return;
        const records: RawRecord[] = new Array(batch.messages.length);
        let i = 0;
        for (const m of batch.messages) records[i++] = toRaw(batch.topic, batch.partition, m as KafkajsMessageLike);
        await this.handlers.onBatch(
          { topic: batch.topic, partition: batch.partition, records, highWatermark: Number(batch.highWatermark) },
          { heartbeat: () => payload.heartbeat() },
        );
      },
    });
  }

  /**
   * Rejoins the group at the next heartbeat (Kafka's `enforceRebalance`): the member commits (the `beforeRejoin`
   * handler), sends JoinGroup, and the group rebalances. Nothing happens before the member first joined.
   */
  requestRejoin(): void {
    if (this.#running) this.#requestRejoin?.();
  }

  /** Commits offsets (next offset to read). Throws on failure, e.g. when the group is rebalancing. */
  async commit(offsets: readonly PartitionOffset[]): Promise<void> {
    if (offsets.length === 0) return;
    await this.#consumer.commitOffsets(
      offsets.map((o) => ({ topic: o.topic, partition: o.partition, offset: String(o.offset), metadata: o.metadata ?? null })),
    );
  }

  /**
   * Makes the next fetch of a partition start at `offset` (-2: earliest, -1: latest); batches fetched before it
   * are dropped.
   */
  seek(topic: string, partition: number, offset: number): void {
    if (this.#running) this.#consumer.seek({ topic, partition, offset: String(offset) });
  }

  pause(topic: string, partitions: readonly number[]): void {
    if (this.#running) this.#consumer.pause([{ topic, partitions: [...partitions] }]);
  }

  resume(topic: string, partitions: readonly number[]): void {
    if (this.#running) this.#consumer.resume([{ topic, partitions: [...partitions] }]);
  }

  /** Stops fetching, leaves the group and disconnects. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#running = false;
    try {
      await this.#consumer.disconnect();
    } catch (e) {
      log.debug(`consumer disconnect failed: ${String(e)}`);
    }
  }
}

interface ClusterLike {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  addTargetTopic(topic: string): Promise<void>;
  refreshMetadata(): Promise<void>;
  findLeaderForPartitions(topic: string, partitions: number[]): { [leader: string]: number[] };
  fetchTopicsOffset(
    topics: Array<{ topic: string; fromBeginning: boolean; partitions: Array<{ partition: number }> }>,
  ): Promise<Array<{ topic: string; partitions: Array<{ partition: number; offset: string }> }>>;
  findBroker(options: { nodeId: string }): Promise<{
    deleteRecords(request: { topics: Array<{ topic: string; partitions: Array<{ partition: number; offset: string }> }> }): Promise<unknown>;
    fetch(request: {
      replicaId?: number;
      isolationLevel: number;
      maxWaitTime: number;
      minBytes: number;
      maxBytes: number;
      topics: Array<{ topic: string; partitions: Array<{ partition: number; fetchOffset: string; maxBytes: number }> }>;
    }): Promise<{
      responses: Array<{
        topicName: string;
        partitions: Array<{
          partition: number;
          errorCode: number;
          highWatermark: string;
          abortedTransactions?: Array<{ producerId: string; firstOffset: string }>;
          messages: KafkajsMessageLike[];
        }>;
      }>;
    }>;
  }>;
}

/** kafkajs' internal cluster factory (what its admin and consumers are built on). */
function createCluster(kafka: KafkaType, options: object = {}): ClusterLike {
  const sym = Object.getOwnPropertySymbols(kafka).find((s) => s.description === 'private:Kafka:createCluster');
  if (!sym) throw new StreamsException('This kafkajs version does not expose its cluster factory; kstreams needs kafkajs 2.2.x.');
  const create = (kafka as unknown as { [k: symbol]: (o: object) => ClusterLike })[sym]!;
  return create({ metadataMaxAge: 300_000, allowAutoTopicCreation: false, isolationLevel: 0, ...options });
}

/**
 * Sends DeleteRecords straight to each partition's leader on its own cluster connection (kafkajs' admin
 * `deleteTopicRecords` first fetches offsets through the shared admin, which races other admin calls).
 */
export class RecordDeleter {
  readonly #cluster: ClusterLike;
  #connected: Promise<void> | null = null;

  constructor(kafka: KafkaType) {
    this.#cluster = createCluster(kafka);
  }

  /** Deletes every record below `offset` in each given partition; rejects naming the partition on an error code. */
  async deleteBelow(offsets: readonly PartitionOffset[]): Promise<void> {
    if (offsets.length === 0) return;
    this.#connected ??= this.#cluster.connect();
    await this.#connected;
    const topics = [...new Set(offsets.map((o) => o.topic))];
    for (const t of topics) await this.#cluster.addTargetTopic(t);
    const byLeader = new Map<string, Map<string, Array<{ partition: number; offset: string }>>>();
    for (const o of offsets) {
      let leaders = this.#cluster.findLeaderForPartitions(o.topic, [o.partition]);
      if (Object.keys(leaders).length === 0) {
        await this.#cluster.refreshMetadata();
        leaders = this.#cluster.findLeaderForPartitions(o.topic, [o.partition]);
      }
      const nodeId = Object.keys(leaders)[0];
      if (nodeId === undefined) throw new StreamsException(`No leader for ${o.topic}-${o.partition} to delete records from`);
      let topicsOf = byLeader.get(nodeId);
      if (!topicsOf) byLeader.set(nodeId, (topicsOf = new Map()));
      let parts = topicsOf.get(o.topic);
      if (!parts) topicsOf.set(o.topic, (parts = []));
      parts.push({ partition: o.partition, offset: String(o.offset) });
    }
    await Promise.all(
      [...byLeader].map(async ([nodeId, topicsOf]) => {
        const broker = await this.#cluster.findBroker({ nodeId });
        await broker.deleteRecords({ topics: [...topicsOf].map(([topic, partitions]) => ({ topic, partitions })) });
      }),
    );
  }

  async close(): Promise<void> {
    if (this.#connected === null) return;
    try {
      await this.#connected;
      await this.#cluster.disconnect();
    } catch {
      // already gone
    }
  }
}

/**
 * Reads one partition from a given offset without a consumer group (what Kafka's restore consumer does with
 * `assign` + `seek`; kafkajs has no manual assignment, so this goes to the partition leader directly).
 */
export class PartitionReader {
  readonly #cluster: ClusterLike;
  #connected: Promise<void> | null = null;

  constructor(kafka: KafkaType) {
    const sym = Object.getOwnPropertySymbols(kafka).find((s) => s.description === 'private:Kafka:createCluster');
    if (!sym) throw new StreamsException('This kafkajs version does not expose its cluster factory; restoration needs kafkajs 2.2.x.');
    const create = (kafka as unknown as { [k: symbol]: (o: object) => ClusterLike })[sym]!;
    // read_committed: ListOffsets answers the last stable offset, Fetch stops there
    this.#cluster = create({ metadataMaxAge: 300_000, allowAutoTopicCreation: false, isolationLevel: 1 });
  }

  /** Log start offset and last stable offset of one partition. */
  async offsets(topic: string, partition: number): Promise<{ low: number; high: number }> {
    this.#connected ??= this.#cluster.connect();
    await this.#connected;
    await this.#cluster.addTargetTopic(topic);
    const read = async (fromBeginning: boolean): Promise<number> => {
      const res = await this.#cluster.fetchTopicsOffset([{ topic, fromBeginning, partitions: [{ partition }] }]);
      const p = res.find((t) => t.topic === topic)?.partitions.find((x) => x.partition === partition);
      if (p === undefined) throw new StreamsException(`No offsets for ${topic}-${partition}`);
      return Number(p.offset);
    };
    return { low: await read(true), high: await read(false) };
  }

  /** The last stable offset (the end, read_committed) of each given partition of a topic. */
  async endOffsets(topic: string, partitions: readonly number[]): Promise<Map<number, number>> {
    this.#connected ??= this.#cluster.connect();
    await this.#connected;
    await this.#cluster.addTargetTopic(topic);
    const res = await this.#cluster.fetchTopicsOffset([{ topic, fromBeginning: false, partitions: partitions.map((partition) => ({ partition })) }]);
    const out = new Map<number, number>();
    for (const t of res) if (t.topic === topic) for (const p of t.partitions) out.set(p.partition, Number(p.offset));
    return out;
  }

  /**
   * Records of `topic`-`partition` from `offset` on (at most about `maxBytes`), read_committed: records of aborted
   * transactions and control records are skipped, and reading stops at the last stable offset. Also returns the
   * offset to read next (past skipped records too).
   */
  async read(topic: string, partition: number, offset: number, maxBytes = 4 * 1024 * 1024): Promise<{ records: RawRecord[]; nextOffset: number }> {
    this.#connected ??= this.#cluster.connect();
    await this.#connected;
    await this.#cluster.addTargetTopic(topic);
    let leaders = this.#cluster.findLeaderForPartitions(topic, [partition]);
    if (Object.keys(leaders).length === 0) {
      await this.#cluster.refreshMetadata();
      leaders = this.#cluster.findLeaderForPartitions(topic, [partition]);
    }
    const nodeId = Object.keys(leaders)[0];
    if (nodeId === undefined) throw new StreamsException(`No leader for ${topic}-${partition}`);
    const broker = await this.#cluster.findBroker({ nodeId });
    const { responses } = await broker.fetch({
      replicaId: -1,
      isolationLevel: 1,
      maxWaitTime: 100,
      minBytes: 1,
      maxBytes,
      topics: [{ topic, partitions: [{ partition, fetchOffset: String(offset), maxBytes }] }],
    });
    const out: RawRecord[] = [];
    let nextOffset = offset;
    for (const r of responses) {
      for (const p of r.partitions) {
        if (p.errorCode !== 0) throw new StreamsException(`Fetching ${topic}-${partition} at offset ${offset} failed with error code ${p.errorCode}`);
        const committed = new Set(filterAbortedMessages({ messages: p.messages, abortedTransactions: p.abortedTransactions ?? null }));
        for (const m of p.messages) {
          const o = Number(m.offset);
          if (o < offset) continue;
          if (o + 1 > nextOffset) nextOffset = o + 1;
          if (m.isControlRecord || !committed.has(m)) continue;
          out.push(toRaw(topic, partition, m));
        }
      }
    }
    return { records: out, nextOffset };
  }

  async close(): Promise<void> {
    if (this.#connected === null) return;
    try {
      await this.#connected;
      await this.#cluster.disconnect();
    } catch {
      // already gone
    }
  }
}
