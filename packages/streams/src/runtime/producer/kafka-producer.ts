/**
 * kstreams' own producer (the {@link TaskProducer} of both processing guarantees), in the shape of Kafka's
 * `RecordAccumulator` + `Sender`:
 *
 * - `append` encodes a record straight into its partition's open record batch v2 ({@link BatchBuilder}): no
 *   per-record objects survive the call. A batch is sealed when it is full (`batch.size`), when it has waited
 *   `linger.ms`, or on `flush`.
 * - Sealed batches are sent in the background as Produce requests grouped by leader, several requests in flight
 *   per broker (`max.in.flight.requests.per.connection`), one batch in flight per partition so retries keep order.
 * - Idempotent (`enable.idempotence`) and transactional (exactly-once) producers stamp each batch with their
 *   producer id, epoch and per-partition sequence; a transactional producer adds partitions
 *   (AddPartitionsToTxn) before their first batch of a transaction, and offsets (AddOffsetsToTxn +
 *   TxnOffsetCommit), then ends the transaction (EndTxn).
 * - Retriable errors (leader moves, a broker down, timeouts) are retried after `retry.backoff.ms` (growing up to
 *   `retry.backoff.max.ms`) until `retries` or `delivery.timeout.ms` runs out; `flush` reports what failed.
 *
 * Requests are encoded with `@kstreams/protocol` (the bundled broker's codecs) and travel over kafkajs' broker
 * connections (see wire.ts), so TLS/SASL and metadata stay kafkajs'.
 */
import { BatchBuilder, type BatchProducer, type HeadersLike } from '@kstreams/protocol/batch-builder';
import { ErrorCode } from '@kstreams/protocol/errors';
import * as addOffsetsToTxn from '@kstreams/protocol/messages/add-offsets-to-txn';
import * as addPartitionsToTxn from '@kstreams/protocol/messages/add-partitions-to-txn';
import * as endTxn from '@kstreams/protocol/messages/end-txn';
import * as initProducerId from '@kstreams/protocol/messages/init-producer-id';
import * as produce from '@kstreams/protocol/messages/produce';
import * as txnOffsetCommit from '@kstreams/protocol/messages/txn-offset-commit';
import { ConfigException, StreamsException } from '../../errors';
import { log } from '../../logger';
import type { PartitionOffset } from '../kafka-client';
import { DeliveryTimeoutError, type TaskProducer } from '../task-producer';
import { call, type WireBroker } from './wire';

/** The part of a kafkajs cluster the producer uses (metadata, brokers, coordinators). */
export interface ProducerCluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  addTargetTopic(topic: string): Promise<void>;
  refreshMetadata(): Promise<void>;
  getNodeIds(): number[];
  findLeaderForPartitions(topic: string, partitions: number[]): { [leader: string]: number[] };
  findBroker(options: { nodeId: string }): Promise<WireBroker>;
  findGroupCoordinator(options: { groupId: string; coordinatorType?: number }): Promise<WireBroker>;
}

/** The `producer.*` keys this producer acts on (anything else is refused with a `ConfigException`). */
export const PRODUCER_SETTINGS = [
  'acks',
  'enable.idempotence',
  'max.in.flight.requests.per.connection',
  'retries',
  'retry.backoff.ms',
  'retry.backoff.max.ms',
  'delivery.timeout.ms',
  'request.timeout.ms',
  'transaction.timeout.ms',
  'batch.size',
  'linger.ms',
  'max.request.size',
  'buffer.memory',
] as const;

/** Throws a `ConfigException` naming the first `producer.*` key this producer does not act on. */
export function refuseUnknownProducerSettings(overrides: Readonly<{ [key: string]: unknown }>): void {
  for (const key of Object.keys(overrides)) {
    if (key === 'transactional.id') continue; // refused by KafkaStreams with its own reason (it is per task)
    if (!(PRODUCER_SETTINGS as readonly string[]).includes(key)) {
      throw new ConfigException(`Unsupported client setting "producer.${key}": the producer acts on ${PRODUCER_SETTINGS.map((k) => `"${k}"`).join(', ')}.`);
    }
  }
}

/** Kafka's producer defaults (Kafka Streams sets linger.ms to 100 for its producers). */
const DEFAULTS = {
  'delivery.timeout.ms': 120_000,
  'request.timeout.ms': 30_000,
  'transaction.timeout.ms': 10_000,
  retries: 2_147_483_647,
  'retry.backoff.ms': 100,
  'retry.backoff.max.ms': 1_000,
  'batch.size': 16_384,
  'linger.ms': 100,
  'max.request.size': 1_048_576,
  'max.in.flight.requests.per.connection': 5,
  'buffer.memory': 33_554_432,
} as const;

/** Options of one producer; `overrides` are the raw `producer.*` settings (Kafka names). */
export interface KafkaProducerOptions {
  /** Set under exactly-once: `<applicationId>-<taskId>`. */
  readonly transactionalId: string | null;
  readonly overrides: Readonly<{ [key: string]: unknown }>;
}

