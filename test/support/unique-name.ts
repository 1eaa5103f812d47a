/**
 * Unique topic, group and transactional-id names, so suites sharing one broker (real Kafka between
 * test files, or repeated runs against a kept data dir) never collide.
 */
import { randomBytes } from 'node:crypto';

let counter = 0;

/** `<prefix>-<time>-<pid>-<n>-<random>`: only [a-z0-9-], valid as a Kafka topic or group name. */
export function uniqueName(prefix: string): string {
  counter += 1;
  const safe = prefix.toLowerCase().replace(/[^a-z0-9._-]+/g, '-');
  return `${safe}-${Date.now().toString(36)}-${process.pid.toString(36)}-${counter}-${randomBytes(3).toString('hex')}`;
}
