/** ListGroups (key 16) v0–v2: empty request. */
import { array, int16, int32, since, string, struct, type Infer } from '../schema';

export const request = struct({});
export const response = struct({
  throttleTimeMs: since(1, int32, 0),
  errorCode: int16,
  groups: array(struct({ groupId: string, protocolType: string })),
});
export type ListGroupsResponse = Infer<typeof response>;
