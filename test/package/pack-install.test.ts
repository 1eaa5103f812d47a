/**
 * The packages as a user gets them: `npm pack` each one, install the tarballs into an empty project (offline:
 * the registry dependencies come from the npm cache through a lock file derived from ours), type-check a user's
 * program with strict `tsc` and `skipLibCheck: false` under moduleResolution node16, bundler and node, then run it.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const repo = path.resolve(__dirname, '..', '..');
const packages = ['protocol', 'streams', 'test-utils', 'broker'] as const;
const tsc = require.resolve('typescript/bin/tsc', { paths: [repo] });

interface LockEntry {
  version?: string;
  resolved?: string;
  integrity?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  dev?: boolean;
  optional?: boolean;
  [k: string]: unknown;
}

/** Where npm would find `name` when required from the package installed at `from` (a lock key). */
function resolveIn(lock: Record<string, LockEntry>, from: string, name: string): string | null {
  let dir = from;
  for (;;) {
    const candidate = `${dir === '' ? '' : `${dir}/`}node_modules/${name}`;
    if (lock[candidate]) return candidate;
    if (dir === '') return null;
    const i = dir.lastIndexOf('/node_modules/');
    dir = i < 0 ? '' : dir.slice(0, i);
  }
}

/** The lock entries (with their nesting) the tarballs' registry dependencies need, taken from the repo's lock. */
function lockClosure(rootLock: Record<string, LockEntry>, roots: Record<string, string>, registry: string): Record<string, LockEntry> {
  const out: Record<string, LockEntry> = {};
  const queue = Object.keys(roots).map((name) => ({ from: '', name }));
  while (queue.length > 0) {
    const { from, name } = queue.shift()!;
    const key = resolveIn(rootLock, from, name);
    if (key === null) throw new Error(`${name} (needed by ${from || 'the app'}) is not in the repo's package-lock.json`);
    if (out[key]) continue;
    const { dev: _dev, ...entry } = rootLock[key]!;
    // npm 11 leaves `resolved` out of lock files; without it `npm ci --offline` asks for the packument, which a
    // lock-file install never cached. With it, the tarball comes from the cache by its integrity.
    const pkgName = key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length);
    const base = pkgName.slice(pkgName.lastIndexOf('/') + 1);
    out[key] = { ...entry, resolved: entry.resolved ?? `${registry}${pkgName}/-/${base}-${entry.version}.tgz` };
    for (const dep of Object.keys({ ...entry.dependencies, ...entry.optionalDependencies })) queue.push({ from: key, name: dep });
  }
  return out;
}

function run(cmd: string, args: string[], cwd: string): string {
  try {
    return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, npm_config_update_notifier: 'false' } });
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${cmd} ${args.join(' ')} failed in ${cwd}:\n${err.stdout ?? ''}\n${err.stderr ?? ''}\n${err.message}`);
  }
}

const USER_PROGRAM = `
import { Consumed, Grouped, Produced, Serdes, StreamsBuilder, TimeWindows, keyValue, type KeyValue } from '@kstreams/streams';
import { TopologyTestDriver } from '@kstreams/test-utils';
import type { BrokerOptions } from '@kstreams/broker';
import { Duration } from 'luxon';

const brokerOptions: BrokerOptions = { port: 0 };
const builder = new StreamsBuilder();
const lines = builder.stream<string | null, string>('lines', Consumed.with(Serdes.String(), Serdes.String()));
lines
  .flatMapValues((line) => line.toLowerCase().split(/\\W+/).filter((w) => w.length > 0))
  .map((_key, word): KeyValue<string, string> => keyValue(word, word))
  .groupByKey(Grouped.with(Serdes.String(), Serdes.String()))
  .windowedBy(TimeWindows.ofSizeWithNoGrace(Duration.fromObject({ minutes: 1 })))
  .count()
  .toStream()
  .map((windowed, count) => keyValue(windowed.key(), count))
  .to('counts', Produced.with(Serdes.String(), Serdes.Long()));

