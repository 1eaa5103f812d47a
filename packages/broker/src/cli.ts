#!/usr/bin/env node
/**
 * `kstreams-broker`: start the bundled broker, and Kafka's daily tools against any broker — `topics`
 * (kafka-topics.sh), `console-producer` / `console-consumer` (kafka-console-*.sh), `consumer-groups`
 * (kafka-consumer-groups.sh) and `configs` (kafka-configs.sh). The client commands use kafkajs, loaded only
 * when one of them runs.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import * as readline from 'node:readline';
import type { Admin, Kafka } from 'kafkajs';
import { Broker, type BrokerOptions } from './server/broker';
import type { LogLevel } from './server/logger';
import { invalidTopicName } from './storage/log-manager';

const DEFAULT_DATA_DIR = path.join(os.tmpdir(), 'kstreams-broker-data');

/** Each command's help, printed by `kstreams-broker <command> --help`; together they are the usage. */
const HELP: Record<string, string> = {
  start: `  start              Start a broker (SIGINT/SIGTERM stop it cleanly)
      --port <n>            TCP port (default 9092; 0 picks a free one)
      --host <addr>         interface to listen on (default 127.0.0.1)
      --data-dir <dir>      data directory (default ${DEFAULT_DATA_DIR})
      --num-partitions <n>  partitions of auto-created topics (default 1)
      --log-level <level>   silent|error|warn|info|debug (default info)
      --advertised-host <h> host name given to clients (default: the listen host)
      --override <k=v>      a Kafka broker setting (repeatable): num.partitions, auto.create.topics.enable,
                            group.initial.rebalance.delay.ms, group.{min,max}.session.timeout.ms,
                            transaction.max.timeout.ms, log.segment.bytes, log.retention.{ms,hours,bytes},
                            socket.request.max.bytes
`,
  topics: `  topics             Manage topics (like kafka-topics.sh)
      --create | --list | --describe | --delete | --alter
      --topic <name> --partitions <n> --replication-factor <n> --config <k=v> (repeatable)
      --if-not-exists (with --create) --if-exists (with --delete, --alter)
      --bootstrap-server <host:port> (default 127.0.0.1:9092)
`,
  'console-producer': `  console-producer   Send lines from stdin as records (like kafka-console-producer.sh)
      --topic <name> --bootstrap-server <host:port> (or --broker-list)
      --property parse.key=true --property key.separator=<sep>   or   --key-separator <sep>
`,
  'console-consumer': `  console-consumer   Print records (like kafka-console-consumer.sh)
      --topic <name> --bootstrap-server <host:port> --from-beginning --group <id>
      --isolation-level read_committed|read_uncommitted --max-messages <n> --timeout-ms <n>
      --property print.key=true|print.value=false|print.timestamp=true|print.partition=true|print.offset=true
      --property key.separator=<sep>
      --property key.deserializer=<d> --property value.deserializer=<d>   (d: string, long, integer, double,
                 bytes, or Kafka's class name, e.g. org.apache.kafka.common.serialization.LongDeserializer)
      Without --group the consumer uses a generated group and commits no offsets, as Kafka's does.
`,
  'consumer-groups': `  consumer-groups    Inspect and manage consumer groups (like kafka-consumer-groups.sh)
      --list | --describe --group <id> | --delete --group <id> |
      --reset-offsets --group <id> --topic <name> (--to-earliest | --to-latest | --to-offset <n> | --shift-by <n>)
                      [--execute] (without it: a dry run that only prints the new offsets)
      --bootstrap-server <host:port>
`,
  configs: `  configs            Describe and alter topic configs (like kafka-configs.sh)
      --entity-type topics --entity-name <topic> (or --topic <topic>)
      --describe | --alter --add-config <k=v,k2=v2> --delete-config <k,k2>
      --bootstrap-server <host:port>
`,
};

const USAGE = `Usage: kstreams-broker <command> [options]   (kstreams-broker <command> --help for one command)

Commands:
${Object.values(HELP).join('')}`;

