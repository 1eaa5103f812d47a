/**
 * `TableJoined`: options of a foreign-key table join (Kafka's `TableJoined`) — the name its processors, store
 * and internal topics are derived from, and the partitioners of the two tables' topics when they are not
 * partitioned by the default partitioner (`partitioner` for this table's, `otherPartitioner` for the other's).
 */
import type { StreamPartitioner } from '../processor/processor-node';
import { validateName } from './named';

export interface TableJoinedProps<K, KO> {
  readonly partitioner: StreamPartitioner<K, unknown> | null;
  readonly otherPartitioner: StreamPartitioner<KO, unknown> | null;
  readonly name: string | null;
}

export class TableJoined<K, KO> {
  private constructor(readonly props: TableJoinedProps<K, KO>) {
    if (props.name !== null) validateName(props.name);
  }

  /** Partitioners of this table's topic and of the other table's topic (`null`: the default partitioner). */
  static with<K, KO>(partitioner: StreamPartitioner<K, unknown> | null, otherPartitioner: StreamPartitioner<KO, unknown> | null): TableJoined<K, KO> {
    return new TableJoined<K, KO>({ partitioner, otherPartitioner, name: null });
  }

  /** The base name of the join's processors, subscription store and topics. @example TableJoined.as('orders-customers') */
  static as<K, KO>(name: string): TableJoined<K, KO> {
    return new TableJoined<K, KO>({ partitioner: null, otherPartitioner: null, name });
  }

  // The instance methods take any partitioner (`never` keys) so that TableJoined stays contravariant in K and KO
  // and an untyped `TableJoined.as(name)` fits every join; the static `with` checks the key types.
  withPartitioner(partitioner: StreamPartitioner<never, unknown> | null): this {
    return new TableJoined<K, KO>({ ...this.props, partitioner: partitioner as StreamPartitioner<K, unknown> | null }) as this;
  }

  withOtherPartitioner(otherPartitioner: StreamPartitioner<never, unknown> | null): this {
    return new TableJoined<K, KO>({ ...this.props, otherPartitioner: otherPartitioner as StreamPartitioner<KO, unknown> | null }) as this;
  }

  withName(name: string): this {
    return new TableJoined<K, KO>({ ...this.props, name }) as this;
  }
}
