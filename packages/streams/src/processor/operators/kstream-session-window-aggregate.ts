/**
 * `SessionWindowedKStream` aggregations (Kafka's `KStreamSessionWindowAggregate`): a record at `t` finds the
 * sessions of its key ending at or after `t - gap` and starting at or before `t + gap`, merges their aggregates
 * (with the `Merger`) into one session spanning them all, removes them — forwarding a tombstone for each — and
 * stores and forwards the merged session. If the merged session ends before the close time
 * (`observedStreamTime - grace - gap`) the record is dropped instead. Results are stamped with the session end.
 */
import { log } from '../../logger';
import type { EmitStrategy } from '../../dsl/windows/emit-strategy';
import type { SessionWindows } from '../../dsl/windows/session-windows';
import { SessionWindow } from '../../dsl/windows/window';
import { Windowed } from '../../dsl/windows/windowed';
import { isCachedStateStore } from '../../state/cached-state-store';
import type { SessionStore } from '../../state/session/session-store';
import type { Processor, ProcessorContext } from '../api';
import { Headers } from '../headers';
import { Record } from '../record';
import { Change } from './change';
import { droppedRecordsSensorOf } from './dropped-records';
import type { Aggregator, Initializer } from './functions';
import { EmitThrottle, emitIntervalMs, type WindowCloseDefinition } from './kstream-time-window-aggregate-base';
import { IdleStreamTimeAdvancer } from './kstream-window-idle-advance';

/** Combines the aggregates of two sessions being merged. */
export type Merger<K, VA> = (aggKey: K, aggOne: VA, aggTwo: VA) => VA;

/** The task's processor metadata, as a processor reaches it through its context. */
interface ProcessorMetadataAccess {
  processorMetadataForKey?(key: string): number | null;
  addProcessorMetadataKeyValue?(key: string, value: number): void;
}

export class KStreamSessionWindowAggregateSupplier<K, V, VA> implements WindowCloseDefinition {
  sendOldValues = false;

  constructor(
    readonly windows: SessionWindows,
    readonly storeName: string,
    readonly emitStrategy: EmitStrategy,
    private readonly initializer: Initializer<VA>,
    private readonly aggregator: Aggregator<K, V, VA>,
    private readonly merger: Merger<K, VA>,
  ) {}

  enableSendingOldValues(): boolean {
    this.sendOldValues = true;
    return true;
  }

  windowCloseDelayMs(): number {
    return this.windows.gracePeriodMs() + this.windows.inactivityGap();
  }

  get(): Processor<K, V, Windowed<K>, Change<VA>> {
    return new KStreamSessionWindowAggregate(this);
  }

  /** @internal */
  parts(): { initializer: Initializer<VA>; aggregator: Aggregator<K, V, VA>; merger: Merger<K, VA> } {
    return { initializer: this.initializer, aggregator: this.aggregator, merger: this.merger };
  }
}

class KStreamSessionWindowAggregate<K, V, VA> implements Processor<K, V, Windowed<K>, Change<VA>> {
  #context!: ProcessorContext<Windowed<K>, Change<VA>>;
  #store!: SessionStore<K, VA>;
  #dropped!: { increment(): void };
  #cached = false;
  #throttle: EmitThrottle | null = null;
  #idle: IdleStreamTimeAdvancer | null = null;
  #observedStreamTime = -1;
  #lastEmitWindowCloseTime = -1;
  /** The task's processor metadata (committed with the offsets), absent outside a task. */
  #metadata: ProcessorMetadataAccess | null = null;
  #metadataRead = false;
  #observedKey = '';
  readonly #windows: SessionWindows;
  readonly #sendOldValues: boolean;
  readonly #emitOnClose: boolean;
  readonly #initializer: Initializer<VA>;
  readonly #aggregator: Aggregator<K, V, VA>;
  readonly #merger: Merger<K, VA>;

  constructor(private readonly supplier: KStreamSessionWindowAggregateSupplier<K, V, VA>) {
    this.#windows = supplier.windows;
    this.#sendOldValues = supplier.sendOldValues;
    this.#emitOnClose = supplier.emitStrategy.type === 'ON_WINDOW_CLOSE';
    const p = supplier.parts();
    this.#initializer = p.initializer;
    this.#aggregator = p.aggregator;
    this.#merger = p.merger;
  }

