/**
 * The `.checkpoint` file of a task directory (Kafka's `OffsetCheckpoint`): the changelog offsets up to which the
 * local stores are known to be complete, so a restart restores only what came after. Format (UTF-8 text):
 * `0\n<n>\n<topic> <partition> <offset>\n…` (version 0). Writes are atomic: a temporary file is written and synced,
 * then renamed over the old one, so a crash leaves either the old or the new checkpoint, never half of one.
 */
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { IllegalArgumentException, ProcessorStateException } from '../errors';

/** Name of the checkpoint file in a task directory. */
export const CHECKPOINT_FILE_NAME = '.checkpoint';
/** The only version Kafka writes. */
export const CHECKPOINT_VERSION = 0;
/** The offset Kafka writes for a store whose offset is not known. */
export const OFFSET_UNKNOWN = -4;

/** One changelog partition and the offset to resume restoring from. */
export interface CheckpointEntry {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
}

/** Reads and writes one checkpoint file. */
export class OffsetCheckpoint {
  constructor(readonly path: string) {}

  /** Writes the offsets atomically. Offsets must be >= 0 or `OFFSET_UNKNOWN`. */
  write(entries: Iterable<CheckpointEntry>): void {
    const valid: CheckpointEntry[] = [];
    for (const e of entries) {
      if (/\s/.test(e.topic) || e.topic.length === 0) {
        throw new IllegalArgumentException(`Cannot checkpoint topic "${e.topic}" to ${this.path}: invalid topic name`);
      }
      if (!Number.isInteger(e.partition) || e.partition < 0 || !Number.isInteger(e.offset)) {
        throw new IllegalArgumentException(`Cannot checkpoint ${e.topic}-${e.partition} offset ${e.offset} to ${this.path}`);
      }
      // Kafka drops invalid negative offsets rather than writing them
      if (e.offset >= 0 || e.offset === OFFSET_UNKNOWN) valid.push(e);
    }
    let text = `${CHECKPOINT_VERSION}\n${valid.length}\n`;
    for (const e of valid) text += `${e.topic} ${e.partition} ${e.offset}\n`;
    const temp = `${this.path}.tmp`;
    try {
      const fd = openSync(temp, 'w');
      try {
        writeSync(fd, text, 0, 'utf8');
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(temp, this.path);
      syncDirectory(dirname(this.path));
    } catch (err) {
      throw new ProcessorStateException(`Failed to write checkpoint file ${this.path}: ${(err as Error).message}`, { cause: err });
    }
  }

  /** The checkpointed offsets; empty when the file does not exist. Throws, naming the file, when it is corrupt. */
  read(): CheckpointEntry[] {
    if (!existsSync(this.path)) return [];
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (err) {
      throw new ProcessorStateException(`Failed to read checkpoint file ${this.path}: ${(err as Error).message}`, { cause: err });
    }
    const corrupt = (why: string): ProcessorStateException =>
      new ProcessorStateException(`Corrupt checkpoint file ${this.path}: ${why}`);
    const lines = text.split('\n');
    if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
    if (lines.length === 0) throw corrupt('the file is empty');
    const version = lines[0]!.trim();
    if (version !== String(CHECKPOINT_VERSION)) throw corrupt(`unknown offset checkpoint version: ${version}`);
    if (lines.length < 2 || !/^\d+$/.test(lines[1]!.trim())) throw corrupt(`malformed entry count: ${lines[1] ?? '(missing)'}`);
    const expected = Number(lines[1]!.trim());
    const entries: CheckpointEntry[] = [];
    for (const line of lines.slice(2)) {
      const parts = line.trim().split(/\s+/);
      if (parts.length !== 3 || !/^\d+$/.test(parts[1]!) || !/^-?\d+$/.test(parts[2]!)) {
        throw corrupt(`malformed line: ${line}`);
      }
      const offset = Number(parts[2]);
      if (offset >= 0 || offset === OFFSET_UNKNOWN) {
        entries.push({ topic: parts[0]!, partition: Number(parts[1]), offset });
      }
    }
    if (lines.length - 2 !== expected) {
      throw corrupt(`expected ${expected} entries but found ${lines.length - 2}`);
    }
    return entries;
  }

  /** The checkpoint as a map keyed `topic-partition` (Kafka's `TopicPartition.toString()`). */
  readAsMap(): Map<string, number> {
    return new Map(this.read().map((e) => [`${e.topic}-${e.partition}`, e.offset]));
  }

  /** Removes the file (under exactly-once it is deleted after reading at startup). */
  delete(): void {
    rmSync(this.path, { force: true });
  }
}

function syncDirectory(dir: string): void {
  let fd: number | null = null;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // some platforms cannot fsync a directory; the rename is still atomic
  } finally {
    if (fd !== null) closeSync(fd);
  }
}
