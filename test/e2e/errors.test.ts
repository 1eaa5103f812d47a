/**
 * Processing errors at runtime: by default the client shuts down into ERROR; with an uncaught exception handler
 * answering REPLACE_THREAD the tasks are closed dirty, processing restarts from the committed offsets, and the
 * output is complete; SHUTDOWN_APPLICATION stops every instance of the application.
 */
import type { Kafka } from 'kafkajs';
import { firstValueFrom, filter } from 'rxjs';
import { ConsoleLogger, Consumed, KafkaStreams, Produced, Serdes, State, StreamsBuilder, StreamThreadExceptionResponse, setLogger } from '@kstreams/streams';
import { startTestBroker, type TestBroker } from '../support/broker';
import { createKafka, createTopic } from '../support/kafka-client';
import { uniqueName } from '../support/unique-name';
import { waitFor } from '../support/wait-for';
import { captureLogs, type LogCapture } from '@kstreams/test-utils';
import { produceLines, tempStateDir, TopicWatcher } from './e2e-support';

jest.setTimeout(120_000);

let broker: TestBroker;
let kafka: Kafka;

beforeAll(async () => {
  broker = await startTestBroker();
  kafka = createKafka(broker.bootstrapServers);
});

afterAll(async () => {
  await broker?.close();
});

// the errors these tests provoke are logged; each test captures them and checks the ones it expects
let logs: LogCapture;
beforeEach(() => {
  logs = captureLogs();
});
afterEach(() => logs.stop());

const poisonLogged = (record: string): boolean => logs.records.some((r) => r.level === 'error' && (r.error ?? '').includes(`poison record ${record}`));

function failingTopology(input: string, output: string, shouldFail: (value: string) => boolean) {
  const builder = new StreamsBuilder();
  builder
    .stream<string, string>(input, Consumed.with(Serdes.String(), Serdes.String()))
    .mapValues((v) => {
      if (shouldFail(v)) throw new Error(`poison record ${v}`);
      return v.toUpperCase();
    })
    .to(output, Produced.with(Serdes.String(), Serdes.String()));
  return builder.build();
}

test('an uncaught processing error shuts the client down into ERROR by default', async () => {
  const app = uniqueName('err-default');
  await createTopic(kafka, `${app}-in`, 1);
  await createTopic(kafka, `${app}-out`, 1);
  await produceLines(kafka, `${app}-in`, [['k', 'fine'], ['k', 'poison']]);
  const state = tempStateDir();
  const streams = new KafkaStreams(failingTopology(`${app}-in`, `${app}-out`, (v) => v === 'poison'), {
    applicationId: app,
    bootstrapServers: broker.bootstrapServers,
    stateDir: state.dir,
    commitIntervalMs: 100,
  });
  const states: State[] = [];
  streams.setStateListener((s) => states.push(s));
  const errored = firstValueFrom(streams.state$.pipe(filter((s) => s === State.ERROR)));
  try {
    await streams.start();
    await errored;
    expect(states.slice(-2)).toEqual([State.PENDING_ERROR, State.ERROR]);
    expect(poisonLogged('poison')).toBe(true);
    await expect(streams.close()).resolves.toBe(true);
    expect(streams.state()).toBe(State.ERROR);
  } finally {
    await streams.close();
    state.remove();
  }
});

test('processing.exception.handler LogAndContinue drops the poison record, counts it, and keeps RUNNING', async () => {
  const app = uniqueName('err-continue');
  await createTopic(kafka, `${app}-in`, 1);
  await createTopic(kafka, `${app}-out`, 1);
  await produceLines(kafka, `${app}-in`, [['k1', 'fine'], ['k2', 'poison'], ['k3', 'after']]);
  const state = tempStateDir();
  const warnings: string[] = [];
  setLogger({ error: () => undefined, warn: (m) => warnings.push(m), info: () => undefined, debug: () => undefined });
  const streams = new KafkaStreams(failingTopology(`${app}-in`, `${app}-out`, (v) => v === 'poison'), {
    applicationId: app,
    bootstrapServers: broker.bootstrapServers,
    stateDir: state.dir,
    commitIntervalMs: 100,
    processingExceptionHandler: 'LogAndContinueProcessingExceptionHandler',
  });
  const watcher = await TopicWatcher.start(kafka, `${app}-out`, (b) => b?.toString('utf8') ?? '');
  try {
    await streams.start();
    await waitFor(() => watcher.latest.get('k3') === 'AFTER', 60_000, { description: 'the record after the poison one' });
    expect([...watcher.latest]).toEqual([['k1', 'FINE'], ['k3', 'AFTER']]);
    expect(streams.metrics().find((m) => m.name === 'dropped-records-total')?.value).toBe(1);
    expect(warnings.filter((w) => w.startsWith('Exception caught during message processing'))).toEqual([
      'Exception caught during message processing, processor node: KSTREAM-MAPVALUES-0000000001, taskId: 0_0, source topic: ' +
        `${app}-in, source partition: 0, source offset: 1`,
    ]);
    expect(streams.state()).toBe(State.RUNNING);
  } finally {
    await streams.close();
    await watcher.stop();
    setLogger(new ConsoleLogger());
    state.remove();
  }
});

