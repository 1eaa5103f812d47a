/** Produce (key 0) v7. The throttle time comes last in the response. acks=0 gets no response at all. */
import { array, int16, int32, int64, nullableBytes, nullableString, string, struct, type Infer } from '../schema';

export const request = struct({
  transactionalId: nullableString,
  acks: int16,
  timeoutMs: int32,
  topics: array(struct({ name: string, partitions: array(struct({ index: int32, records: nullableBytes })) })),
});
export const response = struct({
  topics: array(
    struct({
      name: string,
      partitions: array(
        struct({ index: int32, errorCode: int16, baseOffset: int64, logAppendTimeMs: int64, logStartOffset: int64 }),
      ),
    }),
  ),
  throttleTimeMs: int32,
});
export type ProduceRequest = Infer<typeof request>;
export type ProduceResponse = Infer<typeof response>;
