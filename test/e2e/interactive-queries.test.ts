/**
 * Interactive queries across two instances of one app on one broker: every word's count answered through either
 * instance's HTTP server (locally or forwarded one hop), metadata naming the instance and partition that hold it,
 * key ranges and scans paged over both instances, window and session stores, committed change feeds over SSE,
 * typed errors for bad input, and a retryable error during a rebalance that succeeds after it.
 */
import { Partitioners, type Kafka } from 'kafkajs';
import {
  Consumed,
  Grouped,
  InteractiveQueryServer,
  InvalidStateStorePartitionException,
  KafkaStreams,
  Materialized,
  QueryableStoreTypes,
  Serdes,
  SessionWindows,
  State,
  StoreQueryParameters,
  StreamsBuilder,
  StreamsRebalancingException,
  IllegalStateException,
  InvalidStateStoreException,
  UnknownStateStoreException,
  TimeWindows,
  type Topology,
} from '@kstreams/streams';
import { startTestBroker, type TestBroker } from '../support/broker';
import { createKafka, createTopic } from '../support/kafka-client';
import { uniqueName } from '../support/unique-name';
import { waitFor } from '../support/wait-for';
import { produceLines, tempStateDir, wordLines } from './e2e-support';
import { closeAgent, freePort, getJson, SseReader } from './iq-support';

jest.setTimeout(180_000);

const COUNTS = 'counts';
const WINDOWED = 'windowed-counts';
const SESSIONS = 'session-counts';

function topology(input: string): Topology {
  const builder = new StreamsBuilder();
  // keyed by word already: one sub-topology, so its four tasks split evenly over the instances
  const words = builder.stream<string, string>(input, Consumed.with(Serdes.String(), Serdes.String())).groupByKey(Grouped.with(Serdes.String(), Serdes.String()));
  words.count(Materialized.as<string, number>(COUNTS));
  words.windowedBy(TimeWindows.ofSizeWithNoGrace(3_600_000)).count(Materialized.as<string, number>(WINDOWED));
  words.windowedBy(SessionWindows.ofInactivityGapWithNoGrace(3_600_000)).count(Materialized.as<string, number>(SESSIONS));
  return builder.build();
}

interface Instance {
  readonly streams: KafkaStreams;
  readonly server: InteractiveQueryServer;
  readonly port: number;
  readonly endpoint: string;
  readonly dir: { dir: string; remove(): void };
}

let broker: TestBroker;
let kafka: Kafka;
let app: string;
let input: string;
const instances: Instance[] = [];
const expected = new Map<string, number>();

async function launch(start: boolean): Promise<Instance> {
  const port = await freePort();
  const dir = tempStateDir();
  const endpoint = `127.0.0.1:${port}`;
  const streams = new KafkaStreams(topology(input), {
    applicationId: app,
    bootstrapServers: broker.bootstrapServers,
    stateDir: dir.dir,
    applicationServer: endpoint,
    commitIntervalMs: 200,
    'consumer.heartbeat.interval.ms': 300,
  });
  const server = new InteractiveQueryServer(streams, { port, host: '127.0.0.1', maxPageSize: 500 });
  await server.start();
  const inst = { streams, server, port, endpoint, dir };
  instances.push(inst);
  if (start) await streams.start();
  return inst;
}

/** The instance running the task of partition p. */
function ownerOfPartition(p: number): Instance | undefined {
  return instances.find((i) => i.streams.state() !== State.NOT_RUNNING && i.streams.activeTaskIds().includes(`0_${p}`));
}

/** The partition the producer (kafkajs' Java-compatible default partitioner) wrote a word to. */
function producedPartition(word: string): number {
  const partitionMetadata = [0, 1, 2, 3].map((partitionId) => ({ partitionId, leader: 0, replicas: [0], isr: [0], partitionErrorCode: 0, offlineReplicas: [] }));
  return Partitioners.DefaultPartitioner()({ topic: input, partitionMetadata, message: { key: word, value: word } });
}

