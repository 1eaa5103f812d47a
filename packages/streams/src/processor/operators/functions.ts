/**
 * The user-function types of the DSL, with Java's argument order. Value mappers follow Java's two overloads:
 * a one-argument function gets the value (`ValueMapper`), a two-argument one gets `(readOnlyKey, value)`
 * (`ValueMapperWithKey`).
 */
import type { KeyValue } from '../../state/state-store';

export type Predicate<K, V> = (key: K, value: V) => boolean;
export type KeyValueMapper<K, V, R> = (key: K, value: V) => R;
export type ValueMapper<V, VR> = (value: V) => VR;
export type ValueMapperWithKey<K, V, VR> = (readOnlyKey: K, value: V) => VR;
export type ForeachAction<K, V> = (key: K, value: V) => void;
export type Initializer<VA> = () => VA;
export type Aggregator<K, V, VA> = (key: K, value: V, aggregate: VA) => VA;
export type Reducer<V> = (aggregate: V, value: V) => V;
export type FlatMapper<K, V, KR, VR> = (key: K, value: V) => Iterable<KeyValue<KR, VR>>;

/** Calls a value mapper with `(value)` or `(key, value)` depending on how many parameters it declares. */
export function withKey<K, V, VR>(mapper: ValueMapper<V, VR> | ValueMapperWithKey<K, V, VR>): ValueMapperWithKey<K, V, VR> {
  if (typeof mapper !== 'function') throw new TypeError('mapper must be a function');
  if (mapper.length >= 2) return mapper as ValueMapperWithKey<K, V, VR>;
  const f = mapper as (value: V) => VR;
  return (_key, value) => f(value);
}