class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** A command that ran and failed for a reason it names (exit status 1, no usage text). */
class CommandError extends Error {
  override readonly name = 'CommandError';
}

/** Kafka's reason for a failed topic creation, with the value that caused it. */
function createTopicError(
  type: string | undefined,
  topic: string,
  o: { numPartitions: number; replicationFactor: number; configs: Record<string, string>; brokers: number },
): string | null {
  switch (type) {
    case 'INVALID_REPLICATION_FACTOR':
      return `Invalid replication factor ${o.replicationFactor} for topic '${topic}': larger than the ${o.brokers} available broker(s).`;
    case 'INVALID_PARTITIONS':
      return `Invalid partition count ${o.numPartitions} for topic '${topic}'.`;
    case 'INVALID_TOPIC_EXCEPTION':
      return `Invalid topic name '${topic}'.`;
    case 'INVALID_CONFIG':
      return `Invalid config for topic '${topic}': one of ${Object.entries(o.configs).map(([k, v]) => `${k}=${v}`).join(', ')} is unknown or has an invalid value.`;
    case 'POLICY_VIOLATION':
      return `Topic '${topic}' violates the cluster's create-topic policy.`;
    default:
      return null;
  }
}

interface Args {
  flags: Set<string>;
  values: Map<string, string[]>;
}

const BOOLEAN_FLAGS = new Set([
  'create', 'list', 'describe', 'delete', 'alter', 'from-beginning', 'help', 'if-not-exists', 'if-exists',
  'reset-offsets', 'to-earliest', 'to-latest', 'execute', 'dry-run',
]);

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

/** --bootstrap-server, or Kafka's older --broker-list spelling. */
function bootstrap(args: Args): string[] {
  return (one(args, 'bootstrap-server') ?? one(args, 'broker-list') ?? '127.0.0.1:9092').split(',');
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
    if (!allowed.includes(k) && k !== 'broker-list') throw new UsageError(`unknown option --${k}`);
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
  // printed only once the signal handlers are in place: a wrapper that reads the address and signals at
  // once must get a clean shutdown, not the default signal death
  process.stdout.write(`kstreams-broker listening on ${broker.bootstrapServers} (data dir ${broker.options.dataDir})\n`);
  process.stdout.write(`${broker.bootstrapServers}\n`);
}

