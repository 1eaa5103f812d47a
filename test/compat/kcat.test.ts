/**
 * Client compatibility: kcat (Debian's package, librdkafka 2.0; `.ci/run` installs it when missing) produces
 * keyed records and consumes them in a consumer group against the bundled broker, which then holds the
 * group's committed offsets. Runs in `npm run test:kafka` with the Java compatibility suite.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { startBroker, type BrokerHandle } from '@kstreams/broker';

jest.setTimeout(120_000);

function kcat(args: readonly string[], stdin = ''): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('kcat', args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', (e) => reject(new Error(`kcat could not run (is it installed? .ci/run installs Debian's kcat): ${e.message}`)));
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(stdin);
  });
}

describe('kcat (librdkafka) against the bundled broker', () => {
  let broker: BrokerHandle;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'kstreams-kcat-'));
    broker = await startBroker({ port: 0, dataDir, logLevel: 'error', logSink: () => undefined });
  });
  afterAll(async () => {
    await broker?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('produces keyed records and consumes them with a group that commits its offsets', async () => {
    const produced = await kcat(['-b', broker.bootstrapServers, '-P', '-t', 'kcat-topic', '-K:'], 'k1:v1\nk2:v2\nk3:v3\n');
    expect(produced.stderr).toBe('');
    expect(produced.code).toBe(0);
    const consumed = await kcat(['-b', broker.bootstrapServers, '-G', 'kcat-group', 'kcat-topic', '-c', '3', '-o', 'beginning', '-e', '-f', '%k=%s@%o\n']);
    expect(consumed.code).toBe(0);
    expect(consumed.stdout.trim().split('\n')).toEqual(['k1=v1@0', 'k2=v2@1', 'k3=v3@2']);
    expect(consumed.stderr).toMatch(/Group kcat-group rebalanced .*assigned: kcat-topic \[0\]/);
    const admin = new Kafka({ brokers: [broker.bootstrapServers], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    expect(await admin.fetchOffsets({ groupId: 'kcat-group', topics: ['kcat-topic'] })).toEqual([
      { topic: 'kcat-topic', partitions: [{ partition: 0, offset: '3', metadata: null }] },
    ]);
    await admin.disconnect();
  });
});
