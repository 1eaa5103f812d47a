/**
 * Codec tests with kafkajs 2.2.4 as the oracle: requests encoded by kafkajs decode to the right fields,
 * and our responses decode with kafkajs's own response decoders.
 */
import { crc32c } from '@kstreams/protocol/crc32c';
import { MalformedRequestError } from '@kstreams/protocol/errors';
import * as fetch from '@kstreams/protocol/messages/fetch';
import * as joinGroup from '@kstreams/protocol/messages/join-group';
import * as metadata from '@kstreams/protocol/messages/metadata';
import * as offsetFetch from '@kstreams/protocol/messages/offset-fetch';
import * as produce from '@kstreams/protocol/messages/produce';
import * as txnOffsetCommit from '@kstreams/protocol/messages/txn-offset-commit';
import * as describeConfigs from '@kstreams/protocol/messages/describe-configs';
import * as listOffsets from '@kstreams/protocol/messages/list-offsets';
import * as findCoordinator from '@kstreams/protocol/messages/find-coordinator';
import * as apiVersions from '@kstreams/protocol/messages/api-versions';
import * as createTopics from '@kstreams/protocol/messages/create-topics';
import { Reader } from '@kstreams/protocol/reader';
import {
  Attr,
  ControlType,
  buildBatch,
  buildControlBatch,
  controlType,
  readBatchHeader,
  readRecords,
  splitAndValidate,
} from '@kstreams/protocol/record-batch';
import { decode, encode, type Codec } from '@kstreams/protocol/schema';
import { Writer } from '@kstreams/protocol/writer';
import { kafkajsBatch, kafkajsDecode, kafkajsRequestBody } from './support';

describe('primitives', () => {
  it('computes CRC-32C (Castagnoli) check value', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
    expect(crc32c(Buffer.alloc(0))).toBe(0);
  });

  it('round-trips every primitive through Writer and Reader', () => {
    const w = new Writer(4);
    w.int8(-5).int16(-300).int32(-70000).int64(2 ** 40 + 3).bool(true).string('héllo').nullableString(null);
    w.bytes(Buffer.alloc(2000, 7)).nullableBytes(null).unsignedVarint(300);
    const r = new Reader(w.toBuffer());
    expect([r.int8(), r.int16(), r.int32(), r.int64(), r.bool(), r.string(), r.nullableString()]).toEqual([
      -5, -300, -70000, 2 ** 40 + 3, true, 'héllo', null,
    ]);
    expect(r.bytes().equals(Buffer.alloc(2000, 7))).toBe(true);
    expect(r.nullableBytes()).toBeNull();
    expect(r.unsignedVarint()).toBe(300);
    expect(r.remaining).toBe(0);
  });

  it('rejects truncated and lying input with MalformedRequestError', () => {
    expect(() => new Reader(Buffer.from([0, 5, 65])).string()).toThrow(MalformedRequestError);
    expect(() => new Reader(Buffer.from([0, 0, 0])).int32()).toThrow(/truncated int32/);
    expect(() => new Reader(Buffer.from([0xff, 0xfe])).string()).toThrow(/invalid string length -2/);
    expect(() => new Reader(Buffer.from([0x7f, 0xff, 0xff, 0xff, 0])).arrayLength()).toThrow(/exceeds/);
    expect(() => new Reader(Buffer.from([0xff, 0xff, 0xff, 0xff])).bytes()).toThrow(/null/);
  });
});