/** A produce or transaction error answered by the broker, with Kafka's error name as `type`. */
export class KafkaProduceError extends StreamsException {
  override readonly name = 'KafkaProduceError';
  constructor(
    readonly type: string,
    readonly code: number,
    message: string,
    readonly retriable: boolean,
  ) {
    super(message);
  }
}

const CODE_NAMES = new Map<number, string>([
  ...(Object.entries(ErrorCode) as Array<[string, number]>).map(([name, code]) => [code, name] as [number, string]),
  [5, 'LEADER_NOT_AVAILABLE'],
  [13, 'NETWORK_EXCEPTION'],
  [19, 'NOT_ENOUGH_REPLICAS'],
  [20, 'NOT_ENOUGH_REPLICAS_AFTER_APPEND'],
  [29, 'TOPIC_AUTHORIZATION_FAILED'],
  [32, 'INVALID_TIMESTAMP'],
  [53, 'TRANSACTIONAL_ID_AUTHORIZATION_FAILED'],
  [74, 'FENCED_LEADER_EPOCH'],
  [75, 'UNKNOWN_LEADER_EPOCH'],
]);

/** Errors after which the same request may succeed (Kafka's `RetriableException`s). */
const RETRIABLE = new Set([3, 5, 6, 7, 13, 14, 15, 16, 19, 20, 51, 56, 74, 75]);
/** Errors that mean the coordinator moved: look it up again. */
const COORDINATOR_MOVED = new Set([15, 16]);

function produceError(code: number, what: string): KafkaProduceError {
  const type = CODE_NAMES.get(code) ?? `UNKNOWN_ERROR_${code}`;
  return new KafkaProduceError(type, code, `${what} failed: ${type} (error code ${code})`, RETRIABLE.has(code));
}

/** Whether a transport error (kafkajs connection errors, timeouts) may go away on retry. */
function isRetriableTransportError(e: unknown): boolean {
  if (e instanceof KafkaProduceError) return e.retriable;
  if (e instanceof StreamsException) return false;
  const x = e as { retriable?: unknown; name?: unknown; code?: unknown };
  if (x.retriable === true) return true;
  const name = typeof x.name === 'string' ? x.name : '';
  return /Connection|RequestTimeout|BrokerNotFound|NumberOfRetriesExceeded|LockTimeout|NotImplemented/.test(name) || typeof x.code === 'string';
}

function toNumber(v: unknown, key: string): number {
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isFinite(n) || n < 0) throw new StreamsException(`Client override producer.${key}=${String(v)} is not a non-negative number`);
  return n;
}

function acksOf(v: unknown): -1 | 0 | 1 {
  if (v === undefined || v === 'all' || v === '-1' || v === -1) return -1;
  if (v === '1' || v === 1) return 1;
  if (v === '0' || v === 0) return 0;
  throw new StreamsException(`Client override producer.acks=${String(v)} is not one of all, -1, 0, 1`);
}

/** The first record of a batch, for the production exception handler when the batch fails. */
export interface FailedRecord {
  readonly topic: string;
  readonly partition: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly timestamp: number;
}

/** A batch that could not be written: `recordCount` records, the first of them `first`. */
export interface SendFailure {
  readonly first: FailedRecord;
  readonly recordCount: number;
  readonly error: Error;
}

/** One output partition's state: its open batch, sealed batches waiting, sequence, last acknowledged offset. */
export class PartitionBuffer {
  open: BatchBuilder | null = null;
  openFirst: FailedRecord | null = null;
  readonly queue: PendingBatch[] = [];
  /** Batches of `queue` (its first ones) in requests awaiting their response. */
  inFlight = 0;
  /**
   * A batch failed and waits to be sent again: the partition sends one batch at a time until one is acknowledged,
   * so the broker sees the sequence numbers in order (later batches sent meanwhile come back OUT_OF_ORDER_SEQUENCE).
   */
  recovering = false;
  /** Next sequence number (idempotent producers). */
  sequence = 0;
  /** Last offset the broker acknowledged, -1 before the first. */
  lastOffset = -1;
  /** Added to the open transaction. */
  inTxn = false;
  constructor(
    readonly topic: string,
    readonly partition: number,
  ) {}
}

interface PendingBatch {
  readonly part: PartitionBuffer;
  readonly builder: BatchBuilder;
  /** The sealed bytes, stamped with producer id, epoch and sequence on the first transmission. */
  bytes: Buffer | null;
  readonly count: number;
  readonly first: FailedRecord;
  readonly createdAt: number;
  attempts: number;
  notBefore: number;
}

const NO_PRODUCER: BatchProducer = { producerId: -1, producerEpoch: -1, baseSequence: -1, transactional: false };

