/** Builds a state store with its layers (metered → caching → change-logging → inner), as Kafka's `StoreBuilder`. */
import type { StateStore } from './state-store';

/** Builds one store instance per task. Immutable: `with*` calls return new builders. */
export interface StoreBuilder<T extends StateStore> {
  readonly name: string;
  withCachingEnabled(): StoreBuilder<T>;
  withCachingDisabled(): StoreBuilder<T>;
  withLoggingEnabled(config: Readonly<{ [key: string]: string }>): StoreBuilder<T>;
  withLoggingDisabled(): StoreBuilder<T>;
  loggingEnabled(): boolean;
  cachingEnabled(): boolean;
  /** Topic configs for the changelog (e.g. `cleanup.policy`). */
  logConfig(): Readonly<{ [key: string]: string }>;
  build(): T;
}
