/**
 * Page views per user per 5 minutes. Page views arrive keyed by user id with the time the page was viewed in the
 * value (event time, read by a custom timestamp extractor). Windows are tumbling 5-minute windows that accept
 * views up to 1 minute late; each window's count is emitted once, when the window closes (suppress), to a
 * topic keyed by Kafka's time-windowed key format (`userId ‖ windowStart`).
 */
import { Duration } from 'luxon';
import {
  BufferConfig,
  Consumed,
  Materialized,
  Produced,
  Serdes,
  StreamsBuilder,
  Suppressed,
  TimeWindows,
  WindowedSerdes,
  type ConsumedRecord,
  type Serde,
  type TimestampExtractor,
  type Topology,
  type Windowed,
} from '@kstreams/streams';

export const PAGEVIEWS_TOPIC = 'pageviews';
export const COUNTS_TOPIC = 'pageviews-per-user-5min';
export const STORE = 'pageviews-per-user';
export const WINDOW_SIZE = Duration.fromObject({ minutes: 5 });
export const GRACE = Duration.fromObject({ minutes: 1 });

/** A page view as JSON on the input topic. */
export interface PageView {
  readonly page: string;
  /** When the page was viewed, epoch milliseconds. */
  readonly viewedAt: number;
}

export const pageViewSerde: Serde<PageView> = Serdes.Json<PageView>();

/** The serde of the output keys: Kafka's time-windowed format over the user id. */
export const windowedUserSerde: Serde<Windowed<string>> = WindowedSerdes.timeWindowedSerdeFrom(Serdes.String(), WINDOW_SIZE);

/** Event time is when the page was viewed, not when the record was produced. */
export const viewedAtExtractor: TimestampExtractor = {
  extract(record: ConsumedRecord): number {
    const view = record.value as PageView | null;
    return view === null ? -1 : view.viewedAt;
  },
};

export function pageViewsTopology(): Topology {
  const builder = new StreamsBuilder();
  builder
    .stream<string, PageView>(PAGEVIEWS_TOPIC, Consumed.with(Serdes.String(), pageViewSerde, viewedAtExtractor))
    .groupByKey()
    .windowedBy(TimeWindows.ofSizeAndGrace(WINDOW_SIZE, GRACE))
    .count(Materialized.as<string, number>(STORE))
    .suppress(Suppressed.untilWindowCloses(BufferConfig.unbounded()))
    .toStream()
    .to(COUNTS_TOPIC, Produced.with(windowedUserSerde, Serdes.Long()));
  return builder.build();
}
