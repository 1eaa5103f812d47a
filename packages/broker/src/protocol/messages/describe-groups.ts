/** DescribeGroups (key 15) v2. */
import { array, bytes, int16, int32, string, struct, type Infer } from '../schema';

export const request = struct({ groups: array(string) });
export const response = struct({
  throttleTimeMs: int32,
  groups: array(
    struct({
      errorCode: int16,
      groupId: string,
      groupState: string,
      protocolType: string,
      protocolData: string,
      members: array(
        struct({ memberId: string, clientId: string, clientHost: string, memberMetadata: bytes, memberAssignment: bytes }),
      ),
    }),
  ),
});
export type DescribeGroupsResponse = Infer<typeof response>;
