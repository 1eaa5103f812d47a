/**
 * The Processor API (Kafka's `processor.api`): user processors receive records one at a time and forward
 * results synchronously. Nothing here returns a Promise: the per-record path is synchronous by design.
 */
import type { Serde } from '../serde/serde';
import type { StateStore } from '../state/state-store';
import type { StoreBuilder } from '../state/store-builder';
import type { Headers } from './headers';
import type { Record } from './record';

/** When a punctuator fires: on stream time (driven by record timestamps) or wall-clock time. */
export enum PunctuationType {
  STREAM_TIME = 'STREAM_TIME',
  WALL_CLOCK_TIME = 'WALL_CLOCK_TIME',
}

/** Called by a schedule with the current stream or wall-clock time. */
export type Punctuator = (timestamp: number) => void;

/** Handle to cancel a schedule. */
export interface Cancellable {
  cancel(): void;
}

/** Where the record being processed came from; absent for records created by punctuators. */
export interface RecordMetadata {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
}

/** What every processor can ask of its task. */
export interface ProcessingContext {
  readonly applicationId: string;
  readonly taskId: string;
  /** Topic, partition and offset of the record being processed, or `null` inside a punctuator. */
  recordMetadata(): RecordMetadata | null;
  keySerde(): Serde<unknown> | null;
  valueSerde(): Serde<unknown> | null;
  /** The task's state directory, or `null` when the task has no persistent state. */
  stateDir(): string | null;
  /** A state store connected to this processor; throws `StreamsException` naming the store otherwise. */
  getStateStore<S extends StateStore>(name: string): S;
  schedule(intervalMs: number, type: PunctuationType, callback: Punctuator): Cancellable;
  /** Asks the task to commit as soon as possible. */
  commit(): void;
  appConfigs(): Readonly<{ [key: string]: unknown }>;
  appConfigsWithPrefix(prefix: string): Readonly<{ [key: string]: unknown }>;
  currentSystemTimeMs(): number;
  currentStreamTimeMs(): number;
}

/** Context of a processor that may forward records with new keys. */
export interface ProcessorContext<KForward = unknown, VForward = unknown> extends ProcessingContext {
  /** Sends a record to every child, or to the named child only. */
  forward<K extends KForward, V extends VForward>(record: Record<K, V>, childName?: string): void;
}

/** A record processor. `init` and `close` are optional. */
export interface Processor<KIn, VIn, KOut = never, VOut = never> {
  init?(context: ProcessorContext<KOut, VOut>): void;
  process(record: Record<KIn, VIn>): void;
  close?(): void;
}

/** A record whose key cannot be changed (for `processValues`). */
export interface FixedKeyRecord<K, V> {
  readonly key: K;
  readonly value: V;
  readonly timestamp: number;
  readonly headers: Headers;
  withValue<NewV>(value: NewV): FixedKeyRecord<K, NewV>;
  withTimestamp(timestamp: number): FixedKeyRecord<K, V>;
  withHeaders(headers: Headers): FixedKeyRecord<K, V>;
}

/** Context of a processor that keeps keys unchanged. */
export interface FixedKeyProcessorContext<KForward = unknown, VForward = unknown> extends ProcessingContext {
  forward<V extends VForward>(record: FixedKeyRecord<KForward, V>, childName?: string): void;
}

/** A processor that may change values but never keys. */
export interface FixedKeyProcessor<KIn, VIn, VOut = never> {
  init?(context: FixedKeyProcessorContext<KIn, VOut>): void;
  process(record: FixedKeyRecord<KIn, VIn>): void;
  close?(): void;
}

/**
 * Makes a new processor instance per task. Either a function, or an object with `get()` that may also name
 * the stores the processor needs (`stores()`), which are then added and connected automatically.
 */
export type ProcessorSupplier<KIn, VIn, KOut = never, VOut = never> =
  | (() => Processor<KIn, VIn, KOut, VOut>)
  | { get(): Processor<KIn, VIn, KOut, VOut>; stores?(): ReadonlyArray<StoreBuilder<StateStore>> };

/** Makes a new fixed-key processor instance per task (function or object with `get()`). */
export type FixedKeyProcessorSupplier<KIn, VIn, VOut = never> =
  | (() => FixedKeyProcessor<KIn, VIn, VOut>)
  | { get(): FixedKeyProcessor<KIn, VIn, VOut>; stores?(): ReadonlyArray<StoreBuilder<StateStore>> };
