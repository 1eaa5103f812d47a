/**
 * Patches to kafkajs 2.2.4, applied before kafkajs loads (part of the kafkajs wrapper; only `kafka-client.ts`
 * imports this). If kafkajs was already loaded (or its layout differs), nothing is patched.
 * - Performance: kafkajs groups a produce request's messages per partition with `[...current, message]` in a
 *   reduce, which is quadratic in the messages per partition: 12% of WordCount's CPU with 10,000-record sends.
 *   The replacement does the same grouping in linear time.
 * - Correctness of read_committed: kafkajs' aborted-transaction filter assumes the broker lists aborted
 *   transactions by first offset and opens at most one per record. Apache Kafka lists them in the order their
 *   markers were written, so with several producers writing one partition (repartition topics under
 *   exactly-once) records of aborted transactions reached read_committed consumers (seen: 143 of 21,583 on Kafka
 *   4.1.1, where Kafka's own consumer saw none). The replacement does what Kafka's consumer does.
 * - Performance: kafkajs decodes every fetched record through `Long` (offset and timestamp parsed from and printed
 *   to strings) and a `Decoder` object per record; {@link decodeRecordBatch} returns the same objects without them.
 * - A revocation callback: kafkajs rejoins a rebalancing group at once (it only emits REBALANCING, without
 *   awaiting anyone), so a commit started on that event went out after the member's JoinGroup and was refused with
 *   ILLEGAL_GENERATION once the new generation formed: every record since the last commit was processed again by
 *   the partition's next owner. Its `joinAndSync` now first awaits the {@link BEFORE_REJOIN} hook of the group's
 *   assigner (ours), when the member had a generation, as Kafka's consumer calls `onPartitionsRevoked`.
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

/** A fetched record as kafkajs decodes it (control records included). */
export interface FetchedMessageLike {
  readonly offset: string;
  readonly key: Buffer | null;
  readonly isControlRecord?: boolean;
  readonly batchContext?: { readonly producerId: string; readonly inTransaction: boolean };
}

/** An aborted transaction as a Fetch response lists it. */
export interface AbortedTransaction {
  readonly producerId: string;
  readonly firstOffset: string;
}

/** An ABORT control record: key = version 0, type 0. */
function isAbortMarker(m: FetchedMessageLike): boolean {
  const k = m.key;
  return k !== null && k.length >= 4 && k.readInt16BE(2) === 0;
}

/**
 * Drops records of aborted transactions (control records are kept, for the caller to skip), as Kafka's consumer
 * does: aborted transactions ordered by first offset; a producer counts as aborted from its aborted
 * transaction's first offset until its ABORT marker.
 */
export function filterAbortedMessages<M extends FetchedMessageLike>({
  messages,
  abortedTransactions,
}: {
  messages: M[];
  abortedTransactions?: readonly AbortedTransaction[] | null;
}): M[] {
  if (!abortedTransactions || abortedTransactions.length === 0) return messages;
  const pending = abortedTransactions.map((t) => ({ producerId: String(t.producerId), firstOffset: Number(t.firstOffset) }));
  pending.sort((a, b) => a.firstOffset - b.firstOffset);
  const aborted = new Set<string>();
  let next = 0;
  return messages.filter((m) => {
    const offset = Number(m.offset);
    while (next < pending.length && pending[next]!.firstOffset <= offset) aborted.add(pending[next++]!.producerId);
    const producerId = m.batchContext === undefined ? '-1' : String(m.batchContext.producerId);
    if (m.isControlRecord === true) {
      if (isAbortMarker(m)) aborted.delete(producerId);
      return true;
    }
    return !(m.batchContext?.inTransaction === true && aborted.has(producerId));
  });
}

/** The file of one kafkajs module, or null when kafkajs is missing or already loaded (then nothing is patched). */
function unloadedKafkajsModule(request: string): string | null {
  let file: string;
  try {
    file = require.resolve(request);
  } catch {
    return null;
  }
  return require.cache[file] ? null : file;
}

function replaceModule(request: string, exports: unknown): void {
  const file = unloadedKafkajsModule(request);
  if (file === null) return;
  const m = new Module(file);
  m.filename = file;
  m.loaded = true;
  m.exports = exports;
  require.cache[file] = m;
}

replaceModule('kafkajs/src/producer/groupMessagesPerPartition', groupMessagesPerPartition);
replaceModule('kafkajs/src/consumer/filterAbortedMessages', filterAbortedMessages);

/** The part of kafkajs' protocol `Decoder` the record-batch decoder reads. */
export interface KafkajsDecoderLike {
  readonly buffer: Buffer;
  offset: number;
  forward(size: number): void;
}

