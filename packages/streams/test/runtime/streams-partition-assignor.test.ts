/**
 * The task assignor: tasks from partition counts (Kafka's PartitionGrouper), whole tasks per member (co-partitioned
 * partitions together), balance, stickiness to the current owner and to members holding a task's state, and the
 * application shutdown signal.
 */
import type { SubscriptionInfo, TaskSpec } from '../../src/runtime/streams-partition-assignor';
import {
  assignStandbys,
  assignTasks,
  decodeAssignment,
  decodeSubscription,
  encodeSubscription,
  LATEST_OFFSET,
  StreamsPartitionAssignor,
  tasksFor,
} from '../../src/runtime/streams-partition-assignor';

const info = (activeTasks: string[] = [], cachedTasks: string[] = [], shutdownRequested = false): SubscriptionInfo => ({
  version: 1,
  processId: 'p',
  activeTasks,
  cachedTasks,
  shutdownRequested,
});

describe('tasksFor', () => {
  test('one task per partition of the largest source topic; task p reads partition p of every source', () => {
    const tasks = tasksFor(
      [
        { id: 0, sourceTopics: ['left', 'right'], stateful: true },
        { id: 1, sourceTopics: ['small'], stateful: false },
      ],
      new Map([
        ['left', 3],
        ['right', 3],
        ['small', 2],
      ]),
    );
    expect(tasks.map((t) => t.id)).toEqual(['0_0', '0_1', '0_2', '1_0', '1_1']);
    expect(tasks[1]!.topicPartitions).toEqual([
      { topic: 'left', partition: 1 },
      { topic: 'right', partition: 1 },
    ]);
  });

  test('a source with fewer partitions only joins the tasks it has partitions for', () => {
    const tasks = tasksFor([{ id: 0, sourceTopics: ['a', 'b'], stateful: false }], new Map([['a', 2], ['b', 1]]));
    expect(tasks.map((t) => t.topicPartitions.map((tp) => `${tp.topic}-${tp.partition}`))).toEqual([['a-0', 'b-0'], ['a-1']]);
  });
});

function specs(n: number, stateful = true): TaskSpec[] {
  return tasksFor([{ id: 0, sourceTopics: ['in'], stateful }], new Map([['in', n]]));
}

describe('assignTasks', () => {
  test('balances tasks over members', () => {
    const out = assignTasks(specs(8), [
      { memberId: 'a', info: info() },
      { memberId: 'b', info: info() },
      { memberId: 'c', info: info() },
    ]);
    const sizes = [...out.values()].map((t) => t.length).sort();
    expect(sizes).toEqual([2, 3, 3]);
    expect(new Set([...out.values()].flat()).size).toBe(8);
  });

  test('keeps tasks with their current owner (sticky) when a member joins', () => {
    const before = assignTasks(specs(6), [{ memberId: 'a', info: info() }]);
    expect(before.get('a')).toHaveLength(6);
    const after = assignTasks(specs(6), [
      { memberId: 'a', info: info(before.get('a')!) },
      { memberId: 'b', info: info() },
    ]);
    expect(after.get('a')).toHaveLength(3);
    expect(after.get('b')).toHaveLength(3);
    // a keeps three of its own tasks rather than a reshuffle
    expect(after.get('a')!.every((t) => before.get('a')!.includes(t))).toBe(true);
  });

  test('a stateful task goes to a member that has its state on disk', () => {
    const out = assignTasks(specs(2), [
      { memberId: 'a', info: info([], ['0_1']) },
      { memberId: 'b', info: info([], ['0_0']) },
    ]);
    expect(out.get('a')).toEqual(['0_1']);
    expect(out.get('b')).toEqual(['0_0']);
  });

  test('is deterministic and tolerates members without user data', () => {
    const members = [
      { memberId: 'm2', info: null },
      { memberId: 'm1', info: null },
    ];
    expect(assignTasks(specs(4), members)).toEqual(assignTasks(specs(4), [...members].reverse()));
  });
});