async function allRunningWithMetadata(n: number): Promise<void> {
  const live = instances.filter((i) => i.streams.state() !== State.NOT_RUNNING);
  await waitFor(
    () =>
      live.every((i) => i.streams.state() === State.RUNNING && i.streams.metadataForAllStreamsClients().length === n) &&
      [0, 1, 2, 3].every((p) => ownerOfPartition(p) !== undefined) &&
      // every instance's metadata names the instance running each count task
      live.every((i) =>
        [0, 1, 2, 3].every((p) =>
          i.streams
            .metadataForAllStreamsClients()
            .some((m) => m.hostInfo().endpoint() === ownerOfPartition(p)!.endpoint && m.topicPartitions().some((tp) => tp.partition === p && tp.topic === input)),
        ),
      ),
    60_000,
    { description: `${n} instances running with metadata of every partition`, intervalMs: 100 },
  );
}

async function produce(count: number, seed: number): Promise<void> {
  const batch = wordLines(count, seed, 40);
  for (const [w, n] of batch.expected) expected.set(w, (expected.get(w) ?? 0) + n);
  await produceLines(kafka, input, batch.lines.flatMap((l) => l.split(' ').map((w) => [w, w] as const)));
}

async function countsVisibleThrough(port: number): Promise<void> {
  let last = '';
  await waitFor(
    async () => {
      for (const [w, n] of expected) {
        const r = await getJson(port, `/stores/${COUNTS}/keys/${w}`);
        if (r.status !== 200 || r.body['value'] !== n) {
          last = `${w}=${n}: ${r.status} ${JSON.stringify(r.body)}`;
          return false;
        }
      }
      return true;
    },
    60_000,
    { description: `every count visible through port ${port} (last answer: ${last})`, intervalMs: 100 },
  ).catch((e: Error) => {
    throw new Error(`${e.message}; last answer ${last}`);
  });
}

beforeAll(async () => {
  broker = await startTestBroker();
  kafka = createKafka(broker.bootstrapServers);
  app = uniqueName('iq');
  input = `${app}-in`;
  await createTopic(kafka, input, 4);
  await launch(true);
  await launch(true);
  await allRunningWithMetadata(2);
  await produce(400, 11);
  await countsVisibleThrough(instances[0]!.port);
});

afterAll(async () => {
  for (const i of instances) {
    await i.server.close();
    await i.streams.close();
    i.dir.remove();
  }
  closeAgent();
  await broker?.close();
});

test('every word is answered correctly through either instance, locally or forwarded one hop to its owner', async () => {
  const [a, b] = instances as [Instance, Instance];
  let forwarded = 0;
  for (const [w, n] of expected) {
    const md = a.streams.queryMetadataForKey(COUNTS, w, Serdes.String().serializer())!;
    expect(md.partition()).toBe(producedPartition(w));
    const owner = ownerOfPartition(md.partition())!;
    // the metadata names the instance whose task holds the key's partition, and that task's store has it
    expect(md.activeHost().endpoint()).toBe(owner.endpoint);
    expect(b.streams.queryMetadataForKey(COUNTS, w, Serdes.String().serializer())!.partition()).toBe(md.partition());
    const local = owner.streams.store(StoreQueryParameters.fromNameAndType(COUNTS, QueryableStoreTypes.keyValueStore<string, number>()).withPartition(md.partition()));
    expect(local.get(w)).toBe(n);
    for (const via of [a, b]) {
      const r = await getJson(via.port, `/stores/${COUNTS}/keys/${encodeURIComponent(w)}`);
      expect({ status: r.status, body: r.body }).toMatchObject({ status: 200, body: { found: true }});
      expect(r.body).toMatchObject({ found: true, key: w, keyFormat: 'json', value: n, valueFormat: 'json', partition: md.partition(), servedBy: owner.endpoint });
      expect(typeof r.body['timestamp']).toBe('number');
      if (via !== owner) {
        forwarded++;
        expect(r.headers['x-kstreams-forwarded-to']).toBe(owner.endpoint);
      } else {
        expect(r.headers['x-kstreams-forwarded-to']).toBeUndefined();
      }
    }
    const m = await getJson(b.port, `/stores/${COUNTS}/keys/${encodeURIComponent(w)}/metadata`);
    expect(m.body).toMatchObject({ partition: md.partition(), activeHost: { host: '127.0.0.1', port: owner.port } });
  }
  expect(forwarded).toBe(expected.size);
});

