/**
 * What the time-window and sliding-window aggregations share (Kafka's
 * `AbstractKStreamTimeWindowAggregateProcessor`): the processor's own observed stream time, the expired-window
 * warning and `dropped-records` count, forwarding updates (through the store's cache when caching is on), and
 * `EmitStrategy.onWindowClose()`: windows are read back from the store and emitted once the close time passed
 * them, throttled by the wall-clock emit interval (internal config, 1000 ms by default; the test driver uses 0).
 */
import { log } from '../../logger';
import type { EmitStrategy } from '../../dsl/windows/emit-strategy';
import type { Window } from '../../dsl/windows/window';
import { Windowed } from '../../dsl/windows/windowed';
import type { TimestampedWindowStore } from '../../state/window/window-store';
import type { Processor, ProcessorContext } from '../api';
import { Headers } from '../headers';
import { Record } from '../record';
import { Change } from './change';
import { droppedRecordsSensorOf } from './dropped-records';
import { IdleStreamTimeAdvancer } from './kstream-window-idle-advance';
import { TimestampedTupleForwarder } from './timestamped-tuple-forwarder';

/** Kafka's internal config of the emit-on-close throttle. */
export const EMIT_INTERVAL_MS_KSTREAMS_WINDOWED_AGGREGATION = '__emit.interval.ms.kstreams.windowed.aggregation__';

/** A windowed aggregation's definition of when its windows close, for `suppress(untilWindowCloses)`. */
export interface WindowCloseDefinition {
  /** How long after a window's end (in stream time) it closes: grace (plus the gap for sessions). */
  windowCloseDelayMs(): number;
}

export function isWindowCloseDefinition(x: unknown): x is WindowCloseDefinition {
  return typeof x === 'object' && x !== null && typeof (x as Partial<WindowCloseDefinition>).windowCloseDelayMs === 'function';
}

/** The wall-clock throttle of emit-on-close (Kafka's `TimeTracker`). */
export class EmitThrottle {
  #next = 0;
  constructor(private readonly intervalMs: number) {}
  /** Whether to emit now; if so, schedules the next allowed time. */
  allow(now: number): boolean {
    if (now < this.#next) return false;
    this.#next = now + this.intervalMs;
    return true;
  }
}

/** The emit interval from the app configs (default 1000 ms). */
export function emitIntervalMs(appConfigs: Readonly<{ [key: string]: unknown }>): number {
  const v = appConfigs[EMIT_INTERVAL_MS_KSTREAMS_WINDOWED_AGGREGATION];
  return typeof v === 'number' ? v : typeof v === 'string' && v !== '' ? Number(v) : 1000;
}

/** The task's processor metadata, as a processor reaches it through its context (absent outside a task). */
interface ProcessorMetadataAccess {
  processorMetadataForKey?(key: string): number | null;
  addProcessorMetadataKeyValue?(key: string, value: number): void;
}

export abstract class AbstractTimeWindowAggregateProcessor<K, V, VA> implements Processor<K, V, Windowed<K>, Change<VA>> {
  protected context!: ProcessorContext<Windowed<K>, Change<VA>>;
  protected windowStore!: TimestampedWindowStore<K, VA>;
  protected observedStreamTime = -1;
  protected lastEmitWindowCloseTime = -1;
  #forwarder: TimestampedTupleForwarder<Windowed<K>, VA> | null = null;
  #dropped!: { increment(): void };
  #throttle: EmitThrottle | null = null;
  #idle: IdleStreamTimeAdvancer | null = null;
  #metadata: ProcessorMetadataAccess | null = null;
  #metadataRead = false;
  #observedKey = '';

  constructor(
    protected readonly storeName: string,
    private readonly emitStrategy: EmitStrategy,
    private readonly sendOldValues: boolean,
  ) {}

  protected get emitOnClose(): boolean {
    return this.emitStrategy.type === 'ON_WINDOW_CLOSE';
  }

