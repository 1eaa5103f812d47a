/**
 * `KGroupedStream.reduce`: combines each record's value into its key's running value (the first value is
 * taken as is). Records with a null key or value are dropped.
 */
import { log } from '../../logger';
import type { KeyValueStore } from '../../state/state-store';
import { ValueAndTimestamp } from '../../state/value-and-timestamp';
import type { Processor, ProcessorContext } from '../api';
import type { Record } from '../record';
import { Change } from './change';
import { droppedRecordsSensorOf } from './dropped-records';
import type { Reducer } from './functions';
import type { SendsOldValues } from './kstream-aggregate';
import { TimestampedTupleForwarder } from './timestamped-tuple-forwarder';

export class KStreamReduceSupplier<K, V> implements SendsOldValues {
  sendOldValues = false;
  constructor(
    readonly storeName: string,
    private readonly reducer: Reducer<V>,
  ) {}
  enableSendingOldValues(): boolean {
    this.sendOldValues = true;
    return true;
  }
  get(): Processor<K, V, K, Change<V>> {
    return new KStreamReduce(this.storeName, this.reducer, this.sendOldValues);
  }
}

class KStreamReduce<K, V> implements Processor<K, V, K, Change<V>> {
  #store!: KeyValueStore<K, ValueAndTimestamp<V>>;
  #forwarder!: TimestampedTupleForwarder<K, V>;
  #context!: ProcessorContext<K, Change<V>>;
  #dropped!: { increment(): void };

  constructor(
    private readonly storeName: string,
    private readonly reducer: Reducer<V>,
    private readonly sendOldValues: boolean,
  ) {}

  init(context: ProcessorContext<K, Change<V>>): void {
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
    const oldAgg = old?.value ?? null;
    let newAgg: V;
    let timestamp: number;
    if (oldAgg !== null && old !== null) {
      newAgg = this.reducer(oldAgg, record.value);
      timestamp = Math.max(record.timestamp, old.timestamp);
    } else {
      newAgg = record.value;
      timestamp = record.timestamp;
    }
    this.#store.put(record.key, ValueAndTimestamp.make(newAgg, timestamp));
    this.#forwarder.maybeForward(record.withValue(new Change<V>(newAgg, this.sendOldValues ? oldAgg : null)).withTimestamp(timestamp));
  }
}
