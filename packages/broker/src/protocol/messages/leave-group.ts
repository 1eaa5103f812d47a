/** LeaveGroup (key 13) v3: a batch of members leave at once. */
import { array, int16, int32, nullableString, string, struct, type Infer } from '../schema';

export const request = struct({
  groupId: string,
  members: array(struct({ memberId: string, groupInstanceId: nullableString })),
});
export const response = struct({
  throttleTimeMs: int32,
  errorCode: int16,
  members: array(struct({ memberId: string, groupInstanceId: nullableString, errorCode: int16 })),
});
export type LeaveGroupRequest = Infer<typeof request>;
export type LeaveGroupResponse = Infer<typeof response>;
