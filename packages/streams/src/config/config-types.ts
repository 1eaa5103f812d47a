/**
 * Value types of StreamsConfig settings: processing guarantees, store types, optimization flags, and the
 * shapes accepted for pluggable objects (handlers, timestamp extractor, RocksDB config setter). The pluggable
 * shapes are structural so the runtime's concrete interfaces stay free to evolve.
 */
import type { KafkaConfig } from 'kafkajs';
import type { Serde } from '../serde/serde';

/** `processing.guarantee`: Kafka 4.x accepts these two (`exactly_once` and `exactly_once_beta` were removed). */
export type ProcessingGuarantee = 'at_least_once' | 'exactly_once_v2';

/** `default.dsl.store`: the store the DSL creates unless `Materialized` says otherwise. */
export type DslStoreType = 'rocksDB' | 'in_memory';

/** One `topology.optimization` flag (the config value is `none`, `all`, or a comma list of the specific ones). */
export type TopologyOptimizationFlag = 'reuse.ktable.source.topics' | 'merge.repartition.topics' | 'single.store.self.join';

/** `metrics.recording.level`. */
export type MetricsRecordingLevel = 'INFO' | 'DEBUG' | 'TRACE';

/** Built-in deserialization exception handlers, by Kafka class name. */
export type BuiltInDeserializationExceptionHandler = 'LogAndFailExceptionHandler' | 'LogAndContinueExceptionHandler';

/** Built-in production exception handler, by Kafka class name. */
export type BuiltInProductionExceptionHandler = 'DefaultProductionExceptionHandler';

/** Built-in processing exception handlers, by Kafka class name. */
export type BuiltInProcessingExceptionHandler =
  | 'LogAndFailProcessingExceptionHandler'
  | 'LogAndContinueProcessingExceptionHandler';

/** Built-in timestamp extractors, by Kafka class name. */
export type BuiltInTimestampExtractor =
  | 'FailOnInvalidTimestamp'
  | 'LogAndSkipOnInvalidTimestamp'
  | 'UsePartitionTimeOnInvalidTimestamp'
  | 'WallclockTimestampExtractor';

/** Anything with a `handle` method: the shape of every exception handler. */
export interface ExceptionHandlerLike {
  handle(...args: never[]): unknown;
}

/** Anything with an `extract` method returning a timestamp: the shape of a `TimestampExtractor`. */
export interface TimestampExtractorLike {
  extract(...args: never[]): number;
}

/** Anything with a `setConfig` method: the shape of a `RocksDBConfigSetter`. */
export interface RocksDBConfigSetterLike {
  setConfig(...args: never[]): unknown;
}

/** A class with a no-argument constructor, as Java configs take a class; StreamsConfig instantiates it once. */
export type NoArgClass<T> = new () => T;

/** A handler as configured: a built-in name (short or Java class name), an instance, or a class. */
export type HandlerSetting<B extends string> =
  | B
  | `org.apache.kafka.streams.errors.${B}`
  | ExceptionHandlerLike
  | NoArgClass<ExceptionHandlerLike>;

/** A timestamp extractor as configured: a built-in name (short or Java class name), an instance, or a class. */
export type TimestampExtractorSetting =
  | BuiltInTimestampExtractor
  | `org.apache.kafka.streams.processor.${BuiltInTimestampExtractor}`
  | TimestampExtractorLike
  | NoArgClass<TimestampExtractorLike>;

/**
 * A serde as configured: an instance (`Serdes.String()`), a class with a no-argument constructor, or a Java
 * built-in serde class name (`org.apache.kafka.common.serialization.Serdes$StringSerde` or `Serdes$StringSerde`).
 */
export type SerdeSetting = Serde<unknown> | NoArgClass<Serde<unknown>> | string;

/** Options passed to the kafkajs client (`new Kafka(...)`), e.g. `ssl`, `sasl`, `retry`, `logLevel`. */
export type KafkajsOverrides = Readonly<Partial<KafkaConfig>>;

/** Raw client settings under one prefix (`consumer.`, `producer.`, …), Kafka names without the prefix. */
export type ClientOverrides = Readonly<Record<string, unknown>>;
