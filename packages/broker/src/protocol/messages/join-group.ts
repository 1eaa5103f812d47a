/** JoinGroup (key 11) v5. */
import { array, bytes, int16, int32, nullableString, string, struct, type Infer } from '../schema';

export const request = struct({
  groupId: string,
  sessionTimeoutMs: int32,
  rebalanceTimeoutMs: int32,
  memberId: string,
  groupInstanceId: nullableString,
  protocolType: string,
  protocols: array(struct({ name: string, metadata: bytes })),
});
export const response = struct({
  throttleTimeMs: int32,
  errorCode: int16,
  generationId: int32,
  protocolName: string,
  leader: string,
  memberId: string,
  members: array(struct({ memberId: string, groupInstanceId: nullableString, metadata: bytes })),
});
export type JoinGroupRequest = Infer<typeof request>;
export type JoinGroupResponse = Infer<typeof response>;
