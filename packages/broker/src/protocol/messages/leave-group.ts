/** LeaveGroup (key 13) v0–v3: one member (v0–v2) or a batch of members (v3). */
import { array, int16, int32, nullableString, since, string, struct, versions, type Infer } from '../schema';

export const request = struct({
  groupId: string,
  memberId: versions(0, 2, string, ''),
  members: since(3, array(struct({ memberId: string, groupInstanceId: nullableString })), []),
});
export const response = struct({
  throttleTimeMs: since(1, int32, 0),
  errorCode: int16,
  members: since(3, array(struct({ memberId: string, groupInstanceId: nullableString, errorCode: int16 })), []),
});
export type LeaveGroupRequest = Infer<typeof request>;
export type LeaveGroupResponse = Infer<typeof response>;
