/**
 * The broker: owns the data directory, the logs, the group and transaction coordinators and the TCP
 * server, and runs the background tasks (transaction timeouts, retention and compaction).
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import { ConsumerGroupCoordinator } from '../coordinator/consumer-group-coordinator';
import { GroupCoordinator } from '../coordinator/group-coordinator';
import { OffsetStore } from '../coordinator/offset-store';
import { LogManager } from '../storage/log-manager';
import { readJson, writeJsonAtomic } from '../storage/state-file';
import { TransactionCoordinator } from '../txn/transaction-coordinator';
import { Connection } from './connection';
import { FetchWaiters } from './fetch-waiters';
import { Logger, type LogLevel } from './logger';

export interface BrokerOptions {
  /** Interface to listen on. Default `127.0.0.1`. */
  host?: string;
  /** TCP port; 0 picks a free one. Default 0. */
  port?: number;
  /** Host name advertised in Metadata and FindCoordinator. Default: `host`, or 127.0.0.1 for a wildcard host. */
  advertisedHost?: string;
  /** Where logs and state live. Default: a new temporary directory (removed on close). */
  dataDir?: string;
  nodeId?: number;
  /** Partitions of auto-created topics and of CreateTopics with -1 (Kafka `num.partitions`). Default 1. */
  numPartitions?: number;
  /** Kafka `auto.create.topics.enable`. Default true. */
  autoCreateTopics?: boolean;
  /** Kafka `group.initial.rebalance.delay.ms`. Default 0 (Kafka's is 3000). */
  groupInitialRebalanceDelayMs?: number;
  /** Kafka `group.min.session.timeout.ms`. Default 6000, as in Kafka. */
  groupMinSessionTimeoutMs?: number;
  /** Kafka `group.max.session.timeout.ms`. Default 1800000. */
  groupMaxSessionTimeoutMs?: number;
  /** Kafka `transaction.max.timeout.ms`. Default 900000. */
  transactionMaxTimeoutMs?: number;
  /** How often open transactions are checked against their timeout. Default 1000 (Kafka: 10000). */
  transactionAbortCheckIntervalMs?: number;
  /** How often retention and compaction run. Default 10000. */
  logCleanupIntervalMs?: number;
  /** Default `segment.bytes`. Default 64 MiB (Kafka: 1 GiB). */
  segmentBytes?: number;
  /** Default `retention.ms`. Default 7 days. */
  retentionMs?: number;
  /** Default `retention.bytes`. Default -1 (unlimited). */
  retentionBytes?: number;
  /** Largest request frame accepted (Kafka `socket.request.max.bytes`). Default 100 MiB. */
  maxRequestBytes?: number;
  /** Log level for the broker's own messages on stderr. Default `warn`. */
  logLevel?: LogLevel;
  /** Where log lines go instead of stderr. */
  logSink?: (line: string) => void;
}

/** Data directories held by brokers of this process (the pid lock cannot tell them apart). */
const OPEN_DATA_DIRS = new Set<string>();

export type ResolvedOptions = Required<Omit<BrokerOptions, 'logSink' | 'advertisedHost' | 'dataDir'>> & {
  advertisedHost: string;
  dataDir: string;
};

export class Broker {
  readonly options: ResolvedOptions;
  readonly log: Logger;
  readonly logs: LogManager;
  readonly offsets: OffsetStore;
  readonly groups: GroupCoordinator;
  readonly consumerGroups: ConsumerGroupCoordinator;
  readonly txns: TransactionCoordinator;
  readonly fetchWaiters = new FetchWaiters((e) => this.log.error(`fetch wake-up failed: ${(e as Error).stack ?? String(e)}`));
  readonly clusterId: string;
  readonly connections = new Set<Connection>();
  port = 0;
  private server: net.Server | null = null;
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly ownsDataDir: boolean;
  private lockFile: string;
  closed = false;

