/**
 * `KTable.groupBy`: re-keys table updates for the repartition topic. An update becomes a "subtract" of the
 * old pair and an "add" of the new one; when both land on the same key they travel as one update (KIP-904).
 */
import { StreamsException } from '../../errors';
import type { KeyValue } from '../../state/state-store';
import type { Processor, ProcessorContext } from '../api';
import type { Record } from '../record';
import { Change } from './change';
import type { KeyValueMapper } from './functions';

export class KTableRepartitionMap<K, V, KR, VR> implements Processor<K, Change<V>, KR, Change<VR>> {
  #context!: ProcessorContext<KR, Change<VR>>;
  constructor(private readonly mapper: KeyValueMapper<K, V, KeyValue<KR, VR>>) {}
  init(context: ProcessorContext<KR, Change<VR>>): void {
    this.#context = context;
  }
  process(record: Record<K, Change<V>>): void {
    if (record.key == null) throw new StreamsException('Record key for the grouping KTable should not be null.');
    const change = record.value;
    const newPair = change.newValue === null ? null : this.mapper(record.key, change.newValue);
    const oldPair = change.oldValue === null ? null : this.mapper(record.key, change.oldValue);
    const oldOk = oldPair != null && oldPair.key != null && oldPair.value != null;
    const newOk = newPair != null && newPair.key != null && newPair.value != null;
    if (oldOk && newOk && sameKey(oldPair.key, newPair.key)) {
      this.#context.forward(record.withKey(oldPair.key).withValue(new Change<VR>(newPair.value, oldPair.value, change.isLatest)));
      return;
    }
    if (oldOk) this.#context.forward(record.withKey(oldPair.key).withValue(new Change<VR>(null, oldPair.value, change.isLatest)));
    if (newOk) this.#context.forward(record.withKey(newPair.key).withValue(new Change<VR>(newPair.value, null, change.isLatest)));
  }
}

function sameKey(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Buffer.isBuffer(a) && Buffer.isBuffer(b)) return a.equals(b);
  return false;
}
