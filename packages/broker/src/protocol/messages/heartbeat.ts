/** Heartbeat (key 12) v0–v3. */
import { int16, int32, nullableString, since, string, struct, type Infer } from '../schema';

export const request = struct({
  groupId: string,
  generationId: int32,
  memberId: string,
  groupInstanceId: since(3, nullableString, null),
});
export const response = struct({ throttleTimeMs: since(1, int32, 0), errorCode: int16 });
export type HeartbeatRequest = Infer<typeof request>;