test('local store views: only local partitions, stale-free while running, typed errors for a foreign partition', () => {
  const [a, b] = instances as [Instance, Instance];
  const view = a.streams.store(StoreQueryParameters.fromNameAndType(COUNTS, QueryableStoreTypes.keyValueStore<string, number>()));
  const localWords = [...view.all()].map((e) => e.key);
  const partitionOf = (w: string): number => a.streams.queryMetadataForKey(COUNTS, w, Serdes.String().serializer())!.partition();
  const aParts = new Set(a.streams.activeTaskIds().map((t) => Number(t.slice(2))));
  expect(aParts.size).toBe(2);
  expect(localWords.length).toBeGreaterThan(0);
  expect(localWords.every((w) => aParts.has(partitionOf(w)))).toBe(true);
  for (const [w, n] of expected) expect(view.get(w)).toBe(aParts.has(partitionOf(w)) ? n : null);
  // an estimate: RocksDB's count leaves out entries still in the record cache (not flushed until the next commit)
  const approx = view.approximateNumEntries();
  expect(Number.isInteger(approx) && approx >= 0 && approx <= localWords.length * 2).toBe(true);
  const ts = a.streams.store(StoreQueryParameters.fromNameAndType(COUNTS, QueryableStoreTypes.timestampedKeyValueStore<string, number>()));
  expect(ts.get(localWords[0]!)!.value).toBe(expected.get(localWords[0]!));
  const foreign = [0, 1, 2, 3].find((p) => !aParts.has(p))!;
  const narrowed = a.streams.store(StoreQueryParameters.fromNameAndType(COUNTS, QueryableStoreTypes.keyValueStore<string, number>()).withPartition(foreign));
  expect(() => narrowed.get('w1')).toThrow(InvalidStateStorePartitionException);
  expect(() => a.streams.store(StoreQueryParameters.fromNameAndType('nope', QueryableStoreTypes.keyValueStore()))).toThrow(UnknownStateStoreException);
  const wrongType = a.streams.store(StoreQueryParameters.fromNameAndType(WINDOWED, QueryableStoreTypes.keyValueStore<string, number>()));
  expect(() => wrongType.get('w1')).toThrow(InvalidStateStoreException);
  expect(() => wrongType.get('w1')).toThrow(/queryable store type \[keyValueStore\] does not accept the actual store type \[MeteredTimestampedWindowStore\]/);
  // metadata: both instances, each with the count store and its own partitions
  const all = b.streams.metadataForAllStreamsClients();
  expect(all.map((m) => m.hostInfo().endpoint()).sort()).toEqual([a.endpoint, b.endpoint].sort());
  expect(b.streams.streamsMetadataForStore(COUNTS).every((m) => m.stateStoreNames().has(COUNTS))).toBe(true);
  expect(b.streams.streamsMetadataForStore('no-such-store')).toEqual([]);
  const threads = a.streams.metadataForLocalThreads();
  expect(threads).toHaveLength(1);
  expect(threads[0]!.activeTasks.map((t) => t.taskId).sort()).toEqual(a.streams.activeTaskIds());
});

