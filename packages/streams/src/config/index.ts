/** Public barrel of the config module: `StreamsConfig`, its input and resolved types, and the key table. */
export {
  StreamsConfig,
  type ResolvedClientOverrides,
  type ResolvedStreamsConfig,
  type StreamsConfigInput,
  type StreamsConfigOptions,
  type StreamsConfigProps,
} from './streams-config';
export {
  CLIENT_PREFIXES,
  DEFAULT_COMMIT_INTERVAL_MS,
  EOS_DEFAULT_COMMIT_INTERVAL_MS,
  EOS_DEFAULT_TRANSACTION_TIMEOUT_MS,
  STREAMS_CONFIG_KEYS,
  type ClientOverrideGroup,
  type ConfigKeySpec,
  type ConfigKind,
  type StreamsConfigValues,
} from './config-keys';
export type {
  BuiltInDeserializationExceptionHandler,
  BuiltInProcessingExceptionHandler,
  BuiltInProductionExceptionHandler,
  BuiltInTimestampExtractor,
  ClientOverrides,
  DslStoreType,
  ExceptionHandlerLike,
  HandlerSetting,
  KafkajsOverrides,
  MetricsRecordingLevel,
  NoArgClass,
  ProcessingGuarantee,
  RocksDBConfigSetterLike,
  SerdeSetting,
  TimestampExtractorLike,
  TimestampExtractorSetting,
  TopologyOptimizationFlag,
} from './config-types';
export { streamsConfigMarkdown } from './config-docs';
