/**
 * The library's logger. Pluggable (`setLogger`) so applications route kstreams logs into their own logging;
 * the default writes warnings and errors to stderr. Level from `KSTREAMS_LOG_LEVEL` (error|warn|info|debug).
 */

export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

export interface Logger {
  error(message: string, error?: unknown): void;
  warn(message: string, error?: unknown): void;
  info(message: string): void;
  debug(message: string): void;
}

const order: Record<LogLevel, number> = { error: 0, warn: 1, info: 2, debug: 3 };

function envLevel(): LogLevel {
  const v = process.env['KSTREAMS_LOG_LEVEL'];
  return v === 'error' || v === 'warn' || v === 'info' || v === 'debug' ? v : 'warn';
}

/** Writes to stderr from a minimum level. */
export class ConsoleLogger implements Logger {
  constructor(readonly level: LogLevel = envLevel()) {}
  #on(l: LogLevel): boolean {
    return order[l] <= order[this.level];
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

let current: Logger = new ConsoleLogger();

/** Replaces the logger every kstreams component uses from now on. */
export function setLogger(logger: Logger): void {
  current = logger;
}

/** The current logger (read at the time of logging, so `setLogger` takes effect everywhere). */
export const log: Logger = {
  error: (m, e) => current.error(m, e),
  warn: (m, e) => current.warn(m, e),
  info: (m) => current.info(m),
  debug: (m) => current.debug(m),
};