test('window and session stores are queryable through either instance', async () => {
  const [a, b] = instances as [Instance, Instance];
  for (const [w, n] of expected) {
    for (const via of [a, b]) {
      const win = await getJson(via.port, `/stores/${WINDOWED}/windows/${w}?from=0&to=${Date.now() + 3_600_000}`);
      expect(win.status).toBe(200);
      const windows = win.body['windows'] as Array<{ value: number; windowStart: number; windowEnd: number }>;
      expect(windows.reduce((s, x) => s + x.value, 0)).toBe(n);
      expect(windows.every((x) => x.windowEnd - x.windowStart === 3_600_000)).toBe(true);
      const ses = await getJson(via.port, `/stores/${SESSIONS}/sessions/${w}`);
      expect(ses.status).toBe(200);
      expect((ses.body['sessions'] as Array<{ value: number }>).reduce((s, x) => s + x.value, 0)).toBe(n);
    }
  }
  // the same through the local API of the owner
  const w = [...expected.keys()][0]!;
  const owner = ownerOfPartition(a.streams.queryMetadataForKey(COUNTS, w, Serdes.String().serializer())!.partition())!;
  const ws = owner.streams.store(StoreQueryParameters.fromNameAndType(WINDOWED, QueryableStoreTypes.windowStore<string, number>()));
  expect([...ws.fetch(w, 0, Date.now() + 3_600_000)].reduce((s, e) => s + e.value, 0)).toBe(expected.get(w));
  const ss = owner.streams.store(StoreQueryParameters.fromNameAndType(SESSIONS, QueryableStoreTypes.sessionStore<string, number>()));
  expect([...ss.fetch(w)].reduce((s, e) => s + e.value, 0)).toBe(expected.get(w));
});

test('ranges and full scans gather both instances, in key-byte order, page by page', async () => {
  const [a, b] = instances as [Instance, Instance];
  for (const via of [a, b]) {
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 100; page++) {
      const r: Awaited<ReturnType<typeof getJson>> = await getJson(via.port, `/stores/${COUNTS}/all?limit=7${after ? `&after=${encodeURIComponent(after)}` : ''}`);
      expect(r.status).toBe(200);
      const items = r.body['items'] as Array<{ key: string; value: number }>;
      expect(items.length).toBeLessThanOrEqual(7);
      for (const it of items) {
        expect(it.value).toBe(expected.get(it.key));
        seen.push(it.key);
      }
      after = r.body['next'] as string | null;
      if (after === null) break;
    }
    expect(seen).toEqual([...expected.keys()].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y))));
  }
  const r = await getJson(b.port, `/stores/${COUNTS}/range?from=w1&to=w2&limit=500`);
  const keys = (r.body['items'] as Array<{ key: string }>).map((i) => i.key);
  expect(keys).toEqual([...expected.keys()].filter((k) => k >= 'w1' && k <= 'w2').sort());
});

test('the SSE feeds deliver each committed update once per subscriber, per store and per key', async () => {
  const [a, b] = instances as [Instance, Instance];
  const word = [...expected.keys()].find((w) => ownerOfPartition(a.streams.queryMetadataForKey(COUNTS, w, Serdes.String().serializer())!.partition()) === a)!;
  const storeFeeds = [new SseReader(a.port, `/stores/${COUNTS}/changes`), new SseReader(a.port, `/stores/${COUNTS}/changes`)];
  const keyFeed = new SseReader(b.port, `/stores/${COUNTS}/keys/${word}/changes`); // forwarded to A
  const rxUpdates: Array<{ key: string; value: number | null }> = [];
  const rx = a.streams.changes$<string, number>(COUNTS).subscribe((c) => rxUpdates.push({ key: c.key, value: c.value }));
  try {
    for (const f of [...storeFeeds, keyFeed]) await f.live;
    const before = new Map(expected);
    await produce(300, 12);
    await countsVisibleThrough(a.port);
    const aParts = new Set(a.streams.activeTaskIds().map((t) => Number(t.slice(2))));
    const aWords = [...expected.keys()].filter((w) => aParts.has(a.streams.queryMetadataForKey(COUNTS, w, Serdes.String().serializer())!.partition()));
    // every count increment of A's words arrives once, in order: before+1, …, final
    const asUpdates = (f: SseReader): Array<{ key: unknown; value: unknown }> => f.events.map((e) => ({ key: e.data['key'], value: e.data['value'] }));
    const complete = (events: Array<{ key: unknown; value: unknown }>): boolean =>
      aWords.every((w) => events.filter((e) => e.key === w).length === expected.get(w)! - (before.get(w) ?? 0));
    await waitFor(() => storeFeeds.every((f) => complete(asUpdates(f))) && complete(rxUpdates), 60_000, {
      description: 'store feeds complete',
      intervalMs: 100,
    });
    for (const events of [...storeFeeds.map(asUpdates), rxUpdates]) {
      expect(new Set(events.map((e) => e.key)).size).toBe(aWords.filter((w) => expected.get(w) !== before.get(w)).length);
      for (const w of aWords) {
        const values = events.filter((e) => e.key === w).map((e) => e.value);
        const from = before.get(w) ?? 0;
        expect(values).toEqual(Array.from({ length: expected.get(w)! - from }, (_, i) => from + i + 1));
      }
    }
    const firstStoreEvent = storeFeeds[0]!.events[0]!.data;
    expect(firstStoreEvent['oldValue']).toBe((firstStoreEvent['value'] as number) - 1 || null);
    await waitFor(() => keyFeed.events.length === expected.get(word)! - (before.get(word) ?? 0), 60_000, { description: 'key feed complete' });
    expect(keyFeed.headers['x-kstreams-forwarded-to']).toBe(a.endpoint);
    expect(keyFeed.events.every((e) => e.data['key'] === word && e.event === 'change')).toBe(true);
    expect(keyFeed.events.map((e) => e.data['value'])).toEqual(Array.from({ length: expected.get(word)! - (before.get(word) ?? 0) }, (_, i) => (before.get(word) ?? 0) + i + 1));
  } finally {
    rx.unsubscribe();
    for (const f of [...storeFeeds, keyFeed]) f.close();
  }
  expect(b.streams.state()).toBe(State.RUNNING);
});

