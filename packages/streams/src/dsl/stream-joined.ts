/**
 * `StreamJoined`: serdes, names, store suppliers and changelog settings of a stream-stream join (Kafka's
 * `StreamJoined`). The name names the join's processors (`<name>-this-join`, …) and repartition topics
 * (`<name>-left-repartition`); the store name names its stores (`<storeName>-this-join-store`, …). Without
 * serdes the join's stores use the configured default serdes, as Kafka's do.
 */
import type { Serde } from '../serde/serde';
import type { WindowBytesStoreSupplier } from '../state/window/window-store';
import { validateName } from './named';

export interface StreamJoinedProps<K, V1, V2> {
  readonly name: string | null;
  readonly storeName: string | null;
  readonly keySerde: Serde<K> | null;
  readonly valueSerde: Serde<V1> | null;
  readonly otherValueSerde: Serde<V2> | null;
  readonly thisStoreSupplier: WindowBytesStoreSupplier | null;
  readonly otherStoreSupplier: WindowBytesStoreSupplier | null;
  readonly loggingEnabled: boolean;
  readonly topicConfig: Readonly<{ [key: string]: string }>;
}

const empty = {
  name: null,
  storeName: null,
  keySerde: null,
  valueSerde: null,
  otherValueSerde: null,
  thisStoreSupplier: null,
  otherStoreSupplier: null,
  loggingEnabled: true,
  topicConfig: {},
};

export class StreamJoined<K, V1, V2> {
  private constructor(readonly props: StreamJoinedProps<K, V1, V2>) {
    if (props.name !== null) validateName(props.name);
    if (props.storeName !== null) validateName(props.storeName);
  }

  /** `StreamJoined.with(keySerde, valueSerde, otherValueSerde)` or `StreamJoined.with(thisStoreSupplier, otherStoreSupplier)`. */
  static with<K, V1, V2>(keySerde: Serde<K> | null, valueSerde: Serde<V1> | null, otherValueSerde: Serde<V2> | null): StreamJoined<K, V1, V2>;
  static with<K, V1, V2>(storeSupplier: WindowBytesStoreSupplier, otherStoreSupplier: WindowBytesStoreSupplier): StreamJoined<K, V1, V2>;
  static with<K, V1, V2>(a: Serde<K> | WindowBytesStoreSupplier | null, b: Serde<V1> | WindowBytesStoreSupplier | null, c?: Serde<V2> | null): StreamJoined<K, V1, V2> {
    if (isWindowSupplier(a) || isWindowSupplier(b)) {
      return new StreamJoined<K, V1, V2>({ ...empty, thisStoreSupplier: a as WindowBytesStoreSupplier, otherStoreSupplier: b as WindowBytesStoreSupplier });
    }
    return new StreamJoined<K, V1, V2>({ ...empty, keySerde: a as Serde<K> | null, valueSerde: b as Serde<V1> | null, otherValueSerde: c ?? null });
  }

  /** Names the join's stores (`<storeName>-this-join-store`, `<storeName>-other-join-store`). */
  static as<K, V1, V2>(storeName: string): StreamJoined<K, V1, V2> {
    return new StreamJoined<K, V1, V2>({ ...empty, storeName });
  }

  /** Names the join's processors and repartition topics. */
  withName(name: string): StreamJoined<K, V1, V2> {
    return new StreamJoined({ ...this.props, name });
  }
  withStoreName(storeName: string): StreamJoined<K, V1, V2> {
    return new StreamJoined({ ...this.props, storeName });
  }
  withKeySerde(keySerde: Serde<K>): StreamJoined<K, V1, V2> {
    return new StreamJoined({ ...this.props, keySerde });
  }
  withValueSerde(valueSerde: Serde<V1>): StreamJoined<K, V1, V2> {
    return new StreamJoined({ ...this.props, valueSerde });
  }
  withOtherValueSerde(otherValueSerde: Serde<V2>): StreamJoined<K, V1, V2> {
    return new StreamJoined({ ...this.props, otherValueSerde });
  }
  withThisStoreSupplier(thisStoreSupplier: WindowBytesStoreSupplier): StreamJoined<K, V1, V2> {
    return new StreamJoined({ ...this.props, thisStoreSupplier });
  }
  withOtherStoreSupplier(otherStoreSupplier: WindowBytesStoreSupplier): StreamJoined<K, V1, V2> {
    return new StreamJoined({ ...this.props, otherStoreSupplier });
  }
  /** Changelog topic configs of the join's stores. */
  withLoggingEnabled(config: Readonly<{ [key: string]: string }>): StreamJoined<K, V1, V2> {
    return new StreamJoined({ ...this.props, loggingEnabled: true, topicConfig: { ...config } });
  }
  withLoggingDisabled(): StreamJoined<K, V1, V2> {
    return new StreamJoined({ ...this.props, loggingEnabled: false, topicConfig: {} });
  }
}

function isWindowSupplier(x: unknown): x is WindowBytesStoreSupplier {
  return x !== null && typeof x === 'object' && typeof (x as Partial<WindowBytesStoreSupplier>).retainDuplicates === 'function';
}
