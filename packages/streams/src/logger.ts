/**
 * The library's logging, in this one module: named loggers (`kstreams`, `kstreams.restore`, …) with a level per
 * name, writing to one backend — pino by default (JSON lines on stderr), or the application's own pino instance
 * or `Logger` through `setLogger`.
 *
 * Levels: `KSTREAMS_LOG_LEVEL` sets the root level (default `warn`, with `kstreams.restore` at `info` so restoration
 * progress shows); `KSTREAMS_LOG_LEVELS=kstreams.restore=info,…`
 * or `setLogLevel(level, name)` override it per logger name and everything under it (longest prefix wins).
 */
import { pino, type Logger as PinoLogger } from 'pino';
import type { LogEntry } from 'kafkajs';
import { ConfigException } from './errors';

export type LogLevel = 'silent' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

/** What the library logs through; also what `setLogger` accepts besides a pino logger. */
export interface Logger {
  error(message: string, error?: unknown): void;
  warn(message: string, error?: unknown): void;
  info(message: string): void;
  debug(message: string): void;
}

/** The root logger's name; every library logger is `kstreams` or below it. */
export const ROOT_LOGGER = 'kstreams';

const severity: Record<LogLevel, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, silent: Number.POSITIVE_INFINITY };

function isLogLevel(v: unknown): v is LogLevel {
  return typeof v === 'string' && Object.prototype.hasOwnProperty.call(severity, v);
}

function levelFromEnv(value: string | undefined, what: string): LogLevel | null {
  if (value === undefined || value === '') return null;
  const v = value.trim().toLowerCase();
  if (isLogLevel(v)) return v;
  throw new ConfigException(`${what} must be one of ${Object.keys(severity).join(', ')}, got '${value}'`);
}

// ---- levels per logger name ----

const levels = new Map<string, LogLevel>();
let levelsVersion = 0;

function loadLevelsFromEnv(): void {
  const root = levelFromEnv(process.env['KSTREAMS_LOG_LEVEL'], 'KSTREAMS_LOG_LEVEL');
  levels.set(ROOT_LOGGER, root ?? 'warn');
  // restoration can take long and operators want to see its progress: on by default unless a level is set
  if (root === null) levels.set('kstreams.restore', 'info');
  for (const part of (process.env['KSTREAMS_LOG_LEVELS'] ?? '').split(',')) {
    if (part.trim() === '') continue;
    const eq = part.indexOf('=');
    const name = eq < 0 ? '' : part.slice(0, eq).trim();
    if (name === '') throw new ConfigException(`KSTREAMS_LOG_LEVELS entries are name=level, got '${part}'`);
    levels.set(name, levelFromEnv(part.slice(eq + 1), `KSTREAMS_LOG_LEVELS level of ${name}`)!);
  }
}
loadLevelsFromEnv();

/** The level in force for a logger name: its own, else its nearest dotted ancestor's, else the root's. */
export function getLogLevel(name: string = ROOT_LOGGER): LogLevel {
  for (let n = name; ; ) {
    const l = levels.get(n);
    if (l !== undefined) return l;
    const dot = n.lastIndexOf('.');
    if (dot < 0) return levels.get(ROOT_LOGGER)!;
    n = n.slice(0, dot);
  }
}

/**
 * Sets the level of one logger and those below it (`setLogLevel('debug', 'kstreams.restore')`), or of the root.
 * Returns the level it had set before (`undefined` when it inherited), so a caller can put it back.
 */
export function setLogLevel(level: LogLevel | undefined, name: string = ROOT_LOGGER): LogLevel | undefined {
  if (level !== undefined && !isLogLevel(level)) throw new ConfigException(`log level must be one of ${Object.keys(severity).join(', ')}, got '${String(level)}'`);
  const before = levels.get(name);
  if (level === undefined && name !== ROOT_LOGGER) levels.delete(name);
  else if (level !== undefined) levels.set(name, level);
  levelsVersion++;
  return before;
}

// ---- backend ----

/** A backend: pino (ours or the application's) or a plain `Logger`. */
export type LogBackend = Logger | PinoLogger;

function isPino(b: LogBackend): b is PinoLogger {
  return typeof (b as PinoLogger).child === 'function' && typeof (b as PinoLogger).isLevelEnabled === 'function';
}

type Write = (level: Exclude<LogLevel, 'silent'>, name: string, message: string, error: unknown) => void;

function writerFor(backend: LogBackend): Write {
  if (isPino(backend)) {
    const children = new Map<string, PinoLogger>();
    return (level, name, message, error) => {
      let child = children.get(name);
      if (!child) {
        child = backend.child({ name });
        children.set(name, child);
      }
      if (error === undefined) child[level](message);
      else child[level]({ err: error }, message);
    };
  }
  return (level, name, message, error) => {
    const text = name === ROOT_LOGGER ? message : `[${name}] ${message}`;
    if (level === 'error' || level === 'warn') backend[level](text, error);
    else if (level === 'info') backend.info(text);
    else backend.debug(text);
  };
}

