/**
 * `captureLogs()`: collects what kstreams logs (through a pino logger, as in production) so that a test asserts on
 * the warnings it expects instead of printing them; `stop()` puts the previous backend and level back.
 */
import { setLogLevel, setLogger, type LogBackend, type LogLevel } from '@kstreams/streams';
import { pino } from 'pino';

/** One captured log line. */
export interface CapturedLog {
  readonly level: Exclude<LogLevel, 'silent'>;
  /** The kstreams logger's name, e.g. `kstreams` or `kstreams.restore`. */
  readonly logger: string;
  readonly message: string;
  /** The error's message when one was logged with it. */
  readonly error?: string;
}

export class LogCapture {
  readonly records: CapturedLog[] = [];
  readonly #previous: LogBackend;
  readonly #previousLevel: LogLevel | undefined;
  #stopped = false;

  /** @param level the root level while capturing (default: leave it as it is, `warn` unless configured) */
  constructor(level?: LogLevel) {
    const labels = pino.levels.labels;
    const sink = {
      write: (line: string): void => {
        const o = JSON.parse(line) as { level: number; name?: string; msg?: string; err?: { message?: string } };
        this.records.push({
          level: labels[o.level] as CapturedLog['level'],
          logger: o.name ?? '',
          message: o.msg ?? '',
          ...(o.err?.message !== undefined ? { error: o.err.message } : {}),
        });
      },
    };
    this.#previous = setLogger(pino({ level: 'trace', base: null, timestamp: false }, sink));
    // the root always has a level of its own, so this is what to put back
    this.#previousLevel = level === undefined ? undefined : setLogLevel(level);
  }

  /** Messages at a level (all levels when omitted), optionally from one logger. */
  messages(level?: CapturedLog['level'], logger?: string): string[] {
    return this.records.filter((r) => (level === undefined || r.level === level) && (logger === undefined || r.logger === logger)).map((r) => r.message);
  }

  /** The warning messages. */
  get warnings(): string[] {
    return this.messages('warn');
  }

  /** The error messages. */
  get errors(): string[] {
    return this.messages('error');
  }

  clear(): void {
    this.records.length = 0;
  }

  /** Stops capturing: the previous backend (and root level, when one was given) are back. */
  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    setLogger(this.#previous);
    if (this.#previousLevel !== undefined) setLogLevel(this.#previousLevel);
  }
}

/**
 * Starts capturing kstreams' logs; call `stop()` when done (in `afterEach`, or a `finally`).
 * @example const logs = captureLogs(); …; logs.stop(); expect(logs.warnings).toContain('Skipping record for expired segment.')
 */
export function captureLogs(options: { level?: LogLevel } = {}): LogCapture {
  return new LogCapture(options.level);
}

/** Runs `body` while capturing and returns what it logged (capture stopped even when `body` throws). */
export function withCapturedLogs(body: () => void, options: { level?: LogLevel } = {}): LogCapture {
  const logs = captureLogs(options);
  try {
    body();
  } finally {
    logs.stop();
  }
  return logs;
}