describe('requests encoded by kafkajs', () => {
  it('decodes Produce v7 with the batch bytes intact', async () => {
    const body = await kafkajsRequestBody('produce', 7, {
      acks: -1,
      timeout: 30000,
      transactionalId: 'tx-a',
      producerId: 42,
      producerEpoch: 3,
      compression: 0,
      topicData: [
        { topic: 'orders', partitions: [{ partition: 2, firstSequence: 7, messages: [{ key: 'k', value: 'v', timestamp: 1000 }] }] },
      ],
    });
    const req = decode(produce.request, body, 7);
    expect(req).toMatchObject({ transactionalId: 'tx-a', acks: -1, timeoutMs: 30000 });
    const part = req.topicData[0]!.partitionData[0]!;
    expect(req.topicData[0]!.name).toBe('orders');
    expect(part.index).toBe(2);
    const { headers } = splitAndValidate(part.records!, 1 << 20);
    expect(headers[0]).toMatchObject({ producerId: 42, producerEpoch: 3, baseSequence: 7, recordCount: 1, baseTimestamp: 1000 });
    expect(headers[0]!.attributes & Attr.TRANSACTIONAL).toBe(Attr.TRANSACTIONAL);
  });

  it('decodes Fetch v11, JoinGroup v5, TxnOffsetCommit v1, Metadata v6, CreateTopics v3', async () => {
    const f = decode(
      fetch.request,
      await kafkajsRequestBody('fetch', 11, {
        replicaId: -1,
        maxWaitTime: 5000,
        minBytes: 1,
        maxBytes: 10485760,
        isolationLevel: 1,
        topics: [{ topic: 't', partitions: [{ partition: 0, fetchOffset: '12', maxBytes: 1048576 }] }],
      }),
      11,
    );
    expect(f).toMatchObject({ maxWaitMs: 5000, minBytes: 1, isolationLevel: 1, rackId: '' });
    expect(f.topics[0]!.partitions[0]).toMatchObject({ partition: 0, fetchOffset: 12, partitionMaxBytes: 1048576 });

    const j = decode(
      joinGroup.request,
      await kafkajsRequestBody('joinGroup', 5, {
        groupId: 'g',
        sessionTimeout: 30000,
        rebalanceTimeout: 60000,
        memberId: '',
        protocolType: 'consumer',
        groupProtocols: [{ name: 'RoundRobinAssigner', metadata: Buffer.from([1, 2]) }],
      }),
      5,
    );
    expect(j).toMatchObject({ groupId: 'g', sessionTimeoutMs: 30000, rebalanceTimeoutMs: 60000, memberId: '', groupInstanceId: null });
    expect(j.protocols[0]!.name).toBe('RoundRobinAssigner');

    const t = decode(
      txnOffsetCommit.request,
      await kafkajsRequestBody('txnOffsetCommit', 1, {
        transactionalId: 'tx',
        groupId: 'g',
        producerId: 9,
        producerEpoch: 1,
        topics: [{ topic: 'in', partitions: [{ partition: 3, offset: '77' }] }],
      }),
      1,
    );
    expect(t.topics[0]!.partitions[0]).toMatchObject({ partitionIndex: 3, committedOffset: 77 });

    const m = decode(metadata.request, await kafkajsRequestBody('metadata', 6, { topics: ['a', 'b'], allowAutoTopicCreation: false }), 6);
    expect(m).toMatchObject({ topics: [{ name: 'a' }, { name: 'b' }], allowAutoTopicCreation: false });

    const c = decode(
      createTopics.request,
      await kafkajsRequestBody('createTopics', 3, {
        topics: [{ topic: 'x', numPartitions: 3, replicationFactor: 1, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] }],
        timeout: 1000,
        validateOnly: false,
      }),
      3,
    );
    expect(c.topics[0]).toMatchObject({ name: 'x', numPartitions: 3, configs: [{ name: 'cleanup.policy', value: 'compact' }] });
  });
});

