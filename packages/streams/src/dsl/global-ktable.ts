/**
 * `GlobalKTable`: a table fully replicated on every instance (Kafka's `GlobalKTable`): each instance restores it
 * from its topic before processing and keeps it up to date with its own consumer, outside the tasks. Streams
 * join it by any key (no co-partitioning needed).
 */
export interface GlobalKTable<K, V> {
  /** The store name when the table was materialized under a name (`Materialized.as`), else null. */
  queryableStoreName(): string | null;
  /** @internal Phantom field carrying the key and value types. */
  readonly __types?: [K, V];
}
