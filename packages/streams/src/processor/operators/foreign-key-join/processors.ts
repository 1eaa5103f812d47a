/**
 * The five processors of a foreign-key table-table join (Kafka's `foreignkeyjoin` package), in record order:
 *
 * 1. `SubscriptionSend` (primary side): on each primary-table update, extracts the foreign key and sends a
 *    `SubscriptionWrapper` keyed by it — with the hash of the new value, an instruction, the primary key and
 *    partition — to the registration topic; when the foreign key changed, first a delete to the old one.
 * 2. `SubscriptionReceive` (foreign side): keeps the subscription in the subscription store under
 *    `CombinedKey(fk, pk)` (or deletes it) and forwards the change.
 * 3. `SubscriptionJoin` (foreign side): looks the foreign key up in the foreign table and answers with a
 *    `SubscriptionResponseWrapper` as the instruction says.
 * 4. `ForeignTableJoin` (foreign side): on each foreign-table update, answers every subscription of that key
 *    (a prefix scan of the subscription store).
 * 5. `ResponseJoin` (primary side, after the response topic): drops a response whose hash no longer matches the
 *    primary row's current value (a stale response), else joins and forwards the result (a tombstone when the
 *    join has no result).
 */
import { log } from '../../../logger';
import type { Serde, Serializer } from '../../../serde/serde';
import type { KeyValueStore } from '../../../state/state-store';
import { ValueAndTimestamp } from '../../../state/value-and-timestamp';
import type { Processor, ProcessorContext, ProcessingContext } from '../../api';
import type { Record } from '../../record';
import { Change } from '../change';
import { droppedRecordsSensorOf } from '../dropped-records';
import type { ValueJoinerWithKey } from '../kstream-ktable-join';
import type { KTableValueGetter, KTableValueGetterSupplier } from '../ktable-value-getter';
import { hashesEqual, murmur3Hash128 } from './murmur3';
import {
  type CombinedKey,
  type CombinedKeySchema,
  incrementBytes,
  Instruction,
  SUBSCRIPTION_WRAPPER_VERSION,
  RESPONSE_WRAPPER_VERSION,
  SubscriptionResponseWrapper,
  SubscriptionWrapper,
  type SubscriptionWrapperSerde,
  type ValueHash,
} from './wrappers';
import { StreamsException } from '../../../errors';

/** Kafka's `ForeignKeyExtractor`: from the value, or (two parameters) from the key and the value. */
export type ForeignKeyExtractor<K, V, KO> = ((value: V) => KO | null | undefined) | ((key: K, value: V) => KO | null | undefined);

function extractor<K, V, KO>(f: ForeignKeyExtractor<K, V, KO>): (key: K, value: V) => KO | null {
  if (f.length >= 2) {
    const g = f as (key: K, value: V) => KO | null | undefined;
    return (k, v) => g(k, v) ?? null;
  }
  const g = f as (value: V) => KO | null | undefined;
  return (_k, v) => g(v) ?? null;
}

const defaultsOf = (context: ProcessingContext): { key: Serde<unknown> | null; value: Serde<unknown> | null } => ({ key: context.keySerde(), value: context.valueSerde() });

function taskPartition(taskId: string): number {
  return Number(taskId.slice(taskId.lastIndexOf('_') + 1));
}

function where(context: ProcessingContext): string {
  const m = context.recordMetadata();
  return m === null ? 'Topic, partition, and offset not known.' : `topic=[${m.topic}] partition=[${m.partition}] offset=[${m.offset}]`;
}

export class SubscriptionSendSupplier<K, V, KO> {
  readonly #extract: (key: K, value: V) => KO | null;

  constructor(
    extract: ForeignKeyExtractor<K, V, KO>,
    private readonly foreignKeySerde: Serde<KO> | null,
    private readonly valueSerde: Serde<V> | null,
    private readonly foreignKeyTopic: () => string,
    private readonly valueHashTopic: () => string,
    private readonly leftJoin: boolean,
  ) {
    this.#extract = extractor(extract);
  }