type RecordBatchDecoder = (fetchDecoder: KafkajsDecoderLike) => Promise<unknown>;

const LOG_APPEND_TIME = 1;
const CREATE_TIME = 0;

/** Reads a zigzag varint (32-bit) at `p`; the position after it goes to `at.p`. */
function readVarint(buf: Buffer, at: { p: number }): number {
  let result = 0;
  let shift = 0;
  let b: number;
  let p = at.p;
  do {
    b = buf[p++]!;
    result |= (b & 0x7f) << shift;
    shift += 7;
  } while (b >= 0x80 && shift < 35);
  at.p = p;
  return (result >>> 1) ^ -(result & 1);
}

/** Reads a zigzag varlong at `p` as a number (timestamp deltas: far below 2^53). */
function readVarlong(buf: Buffer, at: { p: number }): number {
  let result = 0;
  let mul = 1;
  let b: number;
  let p = at.p;
  do {
    b = buf[p++]!;
    result += (b & 0x7f) * mul;
    mul *= 128;
  } while (b >= 0x80 && mul < 2 ** 70);
  at.p = p;
  return result % 2 === 0 ? result / 2 : -(result + 1) / 2;
}

function readBytes(buf: Buffer, at: { p: number }): Buffer | null {
  const n = readVarint(buf, at);
  if (n < 0) return null;
  const b = buf.subarray(at.p, at.p + n);
  at.p += n;
  return b;
}

/**
 * kafkajs' record batch v2 decoder for a Fetch response, without its per-record `Long` arithmetic (offsets and
 * timestamps of each record were parsed from and printed to strings through `Long`: ≈ 8 % of WordCount's CPU)
 * and per-record `Decoder` objects. It returns what kafkajs' decoder returns, field for field (the test compares
 * the two on the same bytes); compressed and partial batches go to kafkajs' own decoder.
 */
export function decodeRecordBatch(fetchDecoder: KafkajsDecoderLike, original: RecordBatchDecoder): Promise<unknown> {
  const buf = fetchDecoder.buffer;
  const start = fetchDecoder.offset;
  if (buf.length - start < 61) return original(fetchDecoder);
  const length = buf.readInt32BE(start + 8);
  const attributes = buf.readInt16BE(start + 21);
  if ((attributes & 0x07) !== 0 || length < 49 || buf.length - (start + 12) < length) return original(fetchDecoder);
  const end = start + 12 + length;
  fetchDecoder.forward(12 + length);
  const firstOffsetNumber = Number(buf.readBigInt64BE(start));
  const firstTimestampNumber = Number(buf.readBigInt64BE(start + 27));
  const maxTimestamp = buf.readBigInt64BE(start + 35).toString();
  const timestampType = (attributes & 0x08) !== 0 ? LOG_APPEND_TIME : CREATE_TIME;
  const recordContext = {
    firstOffset: String(firstOffsetNumber),
    firstTimestamp: String(firstTimestampNumber),
    partitionLeaderEpoch: buf.readInt32BE(start + 12),
    inTransaction: (attributes & 0x10) > 0,
    isControlBatch: (attributes & 0x20) > 0,
    lastOffsetDelta: buf.readInt32BE(start + 23),
    producerId: buf.readBigInt64BE(start + 43).toString(),
    producerEpoch: buf.readInt16BE(start + 51),
    firstSequence: buf.readInt32BE(start + 53),
    maxTimestamp,
    timestampType,
  };
  const magicByte = buf.readInt8(start + 16);
  const batchContext = { ...recordContext, magicByte };
  const count = buf.readInt32BE(start + 57);
  const records = new Array<unknown>(Math.max(0, count));
  const at = { p: start + 61 };
  for (let i = 0; i < count; i++) {
    const len = readVarint(buf, at);
    const recordEnd = at.p + len;
    if (len < 0 || recordEnd > end) return Promise.reject(new RangeError(`record ${i} of the batch at offset ${firstOffsetNumber} runs past its end`));
    const recordAttributes = buf.readInt8(at.p);
    at.p += 1;
    const timestampDelta = readVarlong(buf, at);
    const offsetDelta = readVarint(buf, at);
    const key = readBytes(buf, at);
    const value = readBytes(buf, at);
    const headerCount = readVarint(buf, at);
    const headers: { [key: string]: Buffer | null | Array<Buffer | null> } = {};
    for (let h = 0; h < headerCount; h++) {
      const kl = readVarint(buf, at);
      const hk = kl < 0 ? 'null' : buf.toString('utf8', at.p, at.p + kl);
      if (kl > 0) at.p += kl;
      const hv = readBytes(buf, at);
      const prev = headers[hk];
      headers[hk] = prev === undefined ? hv : Array.isArray(prev) ? prev.concat([hv]) : [prev, hv];
    }
    at.p = recordEnd;
    records[i] = {
      magicByte,
      attributes: recordAttributes,
      timestamp: timestampType === LOG_APPEND_TIME ? maxTimestamp : String(firstTimestampNumber + timestampDelta),
      offset: String(firstOffsetNumber + offsetDelta),
      key,
      value,
      headers,
      isControlRecord: recordContext.isControlBatch,
      batchContext,
    };
  }
  return Promise.resolve({ ...recordContext, records });
}

