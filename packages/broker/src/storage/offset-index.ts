/**
 * In-memory offset index of one segment: one entry per stored batch (base and last offset, file
 * position, size, max timestamp), kept in growable typed arrays and searched by binary search.
 * It is rebuilt from the segment file when the log opens, which also validates the file.
 */
export class OffsetIndex {
  count = 0;
  private base = new Float64Array(64);
  private last = new Float64Array(64);
  private pos = new Float64Array(64);
  private size = new Int32Array(64);
  private maxTs = new Float64Array(64);

  /** Largest max timestamp of any batch (-1 when empty); kept up to date for retention. */
  maxTimestampOfAll = -1;

  append(baseOffset: number, lastOffset: number, position: number, size: number, maxTimestamp: number): void {
    if (maxTimestamp > this.maxTimestampOfAll) this.maxTimestampOfAll = maxTimestamp;
    if (this.count === this.base.length) this.grow();
    const i = this.count++;
    this.base[i] = baseOffset;
    this.last[i] = lastOffset;
    this.pos[i] = position;
    this.size[i] = size;
    this.maxTs[i] = maxTimestamp;
  }

  private grow(): void {
    const n = this.base.length * 2;
    const g = <T extends Float64Array | Int32Array>(a: T, make: (n: number) => T): T => {
      const b = make(n);
      b.set(a);
      return b;
    };
    this.base = g(this.base, (k) => new Float64Array(k));
    this.last = g(this.last, (k) => new Float64Array(k));
    this.pos = g(this.pos, (k) => new Float64Array(k));
    this.size = g(this.size, (k) => new Int32Array(k));
    this.maxTs = g(this.maxTs, (k) => new Float64Array(k));
  }

  baseOffset(i: number): number {
    return this.base[i]!;
  }
  lastOffset(i: number): number {
    return this.last[i]!;
  }
  position(i: number): number {
    return this.pos[i]!;
  }
  sizeAt(i: number): number {
    return this.size[i]!;
  }
  maxTimestamp(i: number): number {
    return this.maxTs[i]!;
  }

  /** Index of the first batch whose last offset is >= offset, or `count` if none. */
  findFirstEndingAtOrAfter(offset: number): number {
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.last[mid]! < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Index of the first batch whose max timestamp is >= ts, scanning (timestamps are not monotonic). */
  findFirstWithTimestampAtLeast(ts: number): number {
    for (let i = 0; i < this.count; i++) if (this.maxTs[i]! >= ts) return i;
    return this.count;
  }
}
