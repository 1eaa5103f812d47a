/**
 * All topics and partitions on this broker: creation, deletion, growth, per-topic configs (persisted
 * in `topics.json`, replaced atomically), and the background retention and compaction passes.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import { compactLog } from './compaction';
import { Partition } from './partition';
import { applyRetention } from './retention';
import { readJson, writeJsonAtomic } from './state-file';
import { topicConfigDefaults, type TopicDefaults } from './topic-configs';

export interface Topic {
  name: string;
  id: string;
  partitions: Partition[];
  /** explicit overrides only; defaults come from the broker */
  configs: Record<string, string>;
}

interface TopicsFile {
  topics: Record<string, { id: string; partitions: number; configs: Record<string, string> }>;
}

const TOPIC_NAME = /^[a-zA-Z0-9._-]+$/;

export function invalidTopicName(name: string): string | null {
  if (name.length === 0) return 'Topic name is empty';
  if (name === '.' || name === '..') return `Topic name "${name}" is illegal`;
  if (name.length > 249) return `Topic name "${name.slice(0, 20)}…" is longer than 249 characters`;
  if (!TOPIC_NAME.test(name)) return `Topic name "${name}" contains characters other than ASCII alphanumerics, '.', '_' and '-'`;
  return null;
}

export class LogManager {
  readonly topics = new Map<string, Topic>();
  private readonly logsDir: string;
  private readonly topicsFile: string;

  constructor(
    readonly dataDir: string,
    readonly defaults: TopicDefaults,
  ) {
    this.logsDir = path.join(dataDir, 'logs');
    this.topicsFile = path.join(dataDir, 'topics.json');
    fs.mkdirSync(this.logsDir, { recursive: true });
    this.load();
  }

  private load(): void {
    const file = readJson<TopicsFile>(this.topicsFile);
    for (const entry of fs.readdirSync(this.logsDir)) {
      if (entry.endsWith('.deleted')) fs.rmSync(path.join(this.logsDir, entry), { recursive: true, force: true });
    }
    const known = new Set<string>();
    for (const [name, t] of Object.entries(file?.topics ?? {})) {
      const topic: Topic = { name, id: t.id, partitions: [], configs: t.configs };
      this.topics.set(name, topic);
      for (let p = 0; p < t.partitions; p++) {
        topic.partitions.push(this.openPartition(topic, p));
        known.add(`${name}-${p}`);
      }
    }
    // directories of topics deleted just before a crash (topics.json is written first) are leftovers
    for (const entry of fs.readdirSync(this.logsDir)) {
      if (!known.has(entry)) fs.rmSync(path.join(this.logsDir, entry), { recursive: true, force: true });
    }
  }

  private persist(): void {
    const out: TopicsFile = { topics: {} };
    for (const t of this.topics.values()) out.topics[t.name] = { id: t.id, partitions: t.partitions.length, configs: t.configs };
    writeJsonAtomic(this.topicsFile, out);
  }

  private partitionDir(topic: Topic, p: number): string {
    return path.join(this.logsDir, `${topic.name}-${p}`);
  }

  private openPartition(topic: Topic, p: number): Partition {
    return new Partition(topic.name, p, this.partitionDir(topic, p), { segmentBytes: this.segmentBytes(topic) });
  }

  config(topic: Topic, key: string): string {
    return topic.configs[key] ?? topicConfigDefaults(this.defaults)[key] ?? '';
  }

  effectiveConfigs(topic: Topic): Record<string, { value: string; isDefault: boolean }> {
    const out: Record<string, { value: string; isDefault: boolean }> = {};
    for (const [k, v] of Object.entries(topicConfigDefaults(this.defaults))) out[k] = { value: v, isDefault: true };
    for (const [k, v] of Object.entries(topic.configs)) out[k] = { value: v, isDefault: false };
    return out;
  }

