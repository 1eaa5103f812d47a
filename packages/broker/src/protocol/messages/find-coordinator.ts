/** FindCoordinator (key 10) v2. key_type 0 = group, 1 = transaction; this broker coordinates both. */
import { int16, int32, int8, nullableString, string, struct, type Infer } from '../schema';

export const request = struct({ key: string, keyType: int8 });
export const response = struct({
  throttleTimeMs: int32,
  errorCode: int16,
  errorMessage: nullableString,
  nodeId: int32,
  host: string,
  port: int32,
});
export type FindCoordinatorRequest = Infer<typeof request>;
export type FindCoordinatorResponse = Infer<typeof response>;