describe('responses decoded by kafkajs', () => {
  const roundTrip = async <T>(codec: Codec<T>, value: T, api: string, version: number): Promise<Record<string, unknown>> =>
    kafkajsDecode(api, version, encode(codec, value, version));

  it('Fetch v11: stored batches, LSO and the aborted list', async () => {
    const batch = buildBatch(
      { baseOffset: 5, attributes: 0, baseTimestamp: 1000, producerId: -1, producerEpoch: -1, baseSequence: -1 },
      [
        { key: Buffer.from('a'), value: Buffer.from('1'), offsetDelta: 0 },
        { key: null, value: Buffer.from('2'), offsetDelta: 1, timestampDelta: 3, headers: [{ key: 'h', value: Buffer.from('x') }] },
      ],
    );
    const decoded = (await roundTrip(
      fetch.response,
      {
        throttleTimeMs: 0,
        errorCode: 0,
        sessionId: 0,
        responses: [
          {
            topic: 't',
            partitions: [
              {
                partitionIndex: 0,
                errorCode: 0,
                highWatermark: 7,
                lastStableOffset: 6,
                logStartOffset: 0,
                abortedTransactions: [{ producerId: 4, firstOffset: 2 }],
                preferredReadReplica: -1,
                records: [batch.subarray(0, 40), batch.subarray(40)],
              },
            ],
          },
        ],
      },
      'fetch',
      11,
    )) as { responses: { partitions: { messages: { offset: string; key: Buffer | null; value: Buffer; headers: Record<string, Buffer> }[]; lastStableOffset: string; abortedTransactions: unknown[] }[] }[] };
    const p = decoded.responses[0]!.partitions[0]!;
    expect(p.lastStableOffset).toBe('6');
    expect(p.abortedTransactions).toEqual([{ producerId: '4', firstOffset: '2' }]);
    expect(p.messages.map((m) => [m.offset, m.key?.toString() ?? null, m.value.toString()])).toEqual([
      ['5', 'a', '1'],
      ['6', null, '2'],
    ]);
    expect(p.messages[1]!.headers['h']!.toString()).toBe('x');
  });

  it('Produce v7, Metadata v6, JoinGroup v5, OffsetFetch v4, ListOffsets v3, FindCoordinator v2, DescribeConfigs v2, ApiVersions', async () => {
    const pr = await roundTrip(
      produce.response,
      { responses: [{ name: 't', partitionResponses: [{ index: 1, errorCode: 0, baseOffset: 99, logAppendTimeMs: -1, logStartOffset: 0, recordErrors: [], errorMessage: null }] }], throttleTimeMs: 0 },
      'produce',
      7,
    );
    expect(pr).toMatchObject({ topics: [{ topicName: 't', partitions: [{ partition: 1, errorCode: 0, baseOffset: '99' }] }] });

    const md = await roundTrip(
      metadata.response,
      {
        throttleTimeMs: 0,
        brokers: [{ nodeId: 1, host: '127.0.0.1', port: 9092, rack: null }],
        clusterId: 'c',
        controllerId: 1,
        clusterAuthorizedOperations: -2147483648,
        topics: [
          {
            errorCode: 0,
            name: 't',
            isInternal: false,
            partitions: [{ errorCode: 0, partitionIndex: 0, leaderId: 1, leaderEpoch: 0, replicaNodes: [1], isrNodes: [1], offlineReplicas: [] }],
            topicAuthorizedOperations: -2147483648,
          },
        ],
      },
      'metadata',
      6,
    );
    expect(md).toMatchObject({ controllerId: 1, brokers: [{ nodeId: 1, host: '127.0.0.1', port: 9092 }], topicMetadata: [{ topic: 't' }] });

    const jg = await roundTrip(
      joinGroup.response,
      {
        throttleTimeMs: 0,
        errorCode: 0,
        generationId: 3,
        protocolName: 'RoundRobinAssigner',
        leader: 'm1',
        memberId: 'm1',
        members: [{ memberId: 'm1', groupInstanceId: null, metadata: Buffer.from([9]) }],
      },
      'joinGroup',
      5,
    );
    expect(jg).toMatchObject({ generationId: 3, groupProtocol: 'RoundRobinAssigner', leaderId: 'm1', memberId: 'm1' });

    const of = await roundTrip(
      offsetFetch.response,
      { throttleTimeMs: 0, topics: [{ name: 't', partitions: [{ partitionIndex: 0, committedOffset: 12, committedLeaderEpoch: -1, metadata: '', errorCode: 0 }] }], errorCode: 0 },
      'offsetFetch',
      4,
    );
    expect(of).toMatchObject({ responses: [{ topic: 't', partitions: [{ partition: 0, offset: '12' }] }] });

    const lo = await roundTrip(
      listOffsets.response,
      { throttleTimeMs: 0, topics: [{ name: 't', partitions: [{ partitionIndex: 0, errorCode: 0, timestamp: -1, offset: 8, leaderEpoch: 0 }] }] },
      'listOffsets',
      3,
    );
    expect(lo).toMatchObject({ responses: [{ topic: 't', partitions: [{ partition: 0, offset: '8' }] }] });

    const fc = await roundTrip(
      findCoordinator.response,
      { throttleTimeMs: 0, errorCode: 0, errorMessage: null, nodeId: 1, host: 'h', port: 1 },
      'findCoordinator',
      2,
    );
    expect(fc).toMatchObject({ coordinator: { nodeId: 1, host: 'h', port: 1 } });

    const dc = await roundTrip(
      describeConfigs.response,
      {
        throttleTimeMs: 0,
        results: [
          {
            errorCode: 0,
            errorMessage: null,
            resourceType: 2,
            resourceName: 't',
            configs: [
              {
                name: 'cleanup.policy',
                value: 'compact',
                readOnly: false,
                isDefault: false,
                configSource: 1,
                isSensitive: false,
                synonyms: [],
                configType: 0,
                documentation: null,
              },
            ],
          },
        ],
      },
      'describeConfigs',
      2,
    );
    expect(dc).toMatchObject({ resources: [{ resourceName: 't', configEntries: [{ configName: 'cleanup.policy', configValue: 'compact' }] }] });

    const av = await roundTrip(apiVersions.response, { errorCode: 0, apiKeys: [{ apiKey: 0, minVersion: 7, maxVersion: 7 }], throttleTimeMs: 0 }, 'apiVersions', 2);
    expect(av).toMatchObject({ apiVersions: [{ apiKey: 0, minVersion: 7, maxVersion: 7 }] });
  });
});

