/**
 * Session store suppliers and builders (Kafka's `Stores.inMemorySessionStore`, `SessionStoreBuilder`): `build()`
 * stacks metered → caching → change-logging → inner store; Processor API defaults logging on, caching off.
 * Session changelogs are `cleanup.policy=compact,delete` with `retention.ms = retention + 1 day`.
 */
import { IllegalArgumentException } from '../../errors';
import type { Serde } from '../../serde/serde';
import type { StoreBuilder } from '../store-builder';
import { WINDOW_CHANGELOG_ADDITIONAL_RETENTION_MS } from '../window/window-store-builder';
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

interface Settings {
  readonly caching: boolean;
  readonly logging: boolean;
  readonly logConfig: Readonly<{ [key: string]: string }>;
}

/** Builds `SessionStore<K, AGG>`. */
export class SessionStoreBuilder<K, AGG> implements StoreBuilder<MeteredSessionStore<K, AGG>> {
  private constructor(
    private readonly supplier: SessionBytesStoreSupplier,
    private readonly keySerde: Serde<K> | null,
    private readonly valueSerde: Serde<AGG> | null,
    private readonly settings: Settings,
  ) {}

  static create<K, AGG>(supplier: SessionBytesStoreSupplier, keySerde: Serde<K> | null, valueSerde: Serde<AGG> | null): SessionStoreBuilder<K, AGG> {
    return new SessionStoreBuilder(supplier, keySerde, valueSerde, { caching: false, logging: true, logConfig: {} });
  }

  get name(): string {
    return this.supplier.name;
  }
  #with(settings: Settings): SessionStoreBuilder<K, AGG> {
    return new SessionStoreBuilder(this.supplier, this.keySerde, this.valueSerde, settings);
  }
  withCachingEnabled(): SessionStoreBuilder<K, AGG> {
    return this.#with({ ...this.settings, caching: true });
  }
  withCachingDisabled(): SessionStoreBuilder<K, AGG> {
    return this.#with({ ...this.settings, caching: false });
  }
  withLoggingEnabled(config: Readonly<{ [key: string]: string }>): SessionStoreBuilder<K, AGG> {
    return this.#with({ ...this.settings, logging: true, logConfig: { ...config } });
  }
  withLoggingDisabled(): SessionStoreBuilder<K, AGG> {
    return this.#with({ ...this.settings, logging: false, logConfig: {} });
  }
  loggingEnabled(): boolean {
    return this.settings.logging;
  }
  cachingEnabled(): boolean {
    return this.settings.caching;
  }
  retentionPeriod(): number {
    return this.supplier.retentionPeriod();
  }
  logConfig(): Readonly<{ [key: string]: string }> {
    if (!this.settings.logging) return {};
    return {
      'cleanup.policy': 'compact,delete',
      'retention.ms': String(this.supplier.retentionPeriod() + WINDOW_CHANGELOG_ADDITIONAL_RETENTION_MS),
      ...this.settings.logConfig,
    };
  }
  build(): MeteredSessionStore<K, AGG> {
    let store: SessionBytesStore = this.supplier.get();
    if (this.settings.logging) store = new ChangeLoggingSessionBytesStore(store);
    if (this.settings.caching) store = new CachingSessionStore(store, this.supplier.segmentIntervalMs?.() ?? 1);
    return new MeteredSessionStore(store, this.supplier.metricsScope(), this.keySerde, this.valueSerde);
  }
}
