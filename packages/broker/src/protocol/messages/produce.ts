/** Produce (key 0) v3–v8 (record batch v2 only). The throttle time comes last. acks=0 gets no response. */
import { array, int16, int32, int64, nullableBytes, nullableString, since, string, struct, type Infer } from '../schema';

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
        struct({
          index: int32,
          errorCode: int16,
          baseOffset: int64,
          logAppendTimeMs: int64,
          logStartOffset: since(5, int64, -1),
          recordErrors: since(8, array(struct({ batchIndex: int32, batchIndexErrorMessage: nullableString })), []),
          errorMessage: since(8, nullableString, null),
        }),
      ),
    }),
  ),
  throttleTimeMs: int32,
});
export type ProduceRequest = Infer<typeof request>;
export type ProduceResponse = Infer<typeof response>;