describe('StreamsPartitionAssignor', () => {
  const context = (shutdown = false) => ({
    processId: 'proc-1',
    subtopologies: [
      { id: 0, sourceTopics: ['left', 'right'], stateful: true },
      { id: 1, sourceTopics: ['app-repartition'], stateful: true },
    ],
    activeTasks: () => ['0_1'],
    cachedTasks: () => ['1_0'],
    shutdownRequested: () => shutdown,
  });
  const counts = new Map([
    ['left', 2],
    ['right', 2],
    ['app-repartition', 2],
  ]);

  test('subscription user data round-trips', () => {
    const a = new StreamsPartitionAssignor(context());
    expect(decodeSubscription(a.subscriptionUserData())).toEqual({ version: 1, processId: 'proc-1', activeTasks: ['0_1'], cachedTasks: ['1_0'], shutdownRequested: false });
    expect(decodeSubscription(Buffer.from('not json'))).toBeNull();
    expect(decodeSubscription(null)).toBeNull();
  });

  test('co-partitioned partitions of a task go to the same member', async () => {
    const a = new StreamsPartitionAssignor(context());
    const out = await a.assign(
      [
        { memberId: 'x', userData: encodeSubscription(info(['0_1'])) },
        { memberId: 'y', userData: null },
      ],
      counts,
    );
    const x = out.get('x')!.partitions;
    const y = out.get('y')!.partitions;
    expect(x.get('left')).toEqual(x.get('right'));
    expect(y.get('left')).toEqual(y.get('right'));
    expect(x.get('left')).toContain(1); // sticky: x ran 0_1
    const all = [...x.get('left')!, ...y.get('left')!].sort();
    expect(all).toEqual([0, 1]);
  });

  test('a member asking for application shutdown gets every member an empty assignment', async () => {
    const a = new StreamsPartitionAssignor(context());
    const out = await a.assign(
      [
        { memberId: 'x', userData: encodeSubscription(info([], [], true)) },
        { memberId: 'y', userData: null },
      ],
      counts,
    );
    expect([...out.values()].every((m) => m.partitions.size === 0)).toBe(true);
  });
});

describe('assignTasks balances stateful tasks first, then stateless ones', () => {
  // a groupBy app: sub-topology 0 (stateless, reads the input) and 1 (stateful, reads the repartition topic), 4 partitions
  const groupBy = tasksFor(
    [
      { id: 0, sourceTopics: ['in'], stateful: false },
      { id: 1, sourceTopics: ['app-repartition'], stateful: true },
    ],
    new Map([
      ['in', 4],
      ['app-repartition', 4],
    ]),
  );
  const statefulIds = (ids: readonly string[]) => ids.filter((id) => id.startsWith('1_'));

  test('a member joining one that runs every task gets half of the stateful tasks', () => {
    const first = assignTasks(groupBy, [{ memberId: 'a', info: info() }]);
    expect(first.get('a')).toHaveLength(8);
    const after = assignTasks(groupBy, [
      { memberId: 'a', info: info(first.get('a')!, first.get('a')!) },
      { memberId: 'b', info: info() },
    ]);
    expect(statefulIds(after.get('a')!)).toHaveLength(2);
    expect(statefulIds(after.get('b')!)).toHaveLength(2);
    expect(after.get('a')).toHaveLength(4);
    expect(after.get('b')).toHaveLength(4);
    expect(after.get('a')!.every((t) => first.get('a')!.includes(t))).toBe(true);
  });

  test('stateful balance holds even when one member ran all stateful tasks and the other all stateless ones', () => {
    const out = assignTasks(groupBy, [
      { memberId: 'a', info: info(['1_0', '1_1', '1_2', '1_3']) },
      { memberId: 'b', info: info(['0_0', '0_1', '0_2', '0_3']) },
    ]);
    expect(statefulIds(out.get('a')!)).toEqual(['1_0', '1_1']); // sticky within its share
    expect(statefulIds(out.get('b')!)).toEqual(['1_2', '1_3']);
    expect(out.get('a')).toHaveLength(4);
    expect(out.get('b')).toHaveLength(4);
    expect(out.get('b')!.filter((t) => t.startsWith('0_'))).toHaveLength(2);
  });

  test('state on disk decides where moved stateful tasks go, within the share', () => {
    const out = assignTasks(groupBy, [
      { memberId: 'a', info: info([], ['1_2', '1_3']) },
      { memberId: 'b', info: info([], ['1_0', '1_1']) },
      { memberId: 'c', info: info() },
    ]);
    // 4 stateful tasks over 3 members: 2, 1, 1 — only one member may hold two, so b (first in task order) keeps
    // both of its tasks, a one of its own, and c takes the other
    expect(statefulIds(out.get('b')!)).toEqual(['1_0', '1_1']);
    expect(statefulIds(out.get('a')!)).toEqual(['1_2']);
    expect(statefulIds(out.get('c')!)).toEqual(['1_3']);
    expect([...out.values()].map((t) => t.length).sort()).toEqual([2, 3, 3]);
  });
});

