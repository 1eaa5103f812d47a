/**
 * Topic-level configs the broker understands, their defaults and validation. Unknown keys are refused
 * with INVALID_CONFIG, as Kafka does, so a typo never silently does nothing.
 */
export interface TopicDefaults {
  segmentBytes: number;
  retentionMs: number;
  retentionBytes: number;
}

export const KNOWN_TOPIC_CONFIGS: Record<string, (v: string) => boolean> = {
  'cleanup.policy': (v) => v.split(',').every((p) => p.trim() === 'delete' || p.trim() === 'compact'),
  'retention.ms': isLong,
  'retention.bytes': isLong,
  'segment.bytes': (v) => isLong(v) && Number(v) >= 14,
  'segment.ms': isLong,
  'max.message.bytes': (v) => isLong(v) && Number(v) >= 0,
  'delete.retention.ms': isLong,
  'min.compaction.lag.ms': isLong,
  'max.compaction.lag.ms': isLong,
  'min.cleanable.dirty.ratio': (v) => !Number.isNaN(Number(v)),
  'min.insync.replicas': isLong,
  'message.timestamp.type': (v) => v === 'CreateTime' || v === 'LogAppendTime',
  'compression.type': (v) => ['producer', 'uncompressed', 'gzip', 'snappy', 'lz4', 'zstd'].includes(v),
  'unclean.leader.election.enable': (v) => v === 'true' || v === 'false',
  'file.delete.delay.ms': isLong,
  'flush.messages': isLong,
  'flush.ms': isLong,
  'index.interval.bytes': isLong,
  'segment.index.bytes': isLong,
  'segment.jitter.ms': isLong,
  'preallocate': (v) => v === 'true' || v === 'false',
  'message.downconversion.enable': (v) => v === 'true' || v === 'false',
  // accepted for compatibility with tools that set them; they have no effect on a single local broker
  'message.timestamp.difference.max.ms': isLong,
  'message.timestamp.before.max.ms': isLong,
  'message.timestamp.after.max.ms': isLong,
  'message.format.version': () => true,
  'follower.replication.throttled.replicas': () => true,
  'leader.replication.throttled.replicas': () => true,
  'local.retention.ms': isLong,
  'local.retention.bytes': isLong,
  'remote.storage.enable': (v) => v === 'true' || v === 'false',
  'remote.log.copy.disable': (v) => v === 'true' || v === 'false',
  'remote.log.delete.on.disable': (v) => v === 'true' || v === 'false',
  'compression.gzip.level': isLong,
  'compression.lz4.level': isLong,
  'compression.zstd.level': isLong,
};

function isLong(v: string): boolean {
  return /^-?\d+$/.test(v.trim());
}

export function topicConfigDefaults(d: TopicDefaults): Record<string, string> {
  return {
    'cleanup.policy': 'delete',
    'compression.type': 'producer',
    'delete.retention.ms': '86400000',
    'file.delete.delay.ms': '60000',
    'flush.messages': '9223372036854775807',
    'flush.ms': '9223372036854775807',
    'index.interval.bytes': '4096',
    'max.compaction.lag.ms': '9223372036854775807',
    'max.message.bytes': '1048588',
    'message.downconversion.enable': 'true',
    'message.timestamp.type': 'CreateTime',
    'min.cleanable.dirty.ratio': '0.5',
    'min.compaction.lag.ms': '0',
    'min.insync.replicas': '1',
    'preallocate': 'false',
    'retention.bytes': String(d.retentionBytes),
    'retention.ms': String(d.retentionMs),
    'segment.bytes': String(d.segmentBytes),
    'segment.index.bytes': '10485760',
    'segment.jitter.ms': '0',
    'segment.ms': '604800000',
    'unclean.leader.election.enable': 'false',
  };
}

/** Returns an error message naming the bad key or value, or null when every entry is valid. */
export function validateTopicConfigs(configs: Record<string, string | null>): string | null {
  for (const [k, v] of Object.entries(configs)) {
    const check = KNOWN_TOPIC_CONFIGS[k];
    if (!check) return `Unknown topic config name: ${k}`;
    if (v !== null && !check(v)) return `Invalid value ${v} for configuration ${k}`;
  }
  return null;
}
