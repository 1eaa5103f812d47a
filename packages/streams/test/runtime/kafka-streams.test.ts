/**
 * KafkaStreams without a broker: config validation (unknown and unsupported keys fail naming them), the initial
 * state, and the state Observable. Running behaviour is covered end to end in test/e2e.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firstValueFrom } from 'rxjs';
import { ConfigException, ProcessorStateException } from '../../src/errors';
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

describe('applicationId is checked at construction as a Kafka topic-name prefix', () => {
  test.each(['my app!', 'app/with/slash', 'ünïcode', '.', '..', 'x'.repeat(250)])('%j is refused with a ConfigException naming the key', (id) => {
    let error: unknown;
    try {
      new KafkaStreams(topology(), { ...base, applicationId: id });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigException);
    expect((error as Error).message).toMatch(/"applicationId" \(application\.id\)/);
  });

  test('the dotted spelling is named when the user wrote it, with the illegal characters', () => {
    expect(() => new KafkaStreams(topology(), { 'application.id': 'my app!', bootstrapServers: '127.0.0.1:9' })).toThrow(
      /"application\.id" \(applicationId\).*illegal: " ", "!"/,
    );
  });

  test.each(['app', 'my-app_v2.1', 'A'.repeat(249)])('%j is accepted', (id) => {
    expect(new KafkaStreams(topology(), { ...base, applicationId: id }).state()).toBe(State.CREATED);
  });
});

describe('a bad state directory fails at construction with a ProcessorStateException naming the path', () => {
  function statefulTopology() {
    const b = new StreamsBuilder();
    b.stream('in', Consumed.with(Serdes.String(), Serdes.String())).groupByKey().count();
    return b.build();
  }

  test('stateDir under a regular file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kstreams-sd-'));
    try {
      const file = join(dir, 'a-file');
      writeFileSync(file, 'not a directory');
      const stateDir = join(file, 'state');
      let error: unknown;
      try {
        new KafkaStreams(statefulTopology(), { ...base, stateDir });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ProcessorStateException);
      expect((error as Error).message).toBe(
        `base state directory [${stateDir}] doesn't exist and couldn't be created (ENOTDIR: ${((error as Error).cause as Error).message})`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('stateDir is itself a file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kstreams-sd-'));
    try {
      const file = join(dir, 'a-file');
      writeFileSync(file, 'not a directory');
      expect(() => new KafkaStreams(statefulTopology(), { ...base, stateDir: file })).toThrow(
        new ProcessorStateException(`base state directory [${file}] can't be created as there is an existing file with the same name`),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('stateDir not writable (checked as an unprivileged user)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kstreams-sd-'));
    try {
      chmodSync(dir, 0o755);
      const readOnly = join(dir, 'read-only');
      mkdirSync(readOnly, { mode: 0o555 });
      chmodSync(readOnly, 0o555);
      // Run it as "nobody" when this test runs as root (root may write anywhere), otherwise as ourselves; the child
      // loads the built module.
      const asRoot = process.getuid?.() === 0;
      const res = spawnSync(
        process.execPath,
        [
          '-e',
          `const { StateDirectory } = require(${JSON.stringify(join(__dirname, '../../dist/state/state-directory.js'))});
           try { new StateDirectory({ stateDir: ${JSON.stringify(readOnly)}, applicationId: 'app' }).processId(); console.log('no error'); }
           catch (e) { console.log(e.name + ': ' + e.message); }`,
        ],
        { encoding: 'utf8', ...(asRoot ? { uid: 65534, gid: 65534 } : {}) },
      );
      expect(res.stderr).toBe('');
      expect(res.stdout.trim()).toBe(
        `ProcessorStateException: base state directory [${readOnly}] is not writable (EACCES); check the permissions of "stateDir" (state.dir)`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
