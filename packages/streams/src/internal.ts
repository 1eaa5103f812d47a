/**
 * @kstreams/streams/internal — the engine parts sibling packages (@kstreams/test-utils, the runtime) build on.
 * Not an application API: it may change in any release.
 */
export * from './runtime/partitioner';
export * from './state/internal';
export { StreamTask, type StreamTaskOptions, type RegisteredStore } from './runtime/stream-task';
export type { RawRecord } from './runtime/record-queue';
export type { OutgoingRecord, RecordCollector } from './runtime/record-collector';
export { StreamsMetrics, Sensor } from './runtime/metrics';
export { taskSettings, type TaskSettings } from './runtime/task-settings';
export { internalBuilderOf } from './topology/topology';
export { InternalTopologyBuilder, type ProcessorTopology, type SubtopologyTopics } from './topology/internal-topology-builder';
export { isConfigurableStoreBuilder } from './dsl/store-materializer';
export { Change } from './processor/operators/change';
export { durationMs, timestampMs } from './time/duration';
export { log } from './logger';
export { planTopics, setupTopics, type TopicLayout } from './runtime/internal-topic-manager';
export { assignTasks, tasksFor, taskId, StreamsPartitionAssignor, encodeSubscription, decodeSubscription, type TaskSpec, type SubscriptionInfo } from './runtime/streams-partition-assignor';
export { KafkaClient, isRebalanceError } from './runtime/kafka-client';
