/**
 * `StreamsBuilder.table` / `KStream.toTable`: turns a stream of upserts into table updates (`Change`), storing
 * them when the table is materialized (which downstream operators may force, to get old values).
 */
import { log } from '../../logger';
import type { KeyValueStore } from '../../state/state-store';
import { ValueAndTimestamp } from '../../state/value-and-timestamp';
import type { Processor, ProcessorContext } from '../api';
import type { Record } from '../record';
import { Change } from './change';
import { storeValueGetterSupplier, type KTableValueGetterSupplier } from './ktable-value-getter';
import { droppedRecordsSensorOf } from './dropped-records';
import { TimestampedTupleForwarder } from './timestamped-tuple-forwarder';

export class KTableSourceSupplier<K, V> {
  sendOldValues = false;
  /** The store name, or null while the table is not materialized. */
  queryableName: string | null;

  constructor(
    readonly storeName: string,
    queryableName: string | null,
  ) {
    this.queryableName = queryableName;
  }

  get materialized(): boolean {
    return this.queryableName !== null;
  }

  materialize(): void {
    this.queryableName = this.storeName;
  }

  enableSendingOldValues(): void {
    this.sendOldValues = true;
    this.queryableName = this.storeName;
  }

  /** Joins read the table's store, so reading it materializes the table (as Kafka). */
  view(): KTableValueGetterSupplier<K, V> {
    this.materialize();
    return storeValueGetterSupplier<K, V>(this.storeName);
  }

  get(): Processor<K, V, K, Change<V>> {
    return new KTableSource<K, V>(this.queryableName, this.sendOldValues);
  }
}

class KTableSource<K, V> implements Processor<K, V, K, Change<V>> {
  #context!: ProcessorContext<K, Change<V>>;
  #store: KeyValueStore<K, ValueAndTimestamp<V>> | null = null;
  #forwarder: TimestampedTupleForwarder<K, V> | null = null;
  #dropped!: { increment(): void };

  constructor(
    private readonly queryableName: string | null,
    private readonly sendOldValues: boolean,
  ) {}

  init(context: ProcessorContext<K, Change<V>>): void {
    this.#context = context;
    this.#dropped = droppedRecordsSensorOf(context);
    if (this.queryableName !== null) {
      const store = context.getStateStore<KeyValueStore<K, ValueAndTimestamp<V>>>(this.queryableName);
      this.#store = store;
      this.#forwarder = new TimestampedTupleForwarder(store, context, this.sendOldValues);
    }
  }

  process(record: Record<K, V>): void {
    if (record.key == null) {
      const m = this.#context.recordMetadata();
      log.warn(`Skipping record due to null key. topic=[${m?.topic}] partition=[${m?.partition}] offset=[${m?.offset}]`);
      this.#dropped.increment();
      return;
    }
    if (this.#store === null) {
      this.#context.forward(record.withValue(new Change<V>(record.value ?? null, null)));
      return;
    }
    const old = this.#store.get(record.key);
    if (old !== null && record.timestamp < old.timestamp) {
      const m = this.#context.recordMetadata();
      log.warn(
        `Detected out-of-order KTable update for ${this.#store.name}, old timestamp=[${old.timestamp}] new timestamp=[${record.timestamp}]. ` +
          `topic=[${m?.topic}] partition=[${m?.partition}] offset=[${m?.offset}].`,
      );
    }
    this.#store.put(record.key, ValueAndTimestamp.make(record.value ?? null, record.timestamp));
    this.#forwarder!.maybeForward(record.withValue(new Change<V>(record.value ?? null, old?.value ?? null)));
  }
}
