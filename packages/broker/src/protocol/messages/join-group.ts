/** JoinGroup (key 11) v0–v5. A rebalance timeout of -1 (v0, which has none) means the session timeout. */
import { array, bytes, int16, int32, nullableString, since, string, struct, type Infer } from '../schema';

export const request = struct({
  groupId: string,
  sessionTimeoutMs: int32,
  rebalanceTimeoutMs: since(1, int32, -1),
  memberId: string,
  groupInstanceId: since(5, nullableString, null),
  protocolType: string,
  protocols: array(struct({ name: string, metadata: bytes })),
});
export const response = struct({
  throttleTimeMs: since(2, int32, 0),
  errorCode: int16,
  generationId: int32,
  protocolName: string,
  leader: string,
  memberId: string,
  members: array(struct({ memberId: string, groupInstanceId: since(5, nullableString, null), metadata: bytes })),
});
export type JoinGroupRequest = Infer<typeof request>;
export type JoinGroupResponse = Infer<typeof response>;
