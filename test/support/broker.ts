/**
 * Gives any suite a Kafka-protocol broker, chosen by KSTREAMS_BROKER:
 *   bundled (default) - @kstreams/broker, in process; or as a child process (its CLI) when the suite
 *                       needs to SIGKILL and restart it
 *   kafka             - real Apache Kafka through test/kafka/kafka.sh (started if not running, and left
 *                       running for the next suite: `bash test/kafka/kafka.sh stop` when done)
 *   host:port         - an already-running broker; it can be killed and restarted only when
 *                       KSTREAMS_KAFKA_SH names the kafka.sh that runs it (run-suite.sh sets this)
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

export type BrokerKind = 'bundled' | 'kafka' | 'external';

export interface TestBroker {
  readonly kind: BrokerKind;
  /** `host:port` for kafkajs `brokers: [..]`. Stable across kill/restart. */
  readonly bootstrapServers: string;
  /** Whether kill() and restart() work for this broker. */
  readonly restartable: boolean;
  /** SIGKILL the broker process; its data directory is kept. */
  kill(): Promise<void>;
  /** Stop the broker cleanly (SIGTERM / `kafka.sh stop`); its data directory is kept, restart() starts it again. */
  stop(): Promise<void>;
  /** Start it again on the same address and data; resolves once it serves requests. */
  restart(): Promise<void>;
  /** Release what this helper started (bundled brokers and their temp data); shared brokers stay up. */
  close(): Promise<void>;
  /**
   * What the in-process bundled broker logged (its warnings about bad clients, …), captured instead of printed so
   * a suite that expects them can assert on them; empty for the other kinds.
   */
  readonly logs: readonly string[];
}

export interface TestBrokerOptions {
  /** The suite will kill() and restart() the broker: for `bundled`, run the CLI as a child process. */
  readonly restartable?: boolean;
}

const REPO_ROOT = resolve(__dirname, '..', '..');
const KAFKA_SH = join(REPO_ROOT, 'test', 'kafka', 'kafka.sh');
const BROKER_CLI = join(REPO_ROOT, 'packages', 'broker', 'dist', 'cli.js');
const ADDRESS_LINE = /^(\S+):(\d{1,5})$/;
const START_TIMEOUT_MS = 120_000;

/** The KSTREAMS_BROKER setting, defaulting to `bundled`. */
export function brokerSetting(): string {
  const value = process.env['KSTREAMS_BROKER']?.trim();
  return value === undefined || value === '' ? 'bundled' : value;
}

/** Returns a broker per KSTREAMS_BROKER. Call close() in afterAll. */
export async function startTestBroker(options: TestBrokerOptions = {}): Promise<TestBroker> {
  const setting = brokerSetting();
  if (setting === 'bundled') {
    return options.restartable === true ? startBundledProcess() : startBundledInProcess();
  }
  if (setting === 'kafka') {
    const address = await kafkaScript(KAFKA_SH, 'start');
    return scriptControlled('kafka', address, KAFKA_SH);
  }
  const match = ADDRESS_LINE.exec(setting);
  if (match === null) {
    throw new Error(`KSTREAMS_BROKER must be "bundled", "kafka" or host:port; got "${setting}"`);
  }
  assertLoopback(match[1] ?? '');
  const script = process.env['KSTREAMS_KAFKA_SH'];
  if (script !== undefined && script !== '') return scriptControlled('external', setting, script);
  return {
    kind: 'external',
    bootstrapServers: setting,
    restartable: false,
    logs: [],
    kill: () => Promise.reject(notRestartable(setting)),
    stop: () => Promise.reject(notRestartable(setting)),
    restart: () => Promise.reject(notRestartable(setting)),
    close: () => Promise.resolve(),
  };
}

function notRestartable(address: string): Error {
  return new Error(
    `the broker at ${address} was given by address only, so this suite cannot kill and restart it; ` +
      'use KSTREAMS_BROKER=kafka|bundled, or set KSTREAMS_KAFKA_SH to the kafka.sh that runs it',
  );
}

function assertLoopback(host: string): void {
  if (!/^(127\.\d+\.\d+\.\d+|localhost|::1)$/.test(host)) {
    throw new Error(`test brokers must be on loopback, got host "${host}"`);
  }
}

// ---------------------------------------------------------------------------------------------
// bundled, in process

