/**
 * Committed consumer-group offsets, persisted as an append-only log (one line per commit request)
 * that is compacted at startup and whenever superseded lines dominate it.
 */
import * as path from 'node:path';
import { AppendLog } from '../storage/state-file';

export interface CommittedOffset {
  offset: number;
  metadata: string | null;
  commitTimestamp: number;
}

type Entry =
  | { g: string; o: [topic: string, partition: number, offset: number, metadata: string | null, ts: number][] }
  | { g: string; deleted: true }
  | { g: string; deleteTopic: string }
  | { g: string; deletePartitions: [topic: string, partition: number][] };

export class OffsetStore {
  private readonly groups = new Map<string, Map<string, CommittedOffset>>();
  private readonly log: AppendLog<Entry>;

  constructor(dataDir: string) {
    const file = path.join(dataDir, 'consumer-offsets.log');
    for (const e of AppendLog.replay<Entry>(file)) this.apply(e);
    this.log = new AppendLog<Entry>(file);
    this.compact();
  }

  private apply(e: Entry): void {
    if ('deleted' in e) {
      this.groups.delete(e.g);
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
    this.log.rewrite(entries);
  }

  commit(groupId: string, offsets: readonly { topic: string; partition: number; offset: number; metadata: string | null }[]): void {
    if (offsets.length === 0) return;
    const ts = Date.now();
    const entry: Entry = { g: groupId, o: offsets.map((x) => [x.topic, x.partition, x.offset, x.metadata, ts]) };
    this.apply(entry);
    this.log.append(entry);
    if (this.log.lines > 10000 && this.log.lines > 4 * this.groups.size) this.compact();
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
