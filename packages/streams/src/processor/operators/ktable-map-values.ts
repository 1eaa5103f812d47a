/** `KTable.mapValues`: maps new (and, when needed, old) values of table updates; null stays null (a delete). */
import type { Processor } from '../api';
import type { Change } from './change';
import type { ValueMapperWithKey } from './functions';
import type { KTableParent } from './ktable-parent';
import { KTableValueProcessor, KTableValueSupplier } from './ktable-value-processor';

export class KTableMapValuesSupplier<K, V, VR> extends KTableValueSupplier<K, V, VR> {
  constructor(
    parent: KTableParent,
    private readonly mapper: ValueMapperWithKey<K, V, VR>,
    queryableName: string | null,
  ) {
    super(parent, queryableName);
  }

  get(): Processor<K, Change<V>, K, Change<VR>> {
    return new KTableMapValues(this.mapper, this.queryableName, this.sendOldValues);
  }

  protected computeValue(key: K, value: V): VR | null {
    return this.mapper(key, value);
  }
}

class KTableMapValues<K, V, VR> extends KTableValueProcessor<K, V, VR> {
  constructor(
    private readonly mapper: ValueMapperWithKey<K, V, VR>,
    queryableName: string | null,
    sendOldValues: boolean,
  ) {
    super(queryableName, sendOldValues, false);
  }

  protected compute(key: K, value: V | null): VR | null {
    return value === null ? null : this.mapper(key, value);
  }
}
