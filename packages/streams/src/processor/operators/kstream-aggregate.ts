/**
 * `KGroupedStream.aggregate` / `count` (and `reduce`, see kstream-reduce.ts): folds each record into the
 * aggregate of its key, kept in a timestamped key-value store; emits the new aggregate as a KTable update.
 * Records with a null key or value are dropped.
 */
import { log } from '../../logger';
import type { KeyValueStore } from '../../state/state-store';
import { ValueAndTimestamp } from '../../state/value-and-timestamp';
import type { Processor, ProcessorContext } from '../api';
import type { Record } from '../record';
import { Change } from './change';
import { storeValueGetterSupplier, type KTableValueGetterSupplier } from './ktable-value-getter';
import type { Aggregator, Initializer } from './functions';
import { droppedRecordsSensorOf } from './dropped-records';
import { TimestampedTupleForwarder } from './timestamped-tuple-forwarder';

/** A processor supplier that can be asked to send old values downstream (KTable semantics). */
export interface SendsOldValues {
  enableSendingOldValues(forceMaterialization: boolean): boolean;
}

export class KStreamAggregateSupplier<K, V, VA> implements SendsOldValues {
  sendOldValues = false;
  constructor(
    readonly storeName: string,
    /** `null` for reduce: a key's first value becomes its aggregate as is. */
    private readonly initializer: Initializer<VA> | null,
    private readonly aggregator: Aggregator<K, V, VA>,
  ) {}
  enableSendingOldValues(): boolean {
    this.sendOldValues = true;
    return true;
  }
  /** Joins read the aggregate store. */
  view(): KTableValueGetterSupplier<K, VA> {
    return storeValueGetterSupplier<K, VA>(this.storeName);
  }
  get(): Processor<K, V, K, Change<VA>> {
    return new KStreamAggregate(this.storeName, this.initializer, this.aggregator, this.sendOldValues);
  }
}

class KStreamAggregate<K, V, VA> implements Processor<K, V, K, Change<VA>> {
  #store!: KeyValueStore<K, ValueAndTimestamp<VA>>;
  #forwarder!: TimestampedTupleForwarder<K, VA>;
  #context!: ProcessorContext<K, Change<VA>>;
  #dropped!: { increment(): void };

  constructor(
    private readonly storeName: string,
    private readonly initializer: Initializer<VA> | null,
    private readonly aggregator: Aggregator<K, V, VA>,
    private readonly sendOldValues: boolean,
  ) {}

  init(context: ProcessorContext<K, Change<VA>>): void {
    this.#context = context;
    this.#store = context.getStateStore(this.storeName);
    this.#forwarder = new TimestampedTupleForwarder(this.#store, context, this.sendOldValues);
    this.#dropped = droppedRecordsSensorOf(context);
  }

  process(record: Record<K, V>): void {
    if (record.key == null || record.value == null) {
      const m = this.#context.recordMetadata();
      log.warn(`Skipping record due to null key or value. topic=[${m?.topic}] partition=[${m?.partition}] offset=[${m?.offset}]`);
      this.#dropped.increment();
      return;
    }
    const old = this.#store.get(record.key);
    let oldAgg: VA | null;
    let newAgg: VA;
    let timestamp: number;
    if (old !== null) {
      oldAgg = old.value;
      timestamp = Math.max(record.timestamp, old.timestamp);
      newAgg = this.aggregator(record.key, record.value, oldAgg);
    } else {
      timestamp = record.timestamp;
      if (this.initializer) {
        oldAgg = this.initializer();
        newAgg = this.aggregator(record.key, record.value, oldAgg);
      } else {
        oldAgg = null;
        newAgg = record.value as unknown as VA;
      }
    }
    this.#store.put(record.key, ValueAndTimestamp.make(newAgg, timestamp));
    this.#forwarder.maybeForward(record.withValue(new Change<VA>(newAgg, this.sendOldValues ? oldAgg : null)).withTimestamp(timestamp));
  }
}
