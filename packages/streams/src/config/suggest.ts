/** Closest-name suggestions for unknown config keys ("did you mean ...?"). */

/** Lower-cases and drops separators, so `application_id`, `Application.Id` and `applicationId` compare equal. */
function squash(s: string): string {
  return s.toLowerCase().replace(/[._\-\s]/g, '');
}

/** Levenshtein distance, two rows. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  let cur = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[b.length]!;
}

/** True when every character of `a` appears in `b` in order. */
function isSubsequence(a: string, b: string): boolean {
  let j = 0;
  for (let i = 0; i < b.length && j < a.length; i++) if (b.charCodeAt(i) === a.charCodeAt(j)) j++;
  return j === a.length;
}

/** Dotted/snake input prefers dotted candidates, camelCase input camelCase ones. */
function sameStyle(input: string, candidate: string): boolean {
  return /[._]/.test(input) === candidate.includes('.');
}

/**
 * The candidate closest to `input`, or `undefined` when nothing is close enough to be a plausible typo:
 * within a few edits (ignoring case and separators), or `input` with a word left out.
 *
 * @example
 * closestName('comitIntervalMs', ['commitIntervalMs', 'pollMs']); // 'commitIntervalMs'
 */
export function closestName(input: string, candidates: Iterable<string>): string | undefined {
  const target = squash(input);
  const allowed = Math.max(2, Math.floor(target.length / 4));
  let best: string | undefined;
  let bestScore = Infinity;
  for (const c of candidates) {
    const squashed = squash(c);
    const d = distance(target, squashed);
    const plausible = d <= allowed || (target.length >= 0.6 * squashed.length && isSubsequence(target, squashed));
    if (!plausible) continue;
    const score = d * 2 + (sameStyle(input, c) ? 0 : 1);
    if (score < bestScore) {
      best = c;
      bestScore = score;
    }
  }
  return best;
}
