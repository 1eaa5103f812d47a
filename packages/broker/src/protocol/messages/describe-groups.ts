/** DescribeGroups (key 15) v0–v4. */
import { array, bool, bytes, int16, int32, nullableString, since, string, struct, type Infer } from '../schema';

export const request = struct({ groups: array(string), includeAuthorizedOperations: since(3, bool, false) });
export const response = struct({
  throttleTimeMs: since(1, int32, 0),
  groups: array(
    struct({
      errorCode: int16,
      groupId: string,
      groupState: string,
      protocolType: string,
      protocolData: string,
      members: array(
        struct({
          memberId: string,
          groupInstanceId: since(4, nullableString, null),
          clientId: string,
          clientHost: string,
          memberMetadata: bytes,
          memberAssignment: bytes,
        }),
      ),
      authorizedOperations: since(3, int32, -2147483648),
    }),
  ),
});
export type DescribeGroupsResponse = Infer<typeof response>;