  get(): Processor<K, Change<V>, KO | null, SubscriptionWrapper<K>> {
    const { foreignKeySerde, valueSerde, foreignKeyTopic, valueHashTopic, leftJoin } = this;
    const extract = this.#extract;
    let context!: ProcessorContext<KO | null, SubscriptionWrapper<K>>;
    let fkSerializer!: Serializer<KO>;
    let valueSerializer!: Serializer<V>;
    let dropped!: { increment(): void };
    let recordHash: ValueHash | null | undefined;

    const serializeFk = (fk: KO | null): Buffer | null => fkSerializer.serialize(foreignKeyTopic(), fk);
    const hash = (record: Record<K, Change<V>>): ValueHash | null => {
      if (recordHash === undefined) {
        const v = record.value.newValue;
        recordHash = v === null ? null : murmur3Hash128(valueSerializer.serialize(valueHashTopic(), v) ?? Buffer.alloc(0));
      }
      return recordHash;
    };
    const forward = (record: Record<K, Change<V>>, fk: KO | null, instruction: Instruction): void => {
      // the record's partition; an update flushed from the table's cache has no record metadata here, but comes
      // from this task's own partition (a task id is "<subtopology>_<partition>")
      const partition = context.recordMetadata()?.partition ?? taskPartition(context.taskId);
      context.forward(record.withKey(fk).withValue(new SubscriptionWrapper<K>(hash(record), instruction, record.key, partition)));
    };
    const skipNullFk = (): void => {
      log.warn(`Skipping record due to null foreign key. ${where(context)}`);
      dropped.increment();
    };
    const changed = (a: KO | null, b: KO | null): boolean => {
      const x = serializeFk(a);
      const y = serializeFk(b);
      return x === null || y === null ? x !== y : !x.equals(y);
    };

    return {
      init(c) {
        context = c;
        dropped = droppedRecordsSensorOf(c);
        const fkSerde = foreignKeySerde ?? (c.keySerde() as Serde<KO> | null);
        const vSerde = valueSerde ?? (c.valueSerde() as Serde<V> | null);
        if (fkSerde === null) throw new StreamsException('No foreign key serde for a foreign-key join: set default.key.serde or give the foreign table its serdes.');
        if (vSerde === null) throw new StreamsException('No value serde for a foreign-key join: set default.value.serde or give the primary table its serdes.');
        fkSerializer = fkSerde.serializer();
        valueSerializer = vSerde.serializer();
      },
      process(record) {
        recordHash = undefined;
        const { newValue, oldValue } = record.value;
        if (leftJoin) {
          if (oldValue !== null) {
            const oldFk = extract(record.key, oldValue);
            const newFk = newValue === null ? null : extract(record.key, newValue);
            if (oldFk !== null && changed(newFk, oldFk)) forward(record, oldFk, Instruction.DELETE_KEY_NO_PROPAGATE);
            forward(record, newFk, Instruction.PROPAGATE_NULL_IF_NO_FK_VAL_AVAILABLE);
          } else if (newValue !== null) {
            forward(record, extract(record.key, newValue), Instruction.PROPAGATE_NULL_IF_NO_FK_VAL_AVAILABLE);
          }
          return;
        }
        if (oldValue !== null) {
          const oldFk = extract(record.key, oldValue);
          const newFk = newValue === null ? null : extract(record.key, newValue);
          if (oldFk === null && newFk === null) skipNullFk();
          else if (oldFk === null) forward(record, newFk, Instruction.PROPAGATE_ONLY_IF_FK_VAL_AVAILABLE);
          else if (newFk === null) forward(record, oldFk, Instruction.DELETE_KEY_AND_PROPAGATE);
          else if (changed(newFk, oldFk)) {
            forward(record, oldFk, Instruction.DELETE_KEY_NO_PROPAGATE);
            forward(record, newFk, Instruction.PROPAGATE_NULL_IF_NO_FK_VAL_AVAILABLE);
          } else forward(record, newFk, Instruction.PROPAGATE_ONLY_IF_FK_VAL_AVAILABLE);
        } else if (newValue !== null) {
          const newFk = extract(record.key, newValue);
          if (newFk === null) skipNullFk();
          else forward(record, newFk, Instruction.PROPAGATE_ONLY_IF_FK_VAL_AVAILABLE);
        }
      },
    };
  }
}

