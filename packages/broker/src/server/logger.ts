/** Minimal leveled logger writing one line per event to stderr (or a sink given in the options). */
export type LogLevel = 'silent' | 'error' | 'warn' | 'info' | 'debug';

const RANK: Record<LogLevel, number> = { silent: 0, error: 1, warn: 2, info: 3, debug: 4 };

export class Logger {
  constructor(
    private readonly level: LogLevel,
    private readonly sink: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
  ) {}

  private log(level: Exclude<LogLevel, 'silent'>, msg: string): void {
    if (RANK[level] <= RANK[this.level]) this.sink(`[kstreams-broker] ${level.toUpperCase()} ${msg}`);
  }
  error(msg: string): void {
    this.log('error', msg);
  }
  warn(msg: string): void {
    this.log('warn', msg);
  }
  info(msg: string): void {
    this.log('info', msg);
  }
  debug(msg: string): void {
    this.log('debug', msg);
  }
  get debugEnabled(): boolean {
    return RANK[this.level] >= RANK.debug;
  }
}