test('REPLACE_THREAD restarts processing from the committed offsets and the output is complete', async () => {
  const app = uniqueName('err-replace');
  const input = `${app}-in`;
  const output = `${app}-out`;
  await createTopic(kafka, input, 2);
  await createTopic(kafka, output, 1);
  const values = Array.from({ length: 200 }, (_, i) => `v${i}`);
  await produceLines(kafka, input, values.map((v) => [v, v] as const));
  let failures = 0;
  const state = tempStateDir();
  const streams = new KafkaStreams(
    failingTopology(input, output, (v) => {
      if (v === 'v150' && failures === 0) {
        failures++;
        return true;
      }
      return false;
    }),
    { applicationId: app, bootstrapServers: broker.bootstrapServers, stateDir: state.dir, commitIntervalMs: 100 },
  );
  const errors: string[] = [];
  streams.setUncaughtExceptionHandler((e) => {
    errors.push(e.message);
    return StreamThreadExceptionResponse.REPLACE_THREAD;
  });
  const watcher = await TopicWatcher.start(kafka, output, (b) => b?.toString('utf8') ?? '');
  try {
    await streams.start();
    await waitFor(() => values.every((v) => watcher.latest.get(v) === v.toUpperCase()), 60_000, { description: 'every value on the output' });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/poison record v150/);
    expect(poisonLogged('v150')).toBe(true);
    await waitFor(() => streams.state() === State.RUNNING, 30_000, { description: 'RUNNING after the replacement' });
  } finally {
    await streams.close();
    await watcher.stop();
    state.remove();
  }
});

test('SHUTDOWN_APPLICATION stops every instance of the application', async () => {
  const app = uniqueName('err-app');
  const input = `${app}-in`;
  await createTopic(kafka, input, 2);
  await createTopic(kafka, `${app}-out`, 1);
  const dirs = [tempStateDir(), tempStateDir()];
  const instances = dirs.map(
    (d) =>
      new KafkaStreams(failingTopology(input, `${app}-out`, (v) => v === 'poison'), {
        applicationId: app,
        bootstrapServers: broker.bootstrapServers,
        stateDir: d.dir,
        commitIntervalMs: 100,
        'consumer.session.timeout.ms': 6000,
        'consumer.heartbeat.interval.ms': 300,
      }),
  );
  for (const s of instances) s.setUncaughtExceptionHandler(() => StreamThreadExceptionResponse.SHUTDOWN_APPLICATION);
  const errored = instances.map((s) => firstValueFrom(s.state$.pipe(filter((st) => st === State.ERROR))));
  try {
    for (const s of instances) await s.start();
    await waitFor(() => instances.every((s) => s.state() === State.RUNNING && s.activeTaskIds().length === 1), 60_000, {
      description: 'both instances running one task each',
    });
    // one poison record: only the instance owning its partition fails; it asks the whole application to stop
    await produceLines(kafka, input, [['a', 'poison']]);
    await Promise.all(errored);
    expect(instances.map((s) => s.state())).toEqual([State.ERROR, State.ERROR]);
    expect(logs.errors).toContain('Requesting shutdown of every instance of the application');
    expect(logs.errors.filter((m) => m.startsWith('The application was asked to shut down (SHUTDOWN_APPLICATION)'))).toHaveLength(2);
  } finally {
    for (const s of instances) await s.close();
    for (const d of dirs) d.remove();
  }
});
