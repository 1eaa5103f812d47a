/**
 * The broker-free parts of interactive queries: parameters and host parsing, `application.server` in the
 * subscription next to the assignor's own fields, key-to-host metadata, value rendering, and the errors of
 * `store`/metadata calls before `start()`.
 */
import { IllegalArgumentException, ConfigException, StreamsNotStartedException, UnknownStateStoreException } from '../../src/errors';
import { KafkaStreams } from '../../src/runtime/kafka-streams';
import { StreamsPartitionAssignor, decodeSubscription } from '../../src/runtime/streams-partition-assignor';
import { StreamsBuilder } from '../../src/dsl/streams-builder';
import { Consumed } from '../../src/dsl/consumed';
import { Materialized } from '../../src/dsl/materialized';
import { Serdes } from '../../src/serde/serdes';
import { partitionForKey } from '../../src/runtime/partitioner';
import { HostInfo } from '../../src/query/host-info';
import { KeyQueryMetadata } from '../../src/query/streams-metadata';
import { StreamsMetadataState } from '../../src/query/streams-metadata-state';
import { QueryableStoreTypes } from '../../src/query/queryable-store-types';
import { StoreQueryParameters } from '../../src/query/store-query-parameters';
import { applicationServerOf, withApplicationServer } from '../../src/query/application-server-subscription';
import { isJsonable, render } from '../../src/query/http/value-rendering';
import { toHttpError } from '../../src/query/http/query-http-error';
import { StreamsRebalancingException, StateStoreNotAvailableException } from '../../src/errors';

test('StoreQueryParameters are immutable and validated', () => {
  const p = StoreQueryParameters.fromNameAndType('counts', QueryableStoreTypes.keyValueStore<string, number>());
  const q = p.withPartition(3).enableStaleStores();
  expect([p.partition(), p.staleStoresEnabled()]).toEqual([null, false]);
  expect([q.storeName(), q.partition(), q.staleStoresEnabled(), q.queryableStoreType().name]).toEqual(['counts', 3, true, 'keyValueStore']);
  expect(() => p.withPartition(-1)).toThrow(IllegalArgumentException);
  expect(() => p.withPartition(1.5)).toThrow(/non-negative integer/);
  expect(() => StoreQueryParameters.fromNameAndType('', QueryableStoreTypes.keyValueStore())).toThrow(/storeName/);
  expect(() => StoreQueryParameters.fromNameAndType('x', {} as never)).toThrow(/QueryableStoreTypes/);
});

test('HostInfo parses host:port and names a bad endpoint', () => {
  expect(HostInfo.buildFromEndpoint('10.0.0.1:7070')!.equals(new HostInfo('10.0.0.1', 7070))).toBe(true);
  expect(HostInfo.buildFromEndpoint('[::1]:80')!.host()).toBe('::1');
  expect(HostInfo.buildFromEndpoint('[::1]:80')!.endpoint()).toBe('[::1]:80');
  expect(HostInfo.buildFromEndpoint('')).toBeNull();
  expect(() => HostInfo.buildFromEndpoint('nohost')).toThrow(ConfigException);
  expect(() => HostInfo.buildFromEndpoint('h:99999')).toThrow(/h:99999/);
  expect(HostInfo.unavailable().port()).toBe(-1);
});

test('application.server rides in the subscription beside the assignor fields, which still decode', () => {
  const inner = new StreamsPartitionAssignor({
    processId: 'p1',
    subtopologies: [],
    activeTasks: () => ['0_1'],
    cachedTasks: () => ['0_2'],
    shutdownRequested: () => false,
  });
  const wrapped = withApplicationServer(inner, 'host-a:7001');
  const data = wrapped.subscriptionUserData();
  expect(applicationServerOf(data)).toBe('host-a:7001');
  expect(decodeSubscription(data)).toEqual(decodeSubscription(inner.subscriptionUserData()));
  expect(applicationServerOf(inner.subscriptionUserData())).toBeNull();
  expect(applicationServerOf(Buffer.from('not json'))).toBeNull();
  expect(wrapped.name).toBe(inner.name);
});

