/**
 * The state directory of an application (Kafka's `StateDirectory`): `<state.dir>/<applicationId>/<taskId>/` per
 * task, each holding `.checkpoint` and `rocksdb/<store>/`. A task directory is locked while a task owns it, so two
 * instances — two processes, or two objects in one process — never open the same task's stores: the lock is a
 * `.lock` file created exclusively and holding the owner's pid and a token. A lock whose pid no longer runs is
 * stale and taken over (a reused pid would look alive: then the error names the file to delete).
 */
import { randomUUID } from 'node:crypto';
import { accessSync, constants as fsConstants, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProcessorStateException, StreamsException } from '../errors';
import { CHECKPOINT_FILE_NAME, OffsetCheckpoint } from './offset-checkpoint';

/** Name of the lock file in a task directory. */
export const LOCK_FILE_NAME = '.lock';
/** Name of the file that keeps the process id stable across restarts (Kafka's name). */
export const PROCESS_METADATA_FILE_NAME = 'kafka-streams-process-metadata';
/** Kafka's default `state.dir`. */
export const DEFAULT_STATE_DIR = join(tmpdir(), 'kafka-streams');

/** Task directory names Kafka uses: `<subtopology>_<partition>`, optionally behind a named topology. */
const TASK_DIR_PATTERN = /^(?:.+__)?\d+_\d+$/;

/** Processes in this one that hold task locks, by lock-file path: catches a second object in the same process. */
const heldInProcess = new Map<string, string>();

interface LockFileContent {
  readonly pid: number;
  readonly token: string;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Owns the directories of one application's tasks on this machine. */
export class StateDirectory {
  readonly stateDir: string;
  readonly applicationId: string;
  readonly applicationDir: string;
  readonly #token = randomUUID();
  readonly #locked = new Set<string>();

  constructor(options: { readonly stateDir?: string; readonly applicationId: string }) {
    this.stateDir = options.stateDir ?? DEFAULT_STATE_DIR;
    this.applicationId = options.applicationId;
    this.applicationDir = join(this.stateDir, this.applicationId);
  }

  /**
   * Creates `<state.dir>/<applicationId>` if missing and checks that both are writable directories, failing with
   * Kafka's `ProcessorStateException` messages naming the path (instead of a raw `ENOTDIR`/`EACCES`). Kafka's
   * `StateDirectory` does this at construction when the topology has persistent stores.
   */
  initialize(): void {
    const ensure = (dir: string, what: string): void => {
      if (existsSync(dir)) {
        if (!statSync(dir).isDirectory()) {
          throw new ProcessorStateException(`${what} [${dir}] can't be created as there is an existing file with the same name`);
        }
      } else {
        try {
          mkdirSync(dir, { recursive: true, mode: 0o750 });
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code ?? 'error';
          throw new ProcessorStateException(`${what} [${dir}] doesn't exist and couldn't be created (${code}: ${(err as Error).message})`, {
            cause: err,
          });
        }
      }
      try {
        accessSync(dir, fsConstants.W_OK | fsConstants.X_OK);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code ?? 'error';
        throw new ProcessorStateException(`${what} [${dir}] is not writable (${code}); check the permissions of "stateDir" (state.dir)`, {
          cause: err,
        });
      }
    };
    ensure(this.stateDir, 'base state directory');
    ensure(this.applicationDir, 'state directory');
  }

  /** The directory of a task, created (with parents) if missing. */
  taskDir(taskId: string): string {
    const dir = join(this.applicationDir, taskId);
    try {
      mkdirSync(dir, { recursive: true, mode: 0o750 });
    } catch (err) {
      throw new ProcessorStateException(`Failed to create state directory ${dir} for task ${taskId}: ${(err as Error).message}`, {
        cause: err,
      });
    }
    if (!statSync(dir).isDirectory()) {
      throw new ProcessorStateException(`State directory ${dir} for task ${taskId} exists but is not a directory`);
    }
    return dir;
  }

  /** The checkpoint file of a task. */
  checkpoint(taskId: string): OffsetCheckpoint {
    return new OffsetCheckpoint(join(this.taskDir(taskId), CHECKPOINT_FILE_NAME));
  }