async function client(args: Args, clientId: string): Promise<Kafka> {
  process.env['KAFKAJS_NO_PARTITIONER_WARNING'] = '1';
  const { Kafka, logLevel } = await import('kafkajs');
  const brokers = bootstrap(args);
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
    'create', 'list', 'describe', 'delete', 'alter', 'topic', 'partitions', 'replication-factor', 'config',
    'bootstrap-server', 'if-not-exists', 'if-exists',
  ]);
  const actions = ['create', 'list', 'describe', 'delete', 'alter'].filter((a) => args.flags.has(a));
  if (actions.length !== 1) throw new UsageError('give exactly one of --create, --list, --describe, --delete, --alter');
  if (actions[0] === 'create') {
    const topic = required(args, 'topic');
    const bad = invalidTopicName(topic);
    if (bad) throw new CommandError(`Invalid topic name '${topic}': ${bad}.`);
    const partitions = int(args, 'partitions');
    if (partitions !== undefined && partitions < 1) throw new CommandError(`Invalid --partitions ${partitions}: the number of partitions must be at least 1.`);
    const rf = int(args, 'replication-factor');
    if (rf !== undefined && rf < 1) throw new CommandError(`Invalid --replication-factor ${rf}: the replication factor must be at least 1.`);
  }
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
          const type = err.type ?? err.errors?.[0]?.type;
          if (type !== 'TOPIC_ALREADY_EXISTS') {
            const brokers = (await admin.describeCluster()).brokers.length;
            throw new CommandError(createTopicError(type, topic, { numPartitions, replicationFactor, configs, brokers }) ?? (e as Error).message);
          }
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
      case 'alter': {
        const topic = required(args, 'topic');
        const count = int(args, 'partitions');
        if (count === undefined) throw new UsageError('--alter needs --partitions <n> (the new, larger partition count)');
        if (args.values.has('config')) throw new UsageError('--alter does not take --config: use `kstreams-broker configs --alter`');
        const existing = await admin.fetchTopicMetadata({ topics: [] });
        const current = existing.topics.find((t) => t.name === topic);
        if (!current) {
          if (args.flags.has('if-exists')) return;
          throw new CommandError(`Topic '${topic}' does not exist.`);
        }
        if (count <= current.partitions.length) {
          throw new CommandError(`The topic ${topic} currently has ${current.partitions.length} partition(s); ${count} would not add any (partitions can only be added).`);
        }
        await admin.createPartitions({ topicPartitions: [{ topic, count }] });
        process.stdout.write(`Topic ${topic} now has ${count} partitions.\n`);
        return;
      }
      default: {
        const topic = required(args, 'topic');
        const existing = await admin.listTopics();
        if (!existing.includes(topic)) {
          if (args.flags.has('if-exists')) return;
          throw new CommandError(`Topic '${topic}' does not exist.`);
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

type Deserializer = (b: Buffer, what: string) => string | Buffer;

const DESERIALIZERS: Record<string, Deserializer> = {
  string: (b) => b.toString('utf8'),
  long: (b, what) => {
    if (b.length !== 8) throw new CommandError(`Size of data received by LongDeserializer is not 8 (${b.length} bytes in ${what})`);
    return b.readBigInt64BE(0).toString();
  },
  integer: (b, what) => {
    if (b.length !== 4) throw new CommandError(`Size of data received by IntegerDeserializer is not 4 (${b.length} bytes in ${what})`);
    return String(b.readInt32BE(0));
  },
  double: (b, what) => {
    if (b.length !== 8) throw new CommandError(`Size of data received by DoubleDeserializer is not 8 (${b.length} bytes in ${what})`);
    return String(b.readDoubleBE(0));
  },
  bytes: (b) => b,
};

/** A deserializer by short name or Kafka's class name (org.apache.kafka.common.serialization.LongDeserializer). */
function deserializer(name: string | undefined, property: string): Deserializer {
  if (name === undefined) return DESERIALIZERS['string']!;
  const short = name
    .replace(/^org\.apache\.kafka\.common\.serialization\./, '')
    .replace(/Deserializer$/, '')
    .toLowerCase()
    .replace(/^bytearray$/, 'bytes');
  const d = DESERIALIZERS[short];
  if (!d) throw new UsageError(`unsupported ${property} "${name}" (supported: ${Object.keys(DESERIALIZERS).join(', ')}, or Kafka's class names)`);
  return d;
}

function flag(props: Record<string, string>, name: string, dflt: boolean): boolean {
  const v = props[name];
  if (v === undefined) return dflt;
  if (v !== 'true' && v !== 'false') throw new UsageError(`--property ${name} must be true or false, got "${v}"`);
  return v === 'true';
}

const CONSUMER_PROPERTIES = new Set([
  'print.key', 'print.value', 'print.timestamp', 'print.partition', 'print.offset', 'key.separator', 'line.separator',
  'key.deserializer', 'value.deserializer',
]);

async function consoleConsumer(args: Args): Promise<void> {
  allowOnly(args, ['topic', 'bootstrap-server', 'from-beginning', 'group', 'isolation-level', 'max-messages', 'timeout-ms', 'property']);
  const topic = required(args, 'topic');
  const props = keyValues(args.values.get('property') ?? [], '--property');
  for (const k of Object.keys(props)) {
    if (!CONSUMER_PROPERTIES.has(k)) throw new UsageError(`unsupported --property ${k} (supported: ${[...CONSUMER_PROPERTIES].join(', ')})`);
  }
  const printKey = flag(props, 'print.key', false);
  const printValue = flag(props, 'print.value', true);
  const printTimestamp = flag(props, 'print.timestamp', false);
  const printPartition = flag(props, 'print.partition', false);
  const printOffset = flag(props, 'print.offset', false);
  const separator = props['key.separator'] ?? '\t';
  const lineSeparator = props['line.separator'] ?? '\n';
  const keyDeserializer = deserializer(props['key.deserializer'], 'key.deserializer');
  const valueDeserializer = deserializer(props['value.deserializer'], 'value.deserializer');
  const isolation = one(args, 'isolation-level') ?? 'read_uncommitted';
  if (isolation !== 'read_committed' && isolation !== 'read_uncommitted') {
    throw new UsageError(`--isolation-level must be read_committed or read_uncommitted, got "${isolation}"`);
  }
  const maxMessages = int(args, 'max-messages');
  const timeoutMs = int(args, 'timeout-ms');
  const explicitGroup = one(args, 'group');
  // Kafka's console consumer: a generated group commits no offsets
  const groupId = explicitGroup ?? `console-consumer-${Math.floor(Math.random() * 100000)}`;
  const kafka = await client(args, 'kstreams-console-consumer');
  const consumer = kafka.consumer({ groupId, readUncommitted: isolation === 'read_uncommitted' });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: args.flags.has('from-beginning') });
  let count = 0;
  let idle: NodeJS.Timeout | undefined;
  const write = (x: string | Buffer): void => void process.stdout.write(x);
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
        autoCommit: explicitGroup !== undefined,
        eachMessage: async ({ partition, message }) => {
          if (maxMessages !== undefined && count >= maxMessages) return;
          const where = `${topic}-${partition} at offset ${message.offset}`;
          let key: string | Buffer;
          let value: string | Buffer;
          try {
            key = message.key === null ? 'null' : keyDeserializer(message.key, `the key of ${where}`);
            value = message.value === null ? 'null' : valueDeserializer(message.value, `the value of ${where}`);
          } catch (e) {
            reject(e);
            return;
          }
          // Kafka's DefaultMessageFormatter: timestamp, partition, offset, key, value, each followed by the separator
          const fields: (string | Buffer)[] = [];
          if (printTimestamp) fields.push(`CreateTime:${message.timestamp}`);
          if (printPartition) fields.push(`Partition:${partition}`);
          if (printOffset) fields.push(`Offset:${message.offset}`);
          if (printKey) fields.push(key);
          if (printValue) fields.push(value);
          fields.forEach((f, i) => {
            write(f);
            if (i < fields.length - 1) write(separator);
          });
          write(lineSeparator);
          count++;
          armIdle();
          if (maxMessages !== undefined && count >= maxMessages) done();
        },
      })
      .catch(reject);
  }).finally(() => consumer.disconnect());
  process.stderr.write(`Processed a total of ${count} messages\n`);
}