/** The default backend: pino writing JSON lines synchronously to stderr; our levels decide what reaches it. */
function defaultBackend(): PinoLogger {
  return pino({ level: 'trace', base: { pid: process.pid } }, pino.destination({ dest: 2, sync: true }));
}

let backend: LogBackend = defaultBackend();
let write: Write = writerFor(backend);

/**
 * Routes every kstreams logger to another backend: a pino logger (each kstreams logger becomes its child with a
 * `name` binding) or any `Logger` (named loggers' messages start with `[name]`). Levels stay kstreams' own
 * (`setLogLevel`); a pino backend may filter further by its own level. Returns the backend it replaces.
 */
export function setLogger(logger: LogBackend): LogBackend {
  const before = backend;
  backend = logger;
  write = writerFor(logger);
  return before;
}

// ---- named loggers ----

class NamedLogger implements Logger {
  #version = -1;
  #threshold = 0;
  constructor(readonly name: string) {}

  #on(level: Exclude<LogLevel, 'silent'>): boolean {
    if (this.#version !== levelsVersion) {
      this.#threshold = severity[getLogLevel(this.name)];
      this.#version = levelsVersion;
    }
    return severity[level] >= this.#threshold;
  }
  isEnabled(level: Exclude<LogLevel, 'silent'>): boolean {
    return this.#on(level);
  }
  error(message: string, error?: unknown): void {
    if (this.#on('error')) write('error', this.name, message, error);
  }
  warn(message: string, error?: unknown): void {
    if (this.#on('warn')) write('warn', this.name, message, error);
  }
  info(message: string): void {
    if (this.#on('info')) write('info', this.name, message, undefined);
  }
  debug(message: string): void {
    if (this.#on('debug')) write('debug', this.name, message, undefined);
  }
  trace(message: string): void {
    if (this.#on('trace')) write('trace', this.name, message, undefined);
  }
}

/** A kstreams logger: `Logger` plus `trace` and a cheap level test for messages that cost to build. */
export interface KstreamsLogger extends Logger {
  readonly name: string;
  trace(message: string): void;
  isEnabled(level: Exclude<LogLevel, 'silent'>): boolean;
}

const named = new Map<string, NamedLogger>();

/** The logger of that name (created once), e.g. `getLogger('kstreams.restore')`. */
export function getLogger(name: string): KstreamsLogger {
  let l = named.get(name);
  if (!l) {
    l = new NamedLogger(name);
    named.set(name, l);
  }
  return l;
}

/** The root `kstreams` logger the library's components log through. */
export const log: KstreamsLogger = getLogger(ROOT_LOGGER);

/** A plain backend writing human-readable lines to stderr through `console.error`, from a minimum level. */
export class ConsoleLogger implements Logger {
  constructor(readonly level: LogLevel = getLogLevel()) {}
  #on(l: LogLevel): boolean {
    return severity[l] >= severity[this.level];
  }
  error(message: string, error?: unknown): void {
    if (this.#on('error')) console.error(`[kstreams] ERROR ${message}`, ...(error === undefined ? [] : [error]));
  }
  warn(message: string, error?: unknown): void {
    if (this.#on('warn')) console.error(`[kstreams] WARN ${message}`, ...(error === undefined ? [] : [error]));
  }
  info(message: string): void {
    if (this.#on('info')) console.error(`[kstreams] INFO ${message}`);
  }
  debug(message: string): void {
    if (this.#on('debug')) console.error(`[kstreams] DEBUG ${message}`);
  }
}

/**
 * kafkajs' log lines through the logger `kstreams.kafkajs` (kafkajs' own `logLevel` filters first), so the one
 * backend gets them as one line each instead of kafkajs' console output.
 */
export function kafkajsLogCreator(): (entry: LogEntry) => void {
  const logger = getLogger('kstreams.kafkajs');
  return ({ namespace, level, log: content }) => {
    const { message, timestamp: _t, logger: _l, ...extra } = content as { message: string; timestamp?: string; logger?: string; [k: string]: unknown };
    const detail = Object.keys(extra).length > 0 ? ` ${JSON.stringify(extra)}` : '';
    const text = `[${namespace}] ${message}${detail}`;
    // a heartbeat or commit answered "group is rebalancing" is routine (the consumer rejoins); Java's consumer
    // logs it at INFO, kafkajs at ERROR
    if (level <= 1 && typeof extra['error'] === 'string' && extra['error'].includes('group is rebalancing')) logger.info(text);
    else if (level <= 1) logger.error(text);
    else if (level === 2) logger.warn(text);
    else if (level === 4) logger.info(text);
    else logger.debug(text);
  };
}
