/**
 * Typed errors of kstreams. Each names what is wrong (node, store, topic, config key), so a user can act on it.
 * The hierarchy mirrors Kafka Streams' `org.apache.kafka.streams.errors`.
 */

/** Base class of every error kstreams raises on purpose. */
export class StreamsException extends Error {
  override readonly name: string = 'StreamsException';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** An invalid topology: duplicate names, unknown parents or stores, bad wiring. Message starts "Invalid topology: ". */
export class TopologyException extends StreamsException {
  override readonly name: string = 'TopologyException';
  constructor(message: string, options?: { cause?: unknown }) {
    super(`Invalid topology: ${message}`, options);
  }
}

/** A state store that is closed, unknown, or not queryable right now. */
export class InvalidStateStoreException extends StreamsException {
  override readonly name: string = 'InvalidStateStoreException';
}

/** The state store asked for does not exist in this topology or instance. */
export class UnknownStateStoreException extends InvalidStateStoreException {
  override readonly name: string = 'UnknownStateStoreException';
}

/** A state store (or its directory) failed at the storage level. */
export class ProcessorStateException extends StreamsException {
  override readonly name: string = 'ProcessorStateException';
}

/** A malformed or unknown configuration value; the message names the key. */
export class ConfigException extends StreamsException {
  override readonly name: string = 'ConfigException';
}

/** A record could not be (de)serialized. */
export class SerializationException extends StreamsException {
  override readonly name: string = 'SerializationException';
}

/** An argument to a public API call is invalid (Java's IllegalArgumentException). */
export class IllegalArgumentException extends StreamsException {
  override readonly name: string = 'IllegalArgumentException';
}

/** An operation was called in a state that does not allow it (Java's IllegalStateException). */
export class IllegalStateException extends StreamsException {
  override readonly name: string = 'IllegalStateException';
}

/** A task's producer was fenced or its partitions moved to another instance. */
export class TaskMigratedException extends StreamsException {
  override readonly name: string = 'TaskMigratedException';
}

/** A task's local state is unusable and must be wiped and restored. */
export class TaskCorruptedException extends StreamsException {
  override readonly name: string = 'TaskCorruptedException';
}

/** KafkaStreams was used before `start()`. */
export class StreamsNotStartedException extends InvalidStateStoreException {
  override readonly name: string = 'StreamsNotStartedException';
}

/** KafkaStreams is REBALANCING and the query did not enable stale stores; retry after the rebalance. */
export class StreamsRebalancingException extends InvalidStateStoreException {
  override readonly name: string = 'StreamsRebalancingException';
}

/** The store is not (or no longer) hosted by this instance: it moved in a rebalance; rediscover it and retry. */
export class StateStoreMigratedException extends InvalidStateStoreException {
  override readonly name: string = 'StateStoreMigratedException';
}

/** The store is closed for good: KafkaStreams is PENDING_SHUTDOWN, NOT_RUNNING or ERROR. */
export class StateStoreNotAvailableException extends InvalidStateStoreException {
  override readonly name: string = 'StateStoreNotAvailableException';
}

/** The partition asked for with `StoreQueryParameters.withPartition` is not hosted by this instance. */
export class InvalidStateStorePartitionException extends InvalidStateStoreException {
  override readonly name: string = 'InvalidStateStorePartitionException';
}