test('metadata: NOT_AVAILABLE before the first assignment, then the active host of the key partition', () => {
  const counts = new Map([
    ['in', 4],
    ['other', 4],
  ]);
  const state = new StreamsMetadataState(new Map([['store', ['in', 'other']]]), () => counts, new HostInfo('a', 1));
  expect(state.keyQueryMetadataForKey('store', 'k', Serdes.String().serializer())).toBe(KeyQueryMetadata.NOT_AVAILABLE);
  expect(state.allMetadata()).toEqual([]);
  const a = new HostInfo('a', 1);
  const b = new HostInfo('b', 2);
  state.onChange([
    { host: b, active: [{ topic: 'in', partition: 2 }, { topic: 'in', partition: 3 }, { topic: 'other', partition: 2 }, { topic: 'other', partition: 3 }], standby: [{ topic: 'in', partition: 0 }] },
    { host: a, active: [{ topic: 'in', partition: 0 }, { topic: 'in', partition: 1 }, { topic: 'other', partition: 0 }, { topic: 'other', partition: 1 }], standby: [] },
  ]);
  expect(state.allMetadata().map((m) => m.hostInfo().endpoint())).toEqual(['a:1', 'b:2']);
  for (const key of ['alpha', 'beta', 'gamma', 'delta', 'epsilon']) {
    const p = partitionForKey(Buffer.from(key), 4);
    const md = state.keyQueryMetadataForKey('store', key, Serdes.String().serializer())!;
    expect(md.partition()).toBe(p);
    expect(md.activeHost().equals(p < 2 ? a : b)).toBe(true);
    expect(md.standbyHosts().map((h) => h.endpoint())).toEqual(p === 0 ? ['b:2'] : []);
  }
  const viaPartitioner = state.keyQueryMetadataForKey('store', 'x', () => 3)!;
  expect([viaPartitioner.partition(), viaPartitioner.activeHost().endpoint()]).toEqual([3, 'b:2']);
  expect(() => state.keyQueryMetadataForKey('store', 'x', () => 9)).toThrow(/partition 9/);
  expect(state.keyQueryMetadataForKey('nope', 'x', Serdes.String().serializer())).toBeNull();
  expect(state.allMetadataForStore('store')).toHaveLength(2);
  expect(state.localMetadata()!.topicPartitions()).toHaveLength(4);
});

test('values render as JSON when they are JSON data, else as base64 of their serialized bytes', () => {
  expect(render({ a: [1, 'x', null] }, null, 't')).toEqual({ data: { a: [1, 'x', null] }, format: 'json' });
  expect(render(42, Serdes.Long().serializer(), 't')).toEqual({ data: 42, format: 'json' });
  expect(render(Buffer.from([1, 2]), Serdes.ByteArray().serializer() as never, 't')).toEqual({ data: 'AQI=', format: 'base64' });
  expect(render(7n, Serdes.BigInt().serializer() as never, 't')).toEqual({ data: Buffer.from([0, 0, 0, 0, 0, 0, 0, 7]).toString('base64'), format: 'base64' });
  expect(isJsonable(Number.NaN)).toBe(false);
  expect(isJsonable(new Date())).toBe(false);
});

test('query errors map to HTTP statuses with a retryable flag', () => {
  expect([toHttpError(new UnknownStateStoreException('x')).status, toHttpError(new UnknownStateStoreException('x')).retryable]).toEqual([404, false]);
  expect([toHttpError(new StreamsRebalancingException('x')).status, toHttpError(new StreamsRebalancingException('x')).retryable]).toEqual([503, true]);
  expect([toHttpError(new StateStoreNotAvailableException('x')).status, toHttpError(new StateStoreNotAvailableException('x')).retryable]).toEqual([503, false]);
  expect(toHttpError(new Error('boom')).status).toBe(500);
});

test('before start, store() and metadata calls throw StreamsNotStartedException (Kafka message); unknown feeds fail', () => {
  const b = new StreamsBuilder();
  b.stream('in', Consumed.with(Serdes.String(), Serdes.String())).groupByKey().count(Materialized.as<string, number>('counts'));
  const streams = new KafkaStreams(b.build(), { applicationId: 'app', bootstrapServers: '127.0.0.1:9', applicationServer: 'localhost:7000' });
  const params = StoreQueryParameters.fromNameAndType('counts', QueryableStoreTypes.keyValueStore<string, number>());
  expect(() => streams.store(params)).toThrow(StreamsNotStartedException);
  expect(() => streams.store(params)).toThrow('KafkaStreams has not been started, you can retry after calling start()');
  expect(() => streams.queryMetadataForKey('counts', 'k', Serdes.String().serializer())).toThrow(StreamsNotStartedException);
  expect(() => streams.metadataForAllStreamsClients()).toThrow(StreamsNotStartedException);
  expect(() => streams.changes$('nope')).toThrow(UnknownStateStoreException);
  expect(streams.metadataForLocalThreads()).toEqual([]);
  expect(() => new KafkaStreams(b.build(), { applicationId: 'app', bootstrapServers: '127.0.0.1:9', applicationServer: 'no-port' })).toThrow(/application\.server/);
});
