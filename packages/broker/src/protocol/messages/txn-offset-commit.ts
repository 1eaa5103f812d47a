/** TxnOffsetCommit (key 28) v0–v2: offsets held pending until the transaction commits. */
import { array, int16, int32, int64, nullableString, since, string, struct, type Infer } from '../schema';
import { partitionErrors } from './offset-commit';

export const request = struct({
  transactionalId: string,
  groupId: string,
  producerId: int64,
  producerEpoch: int16,
  topics: array(
    struct({
      name: string,
      partitions: array(
        struct({
          partitionIndex: int32,
          committedOffset: int64,
          committedLeaderEpoch: since(2, int32, -1),
          committedMetadata: nullableString,
        }),
      ),
    }),
  ),
});
export const response = struct({ throttleTimeMs: int32, topics: partitionErrors });
export type TxnOffsetCommitRequest = Infer<typeof request>;
