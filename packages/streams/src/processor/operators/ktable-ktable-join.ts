/**
 * `KTable.join / leftJoin / outerJoin(KTable)` (Kafka's `KTableKTable{Inner,Left,Right,Outer}Join` and
 * `KTableKTableJoinMerger`): an update on either side looks up the other side's current value and forwards the
 * joined update (with the joined old value when asked for) stamped with the larger of both timestamps. The two
 * sides' processors feed a merger, which stores the result when the join is materialized. Reading the joined
 * table by key (a later join) joins both sides' getters on the fly.
 */
import { log } from '../../logger';
import type { KeyValueStore } from '../../state/state-store';
import { ValueAndTimestamp } from '../../state/value-and-timestamp';
import type { Processor, ProcessorContext } from '../api';
import type { Record } from '../record';
import { Change } from './change';
import { droppedRecordsSensorOf } from './dropped-records';
import type { ValueJoinerWithKey } from './kstream-ktable-join';
import type { KTableParent } from './ktable-parent';
import { storeValueGetterSupplier, type KTableValueGetter, type KTableValueGetterSupplier } from './ktable-value-getter';
import { TimestampedTupleForwarder } from './timestamped-tuple-forwarder';

/** Which rows a side's processor emits: `right` is the other side of a left join (Kafka's KTableKTableRightJoin). */
export type TableJoinKind = 'inner' | 'left' | 'right' | 'outer';

const UNKNOWN = -1;

/** One side of a table-table join: `thisTable` is updated, `otherTable` is looked up. */
export class KTableKTableJoinSupplier<K, V1, V2, VR> {
  sendOldValues = false;

  constructor(
    private readonly kind: TableJoinKind,
    private readonly thisTable: KTableParent,
    private readonly otherTable: KTableParent,
    /** `(key, thisValue, otherValue)` — for the other side, the user's joiner with its value arguments swapped. */
    private readonly joiner: ValueJoinerWithKey<K, V1 | null, V2 | null, VR>,
  ) {}

  enableSendingOldValues(): boolean {
    this.thisTable.enableSendingOldValues(true);
    this.otherTable.enableSendingOldValues(true);
    this.sendOldValues = true;
    return true;
  }

  get(): Processor<K, Change<V1>, K, Change<VR>> {
    return new KTableKTableJoin(this.kind, this.otherTable.valueGetterSupplier().get() as KTableValueGetter<K, V2>, this.joiner, this.sendOldValues);
  }

  /** Reads the joined table by key: both sides' getters, joined as this side's processor joins. */
  view(): KTableValueGetterSupplier<K, VR> {
    const kind = this.kind;
    const joiner = this.joiner;
    const thisView = this.thisTable.valueGetterSupplier() as KTableValueGetterSupplier<K, V1>;
    const otherView = this.otherTable.valueGetterSupplier() as KTableValueGetterSupplier<K, V2>;
    return {
      get: () => {
        const g1 = thisView.get();
        const g2 = otherView.get();
        return {
          init: (context) => {
            g1.init(context);
            g2.init(context);
          },
          get: (key) => {
            const vt1 = g1.get(key);
            if (vt1 === null && kind !== 'outer') return null;
            const vt2 = g2.get(key);
            if (vt2 === null && (kind === 'inner' || vt1 === null)) return null;
            const ts = Math.max(vt1?.timestamp ?? UNKNOWN, vt2?.timestamp ?? UNKNOWN);
            return ValueAndTimestamp.make(joiner(key, vt1?.value ?? null, vt2?.value ?? null), ts);
          },
          close: () => {
            g1.close();
            g2.close();
          },
        };
      },
      storeNames: () => [...new Set([...thisView.storeNames(), ...otherView.storeNames()])],
    };
  }
}

class KTableKTableJoin<K, V1, V2, VR> implements Processor<K, Change<V1>, K, Change<VR>> {
  #context!: ProcessorContext<K, Change<VR>>;
  #dropped!: { increment(): void };

  constructor(
    private readonly kind: TableJoinKind,
    private readonly valueGetter: KTableValueGetter<K, V2>,
    private readonly joiner: ValueJoinerWithKey<K, V1 | null, V2 | null, VR>,
    private readonly sendOldValues: boolean,
  ) {}

  init(context: ProcessorContext<K, Change<VR>>): void {
    this.#context = context;
    this.#dropped = droppedRecordsSensorOf(context);
    this.valueGetter.init(context);
  }