interface MemberRow {
  memberId: string;
  clientId: string;
  clientHost: string;
}

function table(rows: readonly (readonly (string | number)[])[]): string {
  const widths = rows[0]!.map((_, i) => Math.max(15, ...rows.map((r) => String(r[i]).length)));
  return rows.map((r) => r.map((c, i) => String(c).padEnd(widths[i]!)).join(' ').trimEnd()).join('\n') + '\n';
}

async function consumerGroups(args: Args): Promise<void> {
  allowOnly(args, [
    'list', 'describe', 'delete', 'reset-offsets', 'group', 'topic', 'to-earliest', 'to-latest', 'to-offset', 'shift-by',
    'execute', 'dry-run', 'bootstrap-server',
  ]);
  const actions = ['list', 'describe', 'delete', 'reset-offsets'].filter((a) => args.flags.has(a));
  if (actions.length !== 1) throw new UsageError('give exactly one of --list, --describe, --delete, --reset-offsets');
  const kafka = await client(args, 'kstreams-consumer-groups');
  const { AssignerProtocol } = await import('kafkajs');
  await withAdmin(kafka, async (admin) => {
    if (actions[0] === 'list') {
      for (const g of (await admin.listGroups()).groups.map((x) => x.groupId).sort()) process.stdout.write(`${g}\n`);
      return;
    }
    const groupId = required(args, 'group');
    const { groups } = await admin.describeGroups([groupId]);
    const described = groups[0]!;
    const known = described.state !== 'Dead' || (await admin.listGroups()).groups.some((g) => g.groupId === groupId);
    if (!known) throw new CommandError(`Consumer group '${groupId}' does not exist.`);
    if (actions[0] === 'delete') {
      if (described.state !== 'Empty' && described.state !== 'Dead') {
        throw new CommandError(`Consumer group '${groupId}' is not empty (state ${described.state}): stop its members first.`);
      }
      await admin.deleteGroups([groupId]);
      process.stdout.write(`Deletion of requested consumer groups ('${groupId}') was successful.\n`);
      return;
    }
    const committed = await admin.fetchOffsets({ groupId });
    if (actions[0] === 'describe') {
      const owner = new Map<string, MemberRow>();
      for (const m of described.members) {
        if (m.memberAssignment.length === 0) continue;
        const a = AssignerProtocol.MemberAssignment.decode(m.memberAssignment);
        for (const [t, parts] of Object.entries(a?.assignment ?? {})) for (const p of parts) owner.set(`${t}/${p}`, m);
      }
      if (described.members.length === 0) process.stdout.write(`\nConsumer group '${groupId}' has no active members.\n`);
      const rows: (string | number)[][] = [['GROUP', 'TOPIC', 'PARTITION', 'CURRENT-OFFSET', 'LOG-END-OFFSET', 'LAG', 'CONSUMER-ID', 'HOST', 'CLIENT-ID']];
      for (const t of committed.sort((x, y) => x.topic.localeCompare(y.topic))) {
        const ends = new Map((await admin.fetchTopicOffsets(t.topic)).map((o) => [o.partition, Number(o.high)]));
        for (const p of [...t.partitions].sort((x, y) => x.partition - y.partition)) {
          const cur = Number(p.offset);
          const end = ends.get(p.partition) ?? -1;
          const m = owner.get(`${t.topic}/${p.partition}`);
          rows.push([groupId, t.topic, p.partition, cur < 0 ? '-' : cur, end, cur < 0 ? '-' : end - cur, m?.memberId ?? '-', m?.clientHost ?? '-', m?.clientId ?? '-']);
        }
      }
      process.stdout.write(`\n${table(rows)}`);
      return;
    }
    // --reset-offsets
    const topic = required(args, 'topic');
    if (described.state !== 'Empty' && described.state !== 'Dead') {
      throw new CommandError(`Assignments can only be reset if the group '${groupId}' is inactive, but the current state is ${described.state}.`);
    }
    const specs = ['to-earliest', 'to-latest'].filter((f) => args.flags.has(f)).concat(['to-offset', 'shift-by'].filter((f) => args.values.has(f)));
    if (specs.length !== 1) throw new UsageError('--reset-offsets needs exactly one of --to-earliest, --to-latest, --to-offset <n>, --shift-by <n>');
    const bounds = await admin.fetchTopicOffsets(topic).catch(() => {
      throw new CommandError(`Topic '${topic}' does not exist.`);
    });
    const current = new Map((committed.find((t) => t.topic === topic)?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]));
    const target = bounds
      .sort((x, y) => x.partition - y.partition)
      .map((b) => {
        const low = Number(b.low);
        const high = Number(b.high);
        let next: number;
        if (specs[0] === 'to-earliest') next = low;
        else if (specs[0] === 'to-latest') next = high;
        else if (specs[0] === 'to-offset') next = int(args, 'to-offset')!;
        else next = (current.get(b.partition) ?? low) + int(args, 'shift-by')!;
        return { partition: b.partition, offset: Math.min(Math.max(next, low), high) };
      });
    const rows: (string | number)[][] = [['GROUP', 'TOPIC', 'PARTITION', 'NEW-OFFSET']];
    for (const t of target) rows.push([groupId, topic, t.partition, t.offset]);
    process.stdout.write(`\n${table(rows)}`);
    if (args.flags.has('execute')) {
      await admin.setOffsets({ groupId, topic, partitions: target.map((t) => ({ partition: t.partition, offset: String(t.offset) })) });
    } else {
      process.stderr.write('Dry run: no offsets were changed (add --execute to apply them).\n');
    }
  });
}

