/**
 * @kstreams/test-utils — test kstreams topologies without a broker: `TopologyTestDriver`, `TestInputTopic`,
 * `TestOutputTopic` and `TestRecord`, with Kafka Streams' API.
 */
export { TopologyTestDriver } from './topology-test-driver';
export { TestInputTopic, type Instant } from './test-input-topic';
export { TestOutputTopic, NoSuchElementException } from './test-output-topic';
export { TestRecord } from './test-record';
export { captureLogs, withCapturedLogs, LogCapture, type CapturedLog } from './log-capture';
