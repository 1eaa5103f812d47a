/**
 * Bad input over raw sockets: malformed, truncated, oversized frames, unknown APIs and versions, corrupt
 * batches. Each gets an error response or closes only its own connection; the broker keeps serving.
 */
import { Kafka, logLevel } from 'kafkajs';
import { ErrorCode } from '@kstreams/protocol/errors';
import * as produce from '@kstreams/protocol/messages/produce';
import { decode } from '@kstreams/protocol/schema';
import { Broker } from '../src/server/broker';
import { kafkajsBatch, kafkajsDecode, kafkajsRequestBody, RawClient, removeDir, requestFrame, tempDir } from './support';

jest.setTimeout(30_000);

describe('bad input', () => {
  let dir: string;
  let broker: Broker;
  const logs: string[] = [];

  beforeAll(async () => {
    dir = tempDir();
    broker = new Broker({ dataDir: dir, maxRequestBytes: 1 << 20, logLevel: 'warn', logSink: (l) => logs.push(l) });
    await broker.listen();
  });
  afterAll(async () => {
    await broker.close();
    removeDir(dir);
  });

  async function apiVersionsWorks(): Promise<void> {
    const c = await RawClient.connect(broker.port);
    c.send(requestFrame(18, 2, 99, Buffer.alloc(0)));
    const f = await c.next();
    expect(f.readInt32BE(0)).toBe(99);
    expect(f.readInt16BE(4)).toBe(ErrorCode.NONE);
    c.close();
  }

  it.each([
    ['an oversized frame', Buffer.from([0x7f, 0xff, 0xff, 0xff, 0, 0, 0, 0]), /invalid frame size 2147483647/],
    ['a negative frame size', Buffer.from([0xff, 0xff, 0xff, 0xfe]), /invalid frame size -2/],
    ['a frame too short for a header', Buffer.from([0, 0, 0, 2, 0, 3]), /invalid frame size 2/],
    ['an unknown API key', requestFrame(999, 0, 1, Buffer.alloc(0)), /unknown API key 999/],
    ['an unsupported version', requestFrame(3, 99, 1, Buffer.alloc(0)), /Metadata v99 is not supported \(this broker serves v0-v12\)/],
    ['a truncated body', requestFrame(3, 6, 1, Buffer.from([0, 0, 0, 1, 0, 5, 65])), /MalformedRequestError: truncated string/],
    ['a lying array count', requestFrame(3, 6, 1, Buffer.from([0x7f, 0, 0, 0, 0])), /array length/],
    ['a bad client id length', Buffer.concat([Buffer.from([0, 0, 0, 10, 0, 3, 0, 6, 0, 0, 0, 1, 0x7f, 0x7f])]), /truncated string/],
  ])('closes the connection on %s, names the problem, and serves others', async (_what, bytes, message) => {
    const c = await RawClient.connect(broker.port);
    logs.length = 0;
    c.send(bytes);
    await c.closed;
    expect(c.isClosed).toBe(true);
    expect(logs.join('\n')).toMatch(message);
    await apiVersionsWorks();
  });

  it('answers ApiVersions at an unknown version with UNSUPPORTED_VERSION in a v0 body', async () => {
    const c = await RawClient.connect(broker.port);
    // a v5 request (newer than served) uses header v2: client id then an empty tagged-field section
    c.send(requestFrame(18, 5, 7, Buffer.from([0, 0, 0])));
    const f = await c.next();
    expect(f.readInt32BE(0)).toBe(7);
    const body = f.subarray(4);
    expect(body.readInt16BE(0)).toBe(ErrorCode.UNSUPPORTED_VERSION);
    expect(body.readInt32BE(2)).toBe(1);
    expect(body.readInt16BE(6)).toBe(18);
    expect(body.length).toBe(12); // v0: no throttle time
    // ...and the connection stays usable
    c.send(requestFrame(18, 0, 8, Buffer.alloc(0)));
    const v0 = await kafkajsDecode<{ apiVersions: { apiKey: number }[] }>('apiVersions', 0, (await c.next()).subarray(4));
    expect(v0.apiVersions.map((a) => a.apiKey)).toContain(22);
    c.close();
  });

  it('answers a corrupt batch with CORRUPT_MESSAGE for that partition and keeps the connection', async () => {
    const admin = new Kafka({ brokers: [`127.0.0.1:${broker.port}`], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'bad', numPartitions: 2 }] });
    await admin.disconnect();
    const good = await kafkajsBatch([{ value: 'fine' }]);
    const bad = Buffer.from(good);
    bad[bad.length - 1] = bad[bad.length - 1]! ^ 1;
    const w = (records: Buffer, partition: number): Buffer => {
      const body = Buffer.alloc(2 + 2 + 4 + 4 + 2 + 3 + 4 + 4 + 4 + 4);
      let at = 0;
      at = body.writeInt16BE(-1, at);
      at = body.writeInt16BE(1, at);
      at = body.writeInt32BE(1000, at);
      at = body.writeInt32BE(1, at);
      at = body.writeInt16BE(3, at);
      at += body.write('bad', at);
      at = body.writeInt32BE(1, at);
      at = body.writeInt32BE(partition, at);
      body.writeInt32BE(records.length, at);
      return Buffer.concat([body.subarray(0, at + 4), records]);
    };
    const c = await RawClient.connect(broker.port);
    c.send(requestFrame(0, 7, 1, w(bad, 0)));
    c.send(requestFrame(0, 7, 2, w(good, 1)));
    const r1 = await c.next();
    const r2 = await c.next();
    expect(r1.readInt32BE(0)).toBe(1);
    expect(r2.readInt32BE(0)).toBe(2);
    expect(decode(produce.response, r1.subarray(4), 7).responses[0]!.partitionResponses[0]!.errorCode).toBe(ErrorCode.CORRUPT_MESSAGE);
    expect(decode(produce.response, r2.subarray(4), 7).responses[0]!.partitionResponses[0]).toMatchObject({ errorCode: 0, baseOffset: 0 });
    c.close();
  });

  it('reassembles frames split byte by byte and answers pipelined frames in order; acks=0 gets no response', async () => {
    const c = await RawClient.connect(broker.port);
    const meta = requestFrame(3, 6, 10, await kafkajsRequestBody('metadata', 6, { topics: [], allowAutoTopicCreation: false }));
    for (const byte of meta) c.send(Buffer.from([byte]));
    expect((await c.next()).readInt32BE(0)).toBe(10);
    const noAck = requestFrame(
      0,
      7,
      11,
      await kafkajsRequestBody('produce', 7, {
        acks: 0,
        timeout: 1000,
        compression: 0,
        topicData: [{ topic: 'bad', partitions: [{ partition: 1, messages: [{ value: 'x' }] }] }],
      }),
    );
    c.send(Buffer.concat([noAck, requestFrame(18, 2, 12, Buffer.alloc(0)), requestFrame(18, 1, 13, Buffer.alloc(0))]));
    expect((await c.next()).readInt32BE(0)).toBe(12);
    expect((await c.next()).readInt32BE(0)).toBe(13);
    c.close();
  });
});