  private segmentBytes(topic: Topic): number {
    return Number(this.config(topic, 'segment.bytes'));
  }

  maxMessageBytes(topic: Topic): number {
    return Number(this.config(topic, 'max.message.bytes'));
  }

  get(name: string): Topic | undefined {
    return this.topics.get(name);
  }

  /** The topic's id as the wire's 16-byte UUID in hex (Metadata v10+, DeleteTopics v6+). */
  topicId(topic: Topic): string {
    return topic.id.replace(/-/g, '');
  }

  topicById(hex: string): Topic | undefined {
    for (const t of this.topics.values()) if (this.topicId(t) === hex) return t;
    return undefined;
  }

  partition(topic: string, p: number): Partition | undefined {
    return this.topics.get(topic)?.partitions[p];
  }

  create(name: string, partitions: number, configs: Record<string, string>): Topic {
    const topic: Topic = { name, id: randomUUID(), partitions: [], configs };
    for (let p = 0; p < partitions; p++) {
      // a stale directory from a crashed delete must not resurrect old data
      fs.rmSync(this.partitionDir(topic, p), { recursive: true, force: true });
      topic.partitions.push(this.openPartition(topic, p));
    }
    this.topics.set(name, topic);
    this.persist();
    return topic;
  }

  addPartitions(topic: Topic, count: number): void {
    for (let p = topic.partitions.length; p < count; p++) {
      fs.rmSync(this.partitionDir(topic, p), { recursive: true, force: true });
      topic.partitions.push(this.openPartition(topic, p));
    }
    this.persist();
  }

  setConfigs(topic: Topic, configs: Record<string, string>): void {
    topic.configs = configs;
    for (const p of topic.partitions) p.log.config = { segmentBytes: this.segmentBytes(topic) };
    this.persist();
  }

  delete(name: string): void {
    const topic = this.topics.get(name);
    if (!topic) return;
    this.topics.delete(name);
    this.persist();
    for (const p of topic.partitions) {
      p.close();
      const dir = this.partitionDir(topic, p.index);
      const tomb = `${dir}.${Date.now()}.deleted`;
      try {
        fs.renameSync(dir, tomb);
        fs.rmSync(tomb, { recursive: true, force: true });
      } catch {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }
  }

  /** One pass of retention (delete policy) and compaction (compact policy) over every partition. */
  cleanup(now: number): { segmentsDeleted: number; segmentsCompacted: number } {
    let segmentsDeleted = 0;
    let segmentsCompacted = 0;
    for (const topic of this.topics.values()) {
      const policy = this.config(topic, 'cleanup.policy');
      for (const p of topic.partitions) {
        if (policy.includes('delete')) {
          const before = p.logStartOffset;
          segmentsDeleted += applyRetention(
            p.log,
            { retentionMs: Number(this.config(topic, 'retention.ms')), retentionBytes: Number(this.config(topic, 'retention.bytes')) },
            now,
          );
          if (p.logStartOffset !== before) p.producers.truncateHead(p.logStartOffset);
        }
        const closedEnd = p.log.segments.length > 1 ? p.log.segments[p.log.segments.length - 2]!.nextOffset : 0;
        if (policy.includes('compact') && closedEnd > p.cleanedUpTo && closedEnd <= p.lastStableOffset) {
          p.cleanedUpTo = closedEnd;
          segmentsCompacted += compactLog(p.log, {
            now,
            deleteRetentionMs: Number(this.config(topic, 'delete.retention.ms')),
            cleanableEnd: p.lastStableOffset,
            isAborted: (pid, offset) => p.producers.isAborted(pid, offset),
          }).segmentsCleaned;
        }
      }
    }
    return { segmentsDeleted, segmentsCompacted };
  }

  flush(): void {
    for (const t of this.topics.values()) for (const p of t.partitions) p.log.flush();
  }

  close(): void {
    for (const t of this.topics.values()) for (const p of t.partitions) p.close();
  }
}