async function startBundledInProcess(): Promise<TestBroker> {
  const { startBroker } = await import('@kstreams/broker');
  const dataDir = await mkdtemp(join(tmpdir(), 'kstreams-broker-'));
  const logs: string[] = [];
  const broker = await startBroker({ host: '127.0.0.1', port: 0, dataDir, logSink: (line) => void logs.push(line) }); // port 0: the OS picks a free one
  return {
    kind: 'bundled',
    logs,
    bootstrapServers: broker.bootstrapServers,
    restartable: false,
    kill: () => Promise.reject(new Error('in-process bundled broker: ask startTestBroker({ restartable: true })')),
    stop: () => Promise.reject(new Error('in-process bundled broker: ask startTestBroker({ restartable: true })')),
    restart: () => Promise.reject(new Error('in-process bundled broker: ask startTestBroker({ restartable: true })')),
    close: async () => {
      await broker.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

// ---------------------------------------------------------------------------------------------
// bundled, as a child process (its CLI), so it can be SIGKILLed

async function startBundledProcess(): Promise<TestBroker> {
  if (!existsSync(BROKER_CLI)) {
    throw new Error(`${BROKER_CLI} is missing: build the broker first (npm run build)`);
  }
  const dataDir = await mkdtemp(join(tmpdir(), 'kstreams-broker-'));
  const port = await freePort();
  let child: ChildProcess | undefined;
  const launch = async (): Promise<string> => {
    const started = await spawnCli(port, dataDir);
    child = started.child;
    return started.address;
  };
  const address = await launch();
  const stop = async (signal: NodeJS.Signals): Promise<void> => {
    const current = child;
    child = undefined;
    if (current === undefined || current.exitCode !== null || current.signalCode !== null) return;
    const exited = new Promise<void>((done) => current.once('exit', () => done()));
    current.kill(signal);
    await exited;
  };
  return {
    kind: 'bundled',
    bootstrapServers: address,
    restartable: true,
    logs: [],
    kill: () => stop('SIGKILL'),
    stop: () => stop('SIGTERM'),
    restart: async () => {
      await stop('SIGKILL');
      const again = await launch();
      if (again !== address) throw new Error(`restarted bundled broker moved from ${address} to ${again}`);
    },
    close: async () => {
      await stop('SIGTERM');
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

function spawnCli(port: number, dataDir: string): Promise<{ child: ChildProcess; address: string }> {
  const child = spawn(process.execPath, [BROKER_CLI, 'start', '--port', String(port), '--data-dir', dataDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stderr: string[] = [];
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr.push(chunk.toString());
    if (stderr.length > 50) stderr.shift();
  });
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`bundled broker CLI printed no address within ${START_TIMEOUT_MS} ms: ${stderr.join('')}`));
    }, START_TIMEOUT_MS);
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      const match = ADDRESS_LINE.exec(line.trim());
      if (match === null) return;
      clearTimeout(timer);
      lines.removeAllListeners('line');
      child.stdout?.resume(); // keep draining later output so the child never blocks on a full pipe
      resolvePromise({ child, address: line.trim() });
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`bundled broker CLI exited (code ${code}, signal ${signal}) before ready: ${stderr.join('')}`));
    });
  });
}

// ---------------------------------------------------------------------------------------------
// real Kafka through kafka.sh

function scriptControlled(kind: BrokerKind, address: string, script: string): TestBroker {
  return {
    kind,
    bootstrapServers: address,
    restartable: true,
    logs: [],
    kill: async () => {
      await kafkaScript(script, 'kill');
    },
    stop: async () => {
      await kafkaScript(script, 'stop');
    },
    restart: async () => {
      await kafkaScript(script, 'kill');
      const again = await kafkaScript(script, 'start');
      if (again !== address) throw new Error(`restarted Kafka moved from ${address} to ${again}`);
    },
    close: () => Promise.resolve(),
  };
}

/** Runs `kafka.sh <command>`; for `start`, resolves with the address printed on the last line. */
function kafkaScript(script: string, command: 'start' | 'stop' | 'kill'): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    execFile('bash', [script, command], { timeout: START_TIMEOUT_MS + 60_000, env: process.env }, (err, stdout, stderr) => {
      if (err !== null) {
        reject(new Error(`kafka.sh ${command} failed: ${err.message}\n${stderr}`));
        return;
      }
      const last = stdout.trim().split('\n').pop()?.trim() ?? '';
      if (command === 'start' && !ADDRESS_LINE.test(last)) {
        reject(new Error(`kafka.sh start printed no address (last line "${last}")\n${stderr}`));
        return;
      }
      resolvePromise(last);
    });
  });
}

/** A port the OS reports free on loopback right now. */
function freePort(): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolvePromise(port));
    });
  });
}
