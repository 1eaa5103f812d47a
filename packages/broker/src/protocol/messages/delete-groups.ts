/** DeleteGroups (key 42) v1. */
import { array, int16, int32, string, struct, type Infer } from '../schema';

export const request = struct({ groupsNames: array(string) });
export const response = struct({ throttleTimeMs: int32, results: array(struct({ groupId: string, errorCode: int16 })) });
export type DeleteGroupsResponse = Infer<typeof response>;
