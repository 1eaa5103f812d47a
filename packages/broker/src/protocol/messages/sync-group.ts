/** SyncGroup (key 14) v3. */
import { array, bytes, int16, int32, nullableString, string, struct, type Infer } from '../schema';

export const request = struct({
  groupId: string,
  generationId: int32,
  memberId: string,
  groupInstanceId: nullableString,
  assignments: array(struct({ memberId: string, assignment: bytes })),
});
export const response = struct({ throttleTimeMs: int32, errorCode: int16, assignment: bytes });
export type SyncGroupRequest = Infer<typeof request>;
export type SyncGroupResponse = Infer<typeof response>;
