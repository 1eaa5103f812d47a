/**
 * Carries `application.server` in the group subscription (where Kafka Streams' `SubscriptionInfo` carries its
 * `userEndPoint`): a decorator over the runtime's group assignor adds the endpoint to the member's subscription
 * user data, and {@link applicationServerOf} reads it back from any member's user data. The assignor's own
 * fields and balancing are untouched; the subscription stays one JSON object with one more field.
 */
import type { AssignorMember, GroupAssignor, MemberAssignment } from '../runtime/kafka-client';

const FIELD = 'applicationServer';

/** Adds `applicationServer: "<host:port>"` to the subscription user data of `assignor`. */
export function withApplicationServer(assignor: GroupAssignor, endpoint: string): GroupAssignor {
  return {
    name: assignor.name,
    version: assignor.version,
    subscriptionUserData(): Buffer {
      return addApplicationServer(assignor.subscriptionUserData(), endpoint);
    },
    assign(members: readonly AssignorMember[], partitionCounts: ReadonlyMap<string, number>): Promise<Map<string, MemberAssignment>> {
      return assignor.assign(members, partitionCounts);
    },
  };
}

/** The user data with the endpoint added (the assignor's user data is a JSON object). */
export function addApplicationServer(userData: Buffer, endpoint: string): Buffer {
  let info: unknown;
  try {
    info = JSON.parse(userData.toString('utf8'));
  } catch {
    info = undefined;
  }
  if (info === null || typeof info !== 'object' || Array.isArray(info)) {
    throw new TypeError('the group assignor subscription user data is not a JSON object; application.server cannot be added to it');
  }
  return Buffer.from(JSON.stringify({ ...(info as object), [FIELD]: endpoint }), 'utf8');
}

/** The `host:port` a member announced, or null when it set no `application.server` (or the data is not ours). */
export function applicationServerOf(userData: Buffer | null): string | null {
  if (userData === null || userData.length === 0) return null;
  try {
    const info = JSON.parse(userData.toString('utf8')) as { [FIELD]?: unknown };
    const v = info[FIELD];
    return typeof v === 'string' && v !== '' ? v : null;
  } catch {
    return null;
  }
}
