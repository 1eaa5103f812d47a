/**
 * A raw Kafka-protocol socket for the bad-input and fuzz suites: sends arbitrary bytes, reads
 * size-prefixed response frames, and reports when the broker closes the connection. Also encodes
 * a few well-formed requests (header v1, non-flexible bodies) as starting points for mutation.
 */
import { connect, type Socket } from 'node:net';

export type RawOutcome =
  | { readonly kind: 'frame'; readonly frame: Buffer }
  | { readonly kind: 'closed' }
  | { readonly kind: 'timeout' };

export class RawConnection {
  private buffered: Buffer = Buffer.alloc(0);
  private readonly frames: Buffer[] = [];
  private waiters: (() => void)[] = [];
  private closedFlag = false;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
      for (;;) {
        if (this.buffered.length < 4) break;
        const size = this.buffered.readInt32BE(0);
        if (this.buffered.length < 4 + size) break;
        this.frames.push(this.buffered.subarray(4, 4 + size));
        this.buffered = this.buffered.subarray(4 + size);
      }
      this.wake();
    });
    socket.on('close', () => {
      this.closedFlag = true;
      this.wake();
    });
    socket.on('error', () => undefined); // ECONNRESET and friends just mean "closed" here
  }

  static open(address: string, timeoutMs = 5000): Promise<RawConnection> {
    const [host, port] = splitAddress(address);
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port });
      socket.setNoDelay(true);
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`connect to ${address} timed out`));
      }, timeoutMs);
      socket.once('connect', () => {
        clearTimeout(timer);
        resolve(new RawConnection(socket));
      });
      socket.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
    });
  }

  get closed(): boolean {
    return this.closedFlag;
  }

  send(bytes: Buffer): void {
    if (!this.closedFlag && this.socket.writable) this.socket.write(bytes);
  }

  /** Half-closes our side: the broker sees end-of-stream after what was sent. */
  end(): void {
    if (!this.closedFlag) this.socket.end();
  }

  destroy(): void {
    this.socket.destroy();
  }

  /** The next response frame (without its size prefix), or `closed`, or `timeout`. */
  async next(timeoutMs: number): Promise<RawOutcome> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const frame = this.frames.shift();
      if (frame !== undefined) return { kind: 'frame', frame };
      if (this.closedFlag) return { kind: 'closed' };
      const left = deadline - Date.now();
      if (left <= 0) return { kind: 'timeout' };
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Resolves true once the broker has closed the connection (false if still open at the deadline). */
  async waitClosed(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closedFlag) {
      const outcome = await this.next(Math.max(0, deadline - Date.now()));
      if (outcome.kind === 'timeout') return this.closedFlag;
    }
    return true;
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}

function splitAddress(address: string): [string, number] {
  const i = address.lastIndexOf(':');
  return [address.slice(0, i), Number(address.slice(i + 1))];
}

// ---------------------------------------------------------------------------------------------
// encoding

export function int16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeInt16BE(n);
  return b;
}

export function int32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
}

export function str(s: string | null): Buffer {
  if (s === null) return int16(-1);
  const bytes = Buffer.from(s, 'utf8');
  return Buffer.concat([int16(bytes.length), bytes]);
}

/** Size-prefixed request with header v1 (apiKey, apiVersion, correlationId, clientId). */
export function encodeRequest(apiKey: number, apiVersion: number, correlationId: number, body: Buffer, clientId = 'raw'): Buffer {
  const payload = Buffer.concat([int16(apiKey), int16(apiVersion), int32(correlationId), str(clientId), body]);
  return Buffer.concat([int32(payload.length), payload]);
}

/** Prefixes arbitrary bytes with their correct size. */
export function frame(payload: Buffer): Buffer {
  return Buffer.concat([int32(payload.length), payload]);
}

export const API = {
  produce: 0,
  fetch: 1,
  listOffsets: 2,
  metadata: 3,
  offsetCommit: 8,
  offsetFetch: 9,
  findCoordinator: 10,
  joinGroup: 11,
  heartbeat: 12,
  syncGroup: 14,
  describeGroups: 15,
  listGroups: 16,
  apiVersions: 18,
  createTopics: 19,
  initProducerId: 22,
  describeConfigs: 32,
} as const;

/** ApiVersions at any version: empty body for v0-v2 (v3+ would need a flexible header). */
export function apiVersionsRequest(correlationId: number, version = 0): Buffer {
  return encodeRequest(API.apiVersions, version, correlationId, Buffer.alloc(0));
}

/** Metadata v4 for the given topics (null = all), without auto-creation. */
export function metadataRequest(correlationId: number, topics: string[] | null = []): Buffer {
  const list = topics === null ? int32(-1) : Buffer.concat([int32(topics.length), ...topics.map((t) => str(t))]);
  return encodeRequest(API.metadata, 4, correlationId, Buffer.concat([list, Buffer.from([0])]));
}

/** Reads correlation id and the first int16 error code of an ApiVersions (v0-v2) response frame. */
export function parseApiVersionsResponse(frameBytes: Buffer): { correlationId: number; errorCode: number; apiKeys: Map<number, [number, number]> } {
  const correlationId = frameBytes.readInt32BE(0);
  const errorCode = frameBytes.readInt16BE(4);
  const count = frameBytes.readInt32BE(6);
  const apiKeys = new Map<number, [number, number]>();
  let o = 10;
  for (let i = 0; i < count && o + 6 <= frameBytes.length; i++, o += 6) {
    apiKeys.set(frameBytes.readInt16BE(o), [frameBytes.readInt16BE(o + 2), frameBytes.readInt16BE(o + 4)]);
  }
  return { correlationId, errorCode, apiKeys };
}

