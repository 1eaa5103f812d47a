/**
 * `KTable.filter` / `filterNot`: an update whose new value fails the predicate is forwarded as a tombstone,
 * so downstream tables delete the key (Kafka Streams' semantics).
 */
import type { KeyValueStore } from '../../state/state-store';
import { ValueAndTimestamp } from '../../state/value-and-timestamp';
import type { Processor, ProcessorContext } from '../api';
import type { Record } from '../record';
import { Change } from './change';
import type { Predicate } from './functions';
import type { KTableParent } from './ktable-parent';
import { TimestampedTupleForwarder } from './timestamped-tuple-forwarder';

export class KTableFilterSupplier<K, V> {
  sendOldValues = false;
  constructor(
    private readonly parent: KTableParent,
    private readonly predicate: Predicate<K, V>,
    private readonly filterNot: boolean,
    readonly queryableName: string | null,
  ) {}

  enableSendingOldValues(forceMaterialization: boolean): boolean {
    if (this.queryableName !== null) {
      this.sendOldValues = true;
      return true;
    }
    if (this.parent.enableSendingOldValues(forceMaterialization)) this.sendOldValues = true;
    return this.sendOldValues;
  }

  get(): Processor<K, Change<V>, K, Change<V>> {
    return new KTableFilter(this.predicate, this.filterNot, this.queryableName, this.sendOldValues);
  }
}

class KTableFilter<K, V> implements Processor<K, Change<V>, K, Change<V>> {
  #context!: ProcessorContext<K, Change<V>>;
  #store: KeyValueStore<K, ValueAndTimestamp<V>> | null = null;
  #forwarder: TimestampedTupleForwarder<K, V> | null = null;

  constructor(
    private readonly predicate: Predicate<K, V>,
    private readonly filterNot: boolean,
    private readonly queryableName: string | null,
    private readonly sendOldValues: boolean,
  ) {}

  init(context: ProcessorContext<K, Change<V>>): void {
    this.#context = context;
    if (this.queryableName !== null) {
      const store = context.getStateStore<KeyValueStore<K, ValueAndTimestamp<V>>>(this.queryableName);
      this.#store = store;
      this.#forwarder = new TimestampedTupleForwarder(store, context, this.sendOldValues);
    }
  }

  #compute(key: K, value: V | null): V | null {
    if (value === null) return null;
    return this.predicate(key, value) !== this.filterNot ? value : null;
  }

  process(record: Record<K, Change<V>>): void {
    const change = record.value;
    const newValue = this.#compute(record.key, change.newValue);
    let oldValue: V | null = null;
    if (this.sendOldValues) {
      oldValue = this.#store ? (this.#store.get(record.key)?.value ?? null) : this.#compute(record.key, change.oldValue);
      if (oldValue === null && newValue === null) return; // nothing changed downstream
    }
    if (this.#store) {
      this.#store.put(record.key, ValueAndTimestamp.make(newValue, record.timestamp));
      this.#forwarder!.maybeForward(record.withValue(new Change<V>(newValue, oldValue, change.isLatest)));
    } else {
      this.#context.forward(record.withValue(new Change<V>(newValue, oldValue, change.isLatest)));
    }
  }
}
