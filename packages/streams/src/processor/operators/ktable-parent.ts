/** What a table processor needs of the table it reads: old values on request, and a getter of its values. */
import type { KTableValueGetterSupplier } from './ktable-value-getter';

export interface KTableParent {
  enableSendingOldValues(forceMaterialization: boolean): boolean;
  /** Reads the table by key (materializing a source table if needed). */
  valueGetterSupplier(): KTableValueGetterSupplier<unknown, unknown>;
}
