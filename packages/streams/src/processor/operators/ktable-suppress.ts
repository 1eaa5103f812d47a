/**
 * `KTable.suppress` (Kafka's `KTableSuppressProcessorSupplier`): buffers each key's latest update and forwards it
 * only once its buffer time is at least `suppressDuration` behind the processor's observed stream time — for
 * `untilWindowCloses` the buffer time is the window end and the duration the window's grace (plus gap for
 * sessions), so each window is emitted once, final; for `untilTimeLimit` the buffer time is the record time.
 * A full buffer emits its oldest entries early (`emitEarlyWhenFull`) or fails the task (`shutDownWhenFull`).
 * Final-results mode drops tombstones (windows deleted before closing need not be announced).
 */
import { StreamsException } from '../../errors';
import type { Windowed } from '../../dsl/windows/windowed';
import type { BufferFullStrategy } from '../../dsl/windows/suppressed';
import type { StoreRecordContext } from '../../state/state-store';
import type { Processor, ProcessorContext } from '../api';
import { Record } from '../record';
import type { Change } from './change';
import type { KTableParent } from './ktable-parent';
import type { Eviction, InMemoryTimeOrderedKeyValueBuffer } from './ktable-suppress-buffer';
import { IdleStreamTimeAdvancer } from './kstream-window-idle-advance';

export interface SuppressSettings {
  readonly processorName: string;
  readonly storeName: string;
  readonly suppressDurationMs: number;
  /** `window-end`: buffer time is the windowed key's window end; `record-time`: the record timestamp. */
  readonly timeDefinition: 'window-end' | 'record-time';
  readonly maxRecords: number;
  readonly maxBytes: number;
  readonly bufferFullStrategy: BufferFullStrategy;
  readonly safeToDropTombstones: boolean;
}

export class KTableSuppressSupplier<K, V> {
  constructor(
    readonly settings: SuppressSettings,
    private readonly parent: KTableParent,
  ) {
    // the buffer keeps prior values for value getters, so it needs to see old values
    parent.enableSendingOldValues(true);
  }

  enableSendingOldValues(forceMaterialization: boolean): boolean {
    return this.parent.enableSendingOldValues(forceMaterialization);
  }

  get(): Processor<K, Change<V>, K, Change<V>> {
    return new KTableSuppress<K, V>(this.settings);
  }
}

class KTableSuppress<K, V> implements Processor<K, Change<V>, K, Change<V>> {
  #context!: ProcessorContext<K, Change<V>>;
  #buffer!: InMemoryTimeOrderedKeyValueBuffer<K, V>;
  #observedStreamTime = -1;
  #idle: IdleStreamTimeAdvancer | null = null;

  constructor(private readonly s: SuppressSettings) {}

  init(context: ProcessorContext<K, Change<V>>): void {
    this.#context = context;
    this.#buffer = context.getStateStore(this.s.storeName);
    this.#idle = IdleStreamTimeAdvancer.create(context, (streamTime) => {
      if (streamTime <= this.#observedStreamTime) return;
      this.#observedStreamTime = streamTime;
      this.#enforceConstraints();
    });
  }

  process(record: Record<K, Change<V>>): void {
    if (record.timestamp > this.#observedStreamTime) this.#observedStreamTime = record.timestamp;
    this.#idle?.recordSeen(this.#observedStreamTime);
    const bufferTime = this.s.timeDefinition === 'window-end' ? (record.key as unknown as Windowed<unknown>).window().end() : record.timestamp;
    const rc = this.#recordContext(record);
    this.#buffer.put(bufferTime, record.key, record.value, rc);
    this.#enforceConstraints();
  }

  #recordContext(record: Record<K, Change<V>>): StoreRecordContext {
    return this.#buffer.recordContextFor(record.timestamp, record.headers);
  }

  #enforceConstraints(): void {
    const expiryTime = this.#observedStreamTime - this.s.suppressDurationMs;
    this.#buffer.evictWhile(() => this.#buffer.minTimestamp() <= expiryTime, (e) => this.#emit(e));
    if (this.#overCapacity()) {
      if (this.s.bufferFullStrategy === 'EMIT') {
        this.#buffer.evictWhile(() => this.#overCapacity(), (e) => this.#emit(e));
      } else {
        throw new StreamsException(
          `${this.s.processorName} buffer exceeded its max capacity. Currently [${this.#buffer.numRecords()}/${this.s.maxRecords}] records ` +
            `and [${this.#buffer.bufferSize()}/${this.s.maxBytes}] bytes.`,
        );
      }
    }
  }

  #overCapacity(): boolean {
    return this.#buffer.numRecords() > this.s.maxRecords || this.#buffer.bufferSize() > this.s.maxBytes;
  }

  #emit(e: Eviction<K, V>): void {
    if (e.value.newValue === null && this.s.safeToDropTombstones) return;
    this.#context.forward(new Record(e.key, e.value, e.context.timestamp, e.context.headers));
  }
}