async function configsCommand(args: Args): Promise<void> {
  allowOnly(args, ['entity-type', 'entity-name', 'topic', 'describe', 'alter', 'add-config', 'delete-config', 'bootstrap-server']);
  const type = one(args, 'entity-type') ?? (args.values.has('topic') ? 'topics' : undefined);
  if (type !== 'topics') throw new UsageError(`--entity-type must be topics (broker configs of the bundled broker are set with \`start --override\`), got "${type ?? ''}"`);
  const topic = one(args, 'entity-name') ?? required(args, 'topic');
  const actions = ['describe', 'alter'].filter((a) => args.flags.has(a));
  if (actions.length !== 1) throw new UsageError('give exactly one of --describe, --alter');
  const kafka = await client(args, 'kstreams-configs');
  await withAdmin(kafka, async (admin) => {
    const topics = await admin.listTopics();
    if (!topics.includes(topic)) throw new CommandError(`Topic '${topic}' does not exist.`);
    const described = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: 2, name: topic }] });
    const dynamic = (described.resources[0]?.configEntries ?? []).filter((c) => (c as { configSource?: number }).configSource === 1);
    if (actions[0] === 'describe') {
      process.stdout.write(`Dynamic configs for topic ${topic} are:\n`);
      for (const c of dynamic) {
        process.stdout.write(`  ${c.configName}=${c.configValue} sensitive=false synonyms={DYNAMIC_TOPIC_CONFIG:${c.configName}=${c.configValue}}\n`);
      }
      return;
    }
    const add = keyValues((args.values.get('add-config') ?? []).flatMap((x) => x.split(',')), '--add-config');
    const remove = (args.values.get('delete-config') ?? []).flatMap((x) => x.split(',')).filter((x) => x !== '');
    if (Object.keys(add).length === 0 && remove.length === 0) throw new UsageError('--alter needs --add-config and/or --delete-config');
    const next = new Map(dynamic.map((c) => [c.configName, c.configValue]));
    for (const k of remove) next.delete(k);
    for (const [k, v] of Object.entries(add)) next.set(k, v);
    try {
      // kafkajs speaks AlterConfigs (the whole set of overrides), so the merged set is sent
      await admin.alterConfigs({ validateOnly: false, resources: [{ type: 2, name: topic, configEntries: [...next].map(([name, value]) => ({ name, value })) }] });
    } catch (e) {
      throw new CommandError(`Altering the configs of topic '${topic}' failed (${(e as { type?: string }).type ?? (e as Error).message}): one of ${Object.entries(add).map(([k, v]) => `${k}=${v}`).join(', ') || remove.join(', ')} is unknown or has an invalid value.`);
    }
    process.stdout.write(`Completed updating config for topic ${topic}.\n`);
  });
}

export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === '--help' || command === 'help') {
      process.stdout.write(USAGE);
      return command === undefined ? 1 : 0;
    }
    if (rest.includes('--help')) {
      const help = HELP[command];
      if (!help) throw new UsageError(`unknown command "${command}"`);
      process.stdout.write(`Usage: kstreams-broker ${command} [options]\n\n${help}`);
      return 0;
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
      case 'consumer-groups':
        await consumerGroups(args);
        return 0;
      case 'configs':
        await configsCommand(args);
        return 0;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      const help = command !== undefined && HELP[command] ? `Usage: kstreams-broker ${command} [options]\n\n${HELP[command]}` : USAGE;
      process.stderr.write(`kstreams-broker: ${e.message}\n\n${help}`);
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
