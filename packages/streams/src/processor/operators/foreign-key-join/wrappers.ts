/**
 * The values a foreign-key join sends through its two internal topics and keeps in its subscription store, in
 * Kafka Streams' byte formats (a Java instance of the same application reads them):
 *
 * - `SubscriptionWrapper` (registration topic and store values), version 1:
 *   `[version | 0x80 if no hash][instruction][hash: 2 × int64 BE, if any][primary key bytes][primary partition: int32 BE]`
 * - `SubscriptionResponseWrapper` (response topic), version 0:
 *   `[version | 0x80 if no hash][hash: 2 × int64 BE, if any][foreign value bytes, absent for null]`
 * - `CombinedKey` (subscription store keys): `[foreign key length: int32 BE][foreign key bytes][primary key bytes]`,
 *   so all subscriptions of one foreign key are a byte-prefix range.
 */
import { StreamsException } from '../../../errors';
import type { Deserializer, Serde, Serializer } from '../../../serde/serde';
import type { DefaultSerdes, UsesDefaultSerde } from '../changed-serde';

/** A murmur3-128 value hash: 16 bytes, Java's two longs big-endian. */
export type ValueHash = Buffer;

/** What the registration tells the foreign side to do (the byte is the wire value). */
export enum Instruction {
  DELETE_KEY_NO_PROPAGATE = 0,
  DELETE_KEY_AND_PROPAGATE = 1,
  PROPAGATE_NULL_IF_NO_FK_VAL_AVAILABLE = 2,
  PROPAGATE_ONLY_IF_FK_VAL_AVAILABLE = 3,
}

export const SUBSCRIPTION_WRAPPER_VERSION = 1;
export const RESPONSE_WRAPPER_VERSION = 0;

export class SubscriptionWrapper<K> {
  constructor(
    readonly hash: ValueHash | null,
    readonly instruction: Instruction,
    readonly primaryKey: K,
    readonly primaryPartition: number | null,
    readonly version: number = SUBSCRIPTION_WRAPPER_VERSION,
  ) {
    if (primaryKey === null || primaryKey === undefined) throw new StreamsException('primaryKey cannot be null. Required by downstream processor.');
    if (version < 0 || version > SUBSCRIPTION_WRAPPER_VERSION) throw new StreamsException(`SubscriptionWrapper does not support version ${version}`);
  }
}

export class SubscriptionResponseWrapper<VO> {
  constructor(
    readonly originalValueHash: ValueHash | null,
    readonly foreignValue: VO | null,
    readonly primaryPartition: number | null,
    readonly version: number = RESPONSE_WRAPPER_VERSION,
  ) {}
}

/** A serde slot that falls back to the application's default key or value serde at task start. */
class DefaultingSerde<T> {
  constructor(
    private serde: Serde<T> | null,
    private readonly role: 'key' | 'value',
    private readonly what: string,
  ) {}

  fill(defaults: DefaultSerdes | undefined): void {
    if (this.serde === null && defaults !== undefined) this.serde = (this.role === 'key' ? defaults.key : defaults.value) as Serde<T> | null;
  }

  get(): Serde<T> {
    if (this.serde === null) throw new StreamsException(`No ${this.what} serde for a foreign-key join: set default.${this.role}.serde or pass the table's serdes.`);
    return this.serde;
  }
}

function readHash(buf: Buffer, offset: number): ValueHash {
  return Buffer.from(buf.subarray(offset, offset + 16));
}

/** `SubscriptionWrapperSerde`: the primary key inside uses the primary table's key serde (or the default key serde). */
export class SubscriptionWrapperSerde<K> implements Serde<SubscriptionWrapper<K>>, Serializer<SubscriptionWrapper<K>>, Deserializer<SubscriptionWrapper<K>>, UsesDefaultSerde {
  readonly #primaryKey: DefaultingSerde<K>;

  constructor(
    primaryKeySerde: Serde<K> | null,
    private readonly pseudoTopic: () => string,
  ) {
    this.#primaryKey = new DefaultingSerde(primaryKeySerde, 'key', 'primary key');
  }

  useDefaultSerde(_serde: Serde<unknown> | null, defaults?: DefaultSerdes): void {
    this.#primaryKey.fill(defaults);
  }

  serializer(): Serializer<SubscriptionWrapper<K>> {
    return this;
  }
  deserializer(): Deserializer<SubscriptionWrapper<K>> {
    return this;
  }

  serialize(_topic: string, data: SubscriptionWrapper<K> | null): Buffer | null {
    if (data === null) return null;
    const pk = this.#primaryKey.get().serializer().serialize(this.pseudoTopic(), data.primaryKey) ?? Buffer.alloc(0);
    const hashLength = data.hash === null ? 0 : 16;
    const partitionLength = data.version === 0 ? 0 : 4;
    const buf = Buffer.alloc(2 + hashLength + pk.length + partitionLength);
    buf[0] = data.hash === null ? data.version | 0x80 : data.version;
    buf[1] = data.instruction;
    if (data.hash !== null) data.hash.copy(buf, 2);
    pk.copy(buf, 2 + hashLength);
    if (partitionLength > 0) buf.writeInt32BE(data.primaryPartition ?? 0, 2 + hashLength + pk.length);
    return buf;
  }

