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

  it('console-consumer: Long/Integer deserializers, print options, no commit for a generated group', async () => {
    const kafka = new Kafka({ brokers: [broker.bootstrapServers], logLevel: logLevel.NOTHING });
    const producer = kafka.producer();
    await producer.connect();
    const long = Buffer.alloc(8);
    long.writeBigInt64BE(42n);
    await producer.send({ topic: 'cli-long', messages: [{ key: 'w', value: long, timestamp: '1000' }] });
    await producer.disconnect();
    const code = await run(
      'console-consumer', '--topic', 'cli-long', '--from-beginning', '--max-messages', '1',
      '--property', 'print.key=true', '--property', 'print.partition=true', '--property', 'print.offset=true',
      '--property', 'print.timestamp=true', '--property', 'value.deserializer=org.apache.kafka.common.serialization.LongDeserializer',
    );
    expect(code).toBe(0);
    expect(out.join('')).toBe('CreateTime:1000\tPartition:0\tOffset:0\tw\t42\n');
    // the generated group committed nothing
    const admin = kafka.admin();
    await admin.connect();
    const groups = (await admin.listGroups()).groups.map((g) => g.groupId).filter((g) => g.startsWith('console-consumer-'));
    for (const g of groups) expect(await admin.fetchOffsets({ groupId: g, topics: ['cli-long'] })).toEqual([{ topic: 'cli-long', partitions: [{ partition: 0, offset: '-1', metadata: null }] }]);
    await admin.disconnect();
    out.length = 0;
    err.length = 0;
    expect(await run('console-consumer', '--topic', 'cli-long', '--from-beginning', '--max-messages', '1', '--property', 'value.deserializer=integer')).toBe(1);
    expect(err.join('')).toContain('Size of data received by IntegerDeserializer is not 4 (8 bytes in the value of cli-long-0 at offset 0)');
  });

  it('topics --alter --partitions, configs --alter/--describe, precise errors, --broker-list', async () => {
    expect(await main(['topics', '--create', '--topic', 'cli-a', '--partitions', '1', '--broker-list', broker.bootstrapServers])).toBe(0);
    expect(await run('topics', '--alter', '--topic', 'cli-a', '--partitions', '3')).toBe(0);
    expect(broker.logs.get('cli-a')!.partitions).toHaveLength(3);
    expect(await run('topics', '--alter', '--topic', 'cli-a', '--partitions', '2')).toBe(1);
    expect(err.join('')).toContain('currently has 3 partition(s); 2 would not add any');
    expect(await run('topics', '--create', '--topic', 'cli-rf', '--replication-factor', '3')).toBe(1);
    expect(err.join('')).toContain("Invalid replication factor 3 for topic 'cli-rf': larger than the 1 available broker(s).");
    expect(await run('topics', '--create', '--topic', 'bad/name')).toBe(1);
    expect(err.join('')).toContain("Invalid topic name 'bad/name'");
    expect(await run('configs', '--entity-type', 'topics', '--entity-name', 'cli-a', '--alter', '--add-config', 'retention.ms=1000,cleanup.policy=compact')).toBe(0);
    expect(await run('configs', '--entity-type', 'topics', '--entity-name', 'cli-a', '--alter', '--delete-config', 'cleanup.policy')).toBe(0);
    expect(broker.logs.get('cli-a')!.configs).toEqual({ 'retention.ms': '1000' });
    out.length = 0;
    expect(await run('configs', '--entity-type', 'topics', '--entity-name', 'cli-a', '--describe')).toBe(0);
    expect(out.join('')).toContain('retention.ms=1000');
    expect(await run('configs', '--entity-type', 'topics', '--entity-name', 'cli-a', '--alter', '--add-config', 'retention.ms=soon')).toBe(1);
    expect(err.join('')).toContain('retention.ms=soon is unknown or has an invalid value');
  });

  it('consumer-groups --list, --describe with lag, --reset-offsets (dry run, --execute), --delete', async () => {
    const kafka = new Kafka({ brokers: [broker.bootstrapServers], logLevel: logLevel.NOTHING });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: 'cli-g', messages: Array.from({ length: 10 }, (_, i) => ({ value: String(i) })) });
    await producer.disconnect();
    const admin = kafka.admin();
    await admin.connect();
    await admin.setOffsets({ groupId: 'cli-group', topic: 'cli-g', partitions: [{ partition: 0, offset: '4' }] });
    await admin.disconnect();
    expect(await run('consumer-groups', '--list')).toBe(0);
    expect(out.join('').split('\n')).toContain('cli-group');
    out.length = 0;
    expect(await run('consumer-groups', '--describe', '--group', 'cli-group')).toBe(0);
    expect(out.join('')).toContain("Consumer group 'cli-group' has no active members.");
    expect(out.join('')).toMatch(/cli-group\s+cli-g\s+0\s+4\s+10\s+6\s+-/);
    out.length = 0;
    expect(await run('consumer-groups', '--reset-offsets', '--group', 'cli-group', '--topic', 'cli-g', '--to-earliest')).toBe(0);
    expect(out.join('')).toMatch(/cli-group\s+cli-g\s+0\s+0/);
    expect(broker.offsets.get('cli-group', 'cli-g', 0)?.offset).toBe(4);
    expect(await run('consumer-groups', '--reset-offsets', '--group', 'cli-group', '--topic', 'cli-g', '--shift-by', '3', '--execute')).toBe(0);
    expect(broker.offsets.get('cli-group', 'cli-g', 0)?.offset).toBe(7);
    out.length = 0;
    expect(await run('consumer-groups', '--delete', '--group', 'cli-group')).toBe(0);
    expect(out.join('')).toContain("Deletion of requested consumer groups ('cli-group') was successful.");
    expect(await run('consumer-groups', '--describe', '--group', 'cli-group')).toBe(1);
    expect(err.join('')).toContain("Consumer group 'cli-group' does not exist.");
  });

  it('--help works on every command', async () => {
    for (const cmd of ['start', 'topics', 'console-producer', 'console-consumer', 'consumer-groups', 'configs']) {
      out.length = 0;
      expect(await main([cmd, '--help'])).toBe(0);
      expect(out.join('')).toContain(`Usage: kstreams-broker ${cmd} [options]`);
    }
  });

  it('rejects bad arguments with a usage error naming them', async () => {
    expect(await main(['topics', '--list', '--bogus', 'x'])).toBe(2);
    expect(err.join('')).toContain('unknown option --bogus');
    expect(await main(['nope'])).toBe(2);
    expect(err.join('')).toContain('unknown command "nope"');
    expect(await main(['topics', '--create', '--list', '--bootstrap-server', broker.bootstrapServers])).toBe(2);
    expect(err.join('')).toContain('exactly one of');
    expect(await main(['console-consumer', '--topic', 't', '--isolation-level', 'dirty'])).toBe(2);
    expect(await main(['start', '--port', 'abc'])).toBe(2);
    expect(err.join('')).toContain('--port must be an integer');
  });
});
