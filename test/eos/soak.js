#!/usr/bin/env node
/**
 * `npm run soak:eos -- --kills 50 [--broker-kills 5] [--guarantee exactly_once_v2|at_least_once|both] [--seed N]`:
 * runs the crash harness (test/eos/crash.test.ts) with many kills and prints what it counted: inputs, kills,
 * lost and duplicated records. `--guarantee both` runs at-least-once too, to show the duplicates exactly-once
 * removes. KSTREAMS_BROKER picks the broker as for every suite (bundled by default; `kafka` for Apache Kafka).
 */
'use strict';
const { spawnSync } = require('node:child_process');
const { mkdtempSync, readFileSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback;
};
const kills = Number(opt('kills', '50'));
const brokerKills = Number(opt('broker-kills', String(Math.max(2, Math.round(kills / 10)))));
const which = opt('guarantee', 'exactly_once_v2');
const guarantees = which === 'both' ? ['exactly_once_v2', 'at_least_once'] : [which];
const root = join(__dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'kstreams-soak-'));
let failed = false;
const rows = [];
for (const guarantee of guarantees) {
  const reportFile = join(dir, `${guarantee}.json`);
  process.stderr.write(`soak:eos: ${guarantee}, ${kills} app kills, ${brokerKills} broker kills on ${process.env.KSTREAMS_BROKER || 'bundled'}\n`);
  const run = spawnSync('npx', ['jest', join('test', 'eos', 'crash.test.ts'), '--selectProjects', 'integration'], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: {
      ...process.env,
      KSTREAMS_EOS_KILLS: String(kills),
      KSTREAMS_EOS_BROKER_KILLS: String(brokerKills),
      KSTREAMS_EOS_GUARANTEE: guarantee,
      KSTREAMS_EOS_REPORT: reportFile,
      ...(opt('seed', '') !== '' ? { KSTREAMS_EOS_SEED: opt('seed', '') } : {}),
    },
  });
  if (run.status !== 0) failed = true;
  try {
    const r = JSON.parse(readFileSync(reportFile, 'utf8'));
    rows.push(r);
  } catch {
    rows.push({ guarantee, error: 'no report (the run failed before the checks)' });
  }
}
if (failed) console.log(`\nreports (with the run log) kept in ${dir}`);
else rmSync(dir, { recursive: true, force: true });
console.log('\nguarantee         inputs  kills  broker kills  lost  duplicated  bad key sequences  changelog mismatches  seconds');
for (const r of rows) {
  if (r.error) {
    console.log(`${r.guarantee.padEnd(16)}  ${r.error}`);
    continue;
  }
  console.log(
    `${r.guarantee.padEnd(16)} ${String(r.inputs).padStart(7)} ${String(r.kills).padStart(6)} ${String(r.brokerKills).padStart(13)} ${String(r.lost).padStart(5)} ${String(r.duplicated).padStart(11)} ${String(r.badSequences.length).padStart(18)} ${String(r.changelogMismatches.length).padStart(21)} ${String(r.seconds).padStart(8)}`,
  );
  if (r.stalled) console.log(`  stalled: ${r.stalled.slice(0, 400)}`);
  for (const line of r.samples ?? []) console.log(`  ${line}`);
  for (const e of r.appErrors) console.log(`  app error: ${e.slice(0, 400)}`);
}
process.exit(failed ? 1 : 0);
