/** DeleteTopics (key 20) v0–v3. */
import { array, int16, int32, since, string, struct, type Infer } from '../schema';

export const request = struct({ topicNames: array(string), timeoutMs: int32 });
export const response = struct({ throttleTimeMs: since(1, int32, 0), responses: array(struct({ name: string, errorCode: int16 })) });
export type DeleteTopicsResponse = Infer<typeof response>;
