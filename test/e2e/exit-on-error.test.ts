/**
 * An instance that reaches ERROR must end its process with a non-zero status so a supervisor restarts it: the
 * README's pattern, run as a child process, exits 1 on a poison record and on a failed start.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { Kafka } from 'kafkajs';
import { startTestBroker, type TestBroker } from '../support/broker';
import { createKafka, createTopic } from '../support/kafka-client';
import { uniqueName } from '../support/unique-name';
import { withTimeout } from '../support/wait-for';
import { produceLines, tempStateDir } from './e2e-support';

jest.setTimeout(120_000);

const APP = join(__dirname, 'fixtures', 'exit-on-error-app.js');

let broker: TestBroker;
let kafka: Kafka;

beforeAll(async () => {
  broker = await startTestBroker();
  kafka = createKafka(broker.bootstrapServers);
});

afterAll(async () => {
  await broker?.close();
});

async function runApp(app: string): Promise<{ code: number | null; out: string }> {
  const state = tempStateDir();
  const child = spawn(process.execPath, [APP], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      APP_ID: app,
      APP_INPUT: `${app}-in`,
      APP_OUTPUT: `${app}-out`,
      APP_BOOTSTRAP: broker.bootstrapServers,
      APP_STATE_DIR: state.dir,
    },
  });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', () => undefined);
  try {
    const code = await withTimeout(new Promise<number | null>((r) => child.once('exit', (c) => r(c))), 90_000, 'the app to exit');
    return { code, out };
  } finally {
    child.kill('SIGKILL');
    state.remove();
  }
}

test('a poison record sends the instance to ERROR and the process exits with status 1', async () => {
  const app = uniqueName('exit-poison');
  await createTopic(kafka, `${app}-in`, 1);
  await createTopic(kafka, `${app}-out`, 1);
  await produceLines(kafka, `${app}-in`, [['k', 'fine'], ['k', 'poison']]);
  const { code, out } = await runApp(app);
  expect(code).toBe(1);
  expect(out).toContain('PENDING_ERROR -> ERROR');
});

test('a start that fails (missing source topic) exits with status 1', async () => {
  const app = uniqueName('exit-missing');
  const { code, out } = await runApp(app);
  expect(code).toBe(1);
  expect(out).toContain('-> ERROR');
});
