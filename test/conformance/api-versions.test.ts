/**
 * Conformance: version negotiation as kafkajs 2.2.4 does it. kafkajs sends ApiVersions v2 (falling
 * back to v1, v0), then uses min(its highest version, the broker's max) for every request and never
 * looks at the broker's min. So the broker must advertise each API kafkajs uses with a max at least
 * kafkajs's highest, and answer ApiVersions at v0, v1 and v2 alike.
 */
import { startTestBroker, type TestBroker } from '../support/broker';
import { apiVersionsRequest, parseApiVersionsResponse, RawConnection } from '../support/raw-kafka';

jest.setTimeout(30_000);

/** kafkajs 2.2.4's highest implemented version per API it calls for produce, consume, groups, txns, admin. */
const KAFKAJS_MAX: Record<string, [apiKey: number, max: number]> = {
  Produce: [0, 7],
  Fetch: [1, 11],
  ListOffsets: [2, 3],
  Metadata: [3, 6],
  OffsetCommit: [8, 5],
  OffsetFetch: [9, 4],
  FindCoordinator: [10, 2],
  JoinGroup: [11, 5],
  Heartbeat: [12, 3],
  LeaveGroup: [13, 3],
  SyncGroup: [14, 3],
  DescribeGroups: [15, 2],
  ListGroups: [16, 2],
  ApiVersions: [18, 2],
  CreateTopics: [19, 3],
  DeleteTopics: [20, 1],
  DeleteRecords: [21, 1],
  InitProducerId: [22, 1],
  AddPartitionsToTxn: [24, 1],
  AddOffsetsToTxn: [25, 1],
  EndTxn: [26, 1],
  TxnOffsetCommit: [28, 1],
  DescribeConfigs: [32, 2],
  AlterConfigs: [33, 1],
  CreatePartitions: [37, 1],
  DeleteGroups: [42, 1],
};

let broker: TestBroker;

beforeAll(async () => {
  broker = await startTestBroker();
});

afterAll(async () => {
  await broker?.close();
});

describe('ApiVersions', () => {
  test.each([0, 1, 2])('v%i lists every API kafkajs uses, with a max at or above its highest version', async (version) => {
    const conn = await RawConnection.open(broker.bootstrapServers);
    try {
      conn.send(apiVersionsRequest(100 + version, version));
      const answer = await conn.next(5000);
      if (answer.kind !== 'frame') throw new Error(`ApiVersions v${version}: ${answer.kind}`);
      const parsed = parseApiVersionsResponse(answer.frame);
      expect(parsed.correlationId).toBe(100 + version);
      expect(parsed.errorCode).toBe(0);
      const missing = Object.entries(KAFKAJS_MAX)
        .filter(([, [apiKey, max]]) => {
          const range = parsed.apiKeys.get(apiKey);
          return range === undefined || range[1] < max || range[0] > range[1];
        })
        .map(([name, [apiKey, max]]) => `${name}(${apiKey}) needs max >= ${max}, has ${JSON.stringify(parsed.apiKeys.get(apiKey) ?? null)}`);
      expect(missing).toEqual([]);
      // v1+ append throttle_time_ms after the list: 4 more bytes than v0.
      const listEnd = 10 + parsed.apiKeys.size * 6;
      expect(answer.frame.length).toBe(version === 0 ? listEnd : listEnd + 4);
    } finally {
      conn.destroy();
    }
  });
});
