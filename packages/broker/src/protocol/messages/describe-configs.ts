/** DescribeConfigs (key 32) v2. Resource type 2 = topic, 4 = broker. */
import { array, bool, int16, int32, int8, nullableArray, nullableString, string, struct, type Infer } from '../schema';

export const request = struct({
  resources: array(struct({ resourceType: int8, resourceName: string, configurationKeys: nullableArray(string) })),
  includeSynonyms: bool,
});
export const configEntry = struct({
  name: string,
  value: nullableString,
  readOnly: bool,
  configSource: int8,
  isSensitive: bool,
  synonyms: array(struct({ name: string, value: nullableString, source: int8 })),
});
export const response = struct({
  throttleTimeMs: int32,
  results: array(
    struct({
      errorCode: int16,
      errorMessage: nullableString,
      resourceType: int8,
      resourceName: string,
      configs: array(configEntry),
    }),
  ),
});
export type DescribeConfigsResponse = Infer<typeof response>;
export type ConfigEntry = Infer<typeof configEntry>;
