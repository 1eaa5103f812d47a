/**
 * Small persistence helpers for the broker's own state: JSON files replaced atomically (write to a temp
 * file, then rename) and append-only JSON-lines logs whose torn last line is ignored on replay.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export function writeJsonAtomic(file: string, value: unknown): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(value));
  fs.renameSync(tmp, file);
}

export function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/** An append-only log of JSON entries, one per line. */
export class AppendLog<T> {
  private fd: number;
  lines = 0;

  constructor(readonly file: string) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    this.fd = fs.openSync(file, 'a');
  }

  /** Reads every complete entry; a torn or corrupt line (a crash mid-write) ends the replay. */
  static replay<T>(file: string): T[] {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
    const out: T[] = [];
    for (const line of text.split('\n')) {
      if (line.length === 0) continue;
      try {
        out.push(JSON.parse(line) as T);
      } catch {
        break;
      }
    }
    return out;
  }

  append(entry: T): void {
    fs.writeSync(this.fd, `${JSON.stringify(entry)}\n`);
    this.lines++;
  }

  /** Replaces the whole log by `entries` (compaction of superseded entries). */
  rewrite(entries: readonly T[]): void {
    const tmp = `${this.file}.tmp`;
    fs.writeFileSync(tmp, entries.map((e) => `${JSON.stringify(e)}\n`).join(''));
    fs.closeSync(this.fd);
    fs.renameSync(tmp, this.file);
    this.fd = fs.openSync(this.file, 'a');
    this.lines = entries.length;
  }

  close(): void {
    if (this.fd >= 0) fs.closeSync(this.fd);
    this.fd = -1;
  }
}
