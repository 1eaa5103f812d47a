/** AddPartitionsToTxn (key 24) v1. */
import { array, int16, int32, int64, string, struct, type Infer } from '../schema';

export const request = struct({
  transactionalId: string,
  producerId: int64,
  producerEpoch: int16,
  topics: array(struct({ name: string, partitions: array(int32) })),
});
export const response = struct({
  throttleTimeMs: int32,
  results: array(
    struct({ name: string, results: array(struct({ partitionIndex: int32, errorCode: int16 })) }),
  ),
});
export type AddPartitionsToTxnRequest = Infer<typeof request>;
export type AddPartitionsToTxnResponse = Infer<typeof response>;
