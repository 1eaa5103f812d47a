/**
 * @kstreams/streams — Kafka Streams for TypeScript. The public API: the DSL, the Processor API, topologies and
 * their description, serdes, state stores, configuration and errors.
 */
export * from './serde';
export * from './config';
export * from './state';
export * from './errors';
export {
  setLogger,
  setLogLevel,
  getLogLevel,
  getLogger,
  ConsoleLogger,
  ROOT_LOGGER,
  type Logger,
  type LogLevel,
  type LogBackend,
  type KstreamsLogger,
} from './logger';
export type { DurationLike, TimestampLike } from './time/duration';

// Processor API
export { Record } from './processor/record';
export { Headers, type Header } from './processor/headers';
export {
  PunctuationType,
  type Cancellable,
  type FixedKeyProcessor,
  type FixedKeyProcessorContext,
  type FixedKeyProcessorSupplier,
  type FixedKeyRecord,
  type ProcessingContext,
  type Processor,
  type ProcessorContext,
  type ProcessorSupplier,
  type Punctuator,
  type RecordMetadata,
} from './processor/api';
export {
  FailOnInvalidTimestamp,
  LogAndSkipOnInvalidTimestamp,
  UsePartitionTimeOnInvalidTimestamp,
  WallclockTimestampExtractor,
  type ConsumedRecord,
  type TimestampExtractor,
} from './processor/timestamp-extractor';
export type { RecordContextView, StreamPartitioner, TopicNameExtractor } from './processor/processor-node';
export type {
  Aggregator,
  FlatMapper,
  ForeachAction,
  Initializer,
  KeyValueMapper,
  Predicate,
  Reducer,
  ValueMapper,
  ValueMapperWithKey,
} from './processor/operators/functions';

// Topology
export { Topology, type SinkOptions, type SourceOptions } from './topology/topology';
export type { AutoOffsetReset } from './topology/internal-topology-builder';
export type {
  NodeDescription,
  ProcessorDescription,
  SinkDescription,
  SourceDescription,
  SubtopologyDescription,
  TopologyDescription,
} from './topology/topology-description';
export {
  parseTopologyDescription,
  TopologyDescriptionParseException,
  type GlobalStoreDescription,
  type ParsedTopologyDescription,
} from './topology/description-parser';
export * from './topology/render';

// DSL
export { StreamsBuilder } from './dsl/streams-builder';
export type { KStream } from './dsl/kstream';
export type { KTable } from './dsl/ktable';
export type { GlobalKTable } from './dsl/global-ktable';
export type { CogroupedKStream, SessionWindowedCogroupedKStream, TimeWindowedCogroupedKStream } from './dsl/cogrouped-kstream';
export { UnlimitedWindows, UnlimitedWindow } from './dsl/windows/unlimited-windows';
export type { KGroupedStream } from './dsl/kgrouped-stream';
export type { KGroupedTable } from './dsl/kgrouped-table';
export type { BranchedKStream } from './dsl/branched-kstream';
export { Branched } from './dsl/branched';
export { Consumed } from './dsl/consumed';
export { Grouped } from './dsl/grouped';
export { Materialized, type DslStoreType, type MaterializedStoreSupplier } from './dsl/materialized';
export { Named } from './dsl/named';
export { Produced } from './dsl/produced';
export { Repartitioned } from './dsl/repartitioned';
export { Joined } from './dsl/joined';
export { StreamJoined } from './dsl/stream-joined';
export { TableJoined } from './dsl/table-joined';
export type { ForeignKeyExtractor } from './processor/operators/foreign-key-join/processors';
export { JoinWindows } from './dsl/windows/join-windows';
export type { ValueJoiner, ValueJoinerWithKey } from './processor/operators/kstream-ktable-join';

// Error handling
export {
  DefaultProductionExceptionHandler,
  HandlerResponse,
  LogAndContinueExceptionHandler,
  LogAndContinueProcessingExceptionHandler,
  LogAndFailExceptionHandler,
  LogAndFailProcessingExceptionHandler,
  type DeserializationExceptionHandler,
  type ErrorHandlerContext,
  type ProcessingExceptionHandler,
  type ProductionExceptionHandler,
} from './runtime/exception-handlers';
export type { MetricValue, MetricTags } from './runtime/metrics';
export {
  startPrometheusEndpoint,
  prometheusName,
  prometheusText,
  type PrometheusEndpoint,
  type PrometheusEndpointOptions,
} from './runtime/prometheus-endpoint';
export { progressLine, restoreRate, type ProgressOutput } from './runtime/restore-progress';
export { startLiveView, liveStats, type LiveView, type LiveViewOptions } from './runtime/live-view';

// KafkaStreams runtime
export {
  KafkaStreams,
  State,
  StreamThreadExceptionResponse,
  type CloseOptions,
  type StateChange,
  type StateListener,
  type StreamsUncaughtExceptionHandler,
} from './runtime/kafka-streams';
export type { StateRestoreListener, TopicPartition } from './runtime/state-restore-listener';
export { MissingSourceTopicException } from './runtime/internal-topic-manager';

// Interactive queries
export { StoreQueryParameters } from './query/store-query-parameters';
export { QueryableStoreTypes, type QueryableStoreKind, type QueryableStoreType } from './query/queryable-store-types';
export { HostInfo } from './query/host-info';
export { KeyQueryMetadata, StreamsMetadata, type TaskMetadata, type ThreadMetadata } from './query/streams-metadata';
export type { CommittedStoreChange } from './query/store-change-feed';
export {
  FORWARDED_HEADER,
  InteractiveQueryServer,
  SERVED_BY_HEADER,
  type InteractiveQueryServerOptions,
  type QueryableStreams,
} from './query/http/query-server';

// Windowing (time, sliding and session windows; suppress; window and session stores)
export { Window, TimeWindow, SessionWindow } from './dsl/windows/window';
export { Windowed } from './dsl/windows/windowed';
export { TimeWindows, NO_GRACE_PERIOD } from './dsl/windows/time-windows';
export { SlidingWindows } from './dsl/windows/sliding-windows';
export { SessionWindows } from './dsl/windows/session-windows';
export { EmitStrategy, type EmitStrategyType } from './dsl/windows/emit-strategy';
export { Suppressed, BufferConfig, EagerBufferConfig, StrictBufferConfig, type BufferFullStrategy } from './dsl/windows/suppressed';
export {
  WindowedSerdes,
  TimeWindowedSerializer,
  TimeWindowedDeserializer,
  SessionWindowedSerializer,
  SessionWindowedDeserializer,
} from './dsl/windows/windowed-serdes';
export type { TimeWindowedKStream } from './dsl/time-windowed-kstream';
export type { SessionWindowedKStream } from './dsl/session-windowed-kstream';
export type { Merger } from './processor/operators/kstream-session-window-aggregate';
export type {
  ReadOnlyWindowStore,
  TimestampedWindowStore,
  WindowBytesStoreSupplier,
  WindowStore,
  WindowStoreIterator,
} from './state/window/window-store';
export type { ReadOnlySessionStore, SessionBytesStoreSupplier, SessionStore } from './state/session/session-store';
export type { WindowStoreBuilder, TimestampedWindowStoreBuilder } from './state/window/window-store-builder';
export type { SessionStoreBuilder } from './state/session/session-store-builder';
export { WINDOW_CLOSE_IDLE_MS_CONFIG } from './processor/operators/kstream-window-idle-advance';
