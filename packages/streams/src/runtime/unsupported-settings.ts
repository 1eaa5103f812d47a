/**
 * Settings `KafkaStreams` accepts in `StreamsConfig` but does not act on (yet): they are refused at construction
 * with a `ConfigException` naming the key and saying why, instead of being silently ignored. Client overrides
 * are checked against what the runtime actually passes on to kafkajs. `producer.*`, `processing.guarantee`,
 * `task.timeout.ms` and `application.server` are checked where they are used.
 */
import type { StreamsConfig } from '../config/streams-config';
import { CLIENT_PREFIXES, STREAMS_CONFIG_KEYS, type ClientOverrideGroup, type StreamsConfigValues } from '../config/config-keys';
import { ConfigException } from '../errors';
import { MAIN_CONSUMER_SETTINGS } from './kafka-client';

/** Keys refused whenever the user sets them, with the reason. */
const REFUSED_WHEN_SET: Partial<Record<keyof StreamsConfigValues, string>> = {
  stateCleanupDelayMs: 'unowned task directories are not cleaned up by a background cleaner yet (use KafkaStreams.cleanUp())',
  windowstoreChangelogAdditionalRetentionMs:
    'window changelogs always keep one extra day (Kafka\'s default); set "retention.ms" per store with Materialized.withLoggingEnabled instead',
  logSummaryIntervalMs: 'the periodic summary log line is not written',
};

/** Keys refused unless left at the value that matches what the runtime does. */
const REFUSED_UNLESS: Partial<Record<keyof StreamsConfigValues, { readonly value: unknown; readonly reason: string }>> = {
  topologyOptimization: {
    value: 'none',
    reason: 'topology optimizations are not built; a topology runs exactly as StreamsBuilder.build() described it',
  },
  ensureExplicitInternalResourceNaming: { value: false, reason: 'the check for generated internal names (KIP-1111) is not built yet' },
};

/** Client-override groups the runtime has no client for (or no use of), refused whatever the key. */
const UNUSED_GROUPS: Partial<Record<ClientOverrideGroup, string>> = {
  restoreConsumer: 'restoration reads changelogs without a separate consumer, so there is nothing to configure',
  globalConsumer: 'the global thread reads global topics with its own fetcher (read_committed), which takes no client settings',
  admin: 'the admin client is configured through the "kafkajs" options only',
  clientTag: 'rack-aware standby placement (client tags) is not built',
};

function label(key: keyof StreamsConfigValues): string {
  const kafkaName = STREAMS_CONFIG_KEYS[key].kafkaName;
  return kafkaName === null ? `"${key}"` : `"${key}" (${kafkaName})`;
}

/** Throws a `ConfigException` naming the first setting the runtime would ignore. */
export function refuseUnsupportedSettings(config: StreamsConfig): void {
  const v = config.values;
  for (const [key, reason] of Object.entries(REFUSED_WHEN_SET) as Array<[keyof StreamsConfigValues, string]>) {
    if (config.isSet(key)) throw new ConfigException(`Unsupported configuration ${label(key)}: ${reason}. Remove the setting.`);
  }
  for (const [key, rule] of Object.entries(REFUSED_UNLESS) as Array<[keyof StreamsConfigValues, { value: unknown; reason: string }]>) {
    if (v[key] !== rule.value) {
      throw new ConfigException(`Unsupported value ${JSON.stringify(v[key])} for configuration ${label(key)}: ${rule.reason}; only ${JSON.stringify(rule.value)} is accepted.`);
    }
  }
  for (const [group, reason] of Object.entries(UNUSED_GROUPS) as Array<[ClientOverrideGroup, string]>) {
    const keys = Object.keys(v.clientOverrides[group]);
    if (keys.length > 0) throw new ConfigException(`Unsupported client setting "${CLIENT_PREFIXES[group]}${keys[0]}": ${reason}.`);
  }
  for (const group of ['consumer', 'mainConsumer'] as const) {
    const reset = v.clientOverrides[group]['auto.offset.reset'];
    if (reset !== undefined && reset !== 'earliest' && reset !== 'latest') {
      throw new ConfigException(`Invalid value ${JSON.stringify(reset)} for client setting "${CLIENT_PREFIXES[group]}auto.offset.reset": use "earliest" or "latest"`);
    }
    for (const key of Object.keys(v.clientOverrides[group])) {
      if (!MAIN_CONSUMER_SETTINGS.includes(key)) {
        throw new ConfigException(
          `Unsupported client setting "${CLIENT_PREFIXES[group]}${key}": the consumer takes only ${MAIN_CONSUMER_SETTINGS.map((k) => `"${k}"`).join(', ')} ` +
            '(kafkajs options go under "kafkajs").',
        );
      }
    }
  }
}
