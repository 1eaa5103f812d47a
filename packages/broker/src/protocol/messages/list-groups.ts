/** ListGroups (key 16) v2: empty request. */
import { array, int16, int32, string, struct, type Infer } from '../schema';

export const request = struct({});
export const response = struct({
  throttleTimeMs: int32,
  errorCode: int16,
  groups: array(struct({ groupId: string, protocolType: string })),
});
export type ListGroupsResponse = Infer<typeof response>;
