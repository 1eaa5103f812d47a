import { Consumed, Headers, Materialized, Produced, Serdes, StreamsBuilder } from '@kstreams/streams';
import { DateTime } from 'luxon';
import { NoSuchElementException, TestRecord, TopologyTestDriver } from '@kstreams/test-utils';

const S = Serdes.String();
const L = Serdes.Long();

function passThrough() {
  const b = new StreamsBuilder();
  b.stream<string, string>('in', Consumed.with(S, S)).to('out', Produced.with(S, S));
  b.stream<string, string>('counted', Consumed.with(S, S)).groupByKey().count(Materialized.as('counts')).toStream().to('counts', Produced.with(S, L));
  return b.build();
}

describe('TestInputTopic / TestOutputTopic', () => {
  let driver: TopologyTestDriver;
  beforeEach(() => {
    driver = new TopologyTestDriver(passThrough(), { applicationId: 'topics-test', defaultKeySerde: S, defaultValueSerde: S, defaultDslStore: 'in_memory' });
  });
  afterEach(() => driver.close());

  it('reading a never-written or drained topic throws NoSuchElementException', () => {
    const out = driver.createOutputTopic('out', S.deserializer(), S.deserializer());
    expect(() => out.readValue()).toThrow(new NoSuchElementException('Uninitialized topic: out'));
    driver.createInputTopic('in', S.serializer(), S.serializer()).pipeInput('v');
    expect(out.getQueueSize()).toBe(1);
    expect(out.readValue()).toBe('v');
    expect(() => out.readValue()).toThrow('Empty topic: out');
    expect(out.isEmpty()).toBe(true);
  });

  it('record time starts at startTimestamp and auto-advances; explicit timestamps win', () => {
    const input = driver.createInputTopic('in', S.serializer(), S.serializer(), 1000, 10);
    const out = driver.createOutputTopic('out', S.deserializer(), S.deserializer());
    input.pipeInput('a');
    input.pipeInput('k', 'b');
    input.pipeInput('k', 'c', 5);
    input.advanceTime(100);
    input.pipeInput('d');
    expect(out.readRecordsToList().map((r) => [r.key, r.value, r.timestamp])).toEqual([
      [null, 'a', 1000],
      ['k', 'b', 1010],
      ['k', 'c', 5],
      [null, 'd', 1120],
    ]);
  });

  it('pipeInput(value, timestamp) takes an instant (Date or luxon DateTime) and leaves the topic time alone', () => {
    const input = driver.createInputTopic('in', S.serializer(), S.serializer(), 1000, 10);
    const out = driver.createOutputTopic('out', S.deserializer(), S.deserializer());
    input.pipeInput('at-date', new Date(5000));
    input.pipeInput('at-datetime', DateTime.fromMillis(7000));
    input.pipeInput('next');
    input.pipeInput('k', 'v');
    expect(out.readRecordsToList().map((r) => [r.key, r.value, r.timestamp])).toEqual([
      [null, 'at-date', 5000],
      [null, 'at-datetime', 7000],
      [null, 'next', 1000],
      ['k', 'v', 1010],
    ]);
  });

  it('pipes TestRecords with headers and lists of values and pairs', () => {
    const input = driver.createInputTopic('in', S.serializer(), S.serializer(), 0, 0);
    const out = driver.createOutputTopic('out', S.deserializer(), S.deserializer());
    input.pipeInput(new TestRecord('k', 'v', new Headers().add('trace', 'abc'), 42));
    const r = out.readRecord();
    expect(r.timestamp).toBe(42);
    expect(r.headers.lastHeader('trace')?.value?.toString()).toBe('abc');
    input.pipeValueList(['x', 'y'], 100, 5);
    input.pipeKeyValueList([{ key: 'a', value: '1' }], 200, 1);
    expect(out.readRecordsToList().map((t) => [t.key, t.value, t.timestamp])).toEqual([
      [null, 'x', 100],
      [null, 'y', 105],
      ['a', '1', 200],
    ]);
  });

  it('list piping with a start time leaves the topic\'s own time where it was (Java: "Does not auto advance internally tracked time")', () => {
    const input = driver.createInputTopic('in', S.serializer(), S.serializer(), 1000, 10);
    const out = driver.createOutputTopic('out', S.deserializer(), S.deserializer());
    input.pipeValueList(['x', 'y'], 100, 5);
    input.pipeKeyValueList([{ key: 'a', value: '1' }, { key: 'b', value: '2' }], 200, 1);
    input.pipeInput('after');
    input.pipeValueList(['auto1', 'auto2']);
    expect(out.readRecordsToList().map((t) => [t.value, t.timestamp])).toEqual([
      ['x', 100],
      ['y', 105],
      ['1', 200],
      ['2', 201],
      ['after', 1000],
      ['auto1', 1010],
      ['auto2', 1020],
    ]);
    expect(input.toString()).toBe("TestInputTopic[topic='in', currentTime=1030]");
  });

  it('readKeyValuesToMap keeps the last value per key and rejects null keys', () => {
    const input = driver.createInputTopic('in', S.serializer(), S.serializer());
    const out = driver.createOutputTopic('out', S.deserializer(), S.deserializer());
    input.pipeInput('a', '1');
    input.pipeInput('a', '2');
    input.pipeInput('b', null as unknown as string);
    expect(out.readKeyValuesToMap()).toEqual(new Map([['a', '2'], ['b', null]]));
    input.pipeInput('no key');
    expect(() => out.readKeyValuesToMap()).toThrow('Null keys not allowed with readKeyValuesToMap method');
  });

  it('exposes stores, produced topics (internal ones prefixed) and refuses timestamped stores via getStateStore', () => {
    driver.createInputTopic('counted', S.serializer(), S.serializer()).pipeInput('w', 'x');
    expect(driver.getKeyValueStore<string, number>('counts')!.get('w')).toBe(1);
    expect(driver.getTimestampedKeyValueStore<string, number>('counts')!.get('w')?.value).toBe(1);
    expect([...driver.getAllStateStores().keys()]).toEqual(['counts']);
    expect(() => driver.getStateStore('counts')).toThrow(/timestamped key-value store/);
    expect(driver.getKeyValueStore('nope')).toBeUndefined();
    expect(driver.producedTopicNames()).toEqual(new Set(['counts', 'topics-test-counts-changelog']));
  });

  it('rejects use after close', () => {
    const input = driver.createInputTopic('in', S.serializer(), S.serializer());
    driver.close();
    expect(() => input.pipeInput('x')).toThrow('The TopologyTestDriver is closed.');
  });
});
