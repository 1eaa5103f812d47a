/**
 * `KGroupedTable.aggregate` / `count` / `reduce`: applies the subtractor for an update's old value, then the
 * adder for its new value, to the aggregate of the new grouping key.
 */
import { StreamsException } from '../../errors';
import type { KeyValueStore } from '../../state/state-store';
import { ValueAndTimestamp } from '../../state/value-and-timestamp';
import type { Processor, ProcessorContext } from '../api';
import type { Record } from '../record';
import { Change } from './change';
import { storeValueGetterSupplier, type KTableValueGetterSupplier } from './ktable-value-getter';
import type { Aggregator, Initializer } from './functions';
import { TimestampedTupleForwarder } from './timestamped-tuple-forwarder';

export class KTableAggregateSupplier<K, V, VA> {
  sendOldValues = false;
  constructor(
    readonly storeName: string,
    private readonly initializer: Initializer<VA> | null,
    private readonly adder: Aggregator<K, V, VA>,
    private readonly subtractor: Aggregator<K, V, VA>,
  ) {}
  enableSendingOldValues(): boolean {
    this.sendOldValues = true;
    return true;
  }
  /** Joins read the aggregate store. */
  view(): KTableValueGetterSupplier<K, VA> {
    return storeValueGetterSupplier<K, VA>(this.storeName);
  }
  get(): Processor<K, Change<V>, K, Change<VA>> {
    return new KTableAggregate(this.storeName, this.initializer, this.adder, this.subtractor, this.sendOldValues);
  }
}

class KTableAggregate<K, V, VA> implements Processor<K, Change<V>, K, Change<VA>> {
  #store!: KeyValueStore<K, ValueAndTimestamp<VA>>;
  #forwarder!: TimestampedTupleForwarder<K, VA>;

  constructor(
    private readonly storeName: string,
    /** null for reduce: the first value becomes the aggregate. */
    private readonly initializer: Initializer<VA> | null,
    private readonly adder: Aggregator<K, V, VA>,
    private readonly subtractor: Aggregator<K, V, VA>,
    private readonly sendOldValues: boolean,
  ) {}

  init(context: ProcessorContext<K, Change<VA>>): void {
    this.#store = context.getStateStore(this.storeName);
    this.#forwarder = new TimestampedTupleForwarder(this.#store, context, this.sendOldValues);
  }

  process(record: Record<K, Change<V>>): void {
    if (record.key == null) throw new StreamsException(`Record key for KTable aggregate operator with state ${this.storeName} should not be null.`);
    const old = this.#store.get(record.key);
    const oldAgg = old?.value ?? null;
    let timestamp = record.timestamp;
    let intermediate: VA | null;
    if (record.value.oldValue !== null && oldAgg !== null) {
      intermediate = this.subtractor(record.key, record.value.oldValue, oldAgg);
      timestamp = Math.max(record.timestamp, old!.timestamp);
    } else {
      intermediate = oldAgg;
    }
    let newAgg: VA | null;
    if (record.value.newValue !== null) {
      if (intermediate === null) {
        newAgg = this.initializer ? this.adder(record.key, record.value.newValue, this.initializer()) : (record.value.newValue as unknown as VA);
      } else {
        newAgg = this.adder(record.key, record.value.newValue, intermediate);
      }
      if (old !== null) timestamp = Math.max(record.timestamp, old.timestamp);
    } else {
      newAgg = intermediate;
    }
    this.#store.put(record.key, ValueAndTimestamp.make(newAgg, timestamp));
    this.#forwarder.maybeForward(record.withValue(new Change<VA>(newAgg, this.sendOldValues ? oldAgg : null, record.value.isLatest)).withTimestamp(timestamp));
  }
}
