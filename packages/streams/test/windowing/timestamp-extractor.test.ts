import {
  Consumed,
  LogAndSkipOnInvalidTimestamp,
  Materialized,
  Produced,
  StreamsBuilder,
  TimeWindows,
  UsePartitionTimeOnInvalidTimestamp,
  type ConsumedRecord,
  type TimestampExtractor,
} from '@kstreams/streams';
import { drain, droppedRecords, L, S, withDriver } from './helpers';

/** Windowed count per key over a topic whose values carry their own event time (`"<ms>"`). */
function topology(extractor?: TimestampExtractor) {
  const b = new StreamsBuilder();
  const consumed = extractor === undefined ? Consumed.with(S, S) : Consumed.with(S, S, extractor);
  b.stream<string, string>('in', consumed)
    .groupByKey()
    .windowedBy(TimeWindows.ofSizeWithNoGrace(10))
    .count(Materialized.as<string, number>('c').withCachingDisabled())
    .toStream()
    .map((k, v) => ({ key: k.toString(), value: v }))
    .to('out', Produced.with(S, L));
  return b.build();
}

const fromValue: TimestampExtractor = { extract: (r: ConsumedRecord) => Number(r.value) };

describe('timestamp extraction and stream time', () => {
  it('by default the record timestamp is the event time', () => {
    withDriver(topology(), (d) => {
      d.createInputTopic('in', S.serializer(), S.serializer()).pipeInput('k', 'x', 12);
      expect(drain(d.createOutputTopic('out', S.deserializer(), L.deserializer()))).toEqual(['[k@10/20]=1@12']);
    });
  });

  it('a custom extractor (Consumed.with) decides the event time, and so the window and the lateness', () => {
    withDriver(topology(fromValue), (d) => {
      const t = d.createInputTopic('in', S.serializer(), S.serializer());
      t.pipeInput('k', '25', 0);
      t.pipeInput('k', '3', 1000); // event time 3: window [0,10) closed at stream time 25
      expect(drain(d.createOutputTopic('out', S.deserializer(), L.deserializer()))).toEqual(['[k@20/30]=1@25']);
      expect(droppedRecords(d)).toBe(1);
    });
  });

  it('a custom extractor returning a negative time: the record is logged and skipped (Kafka\'s RecordQueue)', () => {
    let dropped = 0;
    const warnings = withDriver(topology(fromValue), (d) => {
      d.createInputTopic('in', S.serializer(), S.serializer()).pipeInput('k', '-1', 0);
      expect(drain(d.createOutputTopic('out', S.deserializer(), L.deserializer()))).toEqual([]);
      dropped = droppedRecords(d);
    });
    expect(dropped).toBe(1);
    expect(warnings).toEqual([
      'Skipping record due to negative extracted timestamp. topic=[in] partition=[0] offset=[0] extractedTimestamp=[-1] extractor=[Object]',
    ]);
  });

  it('the default timestamp extractor throws Kafka\'s message', () => {
    const b = new StreamsBuilder();
    b.stream<string, string>('in', Consumed.with(S, S)).to('out', Produced.with(S, S));
    withDriver(b.build(), (d) => {
      // the record's own timestamp is negative
      const t = d.createInputTopic('in', S.serializer(), S.serializer());
      expect(() => t.pipeInput('k', 'v', -5)).toThrow(
        'Input record {topic=in, partition=0, offset=0} has invalid (negative) timestamp. ' +
          'Possibly because a pre-0.10 producer client was used to write this record to Kafka without embedding a timestamp, ' +
          'or because the input topic was created before upgrading the Kafka cluster to 0.10+. Use a different TimestampExtractor to process this data.',
      );
    });
  });

  it('LogAndSkipOnInvalidTimestamp drops the record, logs it and counts it in dropped-records', () => {
    const b = new StreamsBuilder();
    b.stream<string, string>('in', Consumed.with(S, S)).to('out', Produced.with(S, S));
    let dropped = 0;
    let out: string[] = [];
    const warnings = withDriver(
      b.build(),
      (d) => {
        const t = d.createInputTopic('in', S.serializer(), S.serializer());
        t.pipeInput('k', 'bad', -5);
        t.pipeInput('k', 'good', 5);
        out = drain(d.createOutputTopic('out', S.deserializer(), S.deserializer()));
        dropped = droppedRecords(d);
      },
      { defaultTimestampExtractor: new LogAndSkipOnInvalidTimestamp() },
    );
    expect(out).toEqual(['k=good@5']);
    expect(dropped).toBe(1);
    expect(warnings).toEqual([
      'Input record ConsumerRecord(topic = in, partition = 0, offset = 0, timestamp = -5) will be dropped because it has an invalid (negative) timestamp.',
      'Skipping record due to negative extracted timestamp. topic=[in] partition=[0] offset=[0] extractedTimestamp=[-5] extractor=[LogAndSkipOnInvalidTimestamp]',
    ]);
  });

  it('UsePartitionTimeOnInvalidTimestamp uses the highest timestamp seen on the partition', () => {
    const b = new StreamsBuilder();
    b.stream<string, string>('in', Consumed.with(S, S, new UsePartitionTimeOnInvalidTimestamp())).to('out', Produced.with(S, S));
    withDriver(b.build(), (d) => {
      const t = d.createInputTopic('in', S.serializer(), S.serializer());
      t.pipeInput('k', 'a', 40);
      t.pipeInput('k', 'b', -1);
      expect(drain(d.createOutputTopic('out', S.deserializer(), S.deserializer()))).toEqual(['k=a@40', 'k=b@40']);
    });
  });

  it('a windowed aggregation keeps its own observed stream time: records of other sources in the task do not close its windows', () => {
    const b = new StreamsBuilder();
    b.stream<string, string>('other', Consumed.with(S, S)).to('sink', Produced.with(S, S));
    b.stream<string, string>('in', Consumed.with(S, S))
      .groupByKey()
      .windowedBy(TimeWindows.ofSizeWithNoGrace(10))
      .count()
      .toStream()
      .map((k, v) => ({ key: k.toString(), value: v }))
      .to('out', Produced.with(S, L));
    withDriver(b.build(), (d) => {
      const ctx = d.createInputTopic('other', S.serializer(), S.serializer());
      ctx.pipeInput('x', 'x', 100);
      // task stream time is 100, but the aggregation has only seen 5 (Kafka's per-processor observedStreamTime)
      d.createInputTopic('in', S.serializer(), S.serializer()).pipeInput('k', 'v', 5);
      expect(drain(d.createOutputTopic('out', S.deserializer(), L.deserializer()))).toEqual(['[k@0/10]=1@5']);
    });
  });
});
