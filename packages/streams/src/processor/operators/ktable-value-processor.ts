/**
 * The shared shape of table operators that compute a row's new value from its old one (`KTable.filter`,
 * `filterNot`, `mapValues`): optionally materialized in their own store, forwarding old values when a
 * downstream operator asks for them.
 */
import type { KeyValueStore } from '../../state/state-store';
import { ValueAndTimestamp } from '../../state/value-and-timestamp';
import type { Processor, ProcessorContext } from '../api';
import type { Record } from '../record';
import { Change } from './change';
import type { KTableParent } from './ktable-parent';
import { TimestampedTupleForwarder } from './timestamped-tuple-forwarder';
import { mappedValueGetterSupplier, storeValueGetterSupplier, type KTableValueGetterSupplier } from './ktable-value-getter';

/** Supplier side: old values come from this operator's store when materialized, else from upstream. */
export abstract class KTableValueSupplier<K, V, VR> {
  sendOldValues = false;
  constructor(
    protected readonly parent: KTableParent,
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

  abstract get(): Processor<K, Change<V>, K, Change<VR>>;

  /** The operator's result for one (non-null) value, as its processor computes it. */
  protected abstract computeValue(key: K, value: V): VR | null;

  /** Reads this table: its own store when materialized, else the parent's values passed through this operator. */
  view(): KTableValueGetterSupplier<K, VR> {
    if (this.queryableName !== null) return storeValueGetterSupplier<K, VR>(this.queryableName);
    return mappedValueGetterSupplier(this.parent.valueGetterSupplier() as KTableValueGetterSupplier<K, V>, (key, vt) =>
      ValueAndTimestamp.make(this.computeValue(key, vt.value), vt.timestamp),
    );
  }
}

export abstract class KTableValueProcessor<K, V, VR> implements Processor<K, Change<V>, K, Change<VR>> {
  #context!: ProcessorContext<K, Change<VR>>;
  #store: KeyValueStore<K, ValueAndTimestamp<VR>> | null = null;
  #forwarder: TimestampedTupleForwarder<K, VR> | null = null;

  constructor(
    private readonly queryableName: string | null,
    private readonly sendOldValues: boolean,
    /** Drop updates whose old and new results are both null (filters: nothing changes downstream). */
    private readonly skipNullToNull: boolean,
  ) {}

  /** The operator's result for one value; `null` in gives `null` out. */
  protected abstract compute(key: K, value: V | null): VR | null;

  init(context: ProcessorContext<K, Change<VR>>): void {
    this.#context = context;
    if (this.queryableName !== null) {
      const store = context.getStateStore<KeyValueStore<K, ValueAndTimestamp<VR>>>(this.queryableName);
      this.#store = store;
      this.#forwarder = new TimestampedTupleForwarder(store, context, this.sendOldValues);
    }
  }

  process(record: Record<K, Change<V>>): void {
    const change = record.value;
    const newValue = this.compute(record.key, change.newValue);
    let oldValue: VR | null = null;
    if (this.sendOldValues) {
      oldValue = this.#store ? (this.#store.get(record.key)?.value ?? null) : this.compute(record.key, change.oldValue);
      if (this.skipNullToNull && oldValue === null && newValue === null) return;
    }
    const update = record.withValue(new Change<VR>(newValue, oldValue, change.isLatest));
    if (this.#store) {
      this.#store.put(record.key, ValueAndTimestamp.make(newValue, record.timestamp));
      this.#forwarder!.maybeForward(update);
    } else {
      this.#context.forward(update);
    }
  }
}
