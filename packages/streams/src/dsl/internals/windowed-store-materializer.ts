/**
 * Store builders of windowed aggregations (Kafka's `WindowStoreMaterializer`, `SessionStoreMaterializer`):
 * retention defaults to window size + grace (sessions: gap + grace) and must not be smaller (checked when the
 * aggregation is defined, with Kafka's message). Stores are RocksDB (time-segmented) by default, as Kafka's, or in
 * memory with `default.dsl.store=in_memory` / `Materialized.withStoreType('in_memory')`.
 */
import { IllegalArgumentException } from '../../errors';
import type { Serde } from '../../serde/serde';
import type { StateStore } from '../../state/state-store';
import type { StoreBuilder } from '../../state/store-builder';
import { Stores } from '../../state/stores';
import type { SessionBytesStoreSupplier } from '../../state/session/session-store';
import type { WindowBytesStoreSupplier } from '../../state/window/window-store';
import type { MaterializedProps } from '../materialized';
import { isConfigurableStoreBuilder, type ConfigurableStoreBuilder } from '../store-materializer';
import type { DslStoreType } from '../materialized';
import type { EmitStrategy } from '../windows/emit-strategy';

/** Retention of a window store for windows of `sizeMs` and `graceMs`, checked against the user's retention. */
export function windowRetention(storeName: string, retentionMs: number | null, sizeMs: number, graceMs: number): number {
  const retention = retentionMs ?? sizeMs + graceMs;
  if (sizeMs + graceMs > retention) {
    throw new IllegalArgumentException(
      `The retention period of the window store ${storeName} must be no smaller than its window size plus the grace period. ` +
        `Got size=[${sizeMs}], grace=[${graceMs}], retention=[${retention}]`,
    );
  }
  return retention;
}

/**
 * Retention of a sliding-window aggregation store: `grace + 2 × timeDifference` by default, as Kafka's
 * `SlidingWindowStoreMaterializer` (a record may create a right window starting up to `2 × timeDifference`
 * before it, so the windows it reads must still be there).
 */
export function slidingWindowRetention(storeName: string, retentionMs: number | null, timeDifferenceMs: number, graceMs: number): number {
  const retention = retentionMs ?? graceMs + 2 * timeDifferenceMs;
  if (2 * timeDifferenceMs + graceMs > retention) {
    throw new IllegalArgumentException(
      `The retention period of the window store ${storeName} must be no smaller than 2 * time difference plus the grace period. ` +
        `Got time difference=[${timeDifferenceMs}], grace=[${graceMs}], retention=[${retention}]`,
    );
  }
  return retention;
}

/** Retention of a session store for `gapMs` and `graceMs`, checked against the user's retention. */
export function sessionRetention(storeName: string, retentionMs: number | null, gapMs: number, graceMs: number): number {
  const retention = retentionMs ?? gapMs + graceMs;
  if (gapMs + graceMs > retention) {
    throw new IllegalArgumentException(
      `The retention period of the session store ${storeName} must be no smaller than the session inactivity gap plus the grace period. ` +
        `Got gap=[${gapMs}], grace=[${graceMs}], retention=[${retention}]`,
    );
  }
  return retention;
}

/**
 * Retention of the in-memory store behind `EmitStrategy.onWindowClose()`: windows are emitted from the store after
 * they close, which (throttled by the emit interval) can be later than the in-memory store would drop them, so the
 * store keeps them one Kafka segment interval (`max(retention / 2, 60000)`) longer — about what Kafka's segmented
 * RocksDB store keeps in practice.
 */
export function emitOnCloseRetention(retentionMs: number, emitStrategy: EmitStrategy): number {
  return emitStrategy.type === 'ON_WINDOW_CLOSE' ? retentionMs + Math.max(Math.floor(retentionMs / 2), 60_000) : retentionMs;
}

abstract class DslWindowedStoreBuilder implements StoreBuilder<StateStore>, ConfigurableStoreBuilder {
  #defaultType: DslStoreType = 'rocksDB';

  constructor(
    readonly name: string,
    protected readonly props: MaterializedProps<unknown, unknown>,
  ) {}

  configure(config: { defaultDslStore: DslStoreType }): void {
    this.#defaultType = config.defaultDslStore;
  }

