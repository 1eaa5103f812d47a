/**
 * Client compatibility: Kafka 4.1.1's own Java tools and clients against the bundled broker (always the
 * bundled one, in process, whatever KSTREAMS_BROKER says). Runs in `npm run test:kafka` (Java and Maven
 * are needed; java.sh resolves the jars once into a gitignored cache). Each tool is a separate JVM, run
 * with its real command line; the assertions read what the tool prints.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBroker, type BrokerHandle } from '@kstreams/broker';

const JAVA_SH = join(__dirname, 'java.sh');
const JVM_TIMEOUT_MS = 180_000;

jest.setTimeout(600_000);

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a Java main class through java.sh; resolves with its exit code and output (never rejects on a non-zero exit). */
function java(mainClass: string, args: readonly string[], stdin?: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [JAVA_SH, 'run', mainClass, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), JVM_TIMEOUT_MS);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(stdin ?? '');
  });
}

/** A tool run that must succeed; on failure the error carries the tool's output. */
async function tool(mainClass: string, args: readonly string[], stdin?: string): Promise<string> {
  const r = await java(mainClass, args, stdin);
  if (r.code !== 0) throw new Error(`${mainClass} ${args.join(' ')} exited ${r.code}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`);
  return r.stdout;
}

/** The RESULT line a Compat subcommand prints, parsed. */
async function compat<T>(args: readonly string[]): Promise<T> {
  const out = await tool('Compat', args);
  const line = out.split('\n').find((l) => l.startsWith('RESULT '));
  if (!line) throw new Error(`Compat ${args.join(' ')} printed no RESULT line:\n${out}`);
  return JSON.parse(line.slice('RESULT '.length)) as T;
}

const TOPICS = 'org.apache.kafka.tools.TopicCommand';
const PRODUCER = 'org.apache.kafka.tools.ConsoleProducer';
const CONSUMER = 'org.apache.kafka.tools.consumer.ConsoleConsumer';
const GROUPS = 'org.apache.kafka.tools.consumer.group.ConsumerGroupCommand';
const CONFIGS = 'kafka.admin.ConfigCommand';
const LOG_DIRS = 'org.apache.kafka.tools.LogDirsCommand';
const TRANSACTIONS = 'org.apache.kafka.tools.TransactionsCommand';

