/** `KTable.mapValues`: maps new (and, when needed, old) values of table updates; null stays null (a delete). */
import type { KeyValueStore } from '../../state/state-store';
import { ValueAndTimestamp } from '../../state/value-and-timestamp';
import type { Processor, ProcessorContext } from '../api';
import type { Record } from '../record';
import { Change } from './change';
import type { ValueMapperWithKey } from './functions';
import type { KTableParent } from './ktable-parent';
import { TimestampedTupleForwarder } from './timestamped-tuple-forwarder';

export class KTableMapValuesSupplier<K, V, VR> {
  sendOldValues = false;
  constructor(
    private readonly parent: KTableParent,
    private readonly mapper: ValueMapperWithKey<K, V, VR>,
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

  get(): Processor<K, Change<V>, K, Change<VR>> {
    return new KTableMapValues(this.mapper, this.queryableName, this.sendOldValues);
  }
}

class KTableMapValues<K, V, VR> implements Processor<K, Change<V>, K, Change<VR>> {
  #context!: ProcessorContext<K, Change<VR>>;
  #store: KeyValueStore<K, ValueAndTimestamp<VR>> | null = null;
  #forwarder: TimestampedTupleForwarder<K, VR> | null = null;

  constructor(
    private readonly mapper: ValueMapperWithKey<K, V, VR>,
    private readonly queryableName: string | null,
    private readonly sendOldValues: boolean,
  ) {}

  init(context: ProcessorContext<K, Change<VR>>): void {
    this.#context = context;
    if (this.queryableName !== null) {
      const store = context.getStateStore<KeyValueStore<K, ValueAndTimestamp<VR>>>(this.queryableName);
      this.#store = store;
      this.#forwarder = new TimestampedTupleForwarder(store, context, this.sendOldValues);
    }
  }

  #compute(key: K, value: V | null): VR | null {
    return value === null ? null : this.mapper(key, value);
  }

  process(record: Record<K, Change<V>>): void {
    const change = record.value;
    const newValue = this.#compute(record.key, change.newValue);
    if (this.#store) {
      const oldValue = this.sendOldValues ? (this.#store.get(record.key)?.value ?? null) : null;
      this.#store.put(record.key, ValueAndTimestamp.make(newValue, record.timestamp));
      this.#forwarder!.maybeForward(record.withValue(new Change<VR>(newValue, oldValue, change.isLatest)));
    } else {
      const oldValue = this.sendOldValues ? this.#compute(record.key, change.oldValue) : null;
      this.#context.forward(record.withValue(new Change<VR>(newValue, oldValue, change.isLatest)));
    }
  }
}
