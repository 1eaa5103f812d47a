#!/usr/bin/env node
/**
 * `kstreams-broker`: start the bundled broker, and Kafka's quickstart tools against any broker —
 * `topics` (kafka-topics.sh), `console-producer` and `console-consumer` (kafka-console-*.sh). The client
 * commands use kafkajs, loaded only when one of them runs.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import * as readline from 'node:readline';
import type { Admin, Kafka } from 'kafkajs';
import { Broker, type BrokerOptions } from './server/broker';
import type { LogLevel } from './server/logger';

const USAGE = `Usage: kstreams-broker <command> [options]

Commands:
  start              Start a broker
      --port <n>            TCP port (default 9092; 0 picks a free one)
      --host <addr>         interface to listen on (default 127.0.0.1)
      --data-dir <dir>      data directory (default ${path.join(os.tmpdir(), 'kstreams-broker-data')})
      --num-partitions <n>  partitions of auto-created topics (default 1)
      --log-level <level>   silent|error|warn|info|debug (default info)
      --advertised-host <h> host name given to clients (default: the listen host)
      --override <k=v>      a Kafka broker setting (repeatable): num.partitions, auto.create.topics.enable,
                            group.initial.rebalance.delay.ms, group.{min,max}.session.timeout.ms,
                            transaction.max.timeout.ms, log.segment.bytes, log.retention.{ms,hours,bytes},
                            socket.request.max.bytes
  topics             Manage topics (like kafka-topics.sh)
      --create | --list | --describe | --delete
      --topic <name> --partitions <n> --replication-factor <n> --config <k=v> (repeatable)
      --bootstrap-server <host:port> (default 127.0.0.1:9092)
  console-producer   Send lines from stdin as records (like kafka-console-producer.sh)
      --topic <name> --bootstrap-server <host:port>
      --property parse.key=true --property key.separator=<sep>   or   --key-separator <sep>
  console-consumer   Print records (like kafka-console-consumer.sh)
      --topic <name> --bootstrap-server <host:port> --from-beginning --group <id>
      --isolation-level read_committed|read_uncommitted --max-messages <n> --timeout-ms <n>
      --property print.key=true --property key.separator=<sep>
`;

class UsageError extends Error {
  override readonly name = 'UsageError';
}

interface Args {
  flags: Set<string>;
  values: Map<string, string[]>;
}

const BOOLEAN_FLAGS = new Set(['create', 'list', 'describe', 'delete', 'from-beginning', 'help', 'if-not-exists', 'if-exists']);

function parseArgs(argv: readonly string[]): Args {
  const flags = new Set<string>();
  const values = new Map<string, string[]>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) throw new UsageError(`unexpected argument "${a}"`);
    let name = a.slice(2);
    let value: string | undefined;
    const eq = name.indexOf('=');
    if (eq >= 0) {
      value = name.slice(eq + 1);
      name = name.slice(0, eq);
    }
    if (BOOLEAN_FLAGS.has(name) && value === undefined) {
      flags.add(name);
      continue;
    }
    if (value === undefined) {
      value = argv[++i];
      if (value === undefined) throw new UsageError(`option --${name} needs a value`);
    }
    values.set(name, [...(values.get(name) ?? []), value]);
  }
  return { flags, values };
}

function one(args: Args, name: string): string | undefined {
  const v = args.values.get(name);
  return v?.[v.length - 1];
}

function required(args: Args, name: string): string {
  const v = one(args, name);
  if (v === undefined) throw new UsageError(`missing required option --${name}`);
  return v;
}

function int(args: Args, name: string): number | undefined {
  const v = one(args, name);
  if (v === undefined) return undefined;
  if (!/^-?\d+$/.test(v)) throw new UsageError(`option --${name} must be an integer, got "${v}"`);
  return Number(v);
}

function keyValues(list: readonly string[], what: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const kv of list) {
    const i = kv.indexOf('=');
    if (i <= 0) throw new UsageError(`${what} must be key=value, got "${kv}"`);
    out[kv.slice(0, i)] = kv.slice(i + 1);
  }
  return out;
}

function allowOnly(args: Args, allowed: readonly string[]): void {
  for (const k of [...args.flags, ...args.values.keys()]) {
    if (!allowed.includes(k)) throw new UsageError(`unknown option --${k}`);
  }
}

const OVERRIDES: Record<string, (v: string) => BrokerOptions> = {
  'num.partitions': (v) => ({ numPartitions: intValue('num.partitions', v) }),
  'auto.create.topics.enable': (v) => ({ autoCreateTopics: boolValue('auto.create.topics.enable', v) }),
  'group.initial.rebalance.delay.ms': (v) => ({ groupInitialRebalanceDelayMs: intValue('group.initial.rebalance.delay.ms', v) }),
  'group.min.session.timeout.ms': (v) => ({ groupMinSessionTimeoutMs: intValue('group.min.session.timeout.ms', v) }),
  'group.max.session.timeout.ms': (v) => ({ groupMaxSessionTimeoutMs: intValue('group.max.session.timeout.ms', v) }),
  'transaction.max.timeout.ms': (v) => ({ transactionMaxTimeoutMs: intValue('transaction.max.timeout.ms', v) }),
  'log.segment.bytes': (v) => ({ segmentBytes: intValue('log.segment.bytes', v) }),
  'log.retention.ms': (v) => ({ retentionMs: intValue('log.retention.ms', v) }),
  'log.retention.hours': (v) => ({ retentionMs: intValue('log.retention.hours', v) * 3_600_000 }),
  'log.retention.bytes': (v) => ({ retentionBytes: intValue('log.retention.bytes', v) }),
  'socket.request.max.bytes': (v) => ({ maxRequestBytes: intValue('socket.request.max.bytes', v) }),
};

function intValue(name: string, v: string): number {
  if (!/^-?\d+$/.test(v)) throw new UsageError(`${name} must be an integer, got "${v}"`);
  return Number(v);
}

function boolValue(name: string, v: string): boolean {
  if (v !== 'true' && v !== 'false') throw new UsageError(`${name} must be true or false, got "${v}"`);
  return v === 'true';
}

async function start(args: Args): Promise<void> {
  allowOnly(args, ['port', 'host', 'data-dir', 'num-partitions', 'log-level', 'advertised-host', 'override']);
  let overrides: BrokerOptions = {};
  for (const [k, v] of Object.entries(keyValues(args.values.get('override') ?? [], '--override'))) {
    const apply = OVERRIDES[k];
    if (!apply) throw new UsageError(`unsupported --override ${k} (supported: ${Object.keys(OVERRIDES).join(', ')})`);
    overrides = { ...overrides, ...apply(v) };
  }
  const advertisedHost = one(args, 'advertised-host');
  const level = (one(args, 'log-level') ?? 'info') as LogLevel;
  if (!['silent', 'error', 'warn', 'info', 'debug'].includes(level)) throw new UsageError(`invalid --log-level ${level}`);
  const numPartitions = int(args, 'num-partitions');
  const broker = new Broker({
    host: one(args, 'host') ?? '127.0.0.1',
    port: int(args, 'port') ?? 9092,
    dataDir: one(args, 'data-dir') ?? path.join(os.tmpdir(), 'kstreams-broker-data'),
    ...overrides,
    ...(numPartitions !== undefined ? { numPartitions } : {}),
    ...(advertisedHost !== undefined ? { advertisedHost } : {}),
    logLevel: level,
  });
  await broker.listen();
  process.stdout.write(`kstreams-broker listening on ${broker.bootstrapServers} (data dir ${broker.options.dataDir})\n`);
  process.stdout.write(`${broker.bootstrapServers}\n`);
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    broker.log.info(`${signal}: shutting down`);
    broker.close().then(
      () => process.exit(0),
      (e: unknown) => {
        process.stderr.write(`shutdown failed: ${String(e)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

async function client(args: Args, clientId: string): Promise<Kafka> {
  process.env['KAFKAJS_NO_PARTITIONER_WARNING'] = '1';
  const { Kafka, logLevel } = await import('kafkajs');
  const brokers = (one(args, 'bootstrap-server') ?? '127.0.0.1:9092').split(',');
  return new Kafka({ clientId, brokers, logLevel: logLevel.NOTHING, retry: { retries: 3 } });
}

async function withAdmin<T>(kafka: Kafka, fn: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.disconnect();
  }
}

async function topics(args: Args): Promise<void> {
  allowOnly(args, [
    'create', 'list', 'describe', 'delete', 'topic', 'partitions', 'replication-factor', 'config',
    'bootstrap-server', 'if-not-exists', 'if-exists',
  ]);
  const actions = ['create', 'list', 'describe', 'delete'].filter((a) => args.flags.has(a));
  if (actions.length !== 1) throw new UsageError('give exactly one of --create, --list, --describe, --delete');
  const kafka = await client(args, 'kstreams-topics');
  await withAdmin(kafka, async (admin) => {
    switch (actions[0]) {
      case 'create': {
        const topic = required(args, 'topic');
        const configs = keyValues(args.values.get('config') ?? [], '--config');
        const numPartitions = int(args, 'partitions') ?? -1;
        const replicationFactor = int(args, 'replication-factor') ?? -1;
        let created: boolean;
        try {
          created = await admin.createTopics({
            waitForLeaders: true,
            topics: [
              {
                topic,
                numPartitions,
                replicationFactor,
                configEntries: Object.entries(configs).map(([name, value]) => ({ name, value })),
              },
            ],
          });
        } catch (e) {
          const err = e as { type?: string; errors?: { type?: string }[] };
          const exists = err.type === 'TOPIC_ALREADY_EXISTS' || err.errors?.some((x) => x.type === 'TOPIC_ALREADY_EXISTS');
          if (!exists) throw e;
          created = false;
        }
        if (!created) {
          // kafkajs answers false, not an error, for a topic that already exists
          if (args.flags.has('if-not-exists')) return;
          throw new Error(`Topic '${topic}' already exists.`);
        }
        process.stdout.write(`Created topic ${topic}.\n`);
        return;
      }
      case 'list': {
        for (const t of (await admin.listTopics()).sort()) process.stdout.write(`${t}\n`);
        return;
      }
      case 'describe': {
        const only = one(args, 'topic');
        const names = only !== undefined ? [only] : (await admin.listTopics()).sort();
        const { topics: meta } = await admin.fetchTopicMetadata({ topics: names });
        const configs = await admin.describeConfigs({
          includeSynonyms: false,
          resources: names.map((name) => ({ type: 2, name })),
        });
        for (const t of meta) {
          const res = configs.resources.find((r) => r.resourceName === t.name);
          const overrides = (res?.configEntries ?? [])
            .filter((c) => (c as { configSource?: number }).configSource === 1)
            .map((c) => `${c.configName}=${c.configValue}`)
            .join(',');
          process.stdout.write(
            `Topic: ${t.name}\tPartitionCount: ${t.partitions.length}\tReplicationFactor: 1\tConfigs: ${overrides}\n`,
          );
          for (const p of [...t.partitions].sort((a, b) => a.partitionId - b.partitionId)) {
            process.stdout.write(
              `\tTopic: ${t.name}\tPartition: ${p.partitionId}\tLeader: ${p.leader}\tReplicas: ${p.replicas.join(',')}\tIsr: ${p.isr.join(',')}\n`,
            );
          }
        }
        return;
      }
      default: {
        const topic = required(args, 'topic');
        const existing = await admin.listTopics();
        if (!existing.includes(topic)) {
          if (args.flags.has('if-exists')) return;
          throw new UsageError(`Topic '${topic}' does not exist`);
        }
        await admin.deleteTopics({ topics: [topic] });
        process.stdout.write(`Deleted topic ${topic}.\n`);
      }
    }
  });
}

async function consoleProducer(args: Args): Promise<void> {
  allowOnly(args, ['topic', 'bootstrap-server', 'property', 'key-separator']);
  const topic = required(args, 'topic');
  const props = keyValues(args.values.get('property') ?? [], '--property');
  const separator = one(args, 'key-separator') ?? props['key.separator'] ?? '\t';
  const parseKey = one(args, 'key-separator') !== undefined || props['parse.key'] === 'true';
  const kafka = await client(args, 'kstreams-console-producer');
  const producer = kafka.producer();
  await producer.connect();
  let pending: { key: string | null; value: string }[] = [];
  let sent = 0;
  const flush = async (): Promise<void> => {
    if (pending.length === 0) return;
    const messages = pending;
    pending = [];
    await producer.send({ topic, messages });
    sent += messages.length;
  };
  const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of rl) {
    if (parseKey) {
      const i = line.indexOf(separator);
      if (i < 0) throw new UsageError(`No key separator "${separator}" found on line: ${line}`);
      pending.push({ key: line.slice(0, i), value: line.slice(i + separator.length) });
    } else {
      pending.push({ key: null, value: line });
    }
    if (pending.length >= 500 || process.stdin.isTTY) await flush();
  }
  await flush();
  await producer.disconnect();
  process.stderr.write(`Produced ${sent} messages to ${topic}\n`);
}

async function consoleConsumer(args: Args): Promise<void> {
  allowOnly(args, ['topic', 'bootstrap-server', 'from-beginning', 'group', 'isolation-level', 'max-messages', 'timeout-ms', 'property']);
  const topic = required(args, 'topic');
  const props = keyValues(args.values.get('property') ?? [], '--property');
  const printKey = props['print.key'] === 'true';
  const separator = props['key.separator'] ?? '\t';
  const isolation = one(args, 'isolation-level') ?? 'read_uncommitted';
  if (isolation !== 'read_committed' && isolation !== 'read_uncommitted') {
    throw new UsageError(`--isolation-level must be read_committed or read_uncommitted, got "${isolation}"`);
  }
  const maxMessages = int(args, 'max-messages');
  const timeoutMs = int(args, 'timeout-ms');
  const groupId = one(args, 'group') ?? `console-consumer-${Math.floor(Math.random() * 100000)}`;
  const kafka = await client(args, 'kstreams-console-consumer');
  const consumer = kafka.consumer({ groupId, readUncommitted: isolation === 'read_uncommitted' });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: args.flags.has('from-beginning') });
  let count = 0;
  let idle: NodeJS.Timeout | undefined;
  await new Promise<void>((resolve, reject) => {
    const done = (): void => {
      if (idle) clearTimeout(idle);
      resolve();
    };
    const armIdle = (): void => {
      if (timeoutMs === undefined) return;
      if (idle) clearTimeout(idle);
      idle = setTimeout(done, timeoutMs);
    };
    armIdle();
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
    consumer
      .run({
        eachMessage: async ({ message }) => {
          if (maxMessages !== undefined && count >= maxMessages) return;
          const value = message.value === null ? 'null' : message.value.toString();
          const key = message.key === null ? 'null' : message.key.toString();
          process.stdout.write(printKey ? `${key}${separator}${value}\n` : `${value}\n`);
          count++;
          armIdle();
          if (maxMessages !== undefined && count >= maxMessages) done();
        },
      })
      .catch(reject);
  });
  await consumer.disconnect();
  process.stderr.write(`Processed a total of ${count} messages\n`);
}

export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === '--help' || command === 'help') {
      process.stdout.write(USAGE);
      return command === undefined ? 1 : 0;
    }
    const args = parseArgs(rest);
    switch (command) {
      case 'start':
        await start(args);
        return -1;
      case 'topics':
        await topics(args);
        return 0;
      case 'console-producer':
        await consoleProducer(args);
        return 0;
      case 'console-consumer':
        await consoleConsumer(args);
        return 0;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`kstreams-broker: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    process.stderr.write(`kstreams-broker ${command}: ${(e as Error).message}\n`);
    return 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => {
    // `start` keeps running until a signal; the other commands exit with their status
    if (code >= 0) process.exit(code);
  });
}
