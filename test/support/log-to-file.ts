/**
 * Jest setup for the integration suites: what kstreams logs in-process while a suite runs (restore progress,
 * rebalance warnings, kafkajs errors an e2e scenario provokes on purpose) goes to `test/.logs/<suite>.log`
 * instead of the test output, so `npm test` prints only results. Tests that assert on logs capture them
 * themselves (`captureLogs()` from @kstreams/test-utils) and put this backend back when they stop.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { setLogger, type Logger } from '@kstreams/streams';

const dir = path.join(__dirname, '..', '.logs');
fs.mkdirSync(dir, { recursive: true });
const suite = path.relative(path.join(__dirname, '..'), expect.getState().testPath ?? 'unknown').replace(/[\\/]/g, '__');
const file = path.join(dir, `${suite}.log`);
fs.writeFileSync(file, '');

function write(level: string, message: string, error?: unknown): void {
  const cause = error instanceof Error ? ` ${error.stack ?? error.message}` : error === undefined ? '' : ` ${String(error)}`;
  fs.appendFileSync(file, `${new Date().toISOString()} ${level} ${message}${cause}\n`);
}

const toFile: Logger = {
  error: (message, error) => write('ERROR', message, error),
  warn: (message, error) => write('WARN', message, error),
  info: (message) => write('INFO', message),
  debug: (message) => write('DEBUG', message),
};
setLogger(toFile);