describe('Kafka 4.1.1 Java clients and tools against the bundled broker', () => {
  let broker: BrokerHandle;
  let dataDir: string;
  let stateDir: string;
  let bs: string;

  beforeAll(async () => {
    // resolve the jars and compile Compat.java before any timing-sensitive step
    await new Promise<void>((resolve, reject) =>
      execFile('bash', [JAVA_SH, 'classpath'], { timeout: 900_000 }, (e, _out, err) => (e ? reject(new Error(`${e.message}\n${err}`)) : resolve())),
    );
    dataDir = mkdtempSync(join(tmpdir(), 'kstreams-compat-'));
    stateDir = mkdtempSync(join(tmpdir(), 'kstreams-compat-state-'));
    broker = await startBroker({ port: 0, dataDir, logLevel: 'error', logSink: () => undefined });
    bs = broker.bootstrapServers;
  });
  afterAll(async () => {
    await broker?.close();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('kafka-topics: create, list, describe, alter --partitions, delete', async () => {
    expect(await tool(TOPICS, ['--bootstrap-server', bs, '--create', '--topic', 'compat-topics', '--partitions', '2', '--replication-factor', '1'])).toContain(
      'Created topic compat-topics.',
    );
    expect((await tool(TOPICS, ['--bootstrap-server', bs, '--list'])).split('\n')).toContain('compat-topics');
    await tool(TOPICS, ['--bootstrap-server', bs, '--alter', '--topic', 'compat-topics', '--partitions', '3']);
    const described = await tool(TOPICS, ['--bootstrap-server', bs, '--describe', '--topic', 'compat-topics']);
    expect(described).toMatch(/Topic: compat-topics\s+TopicId: \S+\s+PartitionCount: 3\s+ReplicationFactor: 1/);
    expect(described.match(/Partition: \d\s+Leader: 1/g)).toHaveLength(3);
    const dup = await java(TOPICS, ['--bootstrap-server', bs, '--create', '--topic', 'compat-topics', '--partitions', '1']);
    expect(dup.code).not.toBe(0);
    expect(dup.stdout + dup.stderr).toContain("Topic 'compat-topics' already exists.");
    await tool(TOPICS, ['--bootstrap-server', bs, '--delete', '--topic', 'compat-topics']);
    expect((await tool(TOPICS, ['--bootstrap-server', bs, '--list'])).split('\n')).not.toContain('compat-topics');
  });

  it('console producer and console consumer: keys, values, print options, a group', async () => {
    await tool(TOPICS, ['--bootstrap-server', bs, '--create', '--topic', 'compat-console', '--partitions', '1', '--replication-factor', '1']);
    await tool(PRODUCER, ['--bootstrap-server', bs, '--topic', 'compat-console', '--property', 'parse.key=true', '--property', 'key.separator=:'], 'k1:one\nk2:two\nk3:three\n');
    const out = await tool(CONSUMER, [
      '--bootstrap-server', bs, '--topic', 'compat-console', '--from-beginning', '--max-messages', '3', '--group', 'compat-console-group',
      '--property', 'print.key=true', '--property', 'print.offset=true', '--property', 'key.separator=|',
    ]);
    expect(out.trim().split('\n')).toEqual(['Offset:0|k1|one', 'Offset:1|k2|two', 'Offset:2|k3|three']);
    const described = await tool(GROUPS, ['--bootstrap-server', bs, '--describe', '--group', 'compat-console-group']);
    expect(described).toMatch(/compat-console-group\s+compat-console\s+0\s+3\s+3\s+0/);
  });

  it('Java idempotent producer and consumer', async () => {
    const sent = await compat<{ sent: number; maxOffset: number }>(['idempotent-produce', bs, 'compat-idem', '300']);
    expect(sent).toEqual({ sent: 300, maxOffset: 299 });
    const got = await compat<{ seen: number; distinct: number; committedTotal: number }>(['consume', bs, 'compat-idem', 'compat-idem-group', 'read_uncommitted', '300']);
    expect(got).toMatchObject({ seen: 300, distinct: 300, committedTotal: 300 });
  });

  it('Java transactional producer: aborted records are invisible to read_committed, committed ones arrive once', async () => {
    expect(await compat(['txn-produce', bs, 'compat-txn', 'compat-tx-1', '40', '25'])).toEqual({ committed: 40, aborted: 25 });
    const committed = await compat<{ seen: number; distinct: number; aborted: number; committedTotal: number }>([
      'consume', bs, 'compat-txn', 'compat-txn-rc', 'read_committed', '40',
    ]);
    // 25 aborted + ABORT marker + 40 committed + COMMIT marker
    expect(committed).toMatchObject({ seen: 40, distinct: 40, aborted: 0, committedTotal: 67 });
    const uncommitted = await compat<{ seen: number; aborted: number }>(['consume', bs, 'compat-txn', 'compat-txn-ru', 'read_uncommitted', '65']);
    expect(uncommitted).toMatchObject({ seen: 65, aborted: 25 });
  });

  it('Java consumer with group.protocol=consumer (KIP-848): server-side assignment, commits at its member epoch', async () => {
    await tool(TOPICS, ['--bootstrap-server', bs, '--create', '--topic', 'compat-848', '--partitions', '3', '--replication-factor', '1']);
    await compat(['idempotent-produce', bs, 'compat-848', '90']);
    const got = await compat<{ seen: number; distinct: number; partitions: number; committedTotal: number }>([
      'consume', bs, 'compat-848', 'compat-848-group', 'read_committed', '90', 'consumer',
    ]);
    expect(got).toMatchObject({ seen: 90, distinct: 90, partitions: 3, committedTotal: 90 });
  });

  it('Java Kafka Streams WordCount under exactly_once_v2: every count sequence is exactly 1..n', async () => {
    await tool(TOPICS, ['--bootstrap-server', bs, '--create', '--topic', 'compat-wc-in', '--partitions', '2', '--replication-factor', '1']);
    const lines = ['the quick brown fox', 'jumps over the lazy dog', 'the fox', 'a dog and a fox'];
    await tool(PRODUCER, ['--bootstrap-server', bs, '--topic', 'compat-wc-in'], `${lines.join('\n')}\n`);
    const expected = new Map<string, number>();
    for (const w of lines.join(' ').split(' ')) expected.set(w, (expected.get(w) ?? 0) + 1);
    const spec = [...expected].map(([w, n]) => `${w}=${n}`).join(',');
    const r = await compat<{ state: string; error: string | null; counts: Record<string, number[]> }>([
      'wordcount', bs, 'compat-wordcount', 'compat-wc-in', 'compat-wc-out', stateDir, spec,
    ]);
    expect(r.error).toBeNull();
    expect(r.state).toBe('RUNNING');
    const want: Record<string, number[]> = {};
    for (const [w, n] of expected) want[w] = Array.from({ length: n }, (_, i) => i + 1);
    expect(r.counts).toEqual(want);
    // the committed output read by Kafka's console consumer with a Long deserializer
    const out = await tool(CONSUMER, [
      '--bootstrap-server', bs, '--topic', 'compat-wc-out', '--from-beginning', '--max-messages', String(lines.join(' ').split(' ').length),
      '--isolation-level', 'read_committed', '--property', 'print.key=true',
      '--property', 'value.deserializer=org.apache.kafka.common.serialization.LongDeserializer',
    ]);
    expect(out).toMatch(/^the\t3$/m);
    expect(out).toMatch(/^fox\t3$/m);
  });

  it('kafka-consumer-groups: list, describe with lag, reset-offsets, delete-offsets, delete', async () => {
    await compat(['idempotent-produce', bs, 'compat-groups', '20']);
    await compat(['consume', bs, 'compat-groups', 'compat-groups-g', 'read_uncommitted', '20']);
    expect((await tool(GROUPS, ['--bootstrap-server', bs, '--list'])).split('\n')).toContain('compat-groups-g');
    await compat(['idempotent-produce', bs, 'compat-groups', '5']);
    expect(await tool(GROUPS, ['--bootstrap-server', bs, '--describe', '--group', 'compat-groups-g'])).toMatch(/compat-groups-g\s+compat-groups\s+0\s+20\s+25\s+5/);
    const reset = await tool(GROUPS, ['--bootstrap-server', bs, '--reset-offsets', '--group', 'compat-groups-g', '--topic', 'compat-groups', '--to-offset', '7', '--execute']);
    expect(reset).toMatch(/compat-groups-g\s+compat-groups\s+0\s+7/);
    expect(await tool(GROUPS, ['--bootstrap-server', bs, '--describe', '--group', 'compat-groups-g'])).toMatch(/compat-groups\s+0\s+7\s+25\s+18/);
    const del = await tool(GROUPS, ['--bootstrap-server', bs, '--delete-offsets', '--group', 'compat-groups-g', '--topic', 'compat-groups']);
    expect(del).toMatch(/compat-groups\s+0\s+Successful/);
    expect(await tool(GROUPS, ['--bootstrap-server', bs, '--delete', '--group', 'compat-groups-g'])).toContain("Deletion of requested consumer groups ('compat-groups-g') was successful.");
    expect((await tool(GROUPS, ['--bootstrap-server', bs, '--list'])).split('\n')).not.toContain('compat-groups-g');
  });

  it('kafka-configs: --alter --add-config / --delete-config and --describe', async () => {
    await tool(TOPICS, ['--bootstrap-server', bs, '--create', '--topic', 'compat-configs', '--partitions', '1', '--replication-factor', '1']);
    const base = ['--bootstrap-server', bs, '--entity-type', 'topics', '--entity-name', 'compat-configs'];
    expect(await tool(CONFIGS, [...base, '--alter', '--add-config', 'retention.ms=3600000,cleanup.policy=compact'])).toContain('Completed updating config for topic compat-configs.');
    let described = await tool(CONFIGS, [...base, '--describe']);
    expect(described).toContain('retention.ms=3600000');
    expect(described).toContain('cleanup.policy=compact');
    await tool(CONFIGS, [...base, '--alter', '--delete-config', 'cleanup.policy']);
    described = await tool(CONFIGS, [...base, '--describe']);
    expect(described).toContain('retention.ms=3600000');
    expect(described).not.toContain('cleanup.policy');
    const bad = await java(CONFIGS, [...base, '--alter', '--add-config', 'retention.ms=soon']);
    expect(bad.code).not.toBe(0);
    expect(bad.stdout + bad.stderr).toContain('Invalid value soon for configuration retention.ms');
  });

  it('kafka-log-dirs --describe', async () => {
    await compat(['idempotent-produce', bs, 'compat-logdirs', '10']);
    const out = await tool(LOG_DIRS, ['--bootstrap-server', bs, '--describe', '--topic-list', 'compat-logdirs']);
    const json = JSON.parse(out.split('\n').find((l) => l.startsWith('{'))!) as {
      brokers: { broker: number; logDirs: { logDir: string; error: unknown; partitions: { partition: string; size: number }[] }[] }[];
    };
    expect(json.brokers[0]!.broker).toBe(1);
    const dir = json.brokers[0]!.logDirs[0]!;
    expect(dir.error).toBeNull();
    expect(dir.logDir).toBe(join(dataDir, 'logs'));
    expect(dir.partitions).toHaveLength(1);
    expect(dir.partitions[0]!.partition).toBe('compat-logdirs-0');
    expect(dir.partitions[0]!.size).toBeGreaterThan(0);
  });

  it('kafka-transactions: list, describe, describe-producers', async () => {
    await compat(['txn-produce', bs, 'compat-txn-tool', 'compat-tx-tool', '3', '2']);
    expect(await tool(TRANSACTIONS, ['--bootstrap-server', bs, 'list'])).toMatch(/compat-tx-tool\s+1\s+\d+\s+CompleteCommit/);
    expect(await tool(TRANSACTIONS, ['--bootstrap-server', bs, 'describe', '--transactional-id', 'compat-tx-tool'])).toMatch(
      /1\s+compat-tx-tool\s+\d+\s+0\s+CompleteCommit\s+60000/,
    );
    // 2 aborted + 3 committed records: sequences 0..4
    expect(await tool(TRANSACTIONS, ['--bootstrap-server', bs, 'describe-producers', '--topic', 'compat-txn-tool', '--partition', '0'])).toMatch(/\d+\s+0\s+-?\d+\s+4\s+/);
    const missing = await java(TRANSACTIONS, ['--bootstrap-server', bs, 'describe', '--transactional-id', 'no-such-txn']);
    expect(missing.code).not.toBe(0);
    expect(missing.stdout + missing.stderr).toContain('failed because the ID could not be found');
  });
});