export class KafkaProducer implements TaskProducer {
  readonly transactional: boolean;
  readonly idempotent: boolean;
  readonly #cluster: ProducerCluster;
  readonly #transactionalId: string | null;
  readonly #acks: -1 | 0 | 1;
  readonly #deliveryTimeoutMs: number;
  readonly #requestTimeoutMs: number;
  readonly #transactionTimeoutMs: number;
  readonly #retries: number;
  readonly #backoffMs: number;
  readonly #backoffMaxMs: number;
  readonly #batchSize: number;
  readonly #lingerMs: number;
  readonly #maxRequestSize: number;
  readonly #maxInFlight: number;
  /** Batches of one partition in flight at once (Kafka's idempotent producer allows up to 5). */
  readonly #maxInFlightPerPartition: number;
  readonly #bufferMemory: number;

  readonly #partitions = new Map<string, Map<number, PartitionBuffer>>();
  readonly #knownTopics = new Set<string>();
  readonly #inFlightByBroker = new Map<number, number>();
  #producerId = -1;
  #producerEpoch = -1;
  #connected: Promise<void> | null = null;
  #closed = false;
  #inTxn = false;
  #offsetsInTxn = false;
  #addingPartitions = false;
  #drainScheduled = false;
  #drainTimer: NodeJS.Timeout | null = null;
  #lingerTimer: NodeJS.Timeout | null = null;
  /** Batches sealed and not yet acknowledged or failed; `#bufferedBytes` their size (plus open batches'). */
  #outstanding = 0;
  #bufferedRecords = 0;
  #bufferedBytes = 0;
  #idle: Array<() => void> = [];
  #failures: SendFailure[] = [];
  #fatal: Error | null = null;
  #recordsSent = 0;
  #requestsSent = 0;
  #peakPartitionInFlight = 0;

  constructor(cluster: ProducerCluster, options: KafkaProducerOptions) {
    const o = options.overrides;
    refuseUnknownProducerSettings(o);
    const num = (key: keyof typeof DEFAULTS): number => (o[key] === undefined ? DEFAULTS[key] : toNumber(o[key], key));
    this.#cluster = cluster;
    this.#transactionalId = options.transactionalId;
    this.transactional = options.transactionalId !== null;
    const idem = o['enable.idempotence'];
    this.idempotent = this.transactional || idem === true || idem === 'true';
    this.#acks = this.idempotent ? -1 : acksOf(o['acks']);
    if (this.idempotent && o['acks'] !== undefined && acksOf(o['acks']) !== -1) {
      throw new StreamsException(`Client override producer.acks=${String(o['acks'])} conflicts with the idempotent producer, which needs acks=all`);
    }
    this.#deliveryTimeoutMs = num('delivery.timeout.ms');
    this.#requestTimeoutMs = num('request.timeout.ms');
    this.#transactionTimeoutMs = num('transaction.timeout.ms');
    this.#retries = num('retries');
    this.#backoffMs = num('retry.backoff.ms');
    this.#backoffMaxMs = Math.max(this.#backoffMs, num('retry.backoff.max.ms'));
    this.#batchSize = Math.max(1, num('batch.size'));
    this.#lingerMs = num('linger.ms');
    this.#maxRequestSize = num('max.request.size');
    this.#maxInFlight = Math.max(1, num('max.in.flight.requests.per.connection'));
    this.#maxInFlightPerPartition = Math.min(this.#maxInFlight, 5);
    this.#bufferMemory = num('buffer.memory');
  }

  get inTransaction(): boolean {
    return this.#inTxn;
  }

  /** Records appended and not yet acknowledged (or failed). */
  get bufferedRecords(): number {
    return this.#bufferedRecords;
  }

  /** Whether the buffered batches reached `buffer.memory` (the caller should flush before appending more). */
  get full(): boolean {
    return this.#bufferedBytes >= this.#bufferMemory;
  }

  /** Records acknowledged by the brokers. */
  get recordsSent(): number {
    return this.#recordsSent;
  }

  /** Produce requests sent (retries included). */
  get requestsSent(): number {
    return this.#requestsSent;
  }

  /** The most batches of one partition that were in flight at once. */
  get peakPartitionInFlight(): number {
    return this.#peakPartitionInFlight;
  }

  async connect(): Promise<void> {
    if (this.#closed) throw new StreamsException('The producer was closed');
    this.#connected ??= this.#initProducerId();
    const c = this.#connected;
    try {
      await c;
    } catch (e) {
      if (this.#connected === c) this.#connected = null;
      throw e;
    }
  }

  /** Registers the producer: a producer id (and, when transactional, fences older producers of the same id). */
  async #initProducerId(): Promise<void> {
    const deadline = Date.now() + this.#deliveryTimeoutMs;
    await this.#within(deadline, 'Connecting the producer', this.#cluster.connect());
    if (!this.idempotent) return;
    await this.#retrying('InitProducerId', deadline, async () => {
      const broker = this.transactional ? await this.#txnCoordinator() : await this.#anyBroker();
      const res = await call(broker, initProducerId, { transactionalId: this.#transactionalId, transactionTimeoutMs: this.#transactionTimeoutMs, producerId: -1, producerEpoch: -1 }, { requestTimeout: this.#requestTimeoutMs });
      if (res.errorCode !== 0) throw produceError(res.errorCode, `InitProducerId for ${this.#transactionalId ?? 'an idempotent producer'}`);
      this.#producerId = res.producerId;
      this.#producerEpoch = res.producerEpoch;
    });
    for (const byPartition of this.#partitions.values()) for (const p of byPartition.values()) p.sequence = 0;
  }

  async #anyBroker(): Promise<WireBroker> {
    const ids = this.#cluster.getNodeIds();
    if (ids.length === 0) await this.#cluster.refreshMetadata();
    const id = this.#cluster.getNodeIds()[0];
    if (id === undefined) throw new KafkaProduceError('LEADER_NOT_AVAILABLE', 5, 'No broker known', true);
    return this.#cluster.findBroker({ nodeId: String(id) });
  }

  async #txnCoordinator(): Promise<WireBroker> {
    return this.#cluster.findGroupCoordinator({ groupId: this.#transactionalId!, coordinatorType: 1 });
  }

