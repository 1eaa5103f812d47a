/** SyncGroup (key 14) v0–v3. */
import { array, bytes, int16, int32, nullableString, since, string, struct, type Infer } from '../schema';

export const request = struct({
  groupId: string,
  generationId: int32,
  memberId: string,
  groupInstanceId: since(3, nullableString, null),
  assignments: array(struct({ memberId: string, assignment: bytes })),
});
export const response = struct({ throttleTimeMs: since(1, int32, 0), errorCode: int16, assignment: bytes });
export type SyncGroupRequest = Infer<typeof request>;
export type SyncGroupResponse = Infer<typeof response>;
