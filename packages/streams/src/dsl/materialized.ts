/**
 * `Materialized`: how an operator's state store is built — its name (which makes the table queryable), serdes,
 * store type or supplier, caching, change-logging and retention. Defaults: caching and logging on.
 */
import { IllegalArgumentException } from '../errors';
import type { Serde } from '../serde/serde';
import type { StateStore } from '../state/state-store';
import type { DurationLike } from '../time/duration';
import { durationMs } from '../time/duration';
import { validateName } from './named';

import type { DslStoreType } from '../config/config-types';

export type { DslStoreType };

/** Supplies the innermost (bytes) store of a materialization, e.g. `Stores.inMemoryKeyValueStore('x')`. */
export interface MaterializedStoreSupplier {
  readonly name: string;
  get(): StateStore;
}

/** The resolved settings of a `Materialized`. */
export interface MaterializedProps<K, V> {
  readonly storeName: string | null;
  readonly storeSupplier: MaterializedStoreSupplier | null;
  readonly storeType: DslStoreType | null;
  readonly keySerde: Serde<K> | null;
  readonly valueSerde: Serde<V> | null;
  readonly cachingEnabled: boolean;
  readonly loggingEnabled: boolean;
  readonly topicConfig: Readonly<{ [key: string]: string }>;
  readonly retentionMs: number | null;
}

const defaults = {
  storeName: null,
  storeSupplier: null,
  storeType: null,
  keySerde: null,
  valueSerde: null,
  cachingEnabled: true,
  loggingEnabled: true,
  topicConfig: {},
  retentionMs: null,
};

export class Materialized<K, V> {
  private constructor(readonly props: MaterializedProps<K, V>) {
    if (props.storeName !== null) validateName(props.storeName);
  }

  /**
   * Names the store (making the table queryable), or gives a store supplier, or picks a store type.
   * @example groupedStream.count(Materialized.as('counts-store'))
   */
  static as<K, V>(storeNameOrSupplierOrType: string | MaterializedStoreSupplier | { storeType: DslStoreType }): Materialized<K, V> {
    if (typeof storeNameOrSupplierOrType === 'string') return new Materialized<K, V>({ ...defaults, storeName: storeNameOrSupplierOrType });
    if ('storeType' in storeNameOrSupplierOrType) return new Materialized<K, V>({ ...defaults, storeType: storeNameOrSupplierOrType.storeType });
    return new Materialized<K, V>({ ...defaults, storeName: storeNameOrSupplierOrType.name, storeSupplier: storeNameOrSupplierOrType });
  }

  /** Serdes only; the store name is generated. */
  static with<K, V>(keySerde: Serde<K> | null, valueSerde: Serde<V> | null): Materialized<K, V> {
    return new Materialized<K, V>({ ...defaults, keySerde, valueSerde });
  }

  withKeySerde<K2>(keySerde: Serde<K2>): Materialized<K2, V> {
    return new Materialized<K2, V>({ ...this.props, keySerde });
  }
  withValueSerde<V2>(valueSerde: Serde<V2>): Materialized<K, V2> {
    return new Materialized<K, V2>({ ...this.props, valueSerde });
  }
  withStoreType(storeType: DslStoreType): Materialized<K, V> {
    return new Materialized({ ...this.props, storeType });
  }
  withCachingEnabled(): Materialized<K, V> {
    return new Materialized({ ...this.props, cachingEnabled: true });
  }
  withCachingDisabled(): Materialized<K, V> {
    return new Materialized({ ...this.props, cachingEnabled: false });
  }
  withLoggingEnabled(topicConfig: Readonly<{ [key: string]: string }> = {}): Materialized<K, V> {
    return new Materialized({ ...this.props, loggingEnabled: true, topicConfig });
  }
  withLoggingDisabled(): Materialized<K, V> {
    return new Materialized({ ...this.props, loggingEnabled: false, topicConfig: {} });
  }
  /** How long a window store keeps windows; must be at least window size + grace. */
  withRetention(retention: DurationLike): Materialized<K, V> {
    const ms = durationMs(retention, 'retention');
    if (ms < 0) throw new IllegalArgumentException(`Retention must not be negative, got ${ms} ms.`);
    return new Materialized({ ...this.props, retentionMs: ms });
  }
}

/** A Materialized with a store name filled in (generated when the user gave none), as Kafka's MaterializedInternal. */
export interface MaterializedInternal<K, V> extends MaterializedProps<K, V> {
  readonly storeName: string;
  /** Whether the user named the store (so it is queryable and its table is materialized). */
  readonly queryable: boolean;
}

/** Resolves a Materialized, generating a store name with `newStoreName` when none was given. */
export function materializedInternal<K, V>(
  materialized: Materialized<K, V> | null,
  newStoreName: (() => string) | null,
): { props: MaterializedProps<K, V>; storeName: string | null; queryable: boolean } {
  const props = materialized?.props ?? { ...defaults };
  if (props.storeName !== null) return { props, storeName: props.storeName, queryable: true };
  return { props, storeName: newStoreName ? newStoreName() : null, queryable: false };
}
