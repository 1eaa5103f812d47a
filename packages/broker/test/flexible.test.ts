/**
 * Flexible versions (KIP-482) over raw sockets: request header v2, response header v1 (v0 for
 * ApiVersions), compact strings and arrays, tagged-field sections.
 */
import { SUPPORTED_APIS } from '@kstreams/protocol/api-keys';
import { ErrorCode } from '@kstreams/protocol/errors';
import * as apiVersions from '@kstreams/protocol/messages/api-versions';
import * as fetch from '@kstreams/protocol/messages/fetch';
import * as listOffsets from '@kstreams/protocol/messages/list-offsets';
import * as metadata from '@kstreams/protocol/messages/metadata';
import { decode, ZERO_UUID } from '@kstreams/protocol/schema';
import { Writer } from '@kstreams/protocol/writer';
import { Kafka, logLevel } from 'kafkajs';
import { Broker } from '../src/server/broker';
import { RawClient, removeDir, requestFrame, tempDir } from './support';

jest.setTimeout(30_000);

function flexBody(write: (w: Writer) => void): Buffer {
  const w = new Writer();
  w.flexible = true;
  w.unsignedVarint(0); // request header v2's tagged fields
  write(w);
  return w.toBuffer();
}

describe('flexible versions', () => {
  let dir: string;
  let broker: Broker;

  beforeAll(async () => {
    dir = tempDir();
    broker = new Broker({ dataDir: dir, logLevel: 'warn', logSink: () => undefined });
    await broker.listen();
  });
  afterAll(async () => {
    await broker.close();
    removeDir(dir);
  });

  it('answers ApiVersions v3 and v4 with a v0 response header and a compact body listing flexible ranges', async () => {
    const c = await RawClient.connect(broker.port);
    for (const version of [3, 4]) {
      const body = flexBody((w) => {
        w.nullableString('kstreams-test');
        w.nullableString('1.0');
        w.unsignedVarint(0);
      });
      c.send(requestFrame(18, version, 40 + version, body));
      const f = await c.next();
      expect(f.readInt32BE(0)).toBe(40 + version);
      // no tagged-field byte after the correlation id: the body starts right away
      const res = decode(apiVersions.response, f.subarray(4), version, true);
      expect(res.errorCode).toBe(ErrorCode.NONE);
      const fetch = res.apiKeys.find((a) => a.apiKey === 9);
      expect(fetch).toEqual({ apiKey: 9, minVersion: 1, maxVersion: 9 });
      expect(res.apiKeys.map((a) => a.apiKey)).toEqual(SUPPORTED_APIS.map((a) => a.apiKey));
    }
    c.close();
  });

  it('reads a Metadata v12 request (header v2) and writes response header v1 with topic ids', async () => {
    const c = await RawClient.connect(broker.port);
    const body = flexBody((w) => {
      w.version = 12;
      metadata.request.write(w, {
        topics: [{ topicId: ZERO_UUID, name: 'flex-topic' }],
        allowAutoTopicCreation: true,
        includeClusterAuthorizedOperations: false,
        includeTopicAuthorizedOperations: false,
      });
    });
    c.send(requestFrame(3, 12, 5, body));
    const f = await c.next();
    expect(f.readInt32BE(0)).toBe(5);
    expect(f.readUInt8(4)).toBe(0); // response header v1: empty tagged fields
    const res = decode(metadata.response, f.subarray(5), 12, true);
    expect(res.topics).toHaveLength(1);
    expect(res.topics[0]).toMatchObject({ errorCode: 0, name: 'flex-topic' });
    expect(res.topics[0]!.topicId).toMatch(/^[0-9a-f]{32}$/);
    expect(res.topics[0]!.topicId).not.toBe(ZERO_UUID);
    expect(res.brokers[0]!.port).toBe(broker.port);
    c.close();
  });

  it('serves Fetch v17 by topic id and ListOffsets v10 with MAX_TIMESTAMP (-3)', async () => {
    const kafka = new Kafka({ brokers: [broker.bootstrapServers], logLevel: logLevel.NOTHING });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: 'flex-fetch', messages: [{ value: 'a', timestamp: '5000' }, { value: 'b', timestamp: '9000' }, { value: 'c', timestamp: '7000' }] });
    await producer.disconnect();
    const topicId = broker.logs.topicId(broker.logs.get('flex-fetch')!);
    const c = await RawClient.connect(broker.port);
    const fetchBody = flexBody((w) => {
      w.version = 17;
      fetch.request.write(w, {
        clusterId: null,
        replicaId: -1,
        replicaState: { replicaId: -1, replicaEpoch: -1 },
        maxWaitMs: 0,
        minBytes: 1,
        maxBytes: 1 << 20,
        isolationLevel: 0,
        sessionId: 0,
        sessionEpoch: -1,
        topics: [
          { topic: '', topicId, partitions: [{ partition: 0, currentLeaderEpoch: 0, fetchOffset: 0, lastFetchedEpoch: -1, logStartOffset: -1, partitionMaxBytes: 1 << 20, replicaDirectoryId: ZERO_UUID }] },
          { topic: '', topicId: 'ff'.repeat(16), partitions: [{ partition: 0, currentLeaderEpoch: 0, fetchOffset: 0, lastFetchedEpoch: -1, logStartOffset: -1, partitionMaxBytes: 1 << 20, replicaDirectoryId: ZERO_UUID }] },
        ],
        forgottenTopicsData: [],
        rackId: '',
      });
    });
    c.send(requestFrame(1, 17, 9, fetchBody));
    const f = await c.next();
    const res = decode(fetch.response, f.subarray(5), 17, true);
    expect(res.responses.map((r) => r.topicId)).toEqual([topicId, 'ff'.repeat(16)]);
    expect(res.responses[0]!.partitions[0]).toMatchObject({ errorCode: 0, highWatermark: 3 });
    expect(Buffer.concat(res.responses[0]!.partitions[0]!.records as Buffer[]).length).toBeGreaterThan(0);
    expect(res.responses[1]!.partitions[0]!.errorCode).toBe(ErrorCode.UNKNOWN_TOPIC_ID);

    const listBody = flexBody((w) => {
      w.version = 10;
      listOffsets.request.write(w, {
        replicaId: -1,
        isolationLevel: 0,
        topics: [{ name: 'flex-fetch', partitions: [{ partitionIndex: 0, currentLeaderEpoch: -1, timestamp: -3, maxNumOffsets: 1 }] }],
        timeoutMs: 1000,
      });
    });
    c.send(requestFrame(2, 10, 10, listBody));
    const lo = decode(listOffsets.response, (await c.next()).subarray(5), 10, true);
    expect(lo.topics[0]!.partitions[0]).toMatchObject({ errorCode: 0, offset: 1, timestamp: 9000 });
    c.close();
  });
});