type SubscriptionStore<K> = KeyValueStore<Buffer, ValueAndTimestamp<SubscriptionWrapper<K>>>;
type SubscriptionChange<K> = Change<ValueAndTimestamp<SubscriptionWrapper<K>>>;

function fillDefaults<K>(context: ProcessingContext, serde: SubscriptionWrapperSerde<K>, schema: CombinedKeySchema<unknown, K>): void {
  const d = defaultsOf(context);
  serde.useDefaultSerde(null, d);
  schema.init(d);
}

export class SubscriptionReceiveSupplier<K, KO> {
  constructor(
    private readonly storeName: string,
    private readonly schema: CombinedKeySchema<KO, K>,
    private readonly wrapperSerde: SubscriptionWrapperSerde<K>,
  ) {}

  get(): Processor<KO | null, SubscriptionWrapper<K>, CombinedKey<KO | null, K>, SubscriptionChange<K>> {
    const { storeName, schema, wrapperSerde } = this;
    let context!: ProcessorContext<CombinedKey<KO | null, K>, SubscriptionChange<K>>;
    let store!: SubscriptionStore<K>;
    let dropped!: { increment(): void };
    return {
      init(c) {
        context = c;
        dropped = droppedRecordsSensorOf(c);
        store = c.getStateStore<SubscriptionStore<K>>(storeName);
        fillDefaults(c, wrapperSerde, schema as CombinedKeySchema<unknown, K>);
      },
      process(record) {
        const w = record.value;
        if (record.key === null && w.instruction !== Instruction.PROPAGATE_NULL_IF_NO_FK_VAL_AVAILABLE) {
          log.warn(`Skipping record due to null foreign key. ${where(context)}`);
          dropped.increment();
          return;
        }
        if (w.version > SUBSCRIPTION_WRAPPER_VERSION) throw new StreamsException('SubscriptionWrapper is of an incompatible version.');
        const newValue = ValueAndTimestamp.make(w, record.timestamp);
        let change: SubscriptionChange<K>;
        if (record.key === null) {
          change = new Change(newValue, null);
        } else {
          const key = schema.toBytes(record.key, w.primaryKey);
          const oldValue = store.get(key);
          if (w.instruction === Instruction.DELETE_KEY_AND_PROPAGATE || w.instruction === Instruction.DELETE_KEY_NO_PROPAGATE) store.delete(key);
          else store.put(key, newValue!);
          change = new Change(newValue, oldValue);
        }
        context.forward(record.withKey({ foreignKey: record.key, primaryKey: w.primaryKey }).withValue(change));
      },
    };
  }
}

export class SubscriptionJoinSupplier<K, KO, VO> {
  constructor(private readonly foreignValues: KTableValueGetterSupplier<KO, VO>) {}

  get(): Processor<CombinedKey<KO | null, K>, SubscriptionChange<K>, K, SubscriptionResponseWrapper<VO>> {
    let context!: ProcessorContext<K, SubscriptionResponseWrapper<VO>>;
    let getter!: KTableValueGetter<KO, VO>;
    const supplier = this.foreignValues;
    return {
      init(c) {
        context = c;
        getter = supplier.get();
        getter.init(c);
      },
      process(record) {
        const vt = record.value.newValue;
        if (vt === null) throw new StreamsException('This processor should never see a null newValue.');
        const w = vt.value;
        if (w.version > SUBSCRIPTION_WRAPPER_VERSION) throw new StreamsException('SubscriptionWrapper is of an incompatible version.');
        const fk = record.key.foreignKey;
        const foreign = fk === null ? null : getter.get(fk);
        const ts = foreign === null ? vt.timestamp : Math.max(vt.timestamp, foreign.timestamp);
        const out = (value: VO | null): void =>
          context.forward(record.withKey(record.key.primaryKey).withValue(new SubscriptionResponseWrapper<VO>(w.hash, value, w.primaryPartition)).withTimestamp(ts));
        switch (w.instruction) {
          case Instruction.DELETE_KEY_AND_PROPAGATE:
            out(null);
            break;
          case Instruction.PROPAGATE_NULL_IF_NO_FK_VAL_AVAILABLE:
            out(foreign === null ? null : foreign.value);
            break;
          case Instruction.PROPAGATE_ONLY_IF_FK_VAL_AVAILABLE:
            if (foreign !== null) out(foreign.value);
            break;
          case Instruction.DELETE_KEY_NO_PROPAGATE:
            break;
        }
      },
      close() {
        getter.close();
      },
    };
  }
}