  /**
   * Locks a task directory for this object (idempotent). Throws a `ProcessorStateException` naming the directory
   * when another instance (in this or another process) holds it.
   */
  lock(taskId: string): void {
    if (this.#locked.has(taskId)) return;
    const dir = this.taskDir(taskId);
    const lockPath = join(dir, LOCK_FILE_NAME);
    const content: LockFileContent = { pid: process.pid, token: this.#token };
    for (let attempt = 0; attempt < 2; attempt++) {
      const holder = heldInProcess.get(lockPath);
      if (holder !== undefined && holder !== this.#token) throw this.#lockedError(taskId, dir, process.pid);
      try {
        writeFileSync(lockPath, JSON.stringify(content), { flag: 'wx' });
        heldInProcess.set(lockPath, this.#token);
        this.#locked.add(taskId);
        return;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
          throw new ProcessorStateException(`Failed to lock state directory ${dir} of task ${taskId}: ${(err as Error).message}`, {
            cause: err,
          });
        }
      }
      const existing = this.#readLock(lockPath);
      if (existing !== null && processAlive(existing.pid) && existing.pid !== process.pid) {
        throw this.#lockedError(taskId, dir, existing.pid);
      }
      if (existing !== null && existing.pid === process.pid && heldInProcess.has(lockPath)) {
        throw this.#lockedError(taskId, dir, existing.pid);
      }
      // stale: its process is gone (or it is unreadable, or a previous object of this process crashed); take over
      rmSync(lockPath, { force: true });
    }
    throw this.#lockedError(taskId, dir, null);
  }

  /** Releases a task lock held by this object. */
  unlock(taskId: string): void {
    if (!this.#locked.delete(taskId)) return;
    const lockPath = join(this.applicationDir, taskId, LOCK_FILE_NAME);
    if (heldInProcess.get(lockPath) === this.#token) heldInProcess.delete(lockPath);
    const existing = this.#readLock(lockPath);
    if (existing !== null && existing.token === this.#token) rmSync(lockPath, { force: true });
  }

  /** Whether this object holds the task's lock. */
  isLocked(taskId: string): boolean {
    return this.#locked.has(taskId);
  }

  /** Releases every lock this object holds. */
  close(): void {
    for (const taskId of [...this.#locked]) this.unlock(taskId);
  }

  /** The task directories that exist under the application directory. */
  listTaskDirectories(): string[] {
    if (!existsSync(this.applicationDir)) return [];
    return readdirSync(this.applicationDir, { withFileTypes: true })
      .filter((d) => d.isDirectory() && TASK_DIR_PATTERN.test(d.name))
      .map((d) => d.name)
      .sort();
  }

  /** Deletes a task's directory (its stores and checkpoint); the task must be locked by this object or unowned. */
  wipeTask(taskId: string): void {
    const dir = join(this.applicationDir, taskId);
    const heldHere = this.#locked.has(taskId);
    if (!heldHere) this.lock(taskId);
    try {
      for (const entry of readdirSync(dir)) if (entry !== LOCK_FILE_NAME) rmSync(join(dir, entry), { recursive: true, force: true });
    } finally {
      if (!heldHere) this.unlock(taskId);
    }
  }

  /** Deletes the whole application directory (`KafkaStreams.cleanUp()`); fails if any task is locked by anyone. */
  clean(): void {
    for (const taskId of this.listTaskDirectories()) {
      this.lock(taskId);
      this.unlock(taskId);
    }
    rmSync(this.applicationDir, { recursive: true, force: true });
  }

  /** The process id kept in `kafka-streams-process-metadata`, created on first use. */
  processId(): string {
    this.initialize();
    const file = join(this.applicationDir, PROCESS_METADATA_FILE_NAME);
    if (existsSync(file)) {
      try {
        const parsed = JSON.parse(readFileSync(file, 'utf8')) as { processId?: unknown };
        if (typeof parsed.processId === 'string') return parsed.processId;
      } catch (err) {
        throw new ProcessorStateException(`Corrupt process metadata file ${file}: ${(err as Error).message}`, { cause: err });
      }
      throw new ProcessorStateException(`Corrupt process metadata file ${file}: no processId`);
    }
    const processId = randomUUID();
    try {
      writeFileSync(file, JSON.stringify({ processId }));
    } catch (err) {
      throw new ProcessorStateException(`Unable to write the process file ${file}: ${(err as Error).message}`, { cause: err });
    }
    return processId;
  }

  #readLock(lockPath: string): LockFileContent | null {
    try {
      const parsed = JSON.parse(readFileSync(lockPath, 'utf8')) as Partial<LockFileContent>;
      return typeof parsed.pid === 'number' && typeof parsed.token === 'string' ? (parsed as LockFileContent) : null;
    } catch {
      return null;
    }
  }

  #lockedError(taskId: string, dir: string, pid: number | null): StreamsException {
    const who = pid === null ? 'another instance' : pid === process.pid ? 'another instance in this process' : `process ${pid}`;
    return new ProcessorStateException(
      `Unable to lock state directory ${dir} of task ${taskId}: it is in use by ${who}. This can happen if multiple ` +
        `instances of the application run with the same state directory; if no other instance runs, delete ${join(dir, LOCK_FILE_NAME)}.`,
    );
  }
}