  process(record: Record<K, Change<V1>>): void {
    if (record.key == null) {
      const m = this.#context.recordMetadata();
      log.warn(
        m
          ? `Skipping record due to null key. topic=[${m.topic}] partition=[${m.partition}] offset=[${m.offset}]`
          : 'Skipping record due to null key. Topic, partition, and offset not known.',
      );
      this.#dropped.increment();
      return;
    }
    const change = record.value;
    const other = this.valueGetter.get(record.key);
    const otherValue = other?.value ?? null;
    let newValue: VR | null = null;
    let oldValue: VR | null = null;
    let ts: number;
    switch (this.kind) {
      case 'inner':
        if (otherValue === null) return;
        ts = Math.max(record.timestamp, other!.timestamp);
        if (change.newValue !== null) newValue = this.joiner(record.key, change.newValue, otherValue);
        if (this.sendOldValues && change.oldValue !== null) oldValue = this.joiner(record.key, change.oldValue, otherValue);
        break;
      case 'left':
        if (otherValue === null && change.newValue === null && change.oldValue === null) return;
        ts = Math.max(record.timestamp, other?.timestamp ?? UNKNOWN);
        if (change.newValue !== null) newValue = this.joiner(record.key, change.newValue, otherValue);
        if (this.sendOldValues && change.oldValue !== null) oldValue = this.joiner(record.key, change.oldValue, otherValue);
        break;
      case 'right':
        // an update of a left join's right side: rows exist only where the left side has a value
        if (otherValue === null) return;
        ts = Math.max(record.timestamp, other!.timestamp);
        newValue = this.joiner(record.key, change.newValue, otherValue);
        if (this.sendOldValues) oldValue = this.joiner(record.key, change.oldValue, otherValue);
        break;
      case 'outer':
        if (otherValue === null && change.newValue === null && change.oldValue === null) return;
        ts = otherValue === null ? record.timestamp : Math.max(record.timestamp, other!.timestamp);
        if (otherValue !== null || change.newValue !== null) newValue = this.joiner(record.key, change.newValue, otherValue);
        if (this.sendOldValues && (otherValue !== null || change.oldValue !== null)) oldValue = this.joiner(record.key, change.oldValue, otherValue);
        break;
    }
    this.#context.forward(record.withValue(new Change<VR>(newValue, oldValue, change.isLatest)).withTimestamp(ts));
  }

  close(): void {
    this.valueGetter.close();
  }
}

/** Kafka's `KTableKTableJoinMerger`: forwards both sides' joined updates, storing them when materialized. */
export class KTableKTableJoinMerger<K, V> {
  sendOldValues = false;

  constructor(
    private readonly parent1: KTableKTableJoinSupplier<K, unknown, unknown, V>,
    private readonly parent2: KTableKTableJoinSupplier<K, unknown, unknown, V>,
    readonly queryableName: string | null,
  ) {}

  enableSendingOldValues(): boolean {
    this.parent1.enableSendingOldValues();
    this.parent2.enableSendingOldValues();
    this.sendOldValues = true;
    return true;
  }

  view(): KTableValueGetterSupplier<K, V> {
    if (this.queryableName !== null) return storeValueGetterSupplier<K, V>(this.queryableName);
    return this.parent1.view();
  }

  get(): Processor<K, Change<V>, K, Change<V>> {
    const queryableName = this.queryableName;
    const sendOldValues = this.sendOldValues;
    let context!: ProcessorContext<K, Change<V>>;
    let store: KeyValueStore<K, ValueAndTimestamp<V>> | null = null;
    let forwarder: TimestampedTupleForwarder<K, V> | null = null;
    return {
      init(c) {
        context = c;
        if (queryableName !== null) {
          store = c.getStateStore<KeyValueStore<K, ValueAndTimestamp<V>>>(queryableName);
          forwarder = new TimestampedTupleForwarder(store, c, sendOldValues);
        }
      },
      process(record) {
        if (store !== null) {
          store.put(record.key, ValueAndTimestamp.make(record.value.newValue, record.timestamp));
          forwarder!.maybeForward(record.withValue(new Change<V>(record.value.newValue, sendOldValues ? record.value.oldValue : null, true)));
        } else if (sendOldValues) {
          context.forward(record);
        } else {
          context.forward(record.withValue(new Change<V>(record.value.newValue, null, record.value.isLatest)));
        }
      },
    };
  }
}
