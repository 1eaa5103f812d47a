/** Task directories, their locks, and the `.checkpoint` file. */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ProcessorStateException } from '../../src/errors';
import { OFFSET_UNKNOWN, OffsetCheckpoint } from '../../src/state/offset-checkpoint';
import { LOCK_FILE_NAME, StateDirectory } from '../../src/state/state-directory';
import { tempDir } from './fake-state-store-context';

describe('StateDirectory', () => {
  let dir: { path: string; cleanup: () => void };
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => dir.cleanup());

  it('creates <stateDir>/<applicationId>/<taskId>', () => {
    const sd = new StateDirectory({ stateDir: dir.path, applicationId: 'app' });
    const taskDir = sd.taskDir('0_1');
    expect(taskDir).toBe(join(dir.path, 'app', '0_1'));
    expect(existsSync(taskDir)).toBe(true);
    sd.taskDir('1_0');
    expect(sd.listTaskDirectories()).toEqual(['0_1', '1_0']);
  });

  it('lets one instance in this process lock a task, and names the path when a second tries', () => {
    const a = new StateDirectory({ stateDir: dir.path, applicationId: 'app' });
    const b = new StateDirectory({ stateDir: dir.path, applicationId: 'app' });
    a.lock('0_0');
    a.lock('0_0'); // re-entrant for its owner
    expect(() => b.lock('0_0')).toThrow(ProcessorStateException);
    expect(() => b.lock('0_0')).toThrow(join(dir.path, 'app', '0_0'));
    b.lock('0_1'); // other tasks are free
    a.unlock('0_0');
    b.lock('0_0');
    expect(b.isLocked('0_0')).toBe(true);
    b.close();
    expect(existsSync(join(dir.path, 'app', '0_0', LOCK_FILE_NAME))).toBe(false);
  });

  it('refuses a task locked by another live process', () => {
    const a = new StateDirectory({ stateDir: dir.path, applicationId: 'app' });
    const lockPath = join(a.taskDir('0_0'), LOCK_FILE_NAME);
    // the parent of this process is alive for the whole test
    writeFileSync(lockPath, JSON.stringify({ pid: process.ppid, token: 'other' }));
    expect(() => a.lock('0_0')).toThrow(new RegExp(`process ${process.ppid}`));
    expect(() => a.lock('0_0')).toThrow(join(dir.path, 'app', '0_0'));
  });

  it('takes over a lock left by a process that has exited', () => {
    const a = new StateDirectory({ stateDir: dir.path, applicationId: 'app' });
    const lockPath = join(a.taskDir('0_0'), LOCK_FILE_NAME);
    const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
    const deadPid = Number(child.stdout.toString());
    writeFileSync(lockPath, JSON.stringify({ pid: deadPid, token: 'gone' }));
    a.lock('0_0');
    expect(JSON.parse(readFileSync(lockPath, 'utf8')).pid).toBe(process.pid);
    a.close();
  });

  it('wipes a task directory but keeps it usable; clean() removes the application directory', () => {
    const sd = new StateDirectory({ stateDir: dir.path, applicationId: 'app' });
    sd.checkpoint('0_0').write([{ topic: 'c', partition: 0, offset: 1 }]);
    sd.wipeTask('0_0');
    expect(sd.checkpoint('0_0').read()).toEqual([]);
    const other = new StateDirectory({ stateDir: dir.path, applicationId: 'app' });
    other.lock('0_0');
    expect(() => sd.clean()).toThrow(/0_0/);
    other.close();
    sd.clean();
    expect(existsSync(join(dir.path, 'app'))).toBe(false);
  });

  it('keeps a stable process id', () => {
    const sd = new StateDirectory({ stateDir: dir.path, applicationId: 'app' });
    const id = sd.processId();
    expect(new StateDirectory({ stateDir: dir.path, applicationId: 'app' }).processId()).toBe(id);
  });
});

describe('OffsetCheckpoint', () => {
  let dir: { path: string; cleanup: () => void };
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => dir.cleanup());

  it("writes Kafka's format and reads it back", () => {
    const cp = new OffsetCheckpoint(join(dir.path, '.checkpoint'));
    cp.write([
      { topic: 'app-store-changelog', partition: 3, offset: 42 },
      { topic: 'app-other-changelog', partition: 0, offset: OFFSET_UNKNOWN },
      { topic: 'app-bad-changelog', partition: 0, offset: -1 }, // dropped, as Kafka does
    ]);
    expect(readFileSync(cp.path, 'utf8')).toBe('0\n2\napp-store-changelog 3 42\napp-other-changelog 0 -4\n');
    expect(cp.read()).toEqual([
      { topic: 'app-store-changelog', partition: 3, offset: 42 },
      { topic: 'app-other-changelog', partition: 0, offset: -4 },
    ]);
    expect(cp.readAsMap().get('app-store-changelog-3')).toBe(42);
    expect(existsSync(`${cp.path}.tmp`)).toBe(false);
  });

  it('reads a missing file as empty and replaces an existing one', () => {
    const cp = new OffsetCheckpoint(join(dir.path, '.checkpoint'));
    expect(cp.read()).toEqual([]);
    cp.write([{ topic: 't', partition: 0, offset: 1 }]);
    cp.write([{ topic: 't', partition: 0, offset: 2 }]);
    expect(cp.read()).toEqual([{ topic: 't', partition: 0, offset: 2 }]);
    cp.delete();
    expect(cp.read()).toEqual([]);
  });

  it.each([
    ['unknown version', '1\n0\n', /version/],
    ['bad count', '0\nx\n', /count/],
    ['malformed line', '0\n1\ntopic-only\n', /malformed line/],
    ['too few entries', '0\n2\nt 0 1\n', /expected 2 entries but found 1/],
    ['empty', '', /empty/],
  ])('names the file when it is corrupt (%s)', (_why, content, message) => {
    const path = join(dir.path, '.checkpoint');
    writeFileSync(path, content);
    const cp = new OffsetCheckpoint(path);
    expect(() => cp.read()).toThrow(ProcessorStateException);
    expect(() => cp.read()).toThrow(message);
    expect(() => cp.read()).toThrow(path);
  });

  it('rejects topics it could not read back', () => {
    const cp = new OffsetCheckpoint(join(dir.path, '.checkpoint'));
    expect(() => cp.write([{ topic: 'has space', partition: 0, offset: 1 }])).toThrow(/has space/);
  });
});