  constructor(opts: BrokerOptions = {}) {
    const host = opts.host ?? '127.0.0.1';
    this.ownsDataDir = opts.dataDir === undefined;
    const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'kstreams-broker-'));
    this.options = {
      host,
      port: opts.port ?? 0,
      advertisedHost: opts.advertisedHost ?? (host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host),
      dataDir: path.resolve(dataDir),
      nodeId: opts.nodeId ?? 1,
      numPartitions: opts.numPartitions ?? 1,
      autoCreateTopics: opts.autoCreateTopics ?? true,
      groupInitialRebalanceDelayMs: opts.groupInitialRebalanceDelayMs ?? 0,
      groupMinSessionTimeoutMs: opts.groupMinSessionTimeoutMs ?? 6000,
      groupMaxSessionTimeoutMs: opts.groupMaxSessionTimeoutMs ?? 1_800_000,
      transactionMaxTimeoutMs: opts.transactionMaxTimeoutMs ?? 900_000,
      transactionAbortCheckIntervalMs: opts.transactionAbortCheckIntervalMs ?? 1000,
      logCleanupIntervalMs: opts.logCleanupIntervalMs ?? 10_000,
      segmentBytes: opts.segmentBytes ?? 64 * 1024 * 1024,
      retentionMs: opts.retentionMs ?? 7 * 24 * 3600 * 1000,
      retentionBytes: opts.retentionBytes ?? -1,
      maxRequestBytes: opts.maxRequestBytes ?? 100 * 1024 * 1024,
      logLevel: opts.logLevel ?? 'warn',
    };
    this.log = new Logger(this.options.logLevel, opts.logSink);
    fs.mkdirSync(this.options.dataDir, { recursive: true });
    this.lockFile = path.join(this.options.dataDir, '.lock');
    this.acquireLock();
    try {
      const meta = readJson<{ clusterId: string }>(path.join(this.options.dataDir, 'meta.json'));
      this.clusterId = meta?.clusterId ?? randomUUID().replace(/-/g, '').slice(0, 22);
      if (!meta) writeJsonAtomic(path.join(this.options.dataDir, 'meta.json'), { clusterId: this.clusterId });

      this.logs = new LogManager(this.options.dataDir, {
        segmentBytes: this.options.segmentBytes,
        retentionMs: this.options.retentionMs,
        retentionBytes: this.options.retentionBytes,
      });
      for (const t of this.logs.topics.values()) {
        for (const p of t.partitions) {
          if (p.log.recovery.reason) this.log.warn(`recovered ${t.name}-${p.index}: ${p.log.recovery.reason}; truncated ${p.log.recovery.truncatedBytes} bytes`);
        }
      }
      this.offsets = new OffsetStore(this.options.dataDir);
      this.groups = new GroupCoordinator({
        offsets: this.offsets,
        initialRebalanceDelayMs: this.options.groupInitialRebalanceDelayMs,
        minSessionTimeoutMs: this.options.groupMinSessionTimeoutMs,
        maxSessionTimeoutMs: this.options.groupMaxSessionTimeoutMs,
      });
      this.consumerGroups = new ConsumerGroupCoordinator({
        partitions: (topic) => this.logs.get(topic)?.partitions.length ?? 0,
        topicId: (topic) => {
          const t = this.logs.get(topic);
          return t ? this.logs.topicId(t) : null;
        },
        topicName: (id) => this.logs.topicById(id)?.name ?? null,
      });
      this.txns = new TransactionCoordinator({
        dataDir: this.options.dataDir,
        maxTimeoutMs: this.options.transactionMaxTimeoutMs,
        env: {
          now: () => Date.now(),
          partitionExists: (topic, partition) => this.logs.partition(topic, partition) !== undefined,
          writeMarker: (topic, partition, pid, epoch, type) => {
            const p = this.logs.partition(topic, partition);
            if (!p) return;
            p.appendMarker(pid, epoch, type, Date.now());
            this.fetchWaiters.notify(p);
          },
          commitOffsets: (groupId, offsets) => this.offsets.commit(groupId, offsets),
        },
      });
      this.txns.recover();
    } catch (e) {
      // a failed start (unreadable state, bad recovery) must not leave the directory locked
      fs.rmSync(this.lockFile, { force: true });
      OPEN_DATA_DIRS.delete(this.options.dataDir);
      throw e;
    }
  }

  /** A second broker on the same data directory would corrupt it; refuse unless the owner is gone. */
  private acquireLock(): void {
    if (OPEN_DATA_DIRS.has(this.options.dataDir)) {
      throw new Error(`data directory ${this.options.dataDir} is already open by another broker in this process`);
    }
    try {
      const pid = Number(fs.readFileSync(this.lockFile, 'utf8'));
      if (pid && pid !== process.pid) {
        try {
          process.kill(pid, 0);
          throw new Error(
            `data directory ${this.options.dataDir} is in use by process ${pid} (remove ${this.lockFile} if no broker runs there)`,
          );
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'ESRCH') throw e;
        }
      }
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    fs.writeFileSync(this.lockFile, String(process.pid));
    OPEN_DATA_DIRS.add(this.options.dataDir);
  }

  async listen(): Promise<void> {
    const server = net.createServer((socket) => {
      const conn = new Connection(socket, this);
      this.connections.add(conn);
      socket.once('close', () => this.connections.delete(conn));
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port, this.options.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.on('error', (e) => this.log.error(`server error: ${e.message}`));
    this.port = (server.address() as net.AddressInfo).port;
    this.every(this.options.transactionAbortCheckIntervalMs, () => {
      for (const id of this.txns.abortTimedOut()) this.log.info(`aborted transaction ${id}: timed out`);
    });
    this.every(this.options.logCleanupIntervalMs, () => this.cleanup());
  }

  private every(ms: number, fn: () => void): void {
    const t = setInterval(() => {
      try {
        fn();
      } catch (e) {
        this.log.error(`background task failed: ${(e as Error).stack ?? String(e)}`);
      }
    }, ms);
    t.unref();
    this.timers.push(t);
  }

  /** One retention and compaction pass (also run periodically). */
  cleanup(now = Date.now()): { segmentsDeleted: number; segmentsCompacted: number } {
    const r = this.logs.cleanup(now);
    if (r.segmentsDeleted || r.segmentsCompacted) {
      this.log.info(`log cleanup: ${r.segmentsDeleted} segments deleted, ${r.segmentsCompacted} compacted`);
    }
    return r;
  }

  get bootstrapServers(): string {
    return `${this.options.advertisedHost}:${this.port}`;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const t of this.timers) clearInterval(t);
    const server = this.server;
    const closing = server ? new Promise<void>((resolve) => server.close(() => resolve())) : Promise.resolve();
    for (const c of this.connections) c.destroy();
    await closing;
    this.groups.close();
    this.consumerGroups.close();
    this.logs.flush();
    this.logs.close();
    this.offsets.close();
    this.txns.close();
    fs.rmSync(this.lockFile, { force: true });
    OPEN_DATA_DIRS.delete(this.options.dataDir);
    if (this.ownsDataDir) fs.rmSync(this.options.dataDir, { recursive: true, force: true });
  }
}