describe('record batches', () => {
  it('validates kafkajs batches and rejects a flipped byte as CORRUPT_MESSAGE', async () => {
    const batch = await kafkajsBatch([{ key: 'k', value: 'hello' }, { value: 'world' }]);
    const ok = splitAndValidate(batch, 1 << 20);
    expect(ok.headers[0]).toMatchObject({ recordCount: 2, lastOffsetDelta: 1 });
    const recs = readRecords(batch.subarray(61), 2);
    expect(recs.map((r) => r.value?.toString())).toEqual(['hello', 'world']);
    const bad = Buffer.from(batch);
    bad[bad.length - 1] = bad[bad.length - 1]! ^ 0xff;
    expect(() => splitAndValidate(bad, 1 << 20)).toThrow(/CRC mismatch/);
    expect(() => splitAndValidate(batch.subarray(0, 70), 1 << 20)).toThrow(/does not fit/);
    expect(() => splitAndValidate(batch, 10)).toThrow(/exceeds max.message.bytes/);
  });

  it('checks the records fill the batch (count and lengths), and keys on compacted topics', async () => {
    const batch = await kafkajsBatch([{ value: 'no key' }]);
    expect(() => splitAndValidate(batch, 1 << 20, true)).toThrow(/without key/);
    // one more record declared than present, with a valid CRC over the lie
    const lying = Buffer.from(batch);
    lying.writeInt32BE(2, 57);
    lying.writeInt32BE(1, 23);
    lying.writeUInt32BE(crc32c(lying, 21, lying.length), 17);
    expect(() => splitAndValidate(lying, 1 << 20)).toThrow(/malformed|runs past/);
    const short = Buffer.from(batch);
    short.writeInt32BE(0, 57);
    short.writeUInt32BE(crc32c(short, 21, short.length), 17);
    expect(() => splitAndValidate(short, 1 << 20)).toThrow(/declares 0 records/);
    const badCodec = Buffer.from(batch);
    badCodec.writeInt16BE(7, 21);
    badCodec.writeUInt32BE(crc32c(badCodec, 21, badCodec.length), 17);
    expect(() => splitAndValidate(badCodec, 1 << 20)).toThrow(/unknown compression codec 7/);
  });

  it('builds control markers kafkajs recognises, with the right control type', async () => {
    const marker = buildControlBatch(10, 77, 2, ControlType.ABORT, 5000);
    const h = readBatchHeader(marker, 0);
    expect(h).toMatchObject({ baseOffset: 10, producerId: 77, producerEpoch: 2, baseSequence: -1, recordCount: 1 });
    expect(h.attributes & (Attr.CONTROL | Attr.TRANSACTIONAL)).toBe(Attr.CONTROL | Attr.TRANSACTIONAL);
    expect(controlType(marker, 0, marker.length)).toBe(ControlType.ABORT);
    expect(splitAndValidate.bind(null, marker, 1 << 20)).toThrow(/control batches/);
    const decoded = (await kafkajsDecode(
      'fetch',
      11,
      encode(
        fetch.response,
        {
        throttleTimeMs: 0,
        errorCode: 0,
        sessionId: 0,
        responses: [
          {
            topic: 't',
            partitions: [
              {
                partitionIndex: 0,
                errorCode: 0,
                highWatermark: 11,
                lastStableOffset: 11,
                logStartOffset: 0,
                abortedTransactions: [],
                preferredReadReplica: -1,
                records: [marker],
              },
            ],
          },
        ],
      },
      11,
      ),
    )) as { responses: { partitions: { messages: { isControlRecord: boolean; offset: string }[] }[] }[] };
    expect(decoded.responses[0]!.partitions[0]!.messages).toEqual([expect.objectContaining({ isControlRecord: true, offset: '10' })]);
  });
});
