/** InitProducerId (key 22) v1. */
import { int16, int32, int64, nullableString, struct, type Infer } from '../schema';

export const request = struct({ transactionalId: nullableString, transactionTimeoutMs: int32 });
export const response = struct({ throttleTimeMs: int32, errorCode: int16, producerId: int64, producerEpoch: int16 });
export type InitProducerIdResponse = Infer<typeof response>;