  init(context: ProcessorContext<Windowed<K>, Change<VA>>): void {
    this.context = context;
    this.windowStore = context.getStateStore(this.storeName);
    this.#dropped = droppedRecordsSensorOf(context);
    this.#metadata = (context as { task?: ProcessorMetadataAccess }).task ?? null;
    this.#observedKey = `${this.storeName}.observed-stream-time`;
    if (this.emitOnClose) {
      this.#throttle = new EmitThrottle(emitIntervalMs(context.appConfigs()));
      this.#idle = IdleStreamTimeAdvancer.create(context, (streamTime) => {
        if (streamTime <= this.observedStreamTime) return;
        this.observedStreamTime = streamTime;
        this.maybeForwardFinalResult(new Record<K | null, null>(null, null, streamTime, new Headers()), streamTime - this.gracePeriodMs());
      });
    } else {
      this.#forwarder = new TimestampedTupleForwarder(this.windowStore, context, this.sendOldValues);
    }
  }

  abstract process(record: Record<K, V>): void;

  protected abstract gracePeriodMs(): number;
  /** Inclusive bounds of window starts to emit; may be negative (then nothing is emitted). */
  protected abstract emitRangeLowerBound(windowCloseTime: number): number;
  protected abstract emitRangeUpperBound(windowCloseTime: number): number;
  protected abstract shouldRangeFetch(lower: number, upper: number): boolean;

  protected updateObservedStreamTime(timestamp: number): void {
    if (!this.#metadataRead) this.#readProcessorMetadata();
    if (timestamp > this.observedStreamTime) {
      this.observedStreamTime = timestamp;
      this.#metadata?.addProcessorMetadataKeyValue?.(this.#observedKey, timestamp);
    }
    this.#idle?.recordSeen(this.observedStreamTime);
  }

  /**
   * Picks up, once, what was committed before a restart or task move (it arrives with the committed offsets,
   * after init): emit-on-close's last emitted close time under the store name, as Kafka keeps it, and the
   * observed stream time (a kstreams addition, so a record that was too late before a restart stays too late).
   */
  #readProcessorMetadata(): void {
    this.#metadataRead = true;
    const m = this.#metadata;
    if (m?.processorMetadataForKey === undefined) return;
    const observed = m.processorMetadataForKey(this.#observedKey);
    if (observed !== null && observed > this.observedStreamTime) this.observedStreamTime = observed;
    const lastEmit = this.emitOnClose ? m.processorMetadataForKey(this.storeName) : null;
    if (lastEmit !== null && lastEmit > this.lastEmitWindowCloseTime) this.lastEmitWindowCloseTime = lastEmit;
  }



  /** Counts a dropped record (the caller logs why). */
  protected countDropped(): void {
    this.#dropped.increment();
  }

  protected skipNullKey(): void {
    const m = this.context.recordMetadata();
    if (m !== null) log.warn(`Skipping record due to null key. topic=[${m.topic}] partition=[${m.partition}] offset=[${m.offset}]`);
    else log.warn('Skipping record due to null key. Topic, partition, and offset not known.');
    this.#dropped.increment();
  }

  protected logSkippedRecordForExpiredWindow(timestamp: number, windowExpire: number, window: string): void {
    const m = this.context.recordMetadata();
    if (m !== null) {
      log.warn(
        `Skipping record for expired window. topic=[${m.topic}] partition=[${m.partition}] offset=[${m.offset}] ` +
          `timestamp=[${timestamp}] window=${window} expiration=[${windowExpire}] streamTime=[${this.observedStreamTime}]`,
      );
    } else {
      log.warn(
        'Skipping record for expired window. Topic, partition, and offset not known. ' +
          `timestamp=[${timestamp}] window=${window} expiration=[${windowExpire}] streamTime=[${this.observedStreamTime}]`,
      );
    }
    this.#dropped.increment();
  }

  protected maybeForwardUpdate(record: Record<K, V>, window: Window, oldAgg: VA | null, newAgg: VA, newTimestamp: number): void {
    if (this.#forwarder === null) return;
    this.#forwarder.maybeForward(
      new Record(new Windowed(record.key, window), new Change<VA>(newAgg, this.sendOldValues ? oldAgg : null), newTimestamp, record.headers),
    );
  }

  protected maybeForwardFinalResult(record: Record<unknown, unknown>, windowCloseTime: number): void {
    if (!this.emitOnClose || !this.#throttle!.allow(this.context.currentSystemTimeMs())) return;
    if (this.lastEmitWindowCloseTime !== -1 && this.lastEmitWindowCloseTime >= windowCloseTime) return;
    const upper = this.emitRangeUpperBound(windowCloseTime);
    if (upper < 0) return;
    const lower = this.emitRangeLowerBound(windowCloseTime);
    if (!this.shouldRangeFetch(lower, upper)) return;
    const it = this.windowStore.fetchAll(lower, upper);
    try {
      for (let r = it.next(); !r.done; r = it.next()) {
        const kv = r.value;
        this.context.forward(new Record(kv.key, new Change<VA>(kv.value.value, null), kv.value.timestamp, record.headers));
      }
    } finally {
      it.close();
    }
    this.lastEmitWindowCloseTime = windowCloseTime;
    this.#metadata?.addProcessorMetadataKeyValue?.(this.storeName, windowCloseTime);
  }
}
