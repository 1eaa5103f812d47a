/**
 * KafkaStreams without a broker: config validation (unknown and unsupported keys fail naming them), the initial
 * state, and the state Observable. Running behaviour is covered end to end in test/e2e.
 */
import { firstValueFrom } from 'rxjs';
import { ConfigException } from '../../src/errors';
import { KafkaStreams, State } from '../../src/runtime/kafka-streams';
import { StreamsBuilder } from '../../src/dsl/streams-builder';
import { Consumed } from '../../src/dsl/consumed';
import { Serdes } from '../../src/serde/serdes';

function topology() {
  const b = new StreamsBuilder();
  b.stream('in', Consumed.with(Serdes.String(), Serdes.String())).to('out');
  return b.build();
}

const base = { applicationId: 'app', bootstrapServers: '127.0.0.1:9' };

test('unknown config keys fail with a message naming them', () => {
  expect(() => new KafkaStreams(topology(), { ...base, comitIntervalMs: 5 } as never)).toThrow(ConfigException);
  expect(() => new KafkaStreams(topology(), { ...base, comitIntervalMs: 5 } as never)).toThrow(/comitIntervalMs/);
});

test('dotted Kafka names are accepted', () => {
  const streams = new KafkaStreams(topology(), { 'application.id': 'app', 'bootstrap.servers': '127.0.0.1:9', 'commit.interval.ms': 100 });
  expect(streams.state()).toBe(State.CREATED);
});

test.each<[string, object, RegExp]>([
  ['standby replicas', { numStandbyReplicas: 1 }, /num\.standby\.replicas.*not supported/],
  ['several stream threads', { 'num.stream.threads': 2 }, /num\.stream\.threads/],
  ['a transactional id', { 'producer.transactional.id': 'mine' }, /producer\.transactional\.id.*sets the transactional id itself/],
  ['exactly-once without idempotence', { processingGuarantee: 'exactly_once_v2', 'producer.enable.idempotence': false }, /producer\.enable\.idempotence/],
  ['exactly-once without retries', { processingGuarantee: 'exactly_once_v2', 'producer.retries': 0 }, /producer\.retries.*at least 1/],
  ['exactly-once with acks=1', { processingGuarantee: 'exactly_once_v2', 'producer.acks': '1' }, /producer\.acks.*acks=all/],
])('%s are rejected with a clear error', (_what, props, message) => {
  expect(() => new KafkaStreams(topology(), { ...base, ...props })).toThrow(message);
});

test('a new client is CREATED; listeners can be set only then; state$ replays the current state', async () => {
  const streams = new KafkaStreams(topology(), base);
  expect(streams.state()).toBe(State.CREATED);
  expect(await firstValueFrom(streams.state$)).toBe(State.CREATED);
  streams.setStateListener(() => undefined);
  streams.setUncaughtExceptionHandler(() => {
    throw new Error('unused');
  });
  // close before start: straight to NOT_RUNNING
  const changes: string[] = [];
  streams.stateChanges$.subscribe((c) => changes.push(`${c.oldState}->${c.newState}`));
  await expect(streams.close()).resolves.toBe(true);
  expect(streams.state()).toBe(State.NOT_RUNNING);
  expect(changes).toEqual(['CREATED->PENDING_SHUTDOWN', 'PENDING_SHUTDOWN->NOT_RUNNING']);
  expect(() => streams.setStateListener(() => undefined)).toThrow(/before calling start/);
});