const driver = new TopologyTestDriver(builder.build(), { applicationId: 'packed-app' });
const input = driver.createInputTopic('lines', Serdes.String().serializer(), Serdes.String().serializer());
const output = driver.createOutputTopic('counts', Serdes.String().deserializer(), Serdes.Long().deserializer());
input.pipeInput('Hello packed kstreams', new Date(60_000));
input.pipeInput('hello again', new Date(61_000));
const counts: Array<[string, number | null, number | null]> = output.readRecordsToList().map((r) => [r.key ?? '', r.value, r.timestamp]);
driver.close();
console.log(JSON.stringify({ counts, port: brokerOptions.port }));
`;

const STRICT = {
  strict: true,
  skipLibCheck: false,
  target: 'ES2022',
  lib: ['ES2022'],
  types: ['node'],
  esModuleInterop: true,
  forceConsistentCasingInFileNames: true,
};

const CONFIGS: Record<string, Record<string, unknown>> = {
  node16: { module: 'node16', moduleResolution: 'node16', noEmit: true },
  bundler: { module: 'esnext', moduleResolution: 'bundler', noEmit: true },
  node: { module: 'commonjs', moduleResolution: 'node', outDir: 'dist' },
};

describe('npm pack tarballs in an empty project', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kstreams-pack-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('install offline, type-check strictly under node16, bundler and node resolution, and run a topology', () => {
    const tgzDir = path.join(dir, 'tgz');
    fs.mkdirSync(tgzDir);
    const app = path.join(dir, 'app');
    fs.mkdirSync(path.join(app, 'src'), { recursive: true });

    const rootLock = (JSON.parse(fs.readFileSync(path.join(repo, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> }).packages;
    const appDeps: Record<string, string> = {};
    const lock: Record<string, LockEntry> = {};
    const registryDeps: Record<string, string> = {};
    for (const p of packages) {
      const pkgDir = path.join(repo, 'packages', p);
      const file = run('npm', ['pack', '--silent', '--pack-destination', tgzDir], pkgDir).trim().split('\n').pop()!;
      const manifest = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8')) as { name: string; version: string; dependencies?: Record<string, string>; license?: string; bin?: Record<string, string> };
      const tgz = path.join(tgzDir, file);
      appDeps[manifest.name] = `file:../tgz/${file}`;
      lock[`node_modules/${manifest.name}`] = {
        version: manifest.version,
        resolved: `file:../tgz/${file}`,
        integrity: `sha512-${createHash('sha512').update(fs.readFileSync(tgz)).digest('base64')}`,
        ...(manifest.license ? { license: manifest.license } : {}),
        ...(manifest.dependencies ? { dependencies: manifest.dependencies } : {}),
        ...(manifest.bin ? { bin: manifest.bin } : {}),
      };
      for (const dep of Object.keys(manifest.dependencies ?? {})) if (!dep.startsWith('@kstreams/')) registryDeps[dep] = manifest.dependencies![dep]!;
    }
    // A user's Node project has @types/node; the version is the repo's own (so it is in the npm cache).
    const typesNode = rootLock['node_modules/@types/node']!.version!;
    const devDeps = { '@types/node': typesNode };
    const registry = run('npm', ['config', 'get', 'registry'], repo).trim().replace(/\/?$/, '/');
    Object.assign(lock, lockClosure(rootLock, { ...registryDeps, ...devDeps }, registry));
    lock['node_modules/@types/node'] = { ...lock['node_modules/@types/node']!, dev: true };

    const manifest = { name: 'packed-app', version: '1.0.0', private: true, dependencies: appDeps, devDependencies: devDeps };
    fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify(manifest, null, 2));
    fs.writeFileSync(
      path.join(app, 'package-lock.json'),
      JSON.stringify({ name: 'packed-app', version: '1.0.0', lockfileVersion: 3, requires: true, packages: { '': manifest, ...lock } }, null, 2),
    );
    run('npm', ['ci', '--offline', '--ignore-scripts', '--no-audit', '--no-fund'], app);
    for (const p of ['@kstreams/protocol', '@kstreams/streams', '@kstreams/test-utils', '@kstreams/broker']) {
      expect(fs.existsSync(path.join(app, 'node_modules', p, 'package.json'))).toBe(true);
    }

    fs.writeFileSync(path.join(app, 'src', 'main.ts'), USER_PROGRAM);
    for (const [name, options] of Object.entries(CONFIGS)) {
      const tsconfig = `tsconfig.${name}.json`;
      fs.writeFileSync(path.join(app, tsconfig), JSON.stringify({ compilerOptions: { ...STRICT, ...options }, include: ['src'] }, null, 2));
      // tsc prints the errors and exits non-zero when the packages' types do not resolve or check
      expect(run(process.execPath, [tsc, '-p', tsconfig], app)).toBe('');
    }

    const printed = JSON.parse(run(process.execPath, ['dist/main.js'], app)) as { counts: Array<[string, number, number]> };
    expect(printed.counts).toEqual([
      ['hello', 1, 60_000],
      ['packed', 1, 60_000],
      ['kstreams', 1, 60_000],
      ['hello', 2, 61_000],
      ['again', 1, 61_000],
    ]);
  }, 600_000);
});