  /** Whether this store is persistent: the Materialized's store type, else the application's default. */
  protected get persistent(): boolean {
    return (this.props.storeType ?? this.#defaultType) === 'rocksDB';
  }

  protected abstract inner(): StoreBuilder<StateStore>;
  protected abstract copy(props: MaterializedProps<unknown, unknown>): StoreBuilder<StateStore>;

  /** A copy with other props that keeps the configured default store type. */
  #derive(props: MaterializedProps<unknown, unknown>): StoreBuilder<StateStore> {
    const b = this.copy(props);
    if (isConfigurableStoreBuilder(b)) b.configure({ defaultDslStore: this.#defaultType });
    return b;
  }

  withCachingEnabled(): StoreBuilder<StateStore> {
    return this.#derive({ ...this.props, cachingEnabled: true });
  }
  withCachingDisabled(): StoreBuilder<StateStore> {
    return this.#derive({ ...this.props, cachingEnabled: false });
  }
  withLoggingEnabled(config: Readonly<{ [key: string]: string }>): StoreBuilder<StateStore> {
    return this.#derive({ ...this.props, loggingEnabled: true, topicConfig: config });
  }
  withLoggingDisabled(): StoreBuilder<StateStore> {
    return this.#derive({ ...this.props, loggingEnabled: false });
  }
  loggingEnabled(): boolean {
    return this.props.loggingEnabled;
  }
  cachingEnabled(): boolean {
    return this.props.cachingEnabled;
  }
  logConfig(): Readonly<{ [key: string]: string }> {
    return this.inner().logConfig();
  }
  build(): StateStore {
    return this.inner().build();
  }
}

/** The timestamped window store of a time- or sliding-windowed aggregation. */
export class DslWindowStoreBuilder extends DslWindowedStoreBuilder {
  constructor(
    name: string,
    props: MaterializedProps<unknown, unknown>,
    readonly windowSizeMs: number,
    readonly retentionMs: number,
    readonly emitStrategy: EmitStrategy,
  ) {
    super(name, props);
  }

  protected copy(props: MaterializedProps<unknown, unknown>): StoreBuilder<StateStore> {
    return new DslWindowStoreBuilder(this.name, props, this.windowSizeMs, this.retentionMs, this.emitStrategy);
  }

  protected inner(): StoreBuilder<StateStore> {
    const p = this.props;
    const retention = emitOnCloseRetention(this.retentionMs, this.emitStrategy);
    const supplier =
      (p.storeSupplier as unknown as WindowBytesStoreSupplier | null) ??
      (this.persistent
        ? Stores.persistentTimestampedWindowStore(this.name, retention, this.windowSizeMs, false)
        : Stores.inMemoryWindowStore(this.name, retention, this.windowSizeMs, false));
    let b = Stores.timestampedWindowStoreBuilder(supplier, p.keySerde as Serde<unknown> | null, p.valueSerde as Serde<unknown> | null) as unknown as StoreBuilder<StateStore>;
    b = p.cachingEnabled ? b.withCachingEnabled() : b.withCachingDisabled();
    b = p.loggingEnabled ? b.withLoggingEnabled(p.topicConfig) : b.withLoggingDisabled();
    return b;
  }
}

/** The session store of a session-windowed aggregation (no cache with emit-on-close, as Kafka). */
export class DslSessionStoreBuilder extends DslWindowedStoreBuilder {
  constructor(
    name: string,
    props: MaterializedProps<unknown, unknown>,
    readonly retentionMs: number,
    readonly emitStrategy: EmitStrategy,
  ) {
    super(name, props);
  }

  protected copy(props: MaterializedProps<unknown, unknown>): StoreBuilder<StateStore> {
    return new DslSessionStoreBuilder(this.name, props, this.retentionMs, this.emitStrategy);
  }

  protected inner(): StoreBuilder<StateStore> {
    const p = this.props;
    const retention = emitOnCloseRetention(this.retentionMs, this.emitStrategy);
    const supplier =
      (p.storeSupplier as unknown as SessionBytesStoreSupplier | null) ??
      (this.persistent ? Stores.persistentSessionStore(this.name, retention) : Stores.inMemorySessionStore(this.name, retention));
    let b = Stores.sessionStoreBuilder(supplier, p.keySerde as Serde<unknown> | null, p.valueSerde as Serde<unknown> | null) as unknown as StoreBuilder<StateStore>;
    b = p.cachingEnabled && this.emitStrategy.type !== 'ON_WINDOW_CLOSE' ? b.withCachingEnabled() : b.withCachingDisabled();
    b = p.loggingEnabled ? b.withLoggingEnabled(p.topicConfig) : b.withLoggingDisabled();
    return b;
  }
}
