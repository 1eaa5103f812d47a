/**
 * Window store suppliers and builders (Kafka's `Stores.inMemoryWindowStore`, `WindowStoreBuilder`,
 * `TimestampedWindowStoreBuilder`): `build()` stacks metered → caching → change-logging → inner store. Processor
 * API defaults: logging on, caching off. A store that retains duplicates is never cached (as Kafka).
 * Window changelogs are `cleanup.policy=compact,delete` with `retention.ms = retention + 1 day`
 * (Kafka's default `windowstore.changelog.additional.retention.ms`).
 */
import { IllegalArgumentException } from '../../errors';
import { log } from '../../logger';
import type { Serde } from '../../serde/serde';
import type { StateStore, StateStoreContext } from '../state-store';
import { AbstractStoreBuilder, PAPI_STORE_DEFAULTS, windowedChangelogConfig, type StoreBuilderSettings } from '../abstract-store-builder';
import { rawValueAndTimestamp } from '../value-and-timestamp';
import { CachingWindowStore } from './caching-window-store';
import { ChangeLoggingTimestampedWindowBytesStore, ChangeLoggingWindowBytesStore } from './change-logging-window-store';
import { InMemoryWindowStore } from './in-memory-window-store';
import { MeteredTimestampedWindowStore, MeteredWindowStore } from './metered-window-store';
import type { WindowBytesStore, WindowBytesStoreSupplier } from './window-store';
import { WrappedWindowBytesStore } from './wrapped-window-store';


/** The supplier of an in-memory window store (Kafka's `Stores.inMemoryWindowStore`, with its argument checks). */
export function inMemoryWindowStoreSupplier(name: string, retentionPeriodMs: number, windowSizeMs: number, retainDuplicates: boolean): WindowBytesStoreSupplier {
  if (typeof name !== 'string' || name.length === 0) throw new IllegalArgumentException('store name cannot be null or empty');
  if (retentionPeriodMs < 0) throw new IllegalArgumentException('retentionPeriod cannot be negative');
  if (windowSizeMs < 0) throw new IllegalArgumentException('windowSize cannot be negative');
  if (windowSizeMs > retentionPeriodMs) {
    throw new IllegalArgumentException(
      `The retention period of the window store ${name} must be no smaller than its window size. Got size=[${windowSizeMs}], retention=[${retentionPeriodMs}]`,
    );
  }
  return Object.freeze({
    name,
    get: () => new InMemoryWindowStore(name, retentionPeriodMs, windowSizeMs, retainDuplicates),
    metricsScope: () => 'in-memory-window',
    windowSize: () => windowSizeMs,
    retentionPeriod: () => retentionPeriodMs,
    retainDuplicates: () => retainDuplicates,
    // not really segmented: 1, as Kafka's, so a caching layer on top orders its merged reads by window start first
    segmentIntervalMs: () => 1,
  });
}

/** Restores a timestamped window store from its changelog (plain values): adds the record timestamp back. */
class TimestampedWindowRestoreAdapter extends WrappedWindowBytesStore {
  override init(context: StateStoreContext, root: StateStore): void {
    const register = (store: StateStore, restore: Parameters<StateStoreContext['register']>[1]): void =>
      context.register(store, (records) => restore(records.map((r) => ({ key: r.key, value: rawValueAndTimestamp(r.value, r.timestamp), timestamp: r.timestamp }))));
    // everything else goes to the real context, with `this` bound to it (it may keep private state)
    const adapted = new Proxy(context, {
      get(target, prop) {
        if (prop === 'register') return register;
        const value: unknown = Reflect.get(target, prop, target);
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
    this.wrapped.init(adapted, root);
  }
}

abstract class AbstractWindowStoreBuilder<T extends StateStore, K, V> extends AbstractStoreBuilder<T, K, V, WindowBytesStoreSupplier> {
  /** Retention of the store (ms). */
  retentionPeriod(): number {
    return this.supplier.retentionPeriod();
  }
  protected defaultLogConfig(): Readonly<{ [key: string]: string }> {
    return windowedChangelogConfig(this.supplier.retentionPeriod());
  }

  protected layers(inner: WindowBytesStore, timestamped: boolean): WindowBytesStore {
    let store = inner;
    if (this.settings.logging) store = timestamped ? new ChangeLoggingTimestampedWindowBytesStore(store) : new ChangeLoggingWindowBytesStore(store);
    if (this.settings.caching) {
      if (this.supplier.retainDuplicates()) log.warn(`Disabling caching for ${this.name} since store was configured to retain duplicates`);
      else store = new CachingWindowStore(store, this.supplier.segmentIntervalMs());
    }
    return store;
  }
}

/** Builds `WindowStore<K, V>`. */
export class WindowStoreBuilder<K, V> extends AbstractWindowStoreBuilder<MeteredWindowStore<K, V>, K, V> {
  static create<K, V>(supplier: WindowBytesStoreSupplier, keySerde: Serde<K> | null, valueSerde: Serde<V> | null): WindowStoreBuilder<K, V> {
    return new WindowStoreBuilder(supplier, keySerde, valueSerde, PAPI_STORE_DEFAULTS);
  }
  protected with(settings: StoreBuilderSettings): this {
    return new WindowStoreBuilder(this.supplier, this.keySerde, this.valueSerde, settings) as this;
  }
  build(): MeteredWindowStore<K, V> {
    return new MeteredWindowStore(this.layers(this.supplier.get(), false), this.supplier.metricsScope(), this.keySerde, this.valueSerde);
  }
}

/** Builds `TimestampedWindowStore<K, V>` (values are `ValueAndTimestamp<V>`). */
export class TimestampedWindowStoreBuilder<K, V> extends AbstractWindowStoreBuilder<MeteredTimestampedWindowStore<K, V>, K, V> {
  static create<K, V>(supplier: WindowBytesStoreSupplier, keySerde: Serde<K> | null, valueSerde: Serde<V> | null): TimestampedWindowStoreBuilder<K, V> {
    return new TimestampedWindowStoreBuilder(supplier, keySerde, valueSerde, PAPI_STORE_DEFAULTS);
  }
  protected with(settings: StoreBuilderSettings): this {
    return new TimestampedWindowStoreBuilder(this.supplier, this.keySerde, this.valueSerde, settings) as this;
  }
  build(): MeteredTimestampedWindowStore<K, V> {
    const inner = new TimestampedWindowRestoreAdapter(this.supplier.get());
    return new MeteredTimestampedWindowStore(this.layers(inner, true), this.supplier.metricsScope(), this.keySerde, this.valueSerde);
  }
}
