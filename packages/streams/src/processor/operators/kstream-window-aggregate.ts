/**
 * `TimeWindowedKStream.aggregate` / `count` / `reduce` over `TimeWindows` (Kafka's `KStreamWindowAggregate`):
 * each record updates every window containing it whose end is still after the close time
 * (`observedStreamTime - grace`); a window that already closed gets the expired-window warning and counts as a
 * dropped record. A window's value carries the largest record timestamp it has seen.
 */
import type { EmitStrategy } from '../../dsl/windows/emit-strategy';
import type { TimeWindows } from '../../dsl/windows/time-windows';
import type { Windowed } from '../../dsl/windows/windowed';
import { ValueAndTimestamp } from '../../state/value-and-timestamp';
import type { Processor } from '../api';
import type { Record } from '../record';
import type { Change } from './change';
import type { Aggregator, Initializer } from './functions';
import { AbstractTimeWindowAggregateProcessor, type WindowCloseDefinition } from './kstream-time-window-aggregate-base';

export class KStreamWindowAggregateSupplier<K, V, VA> implements WindowCloseDefinition {
  sendOldValues = false;

  constructor(
    readonly windows: TimeWindows,
    readonly storeName: string,
    readonly emitStrategy: EmitStrategy,
    private readonly initializer: Initializer<VA | null>,
    private readonly aggregator: Aggregator<K, V, VA | null>,
  ) {}

  enableSendingOldValues(): boolean {
    this.sendOldValues = true;
    return true;
  }

  windowCloseDelayMs(): number {
    return this.windows.gracePeriodMs();
  }

  get(): Processor<K, V, Windowed<K>, Change<VA>> {
    return new KStreamWindowAggregate(this.windows, this.storeName, this.emitStrategy, this.sendOldValues, this.initializer, this.aggregator);
  }
}

class KStreamWindowAggregate<K, V, VA> extends AbstractTimeWindowAggregateProcessor<K, V, VA> {
  constructor(
    private readonly windows: TimeWindows,
    storeName: string,
    emitStrategy: EmitStrategy,
    sendOldValues: boolean,
    private readonly initializer: Initializer<VA | null>,
    private readonly aggregator: Aggregator<K, V, VA | null>,
  ) {
    super(storeName, emitStrategy, sendOldValues);
  }

  protected gracePeriodMs(): number {
    return this.windows.gracePeriodMs();
  }

  process(record: Record<K, V>): void {
    if (record.key == null) {
      this.skipNullKey();
      return;
    }
    const timestamp = record.timestamp;
    this.updateObservedStreamTime(timestamp);
    const windowCloseTime = this.observedStreamTime - this.windows.gracePeriodMs();
    for (const [windowStart, window] of this.windows.windowsFor(timestamp)) {
      const windowEnd = window.end();
      if (windowEnd > windowCloseTime) {
        const old = this.windowStore.fetch(record.key, windowStart);
        const oldAgg = old === null ? this.initializer() : old.value;
        const newTimestamp = old === null ? timestamp : Math.max(timestamp, old.timestamp);
        const newAgg = this.aggregator(record.key, record.value, oldAgg) as VA;
        this.windowStore.put(record.key, ValueAndTimestamp.make(newAgg, newTimestamp), windowStart);
        this.maybeForwardUpdate(record, window, oldAgg, newAgg, newTimestamp);
      } else {
        this.logSkippedRecordForExpiredWindow(timestamp, windowCloseTime, `[${windowStart},${windowEnd})`);
      }
    }
    this.maybeForwardFinalResult(record, windowCloseTime);
  }

  protected emitRangeLowerBound(): number {
    // window ends are exclusive: start just after the windows emitted last time
    return this.lastEmitWindowCloseTime === -1 ? 0 : Math.max(0, this.lastEmitWindowCloseTime - this.windows.size()) + 1;
  }

  protected emitRangeUpperBound(windowCloseTime: number): number {
    return windowCloseTime - this.windows.size();
  }

  protected shouldRangeFetch(lower: number, upper: number): boolean {
    if (this.lastEmitWindowCloseTime === -1) return true;
    const closing = [...this.windows.windowsFor(upper).keys()];
    const emitted = [...this.windows.windowsFor(lower - 1).keys()];
    return !(closing.length === emitted.length && closing.every((s, i) => s === emitted[i]));
  }
}
