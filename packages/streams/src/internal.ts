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
export { MeteredWindowStore, MeteredTimestampedWindowStore } from './state/window/metered-window-store';
export { MeteredSessionStore } from './state/session/metered-session-store';
export { InMemoryWindowStore } from './state/window/in-memory-window-store';
export { InMemorySessionStore } from './state/session/in-memory-session-store';
export { windowStoreKey, parseWindowStoreKey, sessionStoreKey, parseSessionStoreKey } from './state/window/window-key-schema';
export { EMIT_INTERVAL_MS_KSTREAMS_WINDOWED_AGGREGATION } from './processor/operators/kstream-time-window-aggregate-base';
export { WindowStoreFacade } from './state/window/window-store-facade';
export { windowedStreamPartitioner, isWindowedSerializer, type WindowedSerializer } from './dsl/windows/windowed-stream-partitioner';
export { EMIT_INTERVAL_MS_KSTREAMS_OUTER_JOIN_SPURIOUS_RESULTS_FIX } from './processor/operators/kstream-kstream-join';
export { createGlobalTask, drainGlobalTask, GLOBAL_TASK_ID } from './runtime/global-stream-thread';
