/**
 * The context a processor sees. One `TaskContext` per task holds what the task knows (ids, stores, record
 * metadata, stream time, schedules); each node gets a small `NodeContext` bound to it, so `forward` goes
 * straight to that node's children without any lookup of a "current node".
 */
import { StreamsException } from '../errors';
import type { Serde } from '../serde/serde';
import type { StateStore } from '../state/state-store';
import type { RecordCollector } from '../runtime/record-collector';
import type {
  Cancellable,
  FixedKeyRecord,
  ProcessorContext,
  Punctuator,
  RecordMetadata,
} from './api';
import type { PunctuationType } from './api';
import type { ProcessorNode } from './processor-node';
import type { Record } from './record';

/** The task-wide state every node context reads. Implemented by `StreamTask`. */
export interface TaskContext {
  readonly applicationId: string;
  readonly taskId: string;
  readonly stateDirectory: string | null;
  readonly appConfigs: Readonly<{ [key: string]: unknown }>;
  readonly defaultKeySerde: Serde<unknown> | null;
  readonly defaultValueSerde: Serde<unknown> | null;
  readonly collector: RecordCollector;
  recordMetadata(): RecordMetadata | null;
  store(name: string): StateStore | undefined;
  /** A global store by name (readable by every processor without being connected), if the topology has it. */
  globalStore?(name: string): StateStore | undefined;
  schedule(node: ProcessorNode, intervalMs: number, type: PunctuationType, callback: Punctuator): Cancellable;
  requestCommit(): void;
  wallClockMs(): number;
  streamTimeMs(): number;
  /**
   * A processor threw on `record`: asks the `processing.exception.handler`. Returns when the record is to be
   * dropped (counted in `dropped-records`); throws `failure()` (or a failure of the handler itself) to fail.
   */
  /** Kafka's `InternalProcessorContext.processorMetadataForKey`: a value committed with the offsets, or null. */
  processorMetadataForKey?(key: string): number | null;
  /** Kafka's `addProcessorMetadataKeyValue`: committed with the task's next offsets, restored with them. */
  addProcessorMetadataKeyValue?(key: string, value: number): void;
  handleProcessingError?(nodeName: string, record: Record<unknown, unknown> | null, error: unknown, failure: () => Error): void;
}

/** A processor context bound to one node (fixed-key processors see the same object). */
export interface NodeContext extends ProcessorContext<unknown, unknown> {
  readonly task: TaskContext;
  readonly node: ProcessorNode;
}

class NodeContextImpl implements NodeContext {
  constructor(
    readonly task: TaskContext,
    readonly node: ProcessorNode,
  ) {}

  get applicationId(): string {
    return this.task.applicationId;
  }
  get taskId(): string {
    return this.task.taskId;
  }
  recordMetadata(): RecordMetadata | null {
    return this.task.recordMetadata();
  }
  keySerde(): Serde<unknown> | null {
    return this.task.defaultKeySerde;
  }
  valueSerde(): Serde<unknown> | null {
    return this.task.defaultValueSerde;
  }
  stateDir(): string | null {
    return this.task.stateDirectory;
  }

  getStateStore<S extends StateStore>(name: string): S {
    const global = this.task.globalStore?.(name);
    if (global !== undefined) return global as S;
    const store = this.task.store(name);
    if (!store || !this.node.storeNames.includes(name)) {
      throw new StreamsException(
        `Processor ${this.node.name} has no access to StateStore ${name} as the store is not connected to the processor. ` +
          "If you add stores manually via '.addStateStore()' make sure to connect the added store to the processor by providing " +
          "the processor name to '.addStateStore()' or connect them via '.connectProcessorAndStateStores()'. DSL users need to " +
          "provide the store name to '.process()' or '.processValues()' to connect the store to the corresponding operator, " +
          'or they can provide a StoreBuilder by implementing the stores() method on the Supplier itself.',
      );
    }
    return store as S;
  }

  schedule(intervalMs: number, type: PunctuationType, callback: Punctuator): Cancellable {
    if (!Number.isInteger(intervalMs) || intervalMs < 1) {
      throw new StreamsException(`The minimum supported scheduling interval is 1 millisecond; got ${intervalMs} in processor ${this.node.name}.`);
    }
    return this.task.schedule(this.node, intervalMs, type, callback);
  }

  commit(): void {
    this.task.requestCommit();
  }
  appConfigs(): Readonly<{ [key: string]: unknown }> {
    return this.task.appConfigs;
  }
  appConfigsWithPrefix(prefix: string): Readonly<{ [key: string]: unknown }> {
    const out: { [key: string]: unknown } = {};
    for (const [k, v] of Object.entries(this.task.appConfigs)) if (k.startsWith(prefix)) out[k.slice(prefix.length)] = v;
    return out;
  }
  currentSystemTimeMs(): number {
    return this.task.wallClockMs();
  }
  currentStreamTimeMs(): number {
    return this.task.streamTimeMs();
  }

  forward(record: Record<unknown, unknown> | FixedKeyRecord<unknown, unknown>, childName?: string): void {
    const r = record as Record<unknown, unknown>;
    if (childName !== undefined) {
      const child = this.node.childByName.get(childName);
      if (!child) {
        throw new StreamsException(`Unknown downstream node: ${childName} either does not exist or is not connected to this processor (${this.node.name}).`);
      }
      child.process(r);
      return;
    }
    const children = this.node.children;
    for (let i = 0; i < children.length; i++) children[i]!.process(r);
  }
}

export function createNodeContext(task: TaskContext, node: ProcessorNode): NodeContext {
  return new NodeContextImpl(task, node);
}