export class ForeignTableJoinSupplier<K, KO, VO> {
  constructor(
    private readonly storeName: string,
    private readonly schema: CombinedKeySchema<KO, K>,
    private readonly wrapperSerde: SubscriptionWrapperSerde<K>,
  ) {}

  get(): Processor<KO, Change<VO>, K, SubscriptionResponseWrapper<VO>> {
    const { storeName, schema, wrapperSerde } = this;
    let context!: ProcessorContext<K, SubscriptionResponseWrapper<VO>>;
    let store!: SubscriptionStore<K>;
    let dropped!: { increment(): void };
    return {
      init(c) {
        context = c;
        dropped = droppedRecordsSensorOf(c);
        store = c.getStateStore<SubscriptionStore<K>>(storeName);
        fillDefaults(c, wrapperSerde, schema as CombinedKeySchema<unknown, K>);
      },
      process(record) {
        if (record.key === null || record.key === undefined) {
          log.warn(`Skipping record due to null key. ${where(context)}`);
          dropped.increment();
          return;
        }
        const prefix = schema.prefixBytes(record.key);
        const it = store.range(prefix, incrementBytes(prefix));
        try {
          for (const { key, value } of it) {
            if (key.length < prefix.length || key.compare(prefix, 0, prefix.length, 0, prefix.length) !== 0) continue;
            const pk = schema.fromBytes(key).primaryKey;
            context.forward(record.withKey(pk).withValue(new SubscriptionResponseWrapper<VO>(value.value.hash, record.value.newValue, value.value.primaryPartition)));
          }
        } finally {
          it.close();
        }
      },
    };
  }
}

export class ResponseJoinSupplier<K, V, VO, VR> {
  constructor(
    private readonly primaryValues: KTableValueGetterSupplier<K, V>,
    private readonly valueSerde: Serde<V> | null,
    private readonly valueHashTopic: () => string,
    private readonly joiner: ValueJoinerWithKey<K, V | null, VO | null, VR>,
    private readonly leftJoin: boolean,
  ) {}

  get(): Processor<K, SubscriptionResponseWrapper<VO>, K, VR | null> {
    const { primaryValues, valueSerde, valueHashTopic, joiner, leftJoin } = this;
    let context!: ProcessorContext<K, VR | null>;
    let getter!: KTableValueGetter<K, V>;
    let serializer!: Serializer<V>;
    let dropped!: { increment(): void };
    return {
      init(c) {
        context = c;
        getter = primaryValues.get();
        getter.init(c);
        const serde = valueSerde ?? (c.valueSerde() as Serde<V> | null);
        if (serde === null) throw new StreamsException('No value serde for a foreign-key join: set default.value.serde or give the primary table its serdes.');
        serializer = serde.serializer();
        dropped = droppedRecordsSensorOf(c);
      },
      process(record) {
        const response = record.value;
        if (response.version !== RESPONSE_WRAPPER_VERSION) throw new StreamsException('SubscriptionResponseWrapper is of an incompatible version.');
        const current = getter.get(record.key);
        const currentHash = current === null ? null : murmur3Hash128(serializer.serialize(valueHashTopic(), current.value) ?? Buffer.alloc(0));
        if (!hashesEqual(response.originalValueHash, currentHash)) {
          dropped.increment();
          return;
        }
        const result =
          response.foreignValue === null && (!leftJoin || current === null) ? null : joiner(record.key, current === null ? null : current.value, response.foreignValue);
        context.forward(record.withValue(result));
      },
      close() {
        getter.close();
      },
    };
  }
}
