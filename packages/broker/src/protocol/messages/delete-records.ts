/** DeleteRecords (key 21) v1: move the log start offset forward. Offset -1 means the high watermark. */
import { array, int16, int32, int64, string, struct, type Infer } from '../schema';

export const request = struct({
  topics: array(struct({ name: string, partitions: array(struct({ partitionIndex: int32, offset: int64 })) })),
  timeoutMs: int32,
});
export const response = struct({
  throttleTimeMs: int32,
  topics: array(
    struct({ name: string, partitions: array(struct({ partitionIndex: int32, lowWatermark: int64, errorCode: int16 })) }),
  ),
});
export type DeleteRecordsResponse = Infer<typeof response>;
