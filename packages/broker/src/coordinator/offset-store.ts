/**
 * Committed consumer-group offsets and group metadata (generation, protocol, leader, members with their
 * subscriptions and assignments), persisted together as an append-only log — as Kafka keeps both in
 * __consumer_offsets — compacted at startup and whenever superseded lines dominate it.
 */
import * as path from 'node:path';
import { AppendLog } from '../storage/state-file';

export interface CommittedOffset {
  offset: number;
  metadata: string | null;
  commitTimestamp: number;
}

/** A classic group as stored when it becomes Stable or Empty (Kafka's GroupMetadataValue). */
export interface GroupSnapshot {
  protocolType: string | null;
  protocolName: string | null;
  generationId: number;
  leaderId: string | null;
  members: {
    memberId: string;
    groupInstanceId: string | null;
    clientId: string;
    clientHost: string;
    sessionTimeoutMs: number;
    rebalanceTimeoutMs: number;
    /** [protocol name, metadata base64] */
    protocols: [string, string][];
    /** base64 */
    assignment: string;
  }[];
}

type Entry =
  | { g: string; meta: GroupSnapshot | null }
  | { g: string; o: [topic: string, partition: number, offset: number, metadata: string | null, ts: number][] }
  | { g: string; deleted: true }
  | { g: string; deleteTopic: string }
  | { g: string; deletePartitions: [topic: string, partition: number][] };

export class OffsetStore {
  private readonly groups = new Map<string, Map<string, CommittedOffset>>();
  private readonly metadata = new Map<string, GroupSnapshot>();
  private readonly log: AppendLog<Entry>;

  constructor(dataDir: string) {
    const file = path.join(dataDir, 'consumer-offsets.log');
    for (const e of AppendLog.replay<Entry>(file)) this.apply(e);
    this.log = new AppendLog<Entry>(file);
    this.compact();
  }

  private apply(e: Entry): void {
    if ('meta' in e) {
      if (e.meta === null) this.metadata.delete(e.g);
      else this.metadata.set(e.g, e.meta);
    } else if ('deleted' in e) {
      this.groups.delete(e.g);
      this.metadata.delete(e.g);
    } else if ('deletePartitions' in e) {
      for (const [t, p] of e.deletePartitions) this.groups.get(e.g)?.delete(`${t}/${p}`);
    } else if ('deleteTopic' in e) {
      const offsets = this.groups.get(e.g);
      for (const k of [...(offsets?.keys() ?? [])]) if (k.slice(0, k.lastIndexOf('/')) === e.deleteTopic) offsets!.delete(k);
    } else {
      let offsets = this.groups.get(e.g);
      if (!offsets) this.groups.set(e.g, (offsets = new Map()));
      for (const [t, p, o, m, ts] of e.o) offsets.set(`${t}/${p}`, { offset: o, metadata: m, commitTimestamp: ts });
    }
  }

  private compact(): void {
    const entries: Entry[] = [];
    for (const [g, offsets] of this.groups) {
      const o: [string, number, number, string | null, number][] = [];
      for (const [k, v] of offsets) {
        const i = k.lastIndexOf('/');
        o.push([k.slice(0, i), Number(k.slice(i + 1)), v.offset, v.metadata, v.commitTimestamp]);
      }
      entries.push({ g, o });
    }
    for (const [g, meta] of this.metadata) entries.push({ g, meta });
    this.log.rewrite(entries);
  }

  commit(groupId: string, offsets: readonly { topic: string; partition: number; offset: number; metadata: string | null }[]): void {
    if (offsets.length === 0) return;
    const ts = Date.now();
    const entry: Entry = { g: groupId, o: offsets.map((x) => [x.topic, x.partition, x.offset, x.metadata, ts]) };
    this.apply(entry);
    this.log.append(entry);
    if (this.log.lines > 10000 && this.log.lines > 4 * (this.groups.size + this.metadata.size)) this.compact();
  }

  /** Stores (or, with null, forgets) a group's metadata. */
  saveGroup(groupId: string, meta: GroupSnapshot | null): void {
    if (meta === null && !this.metadata.has(groupId)) return;
    const e: Entry = { g: groupId, meta };
    this.apply(e);
    this.log.append(e);
  }

  /** Every stored group's metadata, as loaded at startup and kept since. */
  groupMetadata(): Map<string, GroupSnapshot> {
    return new Map(this.metadata);
  }

  get(groupId: string, topic: string, partition: number): CommittedOffset | undefined {
    return this.groups.get(groupId)?.get(`${topic}/${partition}`);
  }

  all(groupId: string): { topic: string; partition: number; committed: CommittedOffset }[] {
    const out: { topic: string; partition: number; committed: CommittedOffset }[] = [];
    for (const [k, v] of this.groups.get(groupId) ?? []) {
      const i = k.lastIndexOf('/');
      out.push({ topic: k.slice(0, i), partition: Number(k.slice(i + 1)), committed: v });
    }
    return out;
  }

  hasGroup(groupId: string): boolean {
    return (this.groups.get(groupId)?.size ?? 0) > 0;
  }

  groupIds(): string[] {
    return [...this.groups.keys()].filter((g) => this.hasGroup(g));
  }

  deleteGroup(groupId: string): void {
    const e: Entry = { g: groupId, deleted: true };
    this.apply(e);
    this.log.append(e);
  }

  /** OffsetDelete: forget the group's committed offsets of these partitions. */
  deletePartitions(groupId: string, partitions: readonly { topic: string; partition: number }[]): void {
    if (partitions.length === 0) return;
    const e: Entry = { g: groupId, deletePartitions: partitions.map((x) => [x.topic, x.partition]) };
    this.apply(e);
    this.log.append(e);
  }

  deleteTopic(topic: string): void {
    for (const g of [...this.groups.keys()]) {
      const e: Entry = { g, deleteTopic: topic };
      this.apply(e);
      this.log.append(e);
    }
  }

  close(): void {
    this.log.close();
  }
}
