/** AlterConfigs (key 33) v1: replaces a resource's whole dynamic config set, as Kafka does. */
import { array, bool, int16, int32, int8, nullableString, string, struct, type Infer } from '../schema';

export const request = struct({
  resources: array(
    struct({ resourceType: int8, resourceName: string, configs: array(struct({ name: string, value: nullableString })) }),
  ),
  validateOnly: bool,
});
export const response = struct({
  throttleTimeMs: int32,
  responses: array(struct({ errorCode: int16, errorMessage: nullableString, resourceType: int8, resourceName: string })),
});
export type AlterConfigsResponse = Infer<typeof response>;