  /** `op`, or a {@link DeliveryTimeoutError} when it is not done by `deadline` (kafkajs' own timeouts are longer). */
  async #within<T>(deadline: number, what: string, op: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new DeliveryTimeoutError(`${what} was not acknowledged within delivery.timeout.ms=${this.#deliveryTimeoutMs}`)),
        Math.max(0, deadline - Date.now()),
      );
    });
    op.catch(() => undefined); // settles after a timeout too; nobody waits for it then
    try {
      return await Promise.race([op, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** The wait before retry number `attempt + 1`: `retry.backoff.ms` doubling up to `retry.backoff.max.ms`. */
  #backoff(attempt: number): number {
    return Math.min(this.#backoffMaxMs, this.#backoffMs * 2 ** Math.min(attempt, 10));
  }

  /** Runs `op` until it succeeds, a non-retriable error, or `deadline`; backs off between attempts. */
  async #retrying<T>(what: string, deadline: number, op: () => Promise<T>): Promise<T> {
    let attempt = 0;
    for (;;) {
      try {
        return await this.#within(deadline, what, op());
      } catch (e) {
        if (e instanceof DeliveryTimeoutError || !isRetriableTransportError(e) || this.#closed) throw e;
        const code = (e as { code?: unknown }).code;
        if (typeof code === 'number' && (COORDINATOR_MOVED.has(code) || RETRIABLE.has(code))) await this.#cluster.refreshMetadata().catch(() => undefined);
        const wait = code === ErrorCode.CONCURRENT_TRANSACTIONS ? 20 : this.#backoff(attempt);
        attempt++;
        if (Date.now() + wait > deadline) {
          throw new DeliveryTimeoutError(`${what} was not acknowledged within delivery.timeout.ms=${this.#deliveryTimeoutMs}: ${(e as Error).message}`);
        }
        log.debug(`${what} failed (${(e as Error).message}); retrying in ${wait} ms`);
        await new Promise((r) => setTimeout(r, wait));
      }
    }
  }

  async begin(): Promise<void> {
    if (!this.transactional || this.#inTxn) return;
    await this.connect();
    this.#inTxn = true;
  }

  // ---- appending ----

  /** The buffer of one output partition (created on first use). */
  partitionBuffer(topic: string, partition: number): PartitionBuffer {
    let byPartition = this.#partitions.get(topic);
    if (byPartition === undefined) {
      byPartition = new Map();
      this.#partitions.set(topic, byPartition);
    }
    let p = byPartition.get(partition);
    if (p === undefined) {
      p = new PartitionBuffer(topic, partition);
      byPartition.set(partition, p);
    }
    return p;
  }

  /**
   * Encodes one record into its partition's open batch (synchronously; it goes out in the background) and returns
   * the partition's buffer, whose `lastOffset` is the acknowledged offset after a `flush`.
   */
  append(topic: string, partition: number, key: Buffer | null, value: Buffer | null, timestamp: number, headers: HeadersLike | null): PartitionBuffer {
    if (this.#closed) throw new StreamsException('The producer was closed');
    if (this.transactional) this.#inTxn = true;
    const p = this.partitionBuffer(topic, partition);
    let open = p.open ?? this.#openBatch(p, key, value, timestamp);
    let before = open.sizeInBytes;
    if (!open.append(key, value, timestamp, headers)) {
      this.#seal(p);
      open = this.#openBatch(p, key, value, timestamp);
      before = open.sizeInBytes;
      open.append(key, value, timestamp, headers);
    }
    this.#bufferedBytes += open.sizeInBytes - before;
    this.#bufferedRecords++;
    if (open.sizeInBytes >= this.#batchSize) {
      this.#seal(p);
      this.#kick();
    }
    return p;
  }

  #openBatch(p: PartitionBuffer, key: Buffer | null, value: Buffer | null, timestamp: number): BatchBuilder {
    const open = (p.open = new BatchBuilder(this.#batchSize));
    p.openFirst = { topic: p.topic, partition: p.partition, key, value, timestamp };
    this.#bufferedBytes += open.sizeInBytes;
    this.#armLinger();
    return open;
  }

  /** Closes a partition's open batch: it joins the partition's queue of batches to send. */
  #seal(p: PartitionBuffer): void {
    const open = p.open;
    if (open === null) return;
    p.open = null;
    p.queue.push({ part: p, builder: open, bytes: null, count: open.count, first: p.openFirst!, createdAt: Date.now(), attempts: 0, notBefore: 0 });
    p.openFirst = null;
    this.#outstanding++;
  }

  #sealAll(): void {
    for (const byPartition of this.#partitions.values()) for (const p of byPartition.values()) if (p.open !== null) this.#seal(p);
  }

  #armLinger(): void {
    if (this.#lingerTimer !== null) return;
    this.#lingerTimer = setTimeout(() => {
      this.#lingerTimer = null;
      this.#sealAll();
      this.#kick();
    }, this.#lingerMs);
    this.#lingerTimer.unref?.();
  }

  // ---- sending ----

  #kick(): void {
    if (this.#drainScheduled) return;
    this.#drainScheduled = true;
    setImmediate(() => {
      this.#drainScheduled = false;
      void this.#drain().catch((e: unknown) => {
        // metadata or producer-id lookups failing (a broker down): try again later; batches expire on their own
        if (isRetriableTransportError(e) && !this.#closed) {
          log.debug(`Sending failed (${String(e)}); retrying in ${this.#backoffMs} ms`);
          this.#expireOverdue();
          this.#kickAt(Date.now() + this.#backoffMs);
        } else {
          this.#failEverything(e instanceof Error ? e : new Error(String(e)));
        }
      });
    });
  }

  #kickAt(when: number): void {
    const wait = when - Date.now();
    if (wait <= 0) return this.#kick();
    if (this.#drainTimer !== null) return;
    this.#drainTimer = setTimeout(() => {
      this.#drainTimer = null;
      this.#kick();
    }, wait);
  }

  /**
   * Sends what can go now: per leader, requests of at most one batch per partition; a partition has up to
   * `max.in.flight.requests.per.connection` (at most 5) batches in flight, one while it recovers from a failure.
   */
  async #drain(): Promise<void> {
    if (this.#closed || this.#outstanding === 0) return;
    if (this.idempotent && this.#producerId < 0) await this.connect();
    await this.#ensureTopics();
    const now = Date.now();
    // per leader, rounds of batches: round i holds each partition's i-th batch to send now, so sending the rounds in
    // order keeps every partition's batches in order on the connection
    const byLeader = new Map<number, PendingBatch[][]>();
    const needTxn: PartitionBuffer[] = [];
    let earliestRetry = Infinity;
    let unknownLeader = false;
    for (const byPartition of this.#partitions.values()) {
      for (const p of byPartition.values()) {
        const free = (p.recovering ? 1 : this.#maxInFlightPerPartition) - p.inFlight;
        const first = p.queue[p.inFlight];
        if (free <= 0 || first === undefined) continue;
        if (first.notBefore > now) {
          earliestRetry = Math.min(earliestRetry, first.notBefore);
          continue;
        }
        if (this.transactional && !p.inTxn) {
          needTxn.push(p);
          continue;
        }
        let leader: string | undefined;
        try {
          leader = Object.keys(this.#cluster.findLeaderForPartitions(p.topic, [p.partition]))[0];
        } catch {
          leader = undefined; // the topic's metadata is gone (deleted, or a refresh failed)
        }
        if (leader === undefined) {
          unknownLeader = true;
          continue;
        }
        const id = Number(leader);
        let rounds = byLeader.get(id);
        if (!rounds) byLeader.set(id, (rounds = []));
        for (let i = 0; i < free; i++) {
          const b = p.queue[p.inFlight + i];
          if (b === undefined || b.notBefore > now) break;
          (rounds[i] ??= []).push(b);
        }
      }
    }
    if (needTxn.length > 0) this.#addPartitions(needTxn);
    if (unknownLeader) {
      await this.#refreshTopics();
      this.#kickAt(Date.now() + this.#backoffMs);
    }
    for (const [leader, rounds] of byLeader) {
      let inFlight = this.#inFlightByBroker.get(leader) ?? 0;
      // a round not sent whole stops the later ones (they would overtake its batches)
      sending: for (const batches of rounds) {
        let request: PendingBatch[] = [];
        let bytes = 0;
        for (const b of batches) {
          const size = b.builder.sizeInBytes;
          if (request.length > 0 && bytes + size > this.#maxRequestSize) {
            if (inFlight >= this.#maxInFlight) break sending;
            this.#sendRequest(leader, request);
            inFlight++;
            request = [];
            bytes = 0;
          }
          request.push(b);
          bytes += size;
        }
        if (inFlight >= this.#maxInFlight) break;
        this.#sendRequest(leader, request);
        inFlight++;
      }
    }
    if (earliestRetry !== Infinity) this.#kickAt(earliestRetry);
  }

  async #refreshTopics(): Promise<void> {
    try {
      await this.#ensureTopics();
      await this.#cluster.refreshMetadata();
    } catch (e) {
      log.debug(`metadata refresh failed: ${String(e)}`);
    }
  }

  /** Ensures every topic written to is in kafkajs' metadata. */
  async #ensureTopics(): Promise<void> {
    if (this.#knownTopics.size === this.#partitions.size) return;
    for (const t of this.#partitions.keys()) {
      if (this.#knownTopics.has(t)) continue;
      await this.#cluster.addTargetTopic(t);
      this.#knownTopics.add(t);
    }
  }

  /** Fails the waiting batches older than `delivery.timeout.ms` (while nothing can be sent). */
  #expireOverdue(): void {
    const now = Date.now();
    for (const byPartition of this.#partitions.values()) {
      for (const p of byPartition.values()) {
        const b = p.queue[0];
        if (b === undefined || p.inFlight > 0 || now - b.createdAt < this.#deliveryTimeoutMs) continue;
        b.attempts = Infinity;
        this.#retryOrFail(b, new KafkaProduceError('REQUEST_TIMED_OUT', 7, 'No broker could be reached', true));
      }
    }
  }

  /** The batch's bytes; the first transmission stamps producer id, epoch and the partition's next sequence. */
  #sealed(b: PendingBatch): Buffer {
    if (b.bytes !== null) return b.bytes;
    let identity = NO_PRODUCER;
    if (this.idempotent) {
      const p = b.part;
      identity = { producerId: this.#producerId, producerEpoch: this.#producerEpoch, baseSequence: p.sequence, transactional: this.transactional };
      p.sequence = (p.sequence + b.count) % 2_147_483_648;
    }
    return (b.bytes = b.builder.seal(identity));
  }

  #sendRequest(leader: number, batches: PendingBatch[]): void {
    for (const b of batches) {
      if (++b.part.inFlight > this.#peakPartitionInFlight) this.#peakPartitionInFlight = b.part.inFlight;
      b.attempts++;
    }
    this.#inFlightByBroker.set(leader, (this.#inFlightByBroker.get(leader) ?? 0) + 1);
    this.#requestsSent++;
    const byTopic = new Map<string, Array<{ index: number; records: Buffer }>>();
    for (const b of batches) {
      let list = byTopic.get(b.part.topic);
      if (!list) byTopic.set(b.part.topic, (list = []));
      list.push({ index: b.part.partition, records: this.#sealed(b) });
    }
    const body = {
      transactionalId: this.#transactionalId,
      acks: this.#acks,
      timeoutMs: this.#requestTimeoutMs,
      topicData: [...byTopic].map(([name, partitionData]) => ({ name, partitionData })),
    };
    void (async () => {
      let response: produce.ProduceResponse | null = null;
      let transportError: Error | null = null;
      try {
        const broker = await this.#cluster.findBroker({ nodeId: String(leader) });
        response = await call(broker, produce, body, { expectResponse: this.#acks !== 0, requestTimeout: this.#requestTimeoutMs });
      } catch (e) {
        transportError = e instanceof Error ? e : new Error(String(e));
      }
      this.#inFlightByBroker.set(leader, (this.#inFlightByBroker.get(leader) ?? 1) - 1);
      const results = new Map<string, { errorCode: number; baseOffset: number }>();
      if (response !== null) {
        for (const t of response.responses) for (const p of t.partitionResponses) results.set(`${t.name}:${p.index}`, { errorCode: p.errorCode, baseOffset: p.baseOffset });
      }
      let retry = false;
      for (const b of batches) {
        b.part.inFlight--;
        if (transportError !== null) {
          retry = this.#retryOrFail(b, transportError) || retry;
          continue;
        }
        const r = this.#acks === 0 ? { errorCode: 0, baseOffset: -1 } : results.get(`${b.part.topic}:${b.part.partition}`);
        if (r === undefined) {
          retry = this.#retryOrFail(b, new KafkaProduceError('NETWORK_EXCEPTION', 13, `No response for ${b.part.topic}-${b.part.partition}`, true)) || retry;
        } else if (r.errorCode === 0 || r.errorCode === ErrorCode.DUPLICATE_SEQUENCE_NUMBER) {
          this.#acknowledged(b, r.errorCode === 0 ? r.baseOffset : -1);
        } else if (r.errorCode === ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER && b.part.recovering) {
          // sent behind a batch that failed: it goes again, in order, once that one is through
          b.notBefore = 0;
          retry = true;
        } else {
          retry = this.#retryOrFail(b, produceError(r.errorCode, `Producing ${b.count} record(s) to ${b.part.topic}-${b.part.partition}`)) || retry;
        }
      }
      if (retry) await this.#cluster.refreshMetadata().catch(() => undefined);
      this.#kick();
    })();
  }

  #acknowledged(b: PendingBatch, baseOffset: number): void {
    const p = b.part;
    p.queue.splice(p.queue.indexOf(b), 1);
    if (p.recovering && p.inFlight === 0) p.recovering = false;
    if (baseOffset >= 0) p.lastOffset = Math.max(p.lastOffset, baseOffset + b.count - 1);
    this.#recordsSent += b.count;
    this.#settled(b);
  }

  /** Requeues a batch after a retriable error (true), or fails it. */
  #retryOrFail(b: PendingBatch, error: Error): boolean {
    const now = Date.now();
    const expired = now - b.createdAt >= this.#deliveryTimeoutMs;
    if (isRetriableTransportError(error) && !expired && b.attempts <= this.#retries && !this.#closed) {
      b.notBefore = now + this.#backoff(b.attempts - 1);
      b.part.recovering = true;
      log.debug(`Producing to ${b.part.topic}-${b.part.partition} failed (${error.message}); retry ${b.attempts}`);
      return true;
    }
    const final = expired
      ? new DeliveryTimeoutError(`Expiring ${b.count} record(s) for ${b.part.topic}-${b.part.partition}: not acknowledged within delivery.timeout.ms=${this.#deliveryTimeoutMs} (${error.message})`)
      : error;
    b.part.queue.splice(b.part.queue.indexOf(b), 1);
    this.#failures.push({ first: b.first, recordCount: b.count, error: final });
    // a batch missing from an idempotent producer's sequence makes the broker refuse the later ones: the producer
    // must start over with a new epoch (reset) or, when transactional, be replaced
    if (this.idempotent) this.#fatal ??= final;
    this.#settled(b);
    return false;
  }

  #settled(b: PendingBatch): void {
    this.#outstanding--;
    this.#bufferedRecords -= b.count;
    this.#bufferedBytes -= b.builder.sizeInBytes;
    if (this.#outstanding === 0) {
      const waiters = this.#idle;
      this.#idle = [];
      for (const w of waiters) w();
    }
  }

  #failEverything(e: Error): void {
    this.#fatal ??= e;
    for (const byPartition of this.#partitions.values()) {
      for (const p of byPartition.values()) {
        if (p.inFlight > 0) continue;
        while (p.queue.length > 0) {
          const b = p.queue.shift()!;
          this.#failures.push({ first: b.first, recordCount: b.count, error: e });
          this.#settled(b);
        }
      }
    }
  }

  /** AddPartitionsToTxn for partitions about to get their first batch of this transaction. */
  #addPartitions(parts: PartitionBuffer[]): void {
    if (this.#addingPartitions) return;
    this.#addingPartitions = true;
    const deadline = Date.now() + this.#deliveryTimeoutMs;
    void (async () => {
      try {
        const byTopic = new Map<string, number[]>();
        for (const p of parts) {
          let list = byTopic.get(p.topic);
          if (!list) byTopic.set(p.topic, (list = []));
          list.push(p.partition);
        }
        const topics = [...byTopic].map(([name, partitions]) => ({ name, partitions }));
        await this.#retrying('AddPartitionsToTxn', deadline, async () => {
          const coordinator = await this.#txnCoordinator();
          const res = await call(
            coordinator,
            addPartitionsToTxn,
            { transactions: [], v3AndBelowTransactionalId: this.#transactionalId!, v3AndBelowProducerId: this.#producerId, v3AndBelowProducerEpoch: this.#producerEpoch, v3AndBelowTopics: topics },
            { requestTimeout: this.#requestTimeoutMs },
          );
          for (const t of res.resultsByTopicV3AndBelow) {
            for (const r of t.resultsByPartition) {
              if (r.partitionErrorCode !== 0 && r.partitionErrorCode !== 55 /* OPERATION_NOT_ATTEMPTED */) throw produceError(r.partitionErrorCode, `AddPartitionsToTxn ${t.name}-${r.partitionIndex}`);
            }
          }
          for (const t of res.resultsByTopicV3AndBelow) {
            for (const r of t.resultsByPartition) if (r.partitionErrorCode === 55) throw new KafkaProduceError('OPERATION_NOT_ATTEMPTED', 55, 'AddPartitionsToTxn not attempted', true);
          }
        });
        for (const p of parts) p.inTxn = true;
      } catch (e) {
        this.#failEverything(e instanceof Error ? e : new Error(String(e)));
      } finally {
        this.#addingPartitions = false;
        this.#kick();
      }
    })();
  }

  /**
   * Seals every open batch and waits until all sent batches are acknowledged or failed; returns the failed ones
   * (each with its first record and the error). Throws when the producer cannot go on (fenced, sequence lost).
   */
  async flush(): Promise<SendFailure[]> {
    if (this.#bufferedRecords > 0) {
      await this.connect();
      await this.#ensureTopics();
      this.#sealAll();
      if (this.#outstanding > 0) {
        this.#kick();
        await new Promise<void>((resolve) => this.#idle.push(resolve));
      }
    }
    const failures = this.#failures;
    this.#failures = [];
    return failures;
  }

  /** An error that makes this producer unusable (it must be reset or, when transactional, replaced), or null. */
  get fatalError(): Error | null {
    return this.#fatal;
  }

  /**
   * Starts a non-transactional producer over after a fatal error: unsent batches are dropped (their tasks are
   * revived and process those records again) and an idempotent producer registers again (new producer id).
   */
  async reset(): Promise<void> {
    if (this.transactional) throw new StreamsException('A transactional producer is replaced, not reset');
    for (const byPartition of this.#partitions.values()) {
      for (const p of byPartition.values()) {
        p.open = null;
        p.openFirst = null;
        p.sequence = 0;
        p.recovering = false;
        for (const b of p.queue.slice(p.inFlight)) this.#settled(b);
        p.queue.length = p.inFlight;
      }
    }
    if (this.#outstanding > 0) await new Promise<void>((resolve) => this.#idle.push(resolve));
    this.#bufferedRecords = 0;
    this.#bufferedBytes = 0;
    this.#failures = [];
    this.#fatal = null;
    this.#producerId = -1;
    this.#connected = null;
    await this.connect();
  }

  async sendOffsets(groupId: string, offsets: readonly PartitionOffset[]): Promise<void> {
    if (!this.transactional || offsets.length === 0) return;
    await this.begin();
    const deadline = Date.now() + this.#deliveryTimeoutMs;
    const ids = { transactionalId: this.#transactionalId!, producerId: this.#producerId, producerEpoch: this.#producerEpoch };
    if (!this.#offsetsInTxn) {
      await this.#retrying('AddOffsetsToTxn', deadline, async () => {
        const res = await call(await this.#txnCoordinator(), addOffsetsToTxn, { ...ids, groupId }, { requestTimeout: this.#requestTimeoutMs });
        if (res.errorCode !== 0) throw produceError(res.errorCode, `AddOffsetsToTxn for group ${groupId}`);
      });
      this.#offsetsInTxn = true;
    }
    const byTopic = new Map<string, Array<{ partitionIndex: number; committedOffset: number; committedLeaderEpoch: number; committedMetadata: string | null }>>();
    for (const o of offsets) {
      let list = byTopic.get(o.topic);
      if (!list) byTopic.set(o.topic, (list = []));
      list.push({ partitionIndex: o.partition, committedOffset: o.offset, committedLeaderEpoch: -1, committedMetadata: o.metadata ?? null });
    }
    const topics = [...byTopic].map(([name, partitions]) => ({ name, partitions }));
    await this.#retrying('TxnOffsetCommit', deadline, async () => {
      const coordinator = await this.#cluster.findGroupCoordinator({ groupId });
      const res = await call(coordinator, txnOffsetCommit, { ...ids, groupId, generationId: -1, memberId: '', groupInstanceId: null, topics }, { requestTimeout: this.#requestTimeoutMs });
      for (const t of res.topics) for (const p of t.partitions) if (p.errorCode !== 0) throw produceError(p.errorCode, `TxnOffsetCommit ${t.name}-${p.partitionIndex}`);
    });
  }

  async commit(): Promise<void> {
    if (!this.transactional || !this.#inTxn) return;
    const failures = await this.flush();
    if (this.#fatal !== null) throw this.#fatal;
    if (failures.length > 0) throw failures[0]!.error;
    await this.#endTxn(true);
  }

  async abort(): Promise<void> {
    if (!this.transactional || !this.#inTxn) return;
    // drop what has not left yet, wait for what has
    for (const byPartition of this.#partitions.values()) {
      for (const p of byPartition.values()) {
        if (p.open !== null) {
          this.#bufferedRecords -= p.open.count;
          this.#bufferedBytes -= p.open.sizeInBytes;
          p.open = null;
          p.openFirst = null;
        }
        const keep = p.queue.slice(0, p.inFlight);
        for (const b of p.queue.slice(keep.length)) this.#settled(b);
        p.queue.length = 0;
        p.queue.push(...keep);
      }
    }
    if (this.#outstanding > 0) await new Promise<void>((resolve) => this.#idle.push(resolve));
    this.#failures = [];
    await this.#endTxn(false);
  }

  async #endTxn(committed: boolean): Promise<void> {
    let added = this.#offsetsInTxn;
    for (const byPartition of this.#partitions.values()) for (const p of byPartition.values()) added ||= p.inTxn;
    const reset = (): void => {
      this.#inTxn = false;
      this.#offsetsInTxn = false;
      for (const byPartition of this.#partitions.values()) for (const p of byPartition.values()) p.inTxn = false;
    };
    if (!added) return reset();
    const deadline = Date.now() + this.#deliveryTimeoutMs;
    await this.#retrying(committed ? 'Committing the transaction' : 'Aborting the transaction', deadline, async () => {
      const res = await call(
        await this.#txnCoordinator(),
        endTxn,
        { transactionalId: this.#transactionalId!, producerId: this.#producerId, producerEpoch: this.#producerEpoch, committed },
        { requestTimeout: this.#requestTimeoutMs },
      );
      if (res.errorCode !== 0) throw produceError(res.errorCode, committed ? 'EndTxn(commit)' : 'EndTxn(abort)');
    });
    reset();
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#lingerTimer !== null) clearTimeout(this.#lingerTimer);
    if (this.#drainTimer !== null) clearTimeout(this.#drainTimer);
    this.#lingerTimer = this.#drainTimer = null;
    const waiters = this.#idle;
    this.#idle = [];
    for (const w of waiters) w();
  }
}
