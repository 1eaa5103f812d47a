/**
 * Turns a resolved `StreamsConfig` into what tasks run with: handler and extractor instances, default serdes,
 * the app-config map processors see. Shared by `KafkaStreams` and the test driver.
 */
import { STREAMS_CONFIG_KEYS, type StreamsConfigValues } from '../config/config-keys';
import type { ResolvedStreamsConfig } from '../config/streams-config';
import type { TimestampExtractor } from '../processor/timestamp-extractor';
import {
  FailOnInvalidTimestamp,
  LogAndSkipOnInvalidTimestamp,
  UsePartitionTimeOnInvalidTimestamp,
  WallclockTimestampExtractor,
} from '../processor/timestamp-extractor';
import type { Serde } from '../serde/serde';
import type { StreamTaskOptions } from './stream-task';
import type { DeserializationExceptionHandler, ProcessingExceptionHandler } from './exception-handlers';
import {
  LogAndContinueExceptionHandler,
  LogAndContinueProcessingExceptionHandler,
  LogAndFailExceptionHandler,
  LogAndFailProcessingExceptionHandler,
} from './exception-handlers';

export interface TaskSettings {
  readonly applicationId: string;
  readonly defaultKeySerde: Serde<unknown> | null;
  readonly defaultValueSerde: Serde<unknown> | null;
  readonly defaultTimestampExtractor: TimestampExtractor;
  readonly deserializationHandler: DeserializationExceptionHandler;
  readonly processingHandler: ProcessingExceptionHandler;
  readonly cacheMaxBytes: number;
  readonly defaultDslStore: 'rocksDB' | 'in_memory';
  readonly appConfigs: Readonly<{ [key: string]: unknown }>;
}

/** The `StreamTask` options that come from the settings, the same for active and standby tasks. */
export function streamTaskSettings(
  s: TaskSettings,
): Pick<StreamTaskOptions, 'applicationId' | 'appConfigs' | 'defaultKeySerde' | 'defaultValueSerde' | 'defaultTimestampExtractor' | 'deserializationHandler' | 'processingHandler'> {
  return {
    applicationId: s.applicationId,
    appConfigs: s.appConfigs,
    defaultKeySerde: s.defaultKeySerde,
    defaultValueSerde: s.defaultValueSerde,
    defaultTimestampExtractor: s.defaultTimestampExtractor,
    deserializationHandler: s.deserializationHandler,
    processingHandler: s.processingHandler,
  };
}

function extractorFrom(setting: ResolvedStreamsConfig['defaultTimestampExtractor']): TimestampExtractor {
  if (typeof setting !== 'string') return setting as unknown as TimestampExtractor;
  switch (setting) {
    case 'FailOnInvalidTimestamp':
      return new FailOnInvalidTimestamp();
    case 'LogAndSkipOnInvalidTimestamp':
      return new LogAndSkipOnInvalidTimestamp();
    case 'UsePartitionTimeOnInvalidTimestamp':
      return new UsePartitionTimeOnInvalidTimestamp();
    case 'WallclockTimestampExtractor':
      return new WallclockTimestampExtractor();
  }
}

function deserializationHandlerFrom(setting: ResolvedStreamsConfig['deserializationExceptionHandler']): DeserializationExceptionHandler {
  if (typeof setting !== 'string') return setting as unknown as DeserializationExceptionHandler;
  return setting === 'LogAndContinueExceptionHandler' ? new LogAndContinueExceptionHandler() : new LogAndFailExceptionHandler();
}

function processingHandlerFrom(setting: ResolvedStreamsConfig['processingExceptionHandler']): ProcessingExceptionHandler {
  if (typeof setting !== 'string') return setting as unknown as ProcessingExceptionHandler;
  return setting === 'LogAndContinueProcessingExceptionHandler' ? new LogAndContinueProcessingExceptionHandler() : new LogAndFailProcessingExceptionHandler();
}

/**
 * What processors see as `context.appConfigs()`: the given props plus every resolved value under its Kafka name
 * (camelCase for kstreams-only keys), as Kafka merges `originals()` and `values()`; so a setting acts the same
 * whichever spelling the user wrote, and defaults are visible.
 */
function appConfigsOf(config: ResolvedStreamsConfig, originals: Readonly<{ [key: string]: unknown }>): Readonly<{ [key: string]: unknown }> {
  const combined: { [key: string]: unknown } = { ...originals };
  for (const spec of Object.values(STREAMS_CONFIG_KEYS)) {
    const name = spec.name as keyof StreamsConfigValues;
    combined[spec.kafkaName ?? name] = config[name];
  }
  return Object.freeze(combined);
}

export function taskSettings(config: ResolvedStreamsConfig, originals: Readonly<{ [key: string]: unknown }>): TaskSettings {
  return {
    applicationId: config.applicationId,
    defaultKeySerde: config.defaultKeySerde,
    defaultValueSerde: config.defaultValueSerde,
    defaultTimestampExtractor: extractorFrom(config.defaultTimestampExtractor),
    deserializationHandler: deserializationHandlerFrom(config.deserializationExceptionHandler),
    processingHandler: processingHandlerFrom(config.processingExceptionHandler),
    cacheMaxBytes: config.statestoreCacheMaxBytes,
    defaultDslStore: config.defaultDslStore,
    appConfigs: appConfigsOf(config, originals),
  };
}
