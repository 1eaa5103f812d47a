/**
 * The one base of every store builder (Kafka's `AbstractStoreBuilder`): the supplier, the serdes, the immutable
 * caching/logging settings and the `with*` methods. A concrete builder names its defaults for the changelog
 * topic config and stacks its layers in `build()`.
 */
import type { Serde } from '../serde/serde';
import type { StateStore } from './state-store';
import type { StoreBuilder } from './store-builder';

/** Kafka's default `windowstore.changelog.additional.retention.ms` (one day). */
export const WINDOW_CHANGELOG_ADDITIONAL_RETENTION_MS = 86_400_000;

export interface StoreBuilderSettings {
  readonly caching: boolean;
  readonly logging: boolean;
  readonly logConfig: Readonly<{ [key: string]: string }>;
}

/** The Processor API defaults (Kafka's `Stores.*Builder`): logging on, caching off. */
export const PAPI_STORE_DEFAULTS: StoreBuilderSettings = Object.freeze({ caching: false, logging: true, logConfig: Object.freeze({}) });

/** What every store supplier offers a builder. */
export interface NamedStoreSupplier {
  readonly name: string;
  metricsScope(): string;
}

export abstract class AbstractStoreBuilder<T extends StateStore, K, V, S extends NamedStoreSupplier> implements StoreBuilder<T> {
  constructor(
    protected readonly supplier: S,
    protected readonly keySerde: Serde<K> | null,
    protected readonly valueSerde: Serde<V> | null,
    protected readonly settings: StoreBuilderSettings,
  ) {}

  get name(): string {
    return this.supplier.name;
  }

  /** A builder like this one with other settings. */
  protected abstract with(settings: StoreBuilderSettings): this;

  /** Changelog topic configs this kind of store always gets (the user's override them). */
  protected abstract defaultLogConfig(): Readonly<{ [key: string]: string }>;

  withCachingEnabled(): this {
    return this.with({ ...this.settings, caching: true });
  }
  withCachingDisabled(): this {
    return this.with({ ...this.settings, caching: false });
  }
  withLoggingEnabled(config: Readonly<{ [key: string]: string }>): this {
    return this.with({ ...this.settings, logging: true, logConfig: Object.freeze({ ...config }) });
  }
  withLoggingDisabled(): this {
    return this.with({ ...this.settings, logging: false, logConfig: Object.freeze({}) });
  }
  loggingEnabled(): boolean {
    return this.settings.logging;
  }
  cachingEnabled(): boolean {
    return this.settings.caching;
  }
  logConfig(): Readonly<{ [key: string]: string }> {
    return this.settings.logging ? { ...this.defaultLogConfig(), ...this.settings.logConfig } : {};
  }

  abstract build(): T;
}

/** Window and session changelogs: compacted and deleted, kept one day past the store's retention. */
export function windowedChangelogConfig(retentionPeriodMs: number): Readonly<{ [key: string]: string }> {
  return { 'cleanup.policy': 'compact,delete', 'retention.ms': String(retentionPeriodMs + WINDOW_CHANGELOG_ADDITIONAL_RETENTION_MS) };
}
