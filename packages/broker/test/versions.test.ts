/**
 * Older, non-flexible API versions: every version kafkajs 2.2.4 can encode, sent through the broker's
 * router, and the answer decoded by kafkajs's decoder for that same version.
 */
import { Reader } from '@kstreams/protocol/reader';
import { apiRange } from '@kstreams/protocol/api-keys';
import { Broker } from '../src/server/broker';
import { dispatch, type RequestContext } from '../src/server/router';
import { kafkajsDecode, kafkajsRequestBody, removeDir, tempDir } from './support';

const T = 'versions-topic';

/** [api directory, API key, builder args] for requests whose answers do not depend on earlier state. */
const cases: [string, number, (v: number) => unknown][] = [
  ['metadata', 3, (v) => ({ topics: [T], allowAutoTopicCreation: v >= 4 })],
  [
    'produce',
    0,
    () => ({ acks: -1, timeout: 1000, compression: 0, topicData: [{ topic: T, partitions: [{ partition: 0, messages: [{ key: 'k', value: 'v' }] }] }] }),
  ],
  [
    'fetch',
    1,
    () => ({ replicaId: -1, maxWaitTime: 0, minBytes: 0, maxBytes: 1 << 20, isolationLevel: 1, topics: [{ topic: T, partitions: [{ partition: 0, fetchOffset: '0', maxBytes: 1 << 20 }] }] }),
  ],
  ['listOffsets', 2, () => ({ replicaId: -1, isolationLevel: 1, topics: [{ topic: T, partitions: [{ partition: 0, timestamp: -1 }] }] })],
  ['offsetCommit', 8, () => ({ groupId: 'vg', groupGenerationId: -1, memberId: '', retentionTime: -1, topics: [{ topic: T, partitions: [{ partition: 0, offset: '1' }] }] })],
  ['offsetFetch', 9, () => ({ groupId: 'vg', topics: [{ topic: T, partitions: [{ partition: 0 }] }] })],
  ['findCoordinator', 10, () => ({ groupId: 'vg', coordinatorKey: 'vg', coordinatorType: 0 })],
  ['heartbeat', 12, () => ({ groupId: 'vg', groupGenerationId: 1, memberId: 'nobody' })],
  ['leaveGroup', 13, (v) => (v >= 3 ? { groupId: 'vg', members: [{ memberId: 'nobody' }] } : { groupId: 'vg', memberId: 'nobody' })],
  ['syncGroup', 14, () => ({ groupId: 'vg', generationId: 1, memberId: 'nobody', groupAssignment: [] })],
  ['describeGroups', 15, () => ({ groupIds: ['vg'] })],
  ['listGroups', 16, () => undefined],
  ['createTopics', 19, (v) => ({ topics: [{ topic: `${T}-new-${v}`, numPartitions: 1, replicationFactor: 1 }], timeout: 1000, validateOnly: true })],
  ['deleteTopics', 20, () => ({ topics: [`${T}-missing`], timeout: 1000 })],
  ['describeConfigs', 32, () => ({ resources: [{ type: 2, name: T, configNames: ['cleanup.policy'] }], includeSynonyms: true })],
  ['alterConfigs', 33, () => ({ resources: [{ type: 2, name: T, configEntries: [{ name: 'retention.ms', value: '1000' }] }], validateOnly: true })],
  ['createPartitions', 37, () => ({ topicPartitions: [{ topic: T, count: 2 }], validateOnly: true, timeout: 1000 })],
  ['deleteGroups', 42, () => ['vg-missing']],
  ['deleteRecords', 21, () => ({ topics: [{ topic: T, partitions: [{ partition: 0, offset: '0' }] }], timeout: 1000 })],
  ['initProducerId', 22, () => ({ transactionalId: null, transactionTimeout: 1000 })],
  ['addOffsetsToTxn', 25, () => ({ transactionalId: 'vtx', producerId: 1, producerEpoch: 0, groupId: 'vg' })],
  ['endTxn', 26, () => ({ transactionalId: 'vtx', producerId: 1, producerEpoch: 0, transactionResult: true })],
];

describe('older API versions', () => {
  let dir: string;
  let broker: Broker;
  beforeAll(async () => {
    dir = tempDir();
    broker = new Broker({ dataDir: dir, logLevel: 'silent' });
    broker.logs.create(T, 1, {});
  });
  afterAll(async () => {
    await broker.close();
    removeDir(dir);
  });

  const all: [string, number, number, (v: number) => unknown][] = [];
  for (const [api, key, args] of cases) {
    const range = apiRange(key)!;
    for (let v = range.minVersion; v <= range.maxVersion; v++) all.push([api, key, v, args]);
  }

  it.each(all.filter(([api, , v]) => hasKafkajsVersion(api, v)))('%s (key %i) v%i round-trips through kafkajs', async (api, key, v, args) => {
    const body = await kafkajsRequestBody(api, v, args(v));
    const reader = new Reader(body);
    const ctx: RequestContext = { apiKey: key, apiVersion: v, correlationId: 1, clientId: 'v', clientHost: '/127.0.0.1', broker };
    const out = await dispatch(ctx, reader);
    expect(out).not.toBeNull();
    expect(reader.remaining).toBe(0); // the whole request was read: no field missed or invented
    const decoded = await kafkajsDecode<Record<string, unknown>>(api, v, Buffer.concat(out!), args(v));
    expect(decoded).toBeDefined();
    const errors = JSON.stringify(decoded, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x)).match(/"errorCode":-?\d+/g) ?? [];
    // only the codes these requests are expected to produce
    for (const e of errors) expect(['"errorCode":0', '"errorCode":25', '"errorCode":69', '"errorCode":49', '"errorCode":3']).toContain(e);
  });
});

function hasKafkajsVersion(api: string, v: number): boolean {
  try {
    require.resolve(`kafkajs/src/protocol/requests/${api}/v${v}/request`);
    return true;
  } catch {
    return false;
  }
}
