/** The `GlobalKTable` implementation: the name of its store, read by joins through a value getter. */
import { storeValueGetterSupplier, type KTableValueGetterSupplier } from '../../processor/operators/ktable-value-getter';
import type { GlobalKTable } from '../global-ktable';
import type { InternalStreamsBuilder } from '../internal-streams-builder';

export class GlobalKTableImpl<K, V> implements GlobalKTable<K, V> {
  constructor(
    readonly builder: InternalStreamsBuilder,
    readonly storeName: string,
    private readonly queryableName: string | null,
  ) {}

  queryableStoreName(): string | null {
    return this.queryableName;
  }

  valueGetterSupplier(): KTableValueGetterSupplier<K, V> {
    return storeValueGetterSupplier<K, V>(this.storeName);
  }
}