  deserialize(_topic: string, data: Buffer | null): SubscriptionWrapper<K> | null {
    if (data === null) return null;
    const version = data[0]! & 0x7f;
    const hashNull = (data[0]! & 0x80) !== 0;
    const instruction = data[1]!;
    if (instruction > Instruction.PROPAGATE_ONLY_IF_FK_VAL_AVAILABLE) throw new StreamsException(`Unknown instruction byte value = ${instruction}`);
    const hash = hashNull ? null : readHash(data, 2);
    const start = hashNull ? 2 : 18;
    const end = version > 0 ? data.length - 4 : data.length;
    const pk = this.#primaryKey.get().deserializer().deserialize(this.pseudoTopic(), data.subarray(start, end)) as K;
    const partition = version > 0 ? data.readInt32BE(end) : null;
    return new SubscriptionWrapper<K>(hash, instruction as Instruction, pk, partition, version);
  }
}

/** `SubscriptionResponseWrapperSerde`: the foreign value uses the foreign table's value serde (or the default value serde). */
export class SubscriptionResponseWrapperSerde<VO> implements Serde<SubscriptionResponseWrapper<VO>>, Serializer<SubscriptionResponseWrapper<VO>>, Deserializer<SubscriptionResponseWrapper<VO>>, UsesDefaultSerde {
  readonly #foreignValue: DefaultingSerde<VO>;

  constructor(foreignValueSerde: Serde<VO> | null) {
    this.#foreignValue = new DefaultingSerde(foreignValueSerde, 'value', 'foreign table value');
  }

  useDefaultSerde(_serde: Serde<unknown> | null, defaults?: DefaultSerdes): void {
    this.#foreignValue.fill(defaults);
  }

  serializer(): Serializer<SubscriptionResponseWrapper<VO>> {
    return this;
  }
  deserializer(): Deserializer<SubscriptionResponseWrapper<VO>> {
    return this;
  }

  serialize(topic: string, data: SubscriptionResponseWrapper<VO> | null): Buffer | null {
    if (data === null) return null;
    const value = data.foreignValue === null ? null : this.#foreignValue.get().serializer().serialize(topic, data.foreignValue);
    const hashLength = data.originalValueHash === null ? 0 : 16;
    const buf = Buffer.alloc(1 + hashLength + (value?.length ?? 0));
    buf[0] = data.originalValueHash === null ? data.version | 0x80 : data.version;
    if (data.originalValueHash !== null) data.originalValueHash.copy(buf, 1);
    value?.copy(buf, 1 + hashLength);
    return buf;
  }

  deserialize(topic: string, data: Buffer | null): SubscriptionResponseWrapper<VO> | null {
    if (data === null) return null;
    const version = data[0]! & 0x7f;
    const hashNull = (data[0]! & 0x80) !== 0;
    const hash = hashNull ? null : readHash(data, 1);
    const start = hashNull ? 1 : 17;
    const value = data.length > start ? this.#foreignValue.get().deserializer().deserialize(topic, data.subarray(start)) : null;
    return new SubscriptionResponseWrapper<VO>(hash, value, null, version);
  }
}

/** A subscription store key: which primary key subscribed to which foreign key. */
export interface CombinedKey<KO, K> {
  readonly foreignKey: KO;
  readonly primaryKey: K;
}

/** `CombinedKeySchema`: the subscription store's key bytes. */
export class CombinedKeySchema<KO, K> {
  readonly #foreignKey: DefaultingSerde<KO>;
  readonly #primaryKey: DefaultingSerde<K>;

  constructor(
    foreignKeySerde: Serde<KO> | null,
    primaryKeySerde: Serde<K> | null,
    private readonly foreignKeyTopic: () => string,
    private readonly primaryKeyTopic: () => string,
  ) {
    this.#foreignKey = new DefaultingSerde(foreignKeySerde, 'key', 'foreign key');
    this.#primaryKey = new DefaultingSerde(primaryKeySerde, 'key', 'primary key');
  }

  init(defaults: DefaultSerdes): void {
    this.#foreignKey.fill(defaults);
    this.#primaryKey.fill(defaults);
  }

  prefixBytes(foreignKey: KO): Buffer {
    const fk = this.#foreignKey.get().serializer().serialize(this.foreignKeyTopic(), foreignKey) ?? Buffer.alloc(0);
    const buf = Buffer.alloc(4 + fk.length);
    buf.writeInt32BE(fk.length, 0);
    fk.copy(buf, 4);
    return buf;
  }

  toBytes(foreignKey: KO, primaryKey: K): Buffer {
    const pk = this.#primaryKey.get().serializer().serialize(this.primaryKeyTopic(), primaryKey) ?? Buffer.alloc(0);
    return Buffer.concat([this.prefixBytes(foreignKey), pk]);
  }

  fromBytes(data: Buffer): CombinedKey<KO, K> {
    const fkLength = data.readInt32BE(0);
    const foreignKey = this.#foreignKey.get().deserializer().deserialize(this.foreignKeyTopic(), data.subarray(4, 4 + fkLength)) as KO;
    const primaryKey = this.#primaryKey.get().deserializer().deserialize(this.primaryKeyTopic(), data.subarray(4 + fkLength)) as K;
    return { foreignKey, primaryKey };
  }
}

/** Kafka's `Bytes.increment`: the byte string one above `bytes` (as an unsigned big-endian number of the same length). */
export function incrementBytes(bytes: Buffer): Buffer {
  const out = Buffer.from(bytes);
  for (let i = out.length - 1; i >= 0; i--) {
    if (out[i] !== 0xff) {
      out[i]! += 1;
      return out;
    }
    out[i] = 0;
  }
  throw new StreamsException('Cannot increment a byte array of only 0xFF bytes');
}
