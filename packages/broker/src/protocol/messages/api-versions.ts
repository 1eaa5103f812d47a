/** ApiVersions (key 18) v0–v2: which API versions this broker serves. Response header is always v0. */
import { array, int16, int32, struct, type Infer } from '../schema';

export const apiVersionEntry = struct({ apiKey: int16, minVersion: int16, maxVersion: int16 });
export const responseV0 = struct({ errorCode: int16, apiKeys: array(apiVersionEntry) });
/** v1 and v2 add the throttle time at the end. */
export const responseV1 = struct({ errorCode: int16, apiKeys: array(apiVersionEntry), throttleTimeMs: int32 });
export type ApiVersionsResponse = Infer<typeof responseV1>;
