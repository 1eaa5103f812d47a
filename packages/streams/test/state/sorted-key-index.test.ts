/** The B+tree key index: order under random inserts and deletes, every kind of range bound, cursors under change. */
import { SortedKeyIndex } from '../../src/state/sorted-key-index';

function collect(index: SortedKeyIndex, from: string | null, to: string | null, reverse: boolean): string[] {
  const c = index.cursor({ from, fromInclusive: true, to, toInclusive: true }, reverse);
  const out: string[] = [];
  for (let k = c.next(); k !== undefined; k = c.next()) out.push(k);
  return out;
}

/** Deterministic pseudo-random numbers (LCG), so failures reproduce. */
function rng(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

describe('SortedKeyIndex', () => {
  it('keeps random inserts and deletes in order, matching a sorted reference', () => {
    const index = new SortedKeyIndex();
    const ref = new Set<string>();
    const rand = rng(42);
    for (let i = 0; i < 20000; i++) {
      const k = String(Math.floor(rand() * 5000)).padStart(5, '0');
      if (rand() < 0.6) {
        expect(index.insert(k)).toBe(!ref.has(k));
        ref.add(k);
      } else {
        expect(index.delete(k)).toBe(ref.has(k));
        ref.delete(k);
      }
    }
    const sorted = [...ref].sort();
    expect(index.size).toBe(ref.size);
    expect(collect(index, null, null, false)).toEqual(sorted);
    expect(collect(index, null, null, true)).toEqual([...sorted].reverse());
    expect(collect(index, '01000', '01999', false)).toEqual(sorted.filter((k) => k >= '01000' && k <= '01999'));
    expect(collect(index, '01000', '01999', true)).toEqual(sorted.filter((k) => k >= '01000' && k <= '01999').reverse());
  });

  it('answers random ranges with every bound kind like a filtered sorted array', () => {
    const index = new SortedKeyIndex();
    const ref = new Set<string>();
    const rand = rng(7);
    const key = (): string => String(Math.floor(rand() * 3000)).padStart(4, '0');
    for (let i = 0; i < 6000; i++) {
      const k = key();
      if (rand() < 0.7) {
        index.insert(k);
        ref.add(k);
      } else {
        index.delete(k);
        ref.delete(k);
      }
    }
    const sorted = [...ref].sort();
    for (let i = 0; i < 300; i++) {
      const a = rand() < 0.1 ? null : key();
      const b = rand() < 0.1 ? null : key();
      const from = a !== null && b !== null && a > b ? b : a;
      const to = a !== null && b !== null && a > b ? a : b;
      const fromInclusive = rand() < 0.5;
      const toInclusive = rand() < 0.5;
      const expected = sorted.filter(
        (k) =>
          (from === null || (fromInclusive ? k >= from : k > from)) && (to === null || (toInclusive ? k <= to : k < to)),
      );
      for (const reverse of [false, true]) {
        const c = index.cursor({ from, fromInclusive, to, toInclusive }, reverse);
        const got: string[] = [];
        for (let k = c.next(); k !== undefined; k = c.next()) got.push(k);
        expect(got).toEqual(reverse ? [...expected].reverse() : expected);
      }
    }
  });

  it('empties completely and can be refilled', () => {
    const index = new SortedKeyIndex();
    for (let i = 0; i < 1000; i++) index.insert(String(i).padStart(4, '0'));
    for (let i = 0; i < 1000; i++) expect(index.delete(String(i).padStart(4, '0'))).toBe(true);
    expect(index.size).toBe(0);
    expect(collect(index, null, null, false)).toEqual([]);
    index.insert('b');
    index.insert('a');
    expect(collect(index, null, null, false)).toEqual(['a', 'b']);
  });

  it('cursors survive inserts and deletes ahead of and behind them', () => {
    const index = new SortedKeyIndex();
    for (let i = 0; i < 500; i += 2) index.insert(String(i).padStart(3, '0'));
    const c = index.cursor({ from: null, fromInclusive: true, to: null, toInclusive: true }, false);
    const seen: string[] = [];
    for (let k = c.next(); k !== undefined; k = c.next()) {
      seen.push(k);
      if (k === '100') {
        index.delete('102'); // ahead: skipped
        index.insert('101'); // ahead: seen
        index.insert('001'); // behind: not seen
        for (let i = 1; i < 99; i += 2) index.insert(String(i).padStart(3, '0')); // behind, forces splits
      }
    }
    expect(seen).toContain('101');
    expect(seen).not.toContain('102');
    expect(seen).not.toContain('001');
    expect(seen).toEqual([...seen].sort());
    expect(new Set(seen).size).toBe(seen.length);
  });
});
