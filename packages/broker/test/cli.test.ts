/** The kstreams-broker client commands (topics, console-consumer) and argument errors, run in process. */
import { Kafka, logLevel } from 'kafkajs';
import { main } from '../src/cli';
import { Broker } from '../src/server/broker';
import { removeDir, tempDir } from './support';

jest.setTimeout(30_000);

describe('kstreams-broker CLI', () => {
  let dir: string;
  let broker: Broker;
  let out: string[];
  let err: string[];

  beforeAll(async () => {
    dir = tempDir();
    broker = new Broker({ dataDir: dir, logLevel: 'silent' });
    await broker.listen();
  });
  afterAll(async () => {
    await broker.close();
    removeDir(dir);
  });
  beforeEach(() => {
    out = [];
    err = [];
    jest.spyOn(process.stdout, 'write').mockImplementation((s) => (out.push(String(s)), true));
    jest.spyOn(process.stderr, 'write').mockImplementation((s) => (err.push(String(s)), true));
  });
  afterEach(() => jest.restoreAllMocks());

  const run = (...args: string[]): Promise<number> => main([...args, '--bootstrap-server', broker.bootstrapServers]);

  it('creates, lists, describes and deletes topics like kafka-topics.sh', async () => {
    expect(await run('topics', '--create', '--topic', 'cli-t', '--partitions', '2', '--config', 'cleanup.policy=compact')).toBe(0);
    expect(out.join('')).toContain('Created topic cli-t.');
    out.length = 0;
    expect(await run('topics', '--list')).toBe(0);
    expect(out.join('').split('\n')).toContain('cli-t');
    out.length = 0;
    expect(await run('topics', '--describe', '--topic', 'cli-t')).toBe(0);
    const text = out.join('');
    expect(text).toMatch(/Topic: cli-t\tPartitionCount: 2\tReplicationFactor: 1\tConfigs: cleanup.policy=compact/);
    expect(text).toMatch(/Partition: 1\tLeader: 1\tReplicas: 1\tIsr: 1/);
    expect(await run('topics', '--create', '--topic', 'cli-t')).toBe(1);
    expect(err.join('')).toMatch(/already exists/);
    expect(await run('topics', '--create', '--topic', 'cli-t', '--if-not-exists')).toBe(0);
    out.length = 0;
    expect(await run('topics', '--delete', '--topic', 'cli-t')).toBe(0);
    expect(out.join('')).toContain('Deleted topic cli-t.');
    expect(broker.logs.get('cli-t')).toBeUndefined();
  });

  it('console-consumer prints keys and values up to --max-messages, read_committed', async () => {
    const kafka = new Kafka({ brokers: [broker.bootstrapServers], logLevel: logLevel.NOTHING });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: 'cli-c', messages: [{ key: 'a', value: '1' }, { key: 'b', value: '2' }, { key: 'c', value: '3' }] });
    await producer.disconnect();
    const code = await run(
      'console-consumer', '--topic', 'cli-c', '--from-beginning', '--group', 'cli-g', '--isolation-level', 'read_committed',
      '--max-messages', '2', '--property', 'print.key=true', '--property', 'key.separator=:',
    );
    expect(code).toBe(0);
    expect(out.join('')).toBe('a:1\nb:2\n');
    expect(err.join('')).toContain('Processed a total of 2 messages');
  });

  it('rejects bad arguments with a usage error naming them', async () => {
    expect(await main(['topics', '--list', '--bogus', 'x'])).toBe(2);
    expect(err.join('')).toContain('unknown option --bogus');
    expect(await main(['nope'])).toBe(2);
    expect(err.join('')).toContain('unknown command "nope"');
    expect(await main(['topics', '--create', '--list'])).toBe(2);
    expect(err.join('')).toContain('exactly one of');
    expect(await main(['console-consumer', '--topic', 't', '--isolation-level', 'dirty'])).toBe(2);
    expect(await main(['start', '--port', 'abc'])).toBe(2);
    expect(err.join('')).toContain('--port must be an integer');
  });
});