describe('standby tasks (num.standby.replicas)', () => {
  const members = (n: number, infos: Record<string, SubscriptionInfo> = {}) =>
    Array.from({ length: n }, (_, i) => ({ memberId: `m${i}`, info: infos[`m${i}`] ?? info() }));
  const withSums = (activeTasks: string[], taskOffsetSums: Record<string, number>): SubscriptionInfo => ({ ...info(activeTasks), taskOffsetSums });

  test('never on the member running the active task, one copy per standby replica, balanced', () => {
    const tasks = specs(6);
    const ms = members(3);
    const actives = assignTasks(tasks, ms);
    const standbys = assignStandbys(tasks, ms, actives, 1);
    for (const [m, ids] of standbys) for (const id of ids) expect(actives.get(m)).not.toContain(id);
    expect([...standbys.values()].flat().sort()).toEqual(tasks.map((t) => t.id).sort());
    expect([...standbys.values()].map((s) => s.length)).toEqual([2, 2, 2]);
    const two = assignStandbys(tasks, ms, actives, 2);
    for (const t of tasks) {
      const holders = [...two].filter(([, ids]) => ids.includes(t.id)).map(([m]) => m);
      expect(holders).toHaveLength(2);
      expect(new Set([...holders, ...[...actives].filter(([, ids]) => ids.includes(t.id)).map(([m]) => m)]).size).toBe(3);
    }
    expect([...two.values()].map((s) => s.length)).toEqual([4, 4, 4]);
  });

  test('fewer copies when there are not enough other members; none for stateless tasks or without the setting', () => {
    const tasks = specs(2);
    const ms = members(2);
    const actives = assignTasks(tasks, ms);
    const standbys = assignStandbys(tasks, ms, actives, 3);
    expect([...standbys.values()].flat().sort()).toEqual(['0_0', '0_1']);
    expect([...assignStandbys(tasks, ms, actives, 0).values()].flat()).toEqual([]);
    const stateless = specs(2, false);
    expect([...assignStandbys(stateless, ms, assignTasks(stateless, ms), 1).values()].flat()).toEqual([]);
    expect([...assignStandbys(tasks, members(1), assignTasks(tasks, members(1)), 1).values()].flat()).toEqual([]);
  });

  test('an active task that moves goes to the member with a caught-up standby (lag <= acceptable.recovery.lag)', () => {
    // m0 ran 0_0 and is gone; m1 has a caught-up standby of 0_0 (lag 50), m2 one 20,000 behind; m1 and m2 run nothing
    const tasks = specs(2);
    const ms = [
      { memberId: 'm2', info: withSums([], { '0_0': 80_000 }) },
      { memberId: 'm1', info: withSums([], { '0_0': 99_950 }) },
    ];
    const lags = { endOffsetSums: new Map([['0_0', 100_000], ['0_1', 5]]), acceptableRecoveryLag: 10_000 };
    expect(assignTasks(tasks, ms, lags).get('m1')).toEqual(['0_0']);
    // with a larger acceptable lag both count as caught up; the least behind still wins
    expect(assignTasks(tasks, ms, { ...lags, acceptableRecoveryLag: 50_000 }).get('m1')).toEqual(['0_0']);
    // without a caught-up copy, the least behind copy wins
    const far = [
      { memberId: 'm1', info: withSums([], { '0_0': 10 }) },
      { memberId: 'm2', info: withSums([], { '0_0': 60_000 }) },
    ];
    expect(assignTasks(tasks, far, lags).get('m2')).toEqual(['0_0']);
    // the running active stays put (lag 0) even when another member has a standby
    const running = [
      { memberId: 'm1', info: withSums(['0_1'], { '0_0': 100_000, '0_1': LATEST_OFFSET }) },
      { memberId: 'm2', info: withSums(['0_0'], { '0_0': LATEST_OFFSET, '0_1': 5 }) },
    ];
    const out = assignTasks(tasks, running, lags);
    expect(out.get('m2')).toEqual(['0_0']);
    expect(out.get('m1')).toEqual(['0_1']);
    // and the standbys go where the state is
    const standbys = assignStandbys(tasks, running, out, 1, lags);
    expect(standbys.get('m1')).toEqual(['0_0']);
    expect(standbys.get('m2')).toEqual(['0_1']);
  });

  test('the assignment user data carries each member its standby tasks', async () => {
    const a = new StreamsPartitionAssignor({
      processId: 'p',
      subtopologies: [{ id: 0, sourceTopics: ['in'], stateful: true }],
      activeTasks: () => [],
      cachedTasks: () => [],
      shutdownRequested: () => false,
      numStandbyReplicas: 1,
      acceptableRecoveryLag: 10_000,
      endOffsetSums: async () => new Map([['0_0', 10], ['0_1', 10]]),
    });
    const out = await a.assign(
      [
        { memberId: 'x', userData: encodeSubscription(withSums(['0_0'], { '0_0': LATEST_OFFSET, '0_1': 10 })) },
        { memberId: 'y', userData: encodeSubscription(withSums(['0_1'], { '0_1': LATEST_OFFSET, '0_0': 3 })) },
      ],
      new Map([['in', 2]]),
    );
    expect(out.get('x')!.partitions.get('in')).toEqual([0]);
    expect(decodeAssignment(out.get('x')!.userData)).toEqual({ version: 1, memberId: 'x', standbyTasks: ['0_1'] });
    expect(decodeAssignment(out.get('y')!.userData)).toEqual({ version: 1, memberId: 'y', standbyTasks: ['0_0'] });
    expect(decodeAssignment(Buffer.from('nope'))).toBeNull();
  });
});

