/** EndTxn (key 26) v1. */
import { bool, int16, int32, int64, string, struct } from '../schema';

export const request = struct({ transactionalId: string, producerId: int64, producerEpoch: int16, committed: bool });
export const response = struct({ throttleTimeMs: int32, errorCode: int16 });