/** kafkajs' own record batch decoder, loaded (without the rest of kafkajs) so compressed batches still use it. */
function patchRecordBatchDecoder(): void {
  const file = unloadedKafkajsModule('kafkajs/src/protocol/recordBatch/v0/decoder');
  if (file === null) return;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loads one kafkajs module before kafkajs itself
  const original = require(file) as RecordBatchDecoder;
  originalRecordBatchDecoder = original;
  require.cache[file]!.exports = (fetchDecoder: KafkajsDecoderLike) => decodeRecordBatch(fetchDecoder, original);
}

/** kafkajs' unpatched record batch decoder (for tests), or null when kafkajs was loaded before the patches. */
export let originalRecordBatchDecoder: RecordBatchDecoder | null = null;

patchRecordBatchDecoder();

/**
 * The method an assigner object may carry: awaited by kafkajs' `ConsumerGroup.joinAndSync` before a member that
 * had joined a generation rejoins (Kafka's `onPartitionsRevoked`). Errors it throws are the hook's to log; they
 * do not stop the rejoin.
 */
export const BEFORE_REJOIN = Symbol('kstreams.beforeRejoin');
/**
 * The method an assigner object may carry to be able to make its member rejoin (Kafka's `enforceRebalance`):
 * called at each join with a function that makes the group's next heartbeat fail as "rebalance in progress", on
 * which kafkajs rejoins.
 */
export const ATTACH_GROUP = Symbol('kstreams.attachGroup');
const REJOIN_REQUESTED = Symbol('kstreams.rejoinRequested');

interface ConsumerGroupLike {
  generationId: number | null;
  memberId: string | null;
  assigners: ReadonlyArray<{ [BEFORE_REJOIN]?: () => Promise<void>; [ATTACH_GROUP]?: (requestRejoin: () => void) => void }>;
  [REJOIN_REQUESTED]?: boolean;
  joinAndSync(): Promise<unknown>;
  heartbeat(args: unknown): Promise<unknown>;
}

function patchRejoin(): void {
  const file = unloadedKafkajsModule('kafkajs/src/consumer/consumerGroup');
  if (file === null) return;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loads one kafkajs module before kafkajs itself
  const ConsumerGroup = require(file) as { prototype: ConsumerGroupLike };
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- kafkajs' error class, from the same copy of kafkajs
  const { KafkaJSError } = require(require.resolve('kafkajs/src/errors')) as { KafkaJSError: new (message: string, options: { retriable: boolean }) => Error };
  const joinAndSync = ConsumerGroup.prototype.joinAndSync;
  ConsumerGroup.prototype.joinAndSync = async function (this: ConsumerGroupLike): Promise<unknown> {
    if (this.generationId !== null && this.memberId) {
      for (const assigner of this.assigners) {
        const hook = assigner[BEFORE_REJOIN];
        if (hook) await hook().catch(() => undefined);
      }
    }
    this[REJOIN_REQUESTED] = false;
    for (const assigner of this.assigners) {
      assigner[ATTACH_GROUP]?.(() => {
        this[REJOIN_REQUESTED] = true;
      });
    }
    return joinAndSync.call(this);
  };
  const heartbeat = ConsumerGroup.prototype.heartbeat;
  ConsumerGroup.prototype.heartbeat = async function (this: ConsumerGroupLike, args: unknown): Promise<unknown> {
    if (this[REJOIN_REQUESTED] === true) {
      this[REJOIN_REQUESTED] = false;
      // what kafkajs' runner takes for the coordinator's REBALANCE_IN_PROGRESS: it rejoins
      // (a KafkaJSError, so kafkajs does not log it as a failure of the batch callback)
      throw Object.assign(new KafkaJSError('The member rejoins the group (a rebalance requested by kstreams)', { retriable: false }), { type: 'REBALANCE_IN_PROGRESS' });
    }
    return heartbeat.call(this, args);
  };
}

patchRejoin();
