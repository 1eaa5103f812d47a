/** DescribeConfigs (key 32) v0–v3. Resource type 2 = topic, 4 = broker. */
import { array, bool, int16, int32, int8, nullableArray, nullableString, since, string, struct, versions, type Infer } from '../schema';

export const request = struct({
  resources: array(struct({ resourceType: int8, resourceName: string, configurationKeys: nullableArray(string) })),
  includeSynonyms: since(1, bool, false),
  includeDocumentation: since(3, bool, false),
});
export const configEntry = struct({
  name: string,
  value: nullableString,
  readOnly: bool,
  isDefault: versions(0, 0, bool, false),
  configSource: since(1, int8, -1),
  isSensitive: bool,
  synonyms: since(1, array(struct({ name: string, value: nullableString, source: int8 })), []),
  configType: since(3, int8, 0),
  documentation: since(3, nullableString, null),
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
