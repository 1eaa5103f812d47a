/**
 * Runtime nodes of a task's processor graph: sources deserialize and hand records on, processors run user or
 * DSL processors, sinks serialize and send. Forwarding is a synchronous call into each child.
 */
import { StreamsException, TaskCorruptedException, TaskMigratedException } from '../errors';
import type { Deserializer, Serde, Serializer } from '../serde/serde';
import type { Processor, ProcessorContext, RecordMetadata } from './api';
import type { Record } from './record';
import type { NodeContext, TaskContext } from './processor-context-impl';
import { createNodeContext } from './processor-context-impl';
import type { TimestampExtractor } from './timestamp-extractor';
import { usesDefaultSerde } from './operators/changed-serde';

/** Chooses a topic per record, for sinks with dynamic routing (Kafka's `TopicNameExtractor`). */
export type TopicNameExtractor<K, V> =
  | ((key: K, value: V, recordContext: RecordContextView) => string)
  | { extract(key: K, value: V, recordContext: RecordContextView): string };

/** Chooses a partition per record; `null`/`undefined` falls back to the default (murmur2 of the key bytes). */
export type StreamPartitioner<K, V> = (topic: string, key: K, value: V, numPartitions: number) => number | null | undefined;

/** What a topic-name extractor sees of the record being processed. */
export interface RecordContextView extends Partial<RecordMetadata> {
  readonly timestamp: number;
}

/** An error raised inside a processor, tagged with the node it came from. */
export class ProcessorFailure extends StreamsException {
  override readonly name: string = 'StreamsException';
  constructor(
    readonly processorName: string,
    message: string,
    cause: unknown,
  ) {
    super(message, { cause });
  }
}

type AnyProcessor = Processor<unknown, unknown, unknown, unknown>;

/** A node that runs a processor and forwards to its children. */
export class ProcessorNode {
  readonly children: ProcessorNode[] = [];
  readonly childByName = new Map<string, ProcessorNode>();
  protected context: NodeContext | null = null;
  /** Records this node has processed (the `process-total` metric); a plain counter, read at snapshot time. */
  processed = 0;

  constructor(
    readonly name: string,
    readonly processor: AnyProcessor | null,
    readonly storeNames: ReadonlyArray<string> = [],
  ) {}

  addChild(child: ProcessorNode): void {
    this.children.push(child);
    this.childByName.set(child.name, child);
  }

  init(task: TaskContext): void {
    this.context = createNodeContext(task, this);
    try {
      this.processor?.init?.(this.context as ProcessorContext<unknown, unknown>);
    } catch (e) {
      throw this.failure('init', e);
    }
  }

  process(record: Record<unknown, unknown>): void {
    this.processed++;
    try {
      this.processor!.process(record);
    } catch (e) {
      // A failure raised (and already handled) further down, or a task-level condition, passes through untouched.
      if (e instanceof ProcessorFailure || e instanceof TaskMigratedException || e instanceof TaskCorruptedException) throw e;
      const task = this.context?.task;
      if (task?.handleProcessingError === undefined) throw this.failure('process', e);
      task.handleProcessingError(this.name, record, e, () => this.failure('process', e));
    }
  }

  close(): void {
    try {
      this.processor?.close?.();
    } catch (e) {
      throw this.failure('close', e);
    }
  }

  /** Wraps an error from user code so it names this node; errors already naming a node pass through. */
  protected failure(phase: string, e: unknown): Error {
    if (e instanceof ProcessorFailure) return e;
    const task = this.context?.task;
    const meta = task?.recordMetadata();
    const where = meta ? `, topic=${meta.topic}, partition=${meta.partition}, offset=${meta.offset}` : '';
    const detail = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    return new ProcessorFailure(
      this.name,
      `Exception caught in ${phase}. taskId=${task?.taskId ?? 'unknown'}, processor=${this.name}${where}, error=${detail}`,
      e,
    );
  }
}

/** A source node: the entry point for records of its topics. */
export class SourceNode extends ProcessorNode {
  constructor(
    name: string,
    readonly topics: ReadonlyArray<string>,
    readonly keyDeserializer: Deserializer<unknown> | null,
    readonly valueDeserializer: Deserializer<unknown> | null,
    readonly timestampExtractor: TimestampExtractor | null,
  ) {
    super(name, null);
  }

  override process(record: Record<unknown, unknown>): void {
    this.processed++;
    const children = this.children;
    for (let i = 0; i < children.length; i++) children[i]!.process(record);
  }
}

/** A sink node: serializes and sends records to a topic (fixed or chosen per record). */
export class SinkNode extends ProcessorNode {
  #keySerializer: Serializer<unknown> | null;
  #valueSerializer: Serializer<unknown> | null;

  constructor(
    name: string,
    readonly topic: string | TopicNameExtractor<unknown, unknown>,
    keySerializer: Serializer<unknown> | null,
    valueSerializer: Serializer<unknown> | null,
    readonly partitioner: StreamPartitioner<unknown, unknown> | null,
  ) {
    super(name, null);
    this.#keySerializer = keySerializer;
    this.#valueSerializer = valueSerializer;
  }

  override init(task: TaskContext): void {
    super.init(task);
    this.#keySerializer ??= serializerOf(task.defaultKeySerde, this.name, 'key');
    this.#valueSerializer ??= serializerOf(task.defaultValueSerde, this.name, 'value');
    if (usesDefaultSerde(this.#keySerializer)) this.#keySerializer.useDefaultSerde(task.defaultKeySerde, { key: task.defaultKeySerde, value: task.defaultValueSerde });
    if (usesDefaultSerde(this.#valueSerializer)) this.#valueSerializer.useDefaultSerde(task.defaultValueSerde, { key: task.defaultKeySerde, value: task.defaultValueSerde });
  }

  override process(record: Record<unknown, unknown>): void {
    this.processed++;
    const task = this.context!.task;
    let topic: string;
    if (typeof this.topic === 'string') {
      topic = this.topic;
    } else {
      const view: RecordContextView = { ...(task.recordMetadata() ?? {}), timestamp: record.timestamp };
      try {
        topic = typeof this.topic === 'function' ? this.topic(record.key, record.value, view) : this.topic.extract(record.key, record.value, view);
      } catch (e) {
        throw this.failure('process', e);
      }
    }
    let key: Buffer | null;
    let value: Buffer | null;
    try {
      key = this.#keySerializer!.serialize(topic, record.key, record.headers);
      value = this.#valueSerializer!.serialize(topic, record.value, record.headers);
    } catch (e) {
      throw new ProcessorFailure(
        this.name,
        `Error serializing record to topic ${topic} in sink ${this.name}: ${e instanceof Error ? e.message : String(e)}. ` +
          'A serializer (key or value) is not compatible with the actual key or value type; change the default serdes ' +
          'in the config or provide correct serdes via method parameters (Produced.with(...)).',
        e,
      );
    }
    let partition: number | null = null;
    if (this.partitioner) {
      const n = task.collector.partitionsFor(topic);
      if (n !== null) partition = this.partitioner(topic, record.key, record.value, n) ?? null;
    }
    task.collector.send({ topic, partition, key, value, timestamp: record.timestamp, headers: record.headers });
  }
}

function serializerOf(serde: Serde<unknown> | null, node: string, which: string): Serializer<unknown> {
  if (!serde) {
    throw new StreamsException(
      `Sink ${node} has no ${which} serializer and no default ${which} serde is configured ` +
        `(set default.${which}.serde / default${which === 'key' ? 'Key' : 'Value'}Serde, or pass Produced.with(...)).`,
    );
  }
  return serde.serializer();
}
