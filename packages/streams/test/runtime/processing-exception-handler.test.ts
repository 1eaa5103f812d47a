/**
 * `processing.exception.handler` (KIP-1033, Kafka 4.x semantics) through the test driver, which runs the same
 * StreamTask and nodes as the runtime: LogAndFail (default) stops with an error naming the processor;
 * LogAndContinue drops the record at the failing processor, counts it in dropped-records and goes on; a custom
 * handler sees the node, task and source position; a throwing handler is fatal; punctuators go through it too.
 */
import { TopologyTestDriver } from '@kstreams/test-utils';
import { Consumed } from '../../src/dsl/consumed';
import { Produced } from '../../src/dsl/produced';
import { StreamsBuilder } from '../../src/dsl/streams-builder';
import { Named } from '../../src/dsl/named';
import { ConsoleLogger, setLogger } from '../../src/logger';
import { PunctuationType } from '../../src/processor/api';
import type { Record } from '../../src/processor/record';
import { HandlerResponse, type ErrorHandlerContext, type ProcessingExceptionHandler } from '../../src/runtime/exception-handlers';
import { Serdes } from '../../src/serde/serdes';
import { StreamsException } from '../../src/errors';

const logged: Array<{ level: string; message: string }> = [];
beforeEach(() => {
  logged.length = 0;
  setLogger({
    error: (message) => logged.push({ level: 'error', message }),
    warn: (message) => logged.push({ level: 'warn', message }),
    info: () => undefined,
    debug: () => undefined,
  });
});
afterEach(() => setLogger(new ConsoleLogger()));

function topology() {
  const b = new StreamsBuilder();
  const upper = b
    .stream<string, string>('in', Consumed.with(Serdes.String(), Serdes.String()))
    .mapValues((v) => {
      if (v.startsWith('bad')) throw new Error(`cannot process ${v}`);
      return v.toUpperCase();
    }, Named.as('upper'));
  upper.to('out', Produced.with(Serdes.String(), Serdes.String()));
  return b.build();
}

function run(config: object, values: string[]) {
  const driver = new TopologyTestDriver(topology(), { applicationId: 'peh', ...config });
  const input = driver.createInputTopic('in', Serdes.String().serializer(), Serdes.String().serializer());
  const output = driver.createOutputTopic('out', Serdes.String().deserializer(), Serdes.String().deserializer());
  let error: unknown = null;
  try {
    for (const v of values) input.pipeInput('k', v);
  } catch (e) {
    error = e;
  }
  const out = output.readValuesToList();
  const dropped = driver.metrics().find((m) => m.name === 'dropped-records-total')?.value ?? 0;
  driver.close();
  return { error, out, dropped };
}

test('default LogAndFail: the failing record stops processing with an error naming the processor', () => {
  const { error, out, dropped } = run({}, ['a', 'bad-1', 'b']);
  expect(error).toBeInstanceOf(StreamsException);
  expect((error as Error).message).toMatch(/processor=upper.*cannot process bad-1/);
  expect(out).toEqual(['A']);
  expect(dropped).toBe(0);
  expect(logged.map((l) => l.level)).toEqual(['error', 'error']);
  expect(logged[0]!.message).toBe('Exception caught during message processing, processor node: upper, taskId: 0_0, source topic: in, source partition: 0, source offset: 1');
  expect(logged[1]!.message).toMatch(/^Processing exception handler is set to fail upon a processing error/);
});

test('LogAndContinue drops the failing records, counts them in dropped-records, and keeps going', () => {
  const { error, out, dropped } = run({ processingExceptionHandler: 'LogAndContinueProcessingExceptionHandler' }, ['a', 'bad-1', 'b', 'bad-2', 'c']);
  expect(error).toBeNull();
  expect(out).toEqual(['A', 'B', 'C']);
  expect(dropped).toBe(2);
  expect(logged).toEqual([
    { level: 'warn', message: 'Exception caught during message processing, processor node: upper, taskId: 0_0, source topic: in, source partition: 0, source offset: 1' },
    { level: 'warn', message: 'Exception caught during message processing, processor node: upper, taskId: 0_0, source topic: in, source partition: 0, source offset: 3' },
  ]);
});

test('the Java class name and the dotted key work too', () => {
  const { out, dropped } = run({ 'processing.exception.handler': 'org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler' }, ['bad', 'x']);
  expect(out).toEqual(['X']);
  expect(dropped).toBe(1);
});

test('a custom handler sees the record, the node, the task and the source position, and decides per record', () => {
  const seen: Array<{ context: ErrorHandlerContext; key: unknown; value: unknown; message: string }> = [];
  const handler: ProcessingExceptionHandler = {
    handle(context, record, error) {
      seen.push({ context, key: record?.key, value: record?.value, message: error.message });
      return record?.value === 'bad-fatal' ? HandlerResponse.FAIL : HandlerResponse.CONTINUE;
    },
  };
  const { error, out, dropped } = run({ processingExceptionHandler: handler }, ['a', 'bad-1', 'b', 'bad-fatal', 'c']);
  expect(out).toEqual(['A', 'B']);
  expect(dropped).toBe(1);
  expect((error as Error).message).toMatch(/cannot process bad-fatal/);
  expect(seen.map((s) => [s.context.processorNodeId, s.context.taskId, s.context.topic, s.context.partition, s.context.offset, s.key, s.value, s.message])).toEqual([
    ['upper', '0_0', 'in', 0, 1, 'k', 'bad-1', 'cannot process bad-1'],
    ['upper', '0_0', 'in', 0, 3, 'k', 'bad-fatal', 'cannot process bad-fatal'],
  ]);
});

test('a handler that throws is fatal, whatever it meant to answer', () => {
  const handler: ProcessingExceptionHandler = {
    handle() {
      throw new Error('handler bug');
    },
  };
  const { error, out } = run({ processingExceptionHandler: handler }, ['bad', 'x']);
  expect((error as Error).message).toMatch(/Fatal user code error in processing error callback/);
  expect(((error as Error).cause as Error).message).toBe('handler bug');
  expect(out).toEqual([]);
});

test('a throwing punctuator goes through the handler with a null record', () => {
  const records: Array<Record<unknown, unknown> | null> = [];
  const b = new StreamsBuilder();
  b.stream<string, string>('in', Consumed.with(Serdes.String(), Serdes.String())).process(
    () => ({
      init(ctx) {
        ctx.schedule(10, PunctuationType.STREAM_TIME, () => {
          throw new Error('punctuator broke');
        });
      },
      process: () => undefined,
    }),
    Named.as('ticker'),
  );
  const handler: ProcessingExceptionHandler = {
    handle(context, record) {
      records.push(record);
      expect(context.processorNodeId).toBe('ticker');
      return HandlerResponse.CONTINUE;
    },
  };
  const driver = new TopologyTestDriver(b.build(), { applicationId: 'peh-punctuate', processingExceptionHandler: handler });
  const input = driver.createInputTopic('in', Serdes.String().serializer(), Serdes.String().serializer());
  input.pipeInput('k', 'v', 0);
  input.pipeInput('k', 'v', 25);
  driver.close();
  expect(records).toEqual([null, null]);
});
