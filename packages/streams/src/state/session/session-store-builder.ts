/**
 * Session store suppliers and builders (Kafka's `Stores.inMemorySessionStore`, `SessionStoreBuilder`): `build()`
 * stacks metered → caching → change-logging → inner store; Processor API defaults logging on, caching off.
 * Session changelogs are `cleanup.policy=compact,delete` with `retention.ms = retention + 1 day`.
 */
import { IllegalArgumentException } from '../../errors';
import type { Serde } from '../../serde/serde';
import { AbstractStoreBuilder, PAPI_STORE_DEFAULTS, windowedChangelogConfig, type StoreBuilderSettings } from '../abstract-store-builder';
import { CachingSessionStore } from './caching-session-store';
import { ChangeLoggingSessionBytesStore } from './change-logging-session-store';
import { InMemorySessionStore } from './in-memory-session-store';
import { MeteredSessionStore } from './metered-session-store';
import type { SessionBytesStore, SessionBytesStoreSupplier } from './session-store';

/** The supplier of an in-memory session store. */
export function inMemorySessionStoreSupplier(name: string, retentionPeriodMs: number): SessionBytesStoreSupplier {
  if (typeof name !== 'string' || name.length === 0) throw new IllegalArgumentException('store name cannot be null or empty');
  if (retentionPeriodMs < 0) throw new IllegalArgumentException('retentionPeriod cannot be negative');
  return Object.freeze({
    name,
    get: () => new InMemorySessionStore(name, retentionPeriodMs),
    metricsScope: () => 'in-memory-session',
    retentionPeriod: () => retentionPeriodMs,
  });
}

/** Builds `SessionStore<K, AGG>`. */
export class SessionStoreBuilder<K, AGG> extends AbstractStoreBuilder<MeteredSessionStore<K, AGG>, K, AGG, SessionBytesStoreSupplier> {
  static create<K, AGG>(supplier: SessionBytesStoreSupplier, keySerde: Serde<K> | null, valueSerde: Serde<AGG> | null): SessionStoreBuilder<K, AGG> {
    return new SessionStoreBuilder(supplier, keySerde, valueSerde, PAPI_STORE_DEFAULTS);
  }
  protected with(settings: StoreBuilderSettings): this {
    return new SessionStoreBuilder(this.supplier, this.keySerde, this.valueSerde, settings) as this;
  }
  retentionPeriod(): number {
    return this.supplier.retentionPeriod();
  }
  protected defaultLogConfig(): Readonly<{ [key: string]: string }> {
    return windowedChangelogConfig(this.supplier.retentionPeriod());
  }
  build(): MeteredSessionStore<K, AGG> {
    let store: SessionBytesStore = this.supplier.get();
    if (this.settings.logging) store = new ChangeLoggingSessionBytesStore(store);
    if (this.settings.caching) store = new CachingSessionStore(store, this.supplier.segmentIntervalMs?.() ?? 1);
    return new MeteredSessionStore(store, this.supplier.metricsScope(), this.keySerde, this.valueSerde);
  }
}
