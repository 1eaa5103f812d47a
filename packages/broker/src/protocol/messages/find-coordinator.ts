/** FindCoordinator (key 10) v0–v2. key_type 0 = group, 1 = transaction; this broker coordinates both. */
import { int16, int32, int8, nullableString, since, string, struct, type Infer } from '../schema';

export const request = struct({ key: string, keyType: since(1, int8, 0) });
export const response = struct({
  throttleTimeMs: since(1, int32, 0),
  errorCode: int16,
  errorMessage: since(1, nullableString, null),
  nodeId: int32,
  host: string,
  port: int32,
});
export type FindCoordinatorRequest = Infer<typeof request>;
export type FindCoordinatorResponse = Infer<typeof response>;