test('bad input gets a JSON error naming the problem, and the servers keep serving', async () => {
  const [a, b] = instances as [Instance, Instance];
  const cases: Array<[string, number, string, RegExp]> = [
    ['/stores/nope/keys/w1', 404, 'UnknownStateStore', /nope/],
    [`/stores/${WINDOWED}/keys/w1`, 400, 'WrongStoreType', /windowed-counts is a window store/],
    [`/stores/${COUNTS}/windows/w1`, 400, 'WrongStoreType', /counts is a keyValue store/],
    [`/stores/${COUNTS}/sessions/w1`, 400, 'WrongStoreType', /not a session store/],
    [`/stores/${COUNTS}/keys/%7Bbad?keyFormat=json`, 400, 'MalformedKey', /not a key of store counts/],
    [`/stores/${COUNTS}/keys/!!!?keyFormat=base64`, 400, 'MalformedKey', /keyFormat=base64/],
    [`/stores/${COUNTS}/keys/12?keyFormat=json`, 400, 'MalformedKey', /not a string/],
    [`/stores/${COUNTS}/keys/%E0%A4%A`, 400, 'MalformedKey', /percent-encoding/],
    [`/stores/${COUNTS}/keys/w1?keyFormat=xml`, 400, 'BadRequest', /keyFormat/],
    [`/stores/${COUNTS}/range?from=w9&to=w1`, 400, 'InvalidRange', /inverted/],
    [`/stores/${COUNTS}/all?limit=0`, 400, 'InvalidPageSize', /1 to 500/],
    [`/stores/${COUNTS}/all?limit=501`, 400, 'InvalidPageSize', /1 to 500/],
    [`/stores/${COUNTS}/all?limit=ten`, 400, 'InvalidPageSize', /ten/],
    [`/stores/${COUNTS}/all?after=***`, 400, 'InvalidCursor', /cursor/],
    [`/stores/${WINDOWED}/windows/w1?from=yesterday`, 400, 'InvalidTime', /yesterday/],
    [`/stores/${WINDOWED}/windows/w1?from=200&to=100`, 400, 'InvalidRange', /from 200 > to 100/],
    ['/nothing/here', 404, 'UnknownEndpoint', /\/nothing\/here/],
  ];
  for (const [path, status, code, message] of cases) {
    for (const via of [a, b]) {
      const r = await getJson(via.port, path);
      expect({ path, status: r.status, error: r.body['error'] }).toEqual({ path, status, error: code });
      expect(r.body['message']).toMatch(message);
      expect(r.body['retryable']).toBe(false);
    }
  }
  const post = await getJson(a.port, `/stores/${COUNTS}/keys/w1`, { method: 'POST' });
  expect([post.status, post.body['error']]).toEqual([405, 'MethodNotAllowed']);
  // a forwarded request reaching a non-owner is answered there, never forwarded again
  const bWord = [...expected.keys()].find((w) => ownerOfPartition(a.streams.queryMetadataForKey(COUNTS, w, Serdes.String().serializer())!.partition()) === b)!;
  const loop = await getJson(a.port, `/stores/${COUNTS}/keys/${bWord}`, { headers: { 'x-kstreams-forwarded': b.endpoint } });
  expect([loop.status, loop.body['error'], loop.body['retryable']]).toEqual([503, 'NotOwner', true]);
  expect(loop.body['message']).toContain(b.endpoint);
  // an unreachable owner: B's server stops while B keeps its tasks
  await b.server.close();
  const unreachable = await getJson(a.port, `/stores/${COUNTS}/keys/${bWord}`);
  expect([unreachable.status, unreachable.body['error'], unreachable.body['retryable']]).toEqual([502, 'OwnerUnreachable', true]);
  expect(unreachable.body['message']).toContain(b.endpoint);
  await b.server.start();
  // still serving, and the app untouched
  const ok = await getJson(a.port, `/stores/${COUNTS}/keys/${bWord}`);
  expect([ok.status, ok.body['value']]).toEqual([200, expected.get(bWord)]);
  expect([a.streams.state(), b.streams.state()]).toEqual([State.RUNNING, State.RUNNING]);
});