/** A small, valid request of several kinds (all read-only), for the fuzzer to mutate. */
export function seedRequests(topic: string, groupId: string): Buffer[] {
  const empty = Buffer.alloc(0);
  const partitionList = Buffer.concat([int32(1), str(topic), int32(1), int32(0)]);
  return [
    apiVersionsRequest(1, 0),
    apiVersionsRequest(2, 2),
    metadataRequest(3, [topic]),
    metadataRequest(4, null),
    // ListOffsets v1: replica_id, [topic [partition timestamp]]
    encodeRequest(API.listOffsets, 1, 5, Buffer.concat([int32(-1), int32(1), str(topic), int32(1), int32(0), Buffer.alloc(8, 0xff)])),
    // Fetch v4: replica, max_wait 0, min_bytes, max_bytes, isolation, [topic [partition offset max_bytes]]
    encodeRequest(
      API.fetch,
      4,
      6,
      Buffer.concat([int32(-1), int32(0), int32(1), int32(65536), Buffer.from([0]), int32(1), str(topic), int32(1), int32(0), Buffer.alloc(8), int32(65536)]),
    ),
    // FindCoordinator v1: key, key_type
    encodeRequest(API.findCoordinator, 1, 7, Buffer.concat([str(groupId), Buffer.from([0])])),
    // OffsetFetch v1: group, [topic [partition]]
    encodeRequest(API.offsetFetch, 1, 8, Buffer.concat([str(groupId), partitionList])),
    // DescribeGroups v0: [group]
    encodeRequest(API.describeGroups, 0, 9, Buffer.concat([int32(1), str(groupId)])),
    // ListGroups v0: empty
    encodeRequest(API.listGroups, 0, 10, empty),
    // Heartbeat v0 for a member that does not exist
    encodeRequest(API.heartbeat, 0, 11, Buffer.concat([str(groupId), int32(1), str('nobody')])),
    // DescribeConfigs v1: [resource_type name [config_names]=null], include_synonyms
    encodeRequest(API.describeConfigs, 1, 12, Buffer.concat([int32(1), Buffer.from([2]), str(topic), int32(-1), Buffer.from([0])])),
  ];
}

// ---------------------------------------------------------------------------------------------
// record batch v2 (for valid Produce requests)

const CRC32C_TABLE = (() => {
  const table = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    table[n] = c;
  }
  return table;
})();

export function crc32c(bytes: Buffer): number {
  let crc = -1;
  for (const byte of bytes) crc = CRC32C_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ -1) >>> 0;
}

function zigzagVarint(n: number): Buffer {
  let v = ((n << 1) ^ (n >> 31)) >>> 0;
  const out: number[] = [];
  while (v > 0x7f) {
    out.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  out.push(v);
  return Buffer.from(out);
}

/** A non-transactional, uncompressed v2 record batch holding one record with the given value. */
export function recordBatch(value: string, timestamp = Date.now()): Buffer {
  const valueBytes = Buffer.from(value);
  const recordBody = Buffer.concat([
    Buffer.from([0]), // attributes
    zigzagVarint(0), // timestamp delta
    zigzagVarint(0), // offset delta
    zigzagVarint(-1), // null key
    zigzagVarint(valueBytes.length),
    valueBytes,
    zigzagVarint(0), // no headers
  ]);
  const record = Buffer.concat([zigzagVarint(recordBody.length), recordBody]);
  const afterCrc = Buffer.alloc(2 + 4 + 8 + 8 + 8 + 2 + 4 + 4);
  let o = 0;
  o = afterCrc.writeInt16BE(0, o); // attributes
  o = afterCrc.writeInt32BE(0, o); // last offset delta
  o = afterCrc.writeBigInt64BE(BigInt(timestamp), o);
  o = afterCrc.writeBigInt64BE(BigInt(timestamp), o);
  o = afterCrc.writeBigInt64BE(-1n, o); // producer id
  o = afterCrc.writeInt16BE(-1, o); // producer epoch
  o = afterCrc.writeInt32BE(-1, o); // base sequence
  afterCrc.writeInt32BE(1, o); // records count
  const crcPart = Buffer.concat([afterCrc, record]);
  const head = Buffer.alloc(8 + 4 + 4 + 1 + 4);
  head.writeBigInt64BE(0n, 0); // base offset
  head.writeInt32BE(4 + 1 + 4 + crcPart.length, 8); // batch length: bytes after this field
  head.writeInt32BE(-1, 12); // partition leader epoch
  head.writeInt8(2, 16); // magic
  head.writeUInt32BE(crc32c(crcPart), 17);
  return Buffer.concat([head, crcPart]);
}

/** Produce v3 (the first with record batch v2; served by Kafka 3.x and 4.x): one batch to one partition. */
export function produceRequest(correlationId: number, topic: string, partition: number, batch: Buffer, acks = -1): Buffer {
  const body = Buffer.concat([str(null), int16(acks), int32(5000), int32(1), str(topic), int32(1), int32(partition), int32(batch.length), batch]);
  return encodeRequest(API.produce, 3, correlationId, body);
}
