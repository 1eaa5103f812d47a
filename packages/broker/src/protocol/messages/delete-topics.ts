/** DeleteTopics (key 20) v1. */
import { array, int16, int32, string, struct, type Infer } from '../schema';

export const request = struct({ topicNames: array(string), timeoutMs: int32 });
export const response = struct({ throttleTimeMs: int32, responses: array(struct({ name: string, errorCode: int16 })) });
export type DeleteTopicsResponse = Infer<typeof response>;
