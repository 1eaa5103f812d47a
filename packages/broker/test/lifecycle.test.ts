/** startBroker's lifecycle: ports, temp directories, and refusing a data directory already in use. */
import * as fs from 'node:fs';
import * as net from 'node:net';
import { startBroker } from '../src/index';
import { Broker } from '../src/server/broker';
import { removeDir, tempDir } from './support';

describe('startBroker', () => {
  it('picks a free port, uses a temp data dir when none is given, and removes it on close', async () => {
    const b = await startBroker({ logLevel: 'silent' });
    expect(b.port).toBeGreaterThan(0);
    expect(b.bootstrapServers).toBe(`127.0.0.1:${b.port}`);
    expect(fs.existsSync(b.dataDir)).toBe(true);
    await b.close();
    expect(fs.existsSync(b.dataDir)).toBe(false);
  });

  it('rejects a port in use, and releases the data directory it had opened', async () => {
    const dir = tempDir();
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      await expect(startBroker({ port, dataDir: dir, logLevel: 'silent' })).rejects.toThrow(/EADDRINUSE/);
      const again = await startBroker({ dataDir: dir, logLevel: 'silent' });
      await again.close();
      expect(fs.existsSync(dir)).toBe(true); // a given data dir is never deleted
    } finally {
      blocker.close();
      removeDir(dir);
    }
  });

  it('refuses a second broker on a data directory that is open', async () => {
    const dir = tempDir();
    try {
      const first = new Broker({ dataDir: dir, logLevel: 'silent' });
      expect(() => new Broker({ dataDir: dir, logLevel: 'silent' })).toThrow(/already open/);
      await first.close();
      const second = new Broker({ dataDir: dir, logLevel: 'silent' });
      await second.close();
    } finally {
      removeDir(dir);
    }
  });
});