  init(context: ProcessorContext<Windowed<K>, Change<VA>>): void {
    this.#context = context;
    this.#store = context.getStateStore(this.supplier.storeName);
    this.#dropped = droppedRecordsSensorOf(context);
    this.#metadata = (context as { task?: ProcessorMetadataAccess }).task ?? null;
    this.#observedKey = `${this.supplier.storeName}.observed-stream-time`;
    if (this.#emitOnClose) {
      this.#throttle = new EmitThrottle(emitIntervalMs(context.appConfigs()));
      this.#idle = IdleStreamTimeAdvancer.create(context, (streamTime) => {
        if (streamTime <= this.#observedStreamTime) return;
        this.#observedStreamTime = streamTime;
        this.#maybeForwardFinalResult(new Headers(), this.#closeTime());
      });
    } else if (isCachedStateStore<Windowed<K>, VA>(this.#store)) {
      const sendOld = this.#sendOldValues;
      this.#cached = this.#store.setFlushListener((r) => {
        context.forward(new Record(r.key, new Change<VA>(r.newValue, sendOld ? r.oldValue : null), r.key.window().end(), r.headers));
      }, sendOld);
    }
  }

  #closeTime(): number {
    return this.#observedStreamTime - this.#windows.gracePeriodMs() - this.#windows.inactivityGap();
  }

  process(record: Record<K, V>): void {
    if (record.key == null) {
      const m = this.#context.recordMetadata();
      if (m !== null) log.warn(`Skipping record due to null key. topic=[${m.topic}] partition=[${m.partition}] offset=[${m.offset}]`);
      else log.warn('Skipping record due to null key. Topic, partition, and offset not known.');
      this.#dropped.increment();
      return;
    }
    const ts = record.timestamp;
    if (!this.#metadataRead) this.#readProcessorMetadata();
    if (ts > this.#observedStreamTime) {
      this.#observedStreamTime = ts;
      this.#metadata?.addProcessorMetadataKeyValue?.(this.#observedKey, ts);
    }
    this.#idle?.recordSeen(this.#observedStreamTime);
    const closeTime = this.#closeTime();
    const gap = this.#windows.inactivityGap();
    const merged: { key: Windowed<K>; value: VA }[] = [];
    let mergedStart = ts;
    let mergedEnd = ts;
    let agg = this.#initializer();
    const it = this.#store.findSessions(record.key, ts - gap, ts + gap);
    try {
      for (let r = it.next(); !r.done; r = it.next()) {
        merged.push(r.value);
        agg = this.#merger(record.key, agg, r.value.value);
        const w = r.value.key.window();
        mergedStart = Math.min(mergedStart, w.start());
        mergedEnd = Math.max(mergedEnd, w.end());
      }
    } finally {
      it.close();
    }
    if (mergedEnd < closeTime) {
      this.#logSkippedRecordForExpiredWindow(ts, closeTime, `[${mergedStart},${mergedEnd}]`);
    } else {
      if (mergedStart !== ts || mergedEnd !== ts) {
        for (const session of merged) {
          this.#store.remove(session.key);
          this.#maybeForwardUpdate(session.key, session.value, null, record.headers);
        }
      }
      agg = this.#aggregator(record.key, record.value, agg);
      const sessionKey = new Windowed(record.key, new SessionWindow(mergedStart, mergedEnd));
      this.#store.put(sessionKey, agg);
      this.#maybeForwardUpdate(sessionKey, null, agg, record.headers);
    }
    this.#maybeForwardFinalResult(record.headers, closeTime);
  }

  #maybeForwardUpdate(key: Windowed<K>, oldAgg: VA | null, newAgg: VA | null, headers: Headers): void {
    if (this.#emitOnClose || this.#cached) return;
    this.#context.forward(new Record(key, new Change<VA>(newAgg, this.#sendOldValues ? oldAgg : null), key.window().end(), headers));
  }

  #maybeForwardFinalResult(headers: Headers, windowCloseTime: number): void {
    if (!this.#emitOnClose || !this.#throttle!.allow(this.#context.currentSystemTimeMs())) return;
    if (this.#lastEmitWindowCloseTime !== -1 && this.#lastEmitWindowCloseTime >= windowCloseTime) return;
    const upper = windowCloseTime - 1;
    if (upper < 0) return;
    const lower = Math.max(0, this.#lastEmitWindowCloseTime);
    if (upper < lower) return;
    const it = this.#store.findSessionsByEndTime(lower, upper);
    try {
      for (let r = it.next(); !r.done; r = it.next()) {
        const kv = r.value;
        this.#context.forward(new Record(kv.key, new Change<VA>(kv.value, null), kv.key.window().end(), headers));
      }
    } finally {
      it.close();
    }
    this.#lastEmitWindowCloseTime = windowCloseTime;
    this.#metadata?.addProcessorMetadataKeyValue?.(this.supplier.storeName, windowCloseTime);
  }

  /** What was committed before a restart (see the time-window aggregates): last emitted close time, observed stream time. */
  #readProcessorMetadata(): void {
    this.#metadataRead = true;
    const m = this.#metadata;
    if (m?.processorMetadataForKey === undefined) return;
    const observed = m.processorMetadataForKey(this.#observedKey);
    if (observed !== null && observed > this.#observedStreamTime) this.#observedStreamTime = observed;
    const lastEmit = this.#emitOnClose ? m.processorMetadataForKey(this.supplier.storeName) : null;
    if (lastEmit !== null && lastEmit > this.#lastEmitWindowCloseTime) this.#lastEmitWindowCloseTime = lastEmit;
  }

  #logSkippedRecordForExpiredWindow(timestamp: number, windowExpire: number, window: string): void {
    const m = this.#context.recordMetadata();
    if (m !== null) {
      log.warn(
        `Skipping record for expired window. topic=[${m.topic}] partition=[${m.partition}] offset=[${m.offset}] ` +
          `timestamp=[${timestamp}] window=${window} expiration=[${windowExpire}] streamTime=[${this.#observedStreamTime}]`,
      );
    } else {
      log.warn(
        'Skipping record for expired window. Topic, partition, and offset not known. ' +
          `timestamp=[${timestamp}] window=${window} expiration=[${windowExpire}] streamTime=[${this.#observedStreamTime}]`,
      );
    }
    this.#dropped.increment();
  }
}
