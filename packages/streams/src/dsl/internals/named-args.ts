/** Splits the optional `(named?, materialized?)` arguments the DSL accepts in either order, as Java's overloads. */
import { Materialized } from '../materialized';
import { Named } from '../named';

export function namedAndMaterialized<K, V>(
  a: Named | Materialized<K, V> | undefined,
  b: Materialized<K, V> | undefined,
): { named: string | null; materialized: Materialized<K, V> | null } {
  if (a instanceof Materialized) return { named: null, materialized: a };
  return { named: a instanceof Named ? a.name : null, materialized: b ?? null };
}