describe('warm-up replicas (max.warmup.replicas) and probing rebalances (probing.rebalance.interval.ms)', () => {
  const stateful = (n: number): TaskSpec[] => tasksFor([{ id: 0, sourceTopics: ['in'], stateful: true }], new Map([['in', n]]));
  const sums = (active: string[], offsetSums: Record<string, number>): SubscriptionInfo => ({ ...info(active), taskOffsetSums: offsetSums });
  const allOn = (n: number): Record<string, number> => Object.fromEntries(stateful(n).map((t) => [t.id, LATEST_OFFSET]));
  const ends = (n: number, end: number) => new Map(stateful(n).map((t) => [t.id, end]));

  test('tasks a new member would restore from far behind stay on the caught-up member; the new member warms up at most max.warmup.replicas of them', () => {
    const ms = [
      { memberId: 'a', info: sums(['0_0', '0_1', '0_2', '0_3'], allOn(4)) },
      { memberId: 'b', info: sums([], {}) },
    ];
    const lags = { endOffsetSums: ends(4, 50_000), acceptableRecoveryLag: 10_000, maxWarmupReplicas: 1 };
    const warmups = { tasks: new Map<string, string[]>(), movementsPending: 0 };
    const out = assignTasks(stateful(4), ms, lags, warmups);
    expect(out.get('a')!.sort()).toEqual(['0_0', '0_1', '0_2', '0_3']);
    expect(out.get('b')).toEqual([]);
    expect(warmups).toEqual({ tasks: new Map([['b', ['0_2']]]), movementsPending: 2 });
    // with two warm-ups allowed both balanced moves warm up
    const two = { tasks: new Map<string, string[]>(), movementsPending: 0 };
    assignTasks(stateful(4), ms, { ...lags, maxWarmupReplicas: 2 }, two);
    expect(two.tasks.get('b')!.sort()).toEqual(['0_2', '0_3']);
  });

  test('a warm-up that caught up takes its task at the next (probing) rebalance; small changelogs move at once', () => {
    const lags = { endOffsetSums: ends(4, 50_000), acceptableRecoveryLag: 10_000, maxWarmupReplicas: 2 };
    const caughtUp = [
      { memberId: 'a', info: sums(['0_0', '0_1', '0_2', '0_3'], allOn(4)) },
      { memberId: 'b', info: sums([], { '0_2': 45_000, '0_3': 49_000 }) },
    ];
    const warmups = { tasks: new Map<string, string[]>(), movementsPending: 0 };
    const out = assignTasks(stateful(4), caughtUp, lags, warmups);
    expect(out.get('b')!.sort()).toEqual(['0_2', '0_3']);
    expect(warmups.movementsPending).toBe(0);
    // a changelog within acceptable.recovery.lag: a member without any copy counts as caught up
    const small = { tasks: new Map<string, string[]>(), movementsPending: 0 };
    const moved = assignTasks(stateful(4), [caughtUp[0]!, { memberId: 'b', info: sums([], {}) }], { ...lags, endOffsetSums: ends(4, 500) }, small);
    expect(moved.get('b')!.sort()).toEqual(['0_2', '0_3']);
    expect(small.movementsPending).toBe(0);
  });

  test('the assignment carries warm-ups as standby tasks and the time of the probing rebalance', async () => {
    const assignor = (maxWarmupReplicas: number) =>
      new StreamsPartitionAssignor({
        processId: 'p',
        subtopologies: [{ id: 0, sourceTopics: ['in'], stateful: true }],
        activeTasks: () => [],
        cachedTasks: () => [],
        shutdownRequested: () => false,
        acceptableRecoveryLag: 10_000,
        maxWarmupReplicas,
        probingRebalanceIntervalMs: 60_000,
        now: () => 1_000_000,
        endOffsetSums: async () => ends(2, 50_000),
      });
    const members = [
      { memberId: 'a', userData: encodeSubscription(sums(['0_0', '0_1'], allOn(2))) },
      { memberId: 'b', userData: encodeSubscription(sums([], {})) },
    ];
    const out = await assignor(2).assign(members, new Map([['in', 2]]));
    expect(out.get('a')!.partitions.get('in')).toEqual([0, 1]);
    expect(decodeAssignment(out.get('b')!.userData)).toEqual({ version: 1, memberId: 'b', standbyTasks: ['0_1'], nextProbingRebalanceMs: 1_060_000 });
    expect(decodeAssignment(out.get('a')!.userData)).toEqual({ version: 1, memberId: 'a', standbyTasks: [], nextProbingRebalanceMs: 1_060_000 });
    // once b has caught up, the task moves and no further probe is scheduled
    const later = await assignor(2).assign(
      [members[0]!, { memberId: 'b', userData: encodeSubscription(sums([], { '0_1': 49_990 })) }],
      new Map([['in', 2]]),
    );
    expect(later.get('b')!.partitions.get('in')).toEqual([1]);
    expect(decodeAssignment(later.get('b')!.userData)).toEqual({ version: 1, memberId: 'b', standbyTasks: [] });
  });
});
