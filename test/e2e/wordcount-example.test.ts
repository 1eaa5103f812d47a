/**
 * `npm start`'s program (examples/wordcount, built): it starts its own embedded broker, counts the sample text,
 * prints the topology and the counts, and exits by itself when stdin is not a terminal.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { withTimeout } from '../support/wait-for';

jest.setTimeout(120_000);

const MAIN = join(resolve(__dirname, '..', '..'), 'examples', 'wordcount', 'dist', 'main.js');

test('the WordCount example counts the sample text and exits on its own', async () => {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: build first (npm run build)`);
  const child = spawn(process.execPath, [MAIN, '--once'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const code = await withTimeout(
    new Promise<number | null>((r) => child.once('exit', (c) => r(c))),
    90_000,
    'the WordCount example',
  ).catch((e: unknown) => {
    child.kill('SIGKILL');
    throw e;
  });
  expect({ code, err: code === 0 ? '' : err }).toEqual({ code: 0, err: '' });
  expect(out).toContain('Sub-topology: 1');
  const final = out.slice(out.indexOf('Final counts:'));
  expect(final).toMatch(/kafka\s+6\n/);
  expect(final).toMatch(/streams\s+4\n/);
  expect(final.trim().split('\n')).toHaveLength(18); // header + 17 words
});