test('a query during a rebalance gets a retryable error and succeeds after it', async () => {
  const [a] = instances as [Instance, Instance];
  const word = [...expected.keys()][0]!;
  const duringRebalance: unknown[] = [];
  const sub = a.streams.stateChanges$.subscribe((c) => {
    if (c.newState !== State.REBALANCING) return;
    try {
      a.streams.store(StoreQueryParameters.fromNameAndType(COUNTS, QueryableStoreTypes.keyValueStore<string, number>())).get(word);
      duringRebalance.push('answered');
    } catch (e) {
      duringRebalance.push(e);
    }
  });
  try {
    const c = await launch(false);
    const starting = c.streams.start();
    // C is REBALANCING until the group (whose members heartbeat every 300 ms) hands it tasks
    const early = await getJson(c.port, `/stores/${COUNTS}/keys/${word}`);
    expect(early.status).toBe(503);
    expect(early.body['retryable']).toBe(true);
    expect(early.headers['retry-after']).toBe('1');
    await starting;
    await allRunningWithMetadata(3);
    expect(duringRebalance.length).toBeGreaterThan(0);
    expect(duringRebalance[0]).toBeInstanceOf(StreamsRebalancingException);
    expect((duringRebalance[0] as Error).message).toBe(`Cannot get state store ${COUNTS} because the stream thread is REBALANCING, not RUNNING`);
    await countsVisibleThrough(c.port);
    for (const i of instances) await countsVisibleThrough(i.port);
  } finally {
    sub.unsubscribe();
  }
});

test('a closed instance refuses queries with typed errors, its feeds complete, and the others answer everything', async () => {
  const c = instances[2]!;
  const completed = new Promise<void>((resolve) => c.streams.changes$(COUNTS).subscribe({ complete: () => resolve() }));
  const view = c.streams.store(StoreQueryParameters.fromNameAndType(COUNTS, QueryableStoreTypes.keyValueStore<string, number>()));
  await c.streams.close();
  await completed;
  expect(() => c.streams.store(StoreQueryParameters.fromNameAndType(COUNTS, QueryableStoreTypes.keyValueStore()))).toThrow(IllegalStateException);
  expect(() => c.streams.store(StoreQueryParameters.fromNameAndType(COUNTS, QueryableStoreTypes.keyValueStore()))).toThrow('KafkaStreams is not running. State is NOT_RUNNING.');
  expect(() => view.get('w1')).toThrow(/not available: KafkaStreams is not running/);
  const r = await getJson(c.port, `/stores/${COUNTS}/keys/w1`);
  expect([r.status, r.body['error'], r.body['retryable']]).toEqual([503, 'StreamsNotRunning', false]);
  await allRunningWithMetadata(2);
  for (const i of instances.slice(0, 2)) await countsVisibleThrough(i.port);
});
