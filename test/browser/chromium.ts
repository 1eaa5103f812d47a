/**
 * Debian's chromium for the browser tests: found on the PATH, or installed with apt-get when missing and we
 * are root (CI runs as root on a fresh machine), so the suite needs nothing installed by hand.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type Browser } from 'playwright-core';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

function found(): string | null {
  const env = process.env['KSTREAMS_CHROMIUM'];
  if (env && fs.existsSync(env)) return env;
  return CANDIDATES.find((p) => fs.existsSync(p)) ?? null;
}

/** The chromium executable, installing Debian's package when it is missing. */
export function chromiumExecutable(): string {
  const have = found();
  if (have) return have;
  if (process.getuid?.() !== 0) throw new Error('chromium is not installed and this is not root: run `apt-get install -y chromium` (or set KSTREAMS_CHROMIUM)');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'ignore', env });
  execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'ignore', env });
  const now = found();
  if (!now) throw new Error('apt-get install chromium finished but no chromium executable was found');
  return now;
}

/** Launches headless chromium. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumExecutable(), headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
}

/** Where the browser tests write screenshots and pages (gitignored). */
export const ARTEFACTS = path.join(__dirname, 'artefacts');
