/** Heartbeat (key 12) v3. */
import { int16, int32, nullableString, string, struct, type Infer } from '../schema';

export const request = struct({ groupId: string, generationId: int32, memberId: string, groupInstanceId: nullableString });
export const response = struct({ throttleTimeMs: int32, errorCode: int16 });
export type HeartbeatRequest = Infer<typeof request>;
